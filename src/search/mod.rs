//! Search: a query string and filters → ranked [`Hit`]s (data, no strings for
//! the terminal). Reads the index through `index`; `output` formats the hits.

mod held;
pub mod highlight;
pub mod query;
pub mod quote;
mod wand;

use crate::Result;
use crate::analysis::glossary::Glossary;
use crate::analysis::{self, Lang};
use crate::index::{KutipIndex, StoredPassage};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::TantivyDocument;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Query in kutip's syntax (words, "phrases", AND/OR/NOT, +/-, field:value).
    pub query: String,
    /// Number of hits wanted.
    pub limit: usize,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Only passages in this language.
    pub lang: Option<Lang>,
    /// Only documents with an author matching every word of this name.
    pub author: Option<String>,
    /// Only documents published in this inclusive year range.
    pub years: Option<(i32, i32)>,
    /// Only passages that cite the work with this key.
    pub cites: Option<String>,
}

/// One ranked passage.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// The passage.
    pub passage: StoredPassage,
    /// Byte ranges of `passage.text` that matched the query.
    pub highlights: Vec<Range<usize>>,
}

/// Ranked hits and how many passages matched in all.
#[derive(Debug, Clone)]
pub struct Results {
    /// Number of matching passages.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// For a query of one quoted phrase alone, how many passages hold the
    /// phrase: they are ranked first, and passages holding its words fill
    /// the page after them (then counted in `total`; when the phrase's
    /// passages fill the page, `total` is theirs).
    pub phrase_total: Option<usize>,
}

/// Runs a search; with a glossary, plain-word queries also search the other language.
pub fn search(index: &KutipIndex, req: &Request, glossary: Option<&Glossary>) -> Result<Results> {
    let parsed = query::build(index, req, glossary)?;
    let searcher = index.searcher();
    let limit = req.limit.max(1);
    let collector = (
        TopDocs::with_limit(limit)
            .and_offset(req.offset)
            .order_by_score(),
        Count,
    );
    let run = |built: &query::Built| -> Result<(Vec<(f32, tantivy::DocAddress)>, usize)> {
        if built.prunable {
            let top = searcher.search(&built.query, &collector.0);
            let total = searcher.search(&built.query, &Count);
            Ok((top.map_err(user_error)?, total.map_err(user_error)?))
        } else {
            searcher
                .search(&built.query, &collector)
                .map_err(user_error)
        }
    };
    let (top, total, phrase_total) = match &parsed.phrase {
        Some(plan) => {
            let (top, total, n) = phrase_first(&searcher, plan, req.offset, limit)?;
            (top, total, Some(n))
        }
        None => {
            let (top, total) = run(&parsed)?;
            (top, total, None)
        }
    };
    let terms = query_terms(index, &parsed.query);
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, addr)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let passage = index.passage(&doc);
        let highlights = highlight_passage(&passage, &terms);
        hits.push(Hit {
            rank: req.offset + i + 1,
            score,
            passage,
            highlights,
        });
    }
    Ok(Results {
        total,
        hits,
        phrase_total,
    })
}

/// Hits (offset, limit), total, and the phrase's own count of a query of
/// one phrase alone (see [`query::PhrasePlan`]): the passages holding the
/// phrase first; the page filled, if they do not fill it, with the best of
/// the passages holding its words, the phrase's passages left out of them.
type Found = (Vec<(f32, tantivy::DocAddress)>, usize, usize);

fn phrase_first(
    searcher: &tantivy::Searcher,
    plan: &query::PhrasePlan,
    offset: usize,
    limit: usize,
) -> Result<Found> {
    let need = offset + limit;
    let (first, n) = searcher
        .search(
            &plan.first,
            &(TopDocs::with_limit(need).order_by_score(), Count),
        )
        .map_err(user_error)?;
    // Scored as in the whole query, where the phrase's passages come first.
    let first: Vec<_> = first
        .into_iter()
        .map(|(score, addr)| (score + query::CITED, addr))
        .collect();
    if n >= need {
        return Ok((first.into_iter().skip(offset).collect(), n, n));
    }
    // The phrase's passages may hold its words: ask for as many more.
    let more = TopDocs::with_limit(need + n).order_by_score();
    let rest = searcher.search(&plan.words, &more).map_err(user_error)?;
    let seen: HashSet<tantivy::DocAddress> = first.iter().map(|(_, a)| *a).collect();
    // The passages holding its words, and those of the phrase's (all in
    // `first`, fewer than a page) that do not: a translated phrase, or a
    // compound written as one word, can match without the words. Counting
    // the union of the phrase and its words would read the phrase's
    // positions a second time.
    let total = match &plan.count {
        None => n,
        Some(words) => {
            let counted = searcher.search(words, &Count).map_err(user_error)?;
            let weight = words
                .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                    searcher,
                ))
                .map_err(user_error)?;
            let mut others = 0;
            for addr in &seen {
                if !matches(searcher, weight.as_ref(), *addr)? {
                    others += 1;
                }
            }
            counted + others
        }
    };
    let all: Vec<_> = first
        .into_iter()
        .chain(rest.into_iter().filter(|(_, a)| !seen.contains(a)))
        .skip(offset)
        .take(limit)
        .collect();
    Ok((all, total, n))
}

/// Whether the passage at `addr` matches the query of `weight`.
fn matches(
    searcher: &tantivy::Searcher,
    weight: &dyn tantivy::query::Weight,
    addr: tantivy::DocAddress,
) -> Result<bool> {
    use tantivy::DocSet;
    let mut scorer = weight
        .scorer(searcher.segment_reader(addr.segment_ord), 1.0)
        .map_err(user_error)?;
    Ok(scorer.doc() == addr.doc_id
        || (scorer.doc() < addr.doc_id && scorer.seek(addr.doc_id) == addr.doc_id))
}

/// An engine error caused by what the query asked for (an unknown field, a
/// wildcard on a field that cannot take one) is the user's to fix.
fn user_error(e: tantivy::TantivyError) -> crate::Error {
    if e.to_string().contains("not a fast field") {
        return crate::Error::Usage(
            "query error: `field:*` (any value) cannot be searched; give words to find in the field".into(),
        );
    }
    match e {
        tantivy::TantivyError::FieldNotFound(_)
        | tantivy::TantivyError::SchemaError(_)
        | tantivy::TantivyError::InvalidArgument(_) => crate::Error::Usage(format!(
            "query error: {e}; fields are {}",
            crate::index::schema::USER_FIELDS.join(", ")
        )),
        other => other.into(),
    }
}

/// Query terms by the analyzer of the field they belong to.
fn query_terms(
    index: &KutipIndex,
    q: &dyn tantivy::query::Query,
) -> HashMap<&'static str, HashSet<String>> {
    let f = index.fields();
    let mut out: HashMap<&'static str, HashSet<String>> = HashMap::new();
    q.query_terms(&mut |term, _| {
        let name = if term.field() == f.text {
            analysis::EXACT
        } else if term.field() == f.body_id {
            analysis::ID
        } else if term.field() == f.body_en {
            analysis::EN
        } else {
            return;
        };
        if let Some(t) = term.value().as_str() {
            out.entry(name).or_default().insert(t.to_string());
        }
    });
    out
}

fn highlight_passage(
    p: &StoredPassage,
    terms: &HashMap<&'static str, HashSet<String>>,
) -> Vec<Range<usize>> {
    let stemmed = match p.lang {
        Some(Lang::Id) => vec![analysis::ID],
        Some(Lang::En) => vec![analysis::EN],
        None => vec![analysis::ID, analysis::EN],
    };
    let mut wanted = vec![analysis::EXACT];
    wanted.extend(stemmed);
    let pairs: Vec<(&str, &HashSet<String>)> = wanted
        .into_iter()
        .filter_map(|name| terms.get(name).map(|t| (name, t)))
        .collect();
    highlight::ranges(&p.text, &pairs)
}

/// Passages fetched together by [`each_passage`], at most (one document
/// with more is fetched alone).
const BATCH_PASSAGES: u64 = 8_192;

/// Calls `each` with every passage of the index, in file and reading order,
/// a batch of documents at a time: memory holds at most about
/// [`BATCH_PASSAGES`] passages (or one document's), whatever the size of the
/// index (for `export`, `sources`, `check`).
pub fn each_passage<E: From<crate::Error>>(
    index: &KutipIndex,
    mut each: impl FnMut(StoredPassage) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    use tantivy::query::{BooleanQuery, Occur, Query};
    let f = index.fields();
    let searcher = index.searcher();
    let paths = index.document_paths()?;
    let path_term = |p: &str| tantivy::Term::from_field_text(f.path, p);
    let mut start = 0;
    while start < paths.len() {
        // A document's passages number at most the entries under its path.
        let mut end = start;
        let mut size = 0;
        while end < paths.len() {
            let n = searcher
                .doc_freq(&path_term(&paths[end]))
                .map_err(crate::Error::from)?;
            if end > start && size + n > BATCH_PASSAGES {
                break;
            }
            size += n;
            end += 1;
        }
        let batch = &paths[start..end];
        let order: HashMap<&str, usize> = batch
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        let any_path: Vec<(Occur, Box<dyn Query>)> = batch
            .iter()
            .map(|p| (Occur::Should, query::term(f.path, p)))
            .collect();
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(any_path)) as Box<dyn Query>,
            ),
            (Occur::Must, query::term(f.kind, "passage")),
        ]);
        let addrs = searcher
            .search(&q, &tantivy::collector::DocSetCollector)
            .map_err(crate::Error::from)?;
        let mut passages = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(crate::Error::from)?;
            passages.push(index.passage(&doc));
        }
        passages.sort_by_key(|p| (order.get(p.path.as_str()).copied(), p.ordinal));
        for p in passages {
            each(p)?;
        }
        start = end;
    }
    Ok(())
}

/// Every passage that cites the work `key`, in file and reading order.
pub fn citing(index: &KutipIndex, key: &str) -> Result<Vec<StoredPassage>> {
    passages_with(index, index.fields().cites_key, key)
}

/// Every passage with a citation the library cannot resolve.
pub fn with_unresolved(index: &KutipIndex) -> Result<Vec<StoredPassage>> {
    passages_with(index, index.fields().unresolved, "1")
}

fn passages_with(
    index: &KutipIndex,
    field: tantivy::schema::Field,
    value: &str,
) -> Result<Vec<StoredPassage>> {
    let searcher = index.searcher();
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(field, value),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let addrs = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        out.push(index.passage(&doc));
    }
    out.sort_by(|a, b| (&a.file, &a.path, a.ordinal).cmp(&(&b.file, &b.path, b.ordinal)));
    Ok(out)
}
