//! Retrieval quality: nDCG@10 of kutip's search over hand-judged queries
//! (`tests/fixtures/qrels.tsv`: 171 queries of six kinds) on the sample corpus
//! plus the bilingual test texts of `tests/fixtures/retrieval/`, printed side
//! by side with a plain BM25 baseline built here over the same passages.

use crate::util::{Env, sample_corpus};
use kutip::analysis::glossary::Glossary;
use kutip::index::KutipIndex;
use kutip::search::{self, Request};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Mean nDCG@10 below this fails the suite. Measured 2026-12-08 on the
/// 171 queries at 0.821 with the query model for natural questions (a
/// translation counting 0.6 of a word; see the table this test prints); set
/// a little under the measurement so that a real regression, not noise,
/// trips it.
const FLOOR: f64 = 0.80;

/// Per kind, the floor under kutip's nDCG@10, set the same way (measured:
/// id 0.891, en 0.834, morph 0.831, cross-lingual 0.748, phrase 0.901,
/// pasted 0.832).
const KIND_FLOORS: [(&str, f64); 6] = [
    ("id", 0.87),
    ("en", 0.81),
    ("morph", 0.81),
    ("xl", 0.72),
    ("phrase", 0.87),
    ("paste", 0.80),
];

/// How far above the BM25 baseline kutip must be overall.
const ABOVE_BASELINE: f64 = 0.03;

/// Kinds allowed below the baseline, with why: a known difference, listed
/// so that a new one fails and a fixed one must leave the list.
const BELOW_BASELINE: [(&str, &str); 1] = [(
    "en",
    "English queries are judged on English passages only, cross-lingual ones \
     on both: an Indonesian passage holding every word of an English query in \
     translation ranks above an English one holding fewer of its words \
     (0.834 against BM25's 0.846; 0.856 with --no-translate). Counting a \
     translation's coordination at most at its own informativeness put English \
     at 0.849 but cross-lingual at 0.725 and dropped the sample corpus's \
     Indonesian reconciliation passages off the page for `sister city \
     reconciliation`",
)];

/// The kinds of query, by ID prefix, in the order the table prints them.
const KINDS: [(&str, &str); 6] = [
    ("id", "monolingual id"),
    ("en", "monolingual en"),
    ("morph", "morphological"),
    ("xl", "cross-lingual"),
    ("phrase", "phrase"),
    ("paste", "pasted title/citation"),
];

struct Query {
    id: String,
    text: String,
    grades: HashMap<String, u32>,
}

impl Query {
    fn kind(&self) -> &str {
        self.id.split('-').next().unwrap()
    }
}

fn qrels() -> Vec<Query> {
    include_str!("fixtures/qrels.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "bad qrels line {l}");
            let grades = cols[2]
                .split_whitespace()
                .map(|j| {
                    let (unit, g) = j.rsplit_once(':').expect("KEY#PARA:GRADE");
                    (unit.to_string(), g.parse().expect("grade"))
                })
                .collect();
            Query {
                id: cols[0].to_string(),
                text: cols[1].to_string(),
                grades,
            }
        })
        .collect()
}

fn dcg(gains: impl Iterator<Item = u32>) -> f64 {
    gains
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG@10 of one ranking of judged units (`KEY#PARAGRAPH`), scoring each
/// unit once: a long paragraph split into several passages is one unit.
fn ndcg(q: &Query, ranked: &[String]) -> f64 {
    let mut seen = HashSet::new();
    let gains = ranked.iter().take(10).map(|unit| {
        if seen.insert(unit) {
            *q.grades.get(unit).unwrap_or(&0)
        } else {
            0
        }
    });
    let mut ideal: Vec<u32> = q.grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(ideal.into_iter().take(10));
    // `max` turns the empty sum, -0.0, into 0.
    if idcg > 0.0 {
        (dcg(gains) / idcg).max(0.0)
    } else {
        0.0
    }
}

/// kutip's top ten units for a query; a query kutip rejects ranks nothing
/// and is reported, since a user who pastes it gets nothing either.
fn kutip_ranking(
    index: &KutipIndex,
    q: &Query,
    glossary: Option<&Glossary>,
) -> Result<Vec<String>, String> {
    let req = Request {
        query: q.text.clone(),
        limit: 10,
        ..Request::default()
    };
    search::search(index, &req, glossary)
        .map(|r| {
            r.hits
                .iter()
                .map(|h| format!("{}#{}", h.passage.key, h.passage.paragraph))
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// The baseline: Tantivy's BM25 with its built-in `en_stem` analyzer over
/// the exported passage text, one document per passage.
struct Baseline {
    index: tantivy::Index,
    text: tantivy::schema::Field,
    unit: tantivy::schema::Field,
}

impl Baseline {
    fn new(passages: &[(String, String)]) -> Self {
        use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
        let mut schema = Schema::builder();
        let text = schema.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("en_stem")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let unit = schema.add_text_field("unit", STORED);
        let index = tantivy::Index::create_in_ram(schema.build());
        // One thread, one segment: the same statistics on every run.
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (u, t) in passages {
            writer
                .add_document(tantivy::doc!(unit => u.as_str(), text => t.as_str()))
                .unwrap();
        }
        writer.commit().unwrap();
        Baseline { index, text, unit }
    }

    /// An OR of the query's words as the analyzer gives them, built term by
    /// term so that colons and brackets in pasted text are plain text.
    fn ranking(&self, query: &str) -> Vec<String> {
        use tantivy::collector::TopDocs;
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
        let mut analyzer = self.index.tokenizers().get("en_stem").unwrap();
        let mut stream = analyzer.token_stream(query);
        let mut terms = BTreeSet::new();
        while stream.advance() {
            terms.insert(stream.token().text.clone());
        }
        let q = BooleanQuery::new(
            terms
                .iter()
                .map(|t| {
                    let term = tantivy::Term::from_field_text(self.text, t);
                    let tq = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(tq) as Box<dyn Query>)
                })
                .collect(),
        );
        let searcher = self.index.reader().unwrap().searcher();
        searcher
            .search(&q, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr).unwrap();
                let unit = doc.get_first(self.unit).and_then(|v| v.as_str());
                unit.unwrap().to_string()
            })
            .collect()
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The sample corpus and the retrieval test texts, indexed as `idx`; and
/// the test texts' folder.
fn judged_corpus() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let extra = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/retrieval");
    let r = env.run(&[
        "index",
        sample_corpus().to_str().unwrap(),
        extra.to_str().unwrap(),
        "--index",
        "idx",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (env, extra)
}

#[test]
fn ndcg_at_10_on_the_judged_set_stays_above_the_floor_and_beside_bm25() {
    let (env, extra) = judged_corpus();
    let exported = env.export();
    let unit = |p: &serde_json::Value| {
        let key = p["source"]["key"].as_str().unwrap();
        format!("{key}#{}", p["locator"]["paragraph"])
    };
    let passages: Vec<(String, String)> = exported
        .iter()
        .map(|p| (unit(p), p["text"].as_str().unwrap().to_string()))
        .collect();
    let units: HashSet<&str> = passages.iter().map(|p| p.0.as_str()).collect();
    // Units of the test texts: cross-lingual queries judged on them alone
    // measure search outside the glossary's domain, and get a row of their own.
    let test_texts: HashSet<String> = exported
        .iter()
        .filter(|p| Path::new(p["file"].as_str().unwrap()).starts_with(&extra))
        .map(unit)
        .collect();
    let queries = qrels();
    let mut ids = HashSet::new();
    for q in &queries {
        assert!(ids.insert(q.id.as_str()), "{}: ID used twice", q.id);
        assert!(
            KINDS.iter().any(|k| k.0 == q.kind()),
            "{}: unknown kind",
            q.id
        );
        assert!(
            q.grades.values().any(|g| *g > 0),
            "{}: nothing relevant",
            q.id
        );
        for unit in q.grades.keys() {
            assert!(units.contains(unit.as_str()), "{}: no passage {unit}", q.id);
        }
    }

    let index = KutipIndex::open(&env.path("idx")).unwrap();
    let glossary = Glossary::built_in();
    let baseline = Baseline::new(&passages);
    // Per query: kutip with the glossary, kutip without it, the baseline.
    let mut scores: Vec<[f64; 3]> = Vec::new();
    let mut errors = Vec::new();
    for q in &queries {
        let with = kutip_ranking(&index, q, Some(&glossary)).unwrap_or_else(|e| {
            errors.push(format!("{} {:?}: {e}", q.id, q.text));
            Vec::new()
        });
        let without = kutip_ranking(&index, q, None).unwrap_or_default();
        scores.push([
            ndcg(q, &with),
            ndcg(q, &without),
            ndcg(q, &baseline.ranking(&q.text)),
        ]);
    }

    let column =
        |rows: &[usize], c: usize| mean(&rows.iter().map(|&i| scores[i][c]).collect::<Vec<_>>());
    println!("nDCG@10 over {} judged units:", units.len());
    println!(
        "{:<22} {:>7} {:>7} {:>10} {:>7}",
        "kind", "queries", "kutip", "no gloss.", "BM25"
    );
    let mut kinds = Vec::new();
    for (prefix, label) in KINDS {
        let rows: Vec<usize> = (0..queries.len())
            .filter(|&i| queries[i].kind() == prefix)
            .collect();
        let (k, n, b) = (column(&rows, 0), column(&rows, 1), column(&rows, 2));
        println!("{label:<22} {:>7} {k:>7.3} {n:>10.3} {b:>7.3}", rows.len());
        kinds.push((prefix, label, k, b));
        if prefix == "xl" {
            let outside: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| queries[i].grades.keys().all(|u| test_texts.contains(u)))
                .collect();
            let (k, n, b) = (
                column(&outside, 0),
                column(&outside, 1),
                column(&outside, 2),
            );
            let label = "  of which test texts";
            println!(
                "{label:<22} {:>7} {k:>7.3} {n:>10.3} {b:>7.3}",
                outside.len()
            );
        }
    }
    let all: Vec<usize> = (0..queries.len()).collect();
    let (kutip, bm25) = (column(&all, 0), column(&all, 2));
    println!(
        "{:<22} {:>7} {kutip:>7.3} {:>10.3} {bm25:>7.3}",
        "all",
        all.len(),
        column(&all, 1)
    );
    for (q, s) in queries.iter().zip(&scores) {
        // KUTIP_WEAK=en (a kind's prefix) also lists that kind's queries
        // where kutip is below the baseline or below itself without the
        // glossary, to look into.
        let listed = std::env::var("KUTIP_WEAK")
            .is_ok_and(|p| q.id.starts_with(&p) && s[0] < s[2].max(s[1]));
        if s[0] < 0.3 || listed {
            println!(
                "  weak: {} {:.3} (no glossary {:.3}, BM25 {:.3}) {:?}",
                q.id, s[0], s[1], s[2], q.text
            );
        }
    }
    for e in &errors {
        println!("  query error: {e}");
    }

    assert!(queries.len() >= 150, "{} queries", queries.len());
    assert!(kutip >= FLOOR, "mean nDCG@10 {kutip:.3} fell below {FLOOR}");
    for (prefix, label, k, b) in kinds {
        let floor = KIND_FLOORS
            .iter()
            .find(|f| f.0 == prefix)
            .map_or(0.0, |f| f.1);
        assert!(
            k >= floor,
            "{label}: kutip {k:.3} fell below its floor {floor}"
        );
        let known = BELOW_BASELINE.iter().any(|x| x.0 == prefix);
        if known {
            assert!(
                k < b,
                "{label}: kutip {k:.3} is no longer below BM25 {b:.3}; take it off BELOW_BASELINE"
            );
        } else {
            assert!(k >= b, "{label}: kutip {k:.3} below BM25 {b:.3}");
        }
    }
    assert!(
        kutip >= bm25 + ABOVE_BASELINE,
        "kutip {kutip:.3} not {ABOVE_BASELINE} above BM25 {bm25:.3}"
    );
}

/// The same words in every document, so that each segment holds matches.
fn segment_text(n: usize) -> String {
    let mut s = format!(
        "---\ntitle: Kota {n}\nauthor: [\"Doe, Jane\"]\nyear: {}\n---\n",
        2000 + n
    );
    for p in 0..12 {
        let extra = "kota kembar ".repeat((p * 7 + n) % 5);
        s.push_str(&format!(
            "\nParagraf {p} tentang kerja sama {extra}antara kota dan daerah nomor {n}, city {p}.\n"
        ));
    }
    s
}

#[test]
fn parallel_and_pruned_searches_rank_as_a_plain_search_one_segment_at_a_time() {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::EnableScoring;
    let env = Env::new();
    // One run per file: each commit leaves a segment of its own.
    for n in 0..3 {
        env.write(&format!("d{n}.md"), segment_text(n));
        env.index();
    }
    let index = KutipIndex::open(&env.path("idx")).unwrap();
    let searcher = index.searcher();
    assert!(searcher.segment_readers().len() >= 2);
    if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
        assert!(matches!(
            index.engine().search_executor(),
            tantivy::Executor::ThreadPool(_)
        ));
    }
    let glossary = Glossary::built_in();
    let cases = [
        ("kota", None),
        ("kota OR city", None),
        ("kota kembar daerah", None),
        ("\"kota kembar\"", None),
        // Too few passages hold this phrase: its words fill the page.
        ("\"nomor 2, city 11\"", None),
        // `city` also searches `kota` (and `region` `daerah`) at a lower weight.
        ("city", Some(&glossary)),
        ("region", Some(&glossary)),
        ("city OR region", Some(&glossary)),
    ];
    for (q, glossary) in cases {
        let req = Request {
            query: q.into(),
            limit: 10,
            ..Request::default()
        };
        let got = search::search(&index, &req, glossary).unwrap();
        let built = search::query::build(&index, &req, glossary).unwrap();
        // A pruned union of terms is checked against the query as parsed,
        // before its unions were flattened into one.
        let flattened = !q.contains(' ') || q.contains(" OR ");
        let nested = (built.prunable && flattened).then(|| {
            let syntax: Vec<String> =
                search::query::groups(&search::query::plain_words(q), glossary)
                    .iter()
                    .map(search::query::Group::syntax)
                    .collect();
            let parser = search::query::parser(&index);
            let text = if q.contains(" OR ") {
                match glossary {
                    Some(g) => search::query::translated(q, g),
                    None => q.to_string(),
                }
            } else {
                syntax.join(" ")
            };
            parser.parse_query(&text).unwrap()
        });
        // Every plain query is answered pruned; a lone phrase in two steps.
        assert_eq!(built.prunable, !q.starts_with('"'), "{q}");
        // A lone phrase whose passages fill the page is answered by them.
        if q.contains("nomor") {
            assert!(
                got.phrase_total.is_some_and(|n| n < 10),
                "{q}: the words fill the page"
            );
        }
        // A lone phrase whose passages fill the page is answered by them,
        // and counts them alone; they score CITED more in the whole query.
        let (reference, shift) = match (&built.phrase, got.phrase_total) {
            (Some(plan), Some(n)) if n >= 10 => (&plan.first, search::query::CITED),
            _ => (nested.as_ref().unwrap_or(&built.query), 0.0),
        };
        let (top, total) = searcher
            .search_with_executor(
                reference,
                &(TopDocs::with_limit(10).order_by_score(), Count),
                &tantivy::Executor::single_thread(),
                EnableScoring::enabled_from_searcher(&searcher),
            )
            .unwrap();
        assert_eq!(got.total, total, "{q}");
        // The reference counts every match in the same pass, so it is never
        // pruned, and it runs on one thread.
        let one_by_one: Vec<(f32, String)> = top
            .iter()
            .map(|(score, addr)| {
                let p = index.passage(&searcher.doc(*addr).unwrap());
                (*score + shift, format!("{}#{}", p.file, p.ordinal))
            })
            .collect();
        let parallel: Vec<(f32, String)> = got
            .hits
            .iter()
            .map(|h| (h.score, format!("{}#{}", h.passage.file, h.passage.ordinal)))
            .collect();
        assert_eq!(parallel.len(), 10, "{q}");
        let passages =
            |hits: &[(f32, String)]| hits.iter().map(|h| h.1.clone()).collect::<Vec<_>>();
        assert_eq!(passages(&parallel), passages(&one_by_one), "{q}");
        // A boost applied to each term rather than to their sum may differ
        // in the last bit.
        for ((a, _), (b, _)) in parallel.iter().zip(&one_by_one) {
            assert!((a - b).abs() <= 1e-5 * b.abs(), "{q}: {a} against {b}");
        }
    }
}

/// The page a pruned search returns (WAND over the words of a plain query,
/// block-max WAND over a union of terms) is the page of the same query
/// scored in full, on every judged query, at several page sizes and
/// offsets: pruning may skip passages, never lose a hit.
#[test]
fn pruned_pages_are_the_pages_of_a_full_scoring_on_every_judged_query() {
    use tantivy::collector::{Count, TopDocs};
    let (env, _) = judged_corpus();
    let index = KutipIndex::open(&env.path("idx")).unwrap();
    let searcher = index.searcher();
    let glossary = Glossary::built_in();
    let mut pruned = 0;
    for q in qrels() {
        for (limit, offset) in [(10, 0), (3, 0), (5, 7)] {
            let req = Request {
                query: q.text.clone(),
                limit,
                offset,
                ..Request::default()
            };
            let built = search::query::build(&index, &req, Some(&glossary)).unwrap();
            if !built.prunable {
                continue;
            }
            pruned += 1;
            let got = search::search(&index, &req, Some(&glossary)).unwrap();
            // A collector that also counts scores every match: no pruning.
            let (full, total) = searcher
                .search(
                    &built.query,
                    &(
                        TopDocs::with_limit(limit)
                            .and_offset(offset)
                            .order_by_score(),
                        Count,
                    ),
                )
                .unwrap();
            assert_eq!(got.total, total, "{} {:?}", q.id, q.text);
            assert_eq!(got.hits.len(), full.len(), "{} {:?}", q.id, q.text);
            let scores: Vec<f32> = full.iter().map(|h| h.0).collect();
            for (i, (hit, (score, addr))) in got.hits.iter().zip(&full).enumerate() {
                assert!(
                    (hit.score - score).abs() <= 1e-4 * score.abs().max(1.0),
                    "{} {:?}: score {} against {score}",
                    q.id,
                    q.text,
                    hit.score
                );
                // Passages scoring alike may come in either order.
                let tied = |j: usize| scores.get(j).is_some_and(|s| (s - score).abs() <= 1e-3);
                let tied_below = full.len() == limit && (score - scores[limit - 1]).abs() <= 1e-3;
                let either_side = (i > 0 && tied(i - 1)) || tied(i + 1);
                if !either_side && !tied_below {
                    let p = index.passage(&searcher.doc(*addr).unwrap());
                    assert_eq!(
                        (&hit.passage.file, hit.passage.ordinal),
                        (&p.file, p.ordinal),
                        "{} {:?}",
                        q.id,
                        q.text
                    );
                }
            }
        }
    }
    // Most judged queries are plain words, answered pruned.
    assert!(pruned > 300, "{pruned} pruned pages");
}
