//! In-process figures for BENCHMARKS.md: query latency (top 10 with snippets
//! and rendered citations) by query type, quotation lookup latency, and
//! analysis throughput per language. A plain harness (`harness = false`):
//! it prints one JSON object, which `benches/report.py` turns into a table.
//!
//! KUTIP_BENCH_INDEX=idx KUTIP_BENCH_CORPUS=target/peer-bench/corpus200k cargo bench --bench latency

use kutip::analysis::{self, glossary::Glossary};
use kutip::cite::StyleName;
use kutip::cite::render::{LocaleName, Renderer};
use kutip::index::KutipIndex;
use kutip::search::{self, Request, quote};
use std::collections::BTreeMap;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(mut xs: Vec<f64>) -> serde_json::Value {
    xs.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "n": xs.len(),
        "p50_ms": percentile(&xs, 0.5),
        "p99_ms": percentile(&xs, 0.99),
        "mean_ms": xs.iter().sum::<f64>() / xs.len().max(1) as f64,
    })
}

fn main() {
    let (Ok(dir), Ok(corpus)) = (
        std::env::var("KUTIP_BENCH_INDEX"),
        std::env::var("KUTIP_BENCH_CORPUS"),
    ) else {
        eprintln!(
            "set KUTIP_BENCH_INDEX (an index of the corpus) and KUTIP_BENCH_CORPUS (a gen_corpus.py folder); see benches/compare.sh"
        );
        return;
    };
    let index = KutipIndex::open(std::path::Path::new(&dir)).expect("open the index");
    let glossary = Glossary::built_in();
    let renderer = Renderer::new(StyleName::Apa, LocaleName::En).expect("style");
    let queries: Vec<serde_json::Value> =
        std::fs::read_to_string(format!("{corpus}/queries.jsonl"))
            .expect("queries.jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).expect("query JSON"))
            .collect();
    // Records are parsed once per key, as `kutip shell` and the CLI's citer do.
    let records: std::cell::RefCell<
        std::collections::HashMap<String, Option<kutip::cite::Record>>,
    > = Default::default();
    let references: std::cell::RefCell<std::collections::HashMap<String, String>> =
        Default::default();
    // Warm the caches the way a session would (one pass not measured).
    let run = |q: &str| {
        let req = Request {
            query: q.to_string(),
            limit: 10,
            ..Request::default()
        };
        let res = search::search(&index, &req, Some(&glossary)).expect("query");
        let mut n = 0;
        for h in &res.hits {
            let mut cache = records.borrow_mut();
            let r = cache
                .entry(h.passage.key.clone())
                .or_insert_with(|| index.record(&h.passage.key).expect("record"));
            if let Some(r) = r {
                let page = h.passage.page.as_deref();
                n += renderer.citation(r, page).len();
                let mut refs = references.borrow_mut();
                n += refs
                    .entry(h.passage.key.clone())
                    .or_insert_with(|| renderer.render(r, None).reference)
                    .len();
            }
            n += h.highlights.len();
        }
        n
    };
    for q in queries.iter().take(50) {
        run(q["q"].as_str().unwrap());
    }
    let mut by_type: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut all = Vec::new();
    for q in &queries {
        let t = Instant::now();
        std::hint::black_box(run(q["q"].as_str().unwrap()));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        by_type
            .entry(q["type"].as_str().unwrap().to_string())
            .or_default()
            .push(ms);
        all.push(ms);
    }
    let phrases: Vec<String> = std::fs::read_to_string(format!("{corpus}/phrases100.txt"))
        .expect("phrases100.txt")
        .lines()
        .map(str::to_string)
        .collect();
    let mut quotes = Vec::new();
    let mut found = 0;
    for p in &phrases {
        let t = Instant::now();
        let m = quote::find(&index, p, 3).expect("quote");
        quotes.push(t.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(!m.is_empty());
    }
    // Analysis throughput per language, over the corpus's own passages.
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(format!("{corpus}/corpus.jsonl"))
        .expect("corpus.jsonl")
        .lines()
        .take(20_000)
    {
        let v: serde_json::Value = serde_json::from_str(line).expect("passage JSON");
        texts
            .entry(v["lang"].as_str().unwrap_or("en").to_string())
            .or_default()
            .push(v["text"].as_str().unwrap_or("").to_string());
    }
    let mut analysis_mb_s = serde_json::Map::new();
    for (lang, ts) in &texts {
        let name = if lang == "id" {
            analysis::ID
        } else {
            analysis::EN
        };
        let bytes: usize = ts.iter().map(String::len).sum();
        let t = Instant::now();
        let mut n = 0;
        for text in ts {
            n += analysis::analyze(name, text).len();
            n += analysis::analyze(analysis::EXACT, text).len();
            n += usize::from(analysis::detect_lang(text).is_some());
            n += kutip::cite::extract::extract(text).len();
        }
        std::hint::black_box(n);
        let s = t.elapsed().as_secs_f64();
        analysis_mb_s.insert(
            lang.clone(),
            serde_json::json!({ "mb_per_s": bytes as f64 / 1e6 / s, "passages": ts.len() }),
        );
    }
    let out = serde_json::json!({
        "passages": index.searcher().num_docs(),
        "query_top10_cited": summary(all),
        "by_type": by_type.into_iter().map(|(k, v)| (k, summary(v))).collect::<serde_json::Map<_, _>>(),
        "quote": summary(quotes),
        "quote_found": found,
        "analysis": analysis_mb_s,
    });
    println!("{out}");
}
