//! A union of queries, each with an upper bound of its score, that the
//! engine answers for the top hits alone (WAND): a plain-word query's words,
//! each a BM25 score plus its coordination bonus (see `query::natural`),
//! are not term scorers that Tantivy's block-max WAND can prune, so without
//! this every passage holding any of the words would be scored.

use tantivy::SeekDangerResult;
use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// BM25's `k1`, as Tantivy has it: a term's score is below `idf × (k1 + 1)`.
const K1: Score = 1.2;

/// BM25's inverse document frequency, as Tantivy has it, of a term in `df`
/// of `n` passages.
pub fn idf(n: u64, df: u64) -> Score {
    let (n, df) = (n as Score, df as Score);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The largest BM25 score `query` can give a passage: the sum, over every
/// term it holds, of the term's own largest score. (A phrase scores below
/// the sum of its terms'; a boost below one only lowers a score.)
/// `n` is the number of passages, `doc_freq` a term's.
pub fn bm25_bound(n: u64, doc_freq: &dyn Fn(&Term) -> u64, query: &dyn Query) -> Score {
    let mut sum = 0.0;
    query.query_terms(&mut |t: &Term, _| {
        sum += idf(n, doc_freq(t)) * (1.0 + K1);
    });
    sum
}

/// A union of queries whose scores add up, each with the largest score it
/// can give (`bound`, see [`bm25_bound`]); a bound below the real score
/// would lose hits.
pub struct Bounded {
    clauses: Vec<(Box<dyn Query>, Score)>,
    /// Each clause's group: the clauses of one group are alternatives (a
    /// word and its translations), of which the best counts, as in a
    /// `DisjunctionMaxQuery`; groups add up.
    groups: Vec<usize>,
    /// Queries that only add to the score of passages the clauses match
    /// (two words near each other), looked at on those passages alone.
    bonuses: Vec<(Box<dyn Query>, Score)>,
}

impl Bounded {
    /// The union of `clauses`, each `(query, bound)`.
    pub fn new(clauses: Vec<(Box<dyn Query>, Score)>) -> Bounded {
        let mut q = Bounded {
            clauses: Vec::new(),
            groups: Vec::new(),
            bonuses: Vec::new(),
        };
        for c in clauses {
            q = q.with_best_of(vec![c]);
        }
        q
    }

    /// Adds a group of alternatives, each `(query, bound)`: a passage
    /// scores the best of those it matches. Apart, each is skipped on its
    /// own bound (a word's rare own form and its common translation).
    pub fn with_best_of(mut self, alternatives: Vec<(Box<dyn Query>, Score)>) -> Bounded {
        let group = self.groups.last().map_or(0, |g| g + 1);
        for a in alternatives {
            self.clauses.push(a);
            self.groups.push(group);
        }
        self
    }

    /// Adds `query`, whose passages all match the clauses, with its bound:
    /// its score is added where it matches, and it is only looked for in
    /// passages that could make the page. A union of queries (a phrase in
    /// several fields) is taken apart, so that each part is checked on one
    /// passage without reading the passages after it.
    pub fn with_bonus(mut self, query: Box<dyn Query>, bound: Score) -> Bounded {
        let mut parts = Vec::new();
        apart(query, &mut parts);
        for (i, part) in parts.into_iter().enumerate() {
            // The parts share the whole's bound, which holds for their sum.
            self.bonuses.push((part, if i == 0 { bound } else { 0.0 }));
        }
        self
    }

    fn all(&self) -> impl Iterator<Item = &(Box<dyn Query>, Score)> {
        self.clauses.iter().chain(&self.bonuses)
    }
}

/// The terms and phrases of a union (a word in several fields), or the
/// query itself.
pub fn parts(query: Box<dyn Query>) -> Vec<Box<dyn Query>> {
    let mut out = Vec::new();
    apart(query, &mut out);
    out
}

/// The sum of `queries`' scores wherever any matches: a union that, inside
/// a pruned one, moves to a passage by moving each query there, where the
/// engine's own union reads a window of passages ahead. Its bounds are
/// unknown (infinite): answered alone, it is not pruned.
pub fn sum(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.remove(0);
    }
    Box::new(Bounded::new(
        queries.into_iter().map(|q| (q, Score::INFINITY)).collect(),
    ))
}

/// `query`'s parts when it is a union, or itself.
fn apart(query: Box<dyn Query>, out: &mut Vec<Box<dyn Query>>) {
    if let Some(b) = query.downcast_ref::<BooleanQuery>()
        && b.clauses().iter().all(|(o, _)| *o == Occur::Should)
        && !b.clauses().is_empty()
    {
        for (_, q) in b.clauses() {
            apart(q.box_clone(), out);
        }
        return;
    }
    out.push(query);
}

impl Clone for Bounded {
    fn clone(&self) -> Self {
        let copy =
            |v: &Vec<(Box<dyn Query>, Score)>| v.iter().map(|(q, b)| (q.box_clone(), *b)).collect();
        Bounded {
            clauses: copy(&self.clauses),
            groups: self.groups.clone(),
            bonuses: copy(&self.bonuses),
        }
    }
}

impl std::fmt::Debug for Bounded {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Bounded(")?;
        for (i, (q, b)) in self.all().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{q:?} ≤ {b}")?;
        }
        f.write_str(")")
    }
}

impl Query for Bounded {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        if !scoring.is_scoring_enabled() {
            // Counting: the engine's own union, which needs no scores.
            let parts = self.clauses.iter().map(|(q, _)| q.box_clone()).collect();
            return BooleanQuery::union(parts).weight(scoring);
        }
        let weights = |v: &Vec<(Box<dyn Query>, Score)>| {
            v.iter()
                .map(|(q, b)| Ok((q.weight(scoring)?, *b)))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        Ok(Box::new(BoundedWeight {
            clauses: weights(&self.clauses)?,
            groups: self.groups.clone(),
            bonuses: weights(&self.bonuses)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (q, _) in self.all() {
            q.query_terms(visitor);
        }
    }
}

struct BoundedWeight {
    clauses: Vec<(Box<dyn Weight>, Score)>,
    groups: Vec<usize>,
    bonuses: Vec<(Box<dyn Weight>, Score)>,
}

/// Scores are summed in another order than bounds: a margin keeps
/// rounding from cutting a hit.
fn margin(bound: Score, boost: Score) -> Score {
    bound * boost * 1.001 + 1e-3
}

impl BoundedWeight {
    fn scorers(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<Clause>> {
        let mut out = Vec::with_capacity(self.clauses.len());
        for ((w, bound), group) in self.clauses.iter().zip(&self.groups) {
            let scorer = w.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                out.push(Clause {
                    doc: scorer.doc(),
                    scorer,
                    bound: margin(*bound, boost),
                    group: *group,
                });
            }
        }
        Ok(out)
    }

    fn best(&self) -> Best {
        Best(
            vec![0.0; self.groups.last().map_or(0, |g| g + 1)],
            Vec::new(),
        )
    }

    fn bonuses(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Bonuses> {
        let mut parts = Vec::with_capacity(self.bonuses.len());
        let mut bound: Score = 0.0;
        for (w, b) in &self.bonuses {
            let scorer = w.scorer(reader, boost)?;
            bound += margin(*b, boost);
            if scorer.doc() != TERMINATED {
                let from = scorer.doc();
                parts.push(Bonus {
                    scorer,
                    from,
                    on: true,
                });
            }
        }
        Ok(Bonuses {
            parts,
            bound,
            at: None,
        })
    }
}

struct Clause {
    scorer: Box<dyn Scorer>,
    /// The scorer's passage, read without a call through its layers.
    doc: DocId,
    bound: Score,
    group: usize,
}

impl Clause {
    fn advance(&mut self) -> DocId {
        self.doc = self.scorer.advance();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.doc = self.scorer.seek(target);
        self.doc
    }
}

/// Per group, the best score of its clauses on one passage; and the
/// groups set, to clear them alone.
struct Best(Vec<Score>, Vec<usize>);

impl Best {
    /// The score of `clauses`, all on one passage: the best of each
    /// group's, added up. (Scores are never negative.)
    fn score<'a>(&mut self, clauses: impl Iterator<Item = &'a mut Clause>) -> Score {
        let mut sum = 0.0;
        for c in clauses {
            let s = c.scorer.score();
            let best = &mut self.0[c.group];
            if s > *best {
                sum += s - *best;
                *best = s;
            }
            self.1.push(c.group);
        }
        for g in self.1.drain(..) {
            self.0[g] = 0.0;
        }
        sum
    }
}

/// A bonus's scorer, only ever moved to one passage at a time
/// (`seek_danger`, which does not read on past it).
struct Bonus {
    scorer: Box<dyn Scorer>,
    /// No passage before this one matches.
    from: DocId,
    /// Whether the scorer stands on `from`, a match (after a search that
    /// did not find its passage, it stands anywhere up to `from`).
    on: bool,
}

struct Bonuses {
    parts: Vec<Bonus>,
    /// The largest sum of their scores.
    bound: Score,
    /// The last passage looked at and what the bonuses gave it.
    at: Option<(DocId, Score)>,
}

impl Bonuses {
    /// What the bonuses add to passage `doc`; passages are asked for in
    /// increasing order.
    fn score(&mut self, doc: DocId) -> Score {
        if let Some((at, s)) = self.at
            && at == doc
        {
            return s;
        }
        let mut sum = 0.0;
        for b in &mut self.parts {
            if doc < b.from {
                continue;
            }
            if b.from == doc && b.on {
                sum += b.scorer.score();
                continue;
            }
            match b.scorer.seek_danger(doc) {
                SeekDangerResult::Found => {
                    (b.from, b.on) = (doc, true);
                    sum += b.scorer.score();
                }
                SeekDangerResult::SeekLowerBound(next) => {
                    (b.from, b.on) = (next.max(doc + 1), false);
                }
            }
        }
        self.at = Some((doc, sum));
        sum
    }
}

impl Weight for BoundedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let clauses = self.scorers(reader, boost)?;
        let bonuses = self.bonuses(reader, boost)?;
        let doc = clauses.iter().map(|c| c.doc).min().unwrap_or(TERMINATED);
        Ok(Box::new(SumUnion {
            clauses,
            best: self.best(),
            bonuses,
            doc,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        // Per group, the best alternative's explanation; then the bonuses.
        let mut details: Vec<Explanation> = Vec::new();
        let mut groups: Vec<Option<Explanation>> = vec![None; self.best().0.len()];
        let groups_of = self
            .groups
            .iter()
            .map(Some)
            .chain(self.bonuses.iter().map(|_| None));
        for ((w, _), group) in self.clauses.iter().chain(&self.bonuses).zip(groups_of) {
            let mut s = w.scorer(reader, 1.0)?;
            if s.doc() <= doc && s.seek(doc) == doc {
                let e = w.explain(reader, doc)?;
                match group {
                    Some(g) if groups[*g].as_ref().is_none_or(|b| b.value() < e.value()) => {
                        groups[*g] = Some(e);
                    }
                    Some(_) => {}
                    None => details.push(e),
                }
            }
        }
        details.extend(groups.into_iter().flatten());
        if details.is_empty() {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        let mut out = Explanation::new("sum of", details.iter().map(|d| d.value()).sum());
        for d in details {
            out.add_detail(d);
        }
        Ok(out)
    }

    /// WAND: a passage is scored only where the bounds of the clauses on it
    /// could beat the page's lowest score (`threshold`); the clauses behind
    /// are moved straight to it. With a coordination bonus in every word's
    /// bound, once the page is full of passages holding every word, only
    /// passages holding them all are looked at.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut cs = self.scorers(reader, 1.0)?;
        let mut bonuses = self.bonuses(reader, 1.0)?;
        let mut best = self.best();
        // Per group, the largest bound of its clauses seen so far.
        let mut reached = self.best();
        while !cs.is_empty() {
            // Stable: after a step the clauses are a few sorted runs, which
            // it merges (an unstable sort sorts them all again: with
            // hundreds of words, most of a query's time).
            cs.sort_by_key(|c| c.doc);
            // The most a passage up to each clause can score: of a group's
            // alternatives on it, only the best counts.
            let mut reach = bonuses.bound;
            let found = cs.iter().position(|c| {
                let r = &mut reached.0[c.group];
                if c.bound > *r {
                    reach += c.bound - *r;
                    *r = c.bound;
                }
                reach > threshold
            });
            // Only the groups looked at were set.
            for c in &cs[..found.map_or(cs.len(), |p| p + 1)] {
                reached.0[c.group] = 0.0;
            }
            let Some(pivot) = found else {
                // No passage left can beat the page.
                break;
            };
            let doc = cs[pivot].doc;
            if cs[0].doc == doc {
                let on = cs.iter().take_while(|c| c.doc == doc).count();
                let mut score = best.score(cs[..on].iter_mut());
                if score + bonuses.bound > threshold {
                    score += bonuses.score(doc);
                }
                if score > threshold {
                    threshold = callback(doc, score);
                }
                let mut ended = false;
                for c in &mut cs[..on] {
                    ended |= c.advance() == TERMINATED;
                }
                if ended {
                    cs.retain(|c| c.doc != TERMINATED);
                }
            } else {
                // No passage before `doc` can beat the page: the clauses
                // that could reach one are too few.
                let mut ended = false;
                for c in &mut cs[..pivot] {
                    if c.doc < doc {
                        ended |= c.seek(doc) == TERMINATED;
                    }
                }
                if ended {
                    cs.retain(|c| c.doc != TERMINATED);
                }
            }
        }
        Ok(())
    }
}

/// The scorer of a union whose clauses' scores add up (inside another
/// query, where the union is not pruned).
struct SumUnion {
    clauses: Vec<Clause>,
    best: Best,
    bonuses: Bonuses,
    doc: DocId,
}

impl SumUnion {
    /// The clauses' score on the current passage, bonuses aside.
    fn words(&mut self) -> Score {
        let doc = self.doc;
        self.best
            .score(self.clauses.iter_mut().filter(|c| c.doc == doc))
    }

    fn settle(&mut self) -> DocId {
        self.clauses.retain(|c| c.doc != TERMINATED);
        self.doc = self
            .clauses
            .iter()
            .map(|c| c.doc)
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SumUnion {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for c in &mut self.clauses {
            if c.doc == doc {
                c.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for c in &mut self.clauses {
            if c.doc < target {
                c.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.clauses
            .iter()
            .map(|c| c.scorer.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.clauses.iter().map(|c| c.scorer.cost()).sum()
    }
}

impl Scorer for SumUnion {
    fn score(&mut self) -> Score {
        self.words() + self.bonuses.score(self.doc)
    }
}

/// A query counted by another that matches the same passages: a union of
/// words with their translations, boosted and held for coordination, is
/// counted as the plain union of its terms and phrases, which the engine
/// counts several times faster (no scores to combine, and terms alone go
/// its fastest way).
#[derive(Debug)]
pub struct Counted {
    query: Box<dyn Query>,
    count: Box<dyn Query>,
}

impl Counted {
    /// `query`, counted as the union of `same` (taken apart into its terms
    /// and phrases), which must match the same passages.
    pub fn new(query: Box<dyn Query>, same: Vec<Box<dyn Query>>) -> Counted {
        let mut parts = Vec::new();
        for q in same {
            apart(q, &mut parts);
        }
        Counted {
            query,
            count: Box::new(BooleanQuery::union(parts)),
        }
    }
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        Counted {
            query: self.query.box_clone(),
            count: self.count.box_clone(),
        }
    }
}

impl Query for Counted {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        if scoring.is_scoring_enabled() {
            self.query.weight(scoring)
        } else {
            self.count.weight(scoring)
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}
