//! A query scored as its inner query plus a constant wherever it matches:
//! a word's BM25 and its coordination bonus (see `query::COORDINATION`)
//! from one reading of its postings, where a union of the word and a
//! `ConstScoreQuery` of it read them twice.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `query`, scoring `bonus` more wherever it matches.
pub struct Held {
    query: Box<dyn Query>,
    bonus: Score,
}

impl Held {
    /// `query` with `bonus` added to its score.
    pub fn new(query: Box<dyn Query>, bonus: Score) -> Held {
        Held { query, bonus }
    }
}

impl Clone for Held {
    fn clone(&self) -> Self {
        Held::new(self.query.box_clone(), self.bonus)
    }
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Held({:?}, +{})", self.query, self.bonus)
    }
}

impl Query for Held {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(HeldWeight {
            inner: self.query.weight(scoring)?,
            bonus: self.bonus,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct HeldWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for HeldWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(HeldScorer {
            inner: self.inner.scorer(reader, boost)?,
            bonus: self.bonus * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut out = Explanation::new(
            "held: the query's score plus its bonus",
            inner.value() + self.bonus,
        );
        out.add_detail(inner);
        Ok(out)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct HeldScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for HeldScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for HeldScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}
