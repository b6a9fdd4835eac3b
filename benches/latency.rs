//! In-process figures for BENCHMARKS.md: query latency (top 10 with snippets
//! and rendered citations) by query type, quotation lookup latency, and
//! analysis throughput per language. A plain harness (`harness = false`):
//! it prints one JSON object, which `benches/report.py` turns into a table.
//!
//! KUTIP_BENCH_INDEX=idx KUTIP_BENCH_CORPUS=target/peer-bench/corpus200k cargo bench --bench latency
//! (KUTIP_BENCH_SLOWEST=20 also lists the 20 slowest queries of the first pass on stderr)

use kutip::analysis::{self, glossary::Glossary};
use kutip::cite::StyleName;
use kutip::cite::render::LocaleName;
use kutip::cli::common::{CiteArgs, Citer};
use kutip::index::KutipIndex;
use kutip::search::{self, Request, quote};
use std::collections::BTreeMap;
use std::time::Instant;

/// The allocator the `kutip` binary runs with, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let queries: Vec<serde_json::Value> =
        std::fs::read_to_string(format!("{corpus}/queries.jsonl"))
            .expect("queries.jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).expect("query JSON"))
            .collect();
    // Citations as `kutip search` and `kutip shell` make them: the CLI's
    // citer, which parses each record once and keeps what it rendered.
    let citer = std::cell::RefCell::new(
        Citer::new(
            &index,
            &CiteArgs {
                style: StyleName::Apa,
                locale: LocaleName::En,
            },
        )
        .expect("style"),
    );
    // Warm the caches the way a session would (one pass not measured).
    let run = |q: &str| {
        let req = Request {
            query: q.to_string(),
            limit: 10,
            ..Request::default()
        };
        let t = Instant::now();
        let res = search::search(&index, &req, Some(&glossary)).expect("query");
        let searched = t.elapsed().as_secs_f64() * 1000.0;
        let mut n = 0;
        let mut citer = citer.borrow_mut();
        citer
            .prepare(res.hits.iter().map(|h| &h.passage))
            .expect("prepare");
        for h in &res.hits {
            let cited = citer.cite(&h.passage).expect("cite");
            n += cited.citation.len() + cited.reference.len() + cited.secondary.len();
            n += h.highlights.len();
        }
        (n, searched)
    };
    for q in queries.iter().take(50) {
        run(q["q"].as_str().unwrap());
    }
    // First pass: each work met for the first time has its reference and
    // citation rendered (the citer's caches fill). Second pass: a session in
    // its steady state, where every work's rendering is known; the search,
    // snippets and page citations are still computed for every hit.
    let mut by_type: [BTreeMap<String, Vec<f64>>; 2] = Default::default();
    let mut passes: [Vec<f64>; 2] = Default::default();
    // The search alone (query, top hits, highlights), without citations: to
    // tell what the first pass pays for.
    let mut searches: [Vec<f64>; 2] = Default::default();
    // KUTIP_BENCH_SLOWEST=N lists the N slowest queries of the first pass
    // on stderr, to find what the p99 is made of.
    let slowest: usize = std::env::var("KUTIP_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut first_pass: Vec<(f64, f64, &str)> = Vec::new();
    for pass in 0..2 {
        for q in &queries {
            let t = Instant::now();
            let (n, searched) = run(q["q"].as_str().unwrap());
            std::hint::black_box(n);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if pass == 0 && slowest > 0 {
                first_pass.push((ms, searched, q["q"].as_str().unwrap()));
            }
            searches[pass].push(searched);
            by_type[pass]
                .entry(q["type"].as_str().unwrap().to_string())
                .or_default()
                .push(ms);
            passes[pass].push(ms);
        }
    }
    first_pass.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, searched, q) in first_pass.iter().take(slowest) {
        eprintln!("{ms:8.2} ms (search {searched:.2} ms)  {q}");
    }
    let [all, warm] = passes;
    let [search_first, search_warm] = searches;
    let by = |m: BTreeMap<String, Vec<f64>>| {
        m.into_iter()
            .map(|(k, v)| (k, summary(v)))
            .collect::<serde_json::Map<_, _>>()
    };
    let [by_type, by_type_warm] = by_type;
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
            // As indexing runs them: terms streamed, none collected.
            analysis::each_term(name, text, |_, _| n += 1);
            analysis::each_term(analysis::EXACT, text, |_, _| n += 1);
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
        "query_top10_cited_warm": summary(warm),
        "search_only": summary(search_first),
        "search_only_warm": summary(search_warm),
        "by_type": by(by_type),
        "by_type_warm": by(by_type_warm),
        "quote": summary(quotes),
        "quote_found": found,
        "analysis": analysis_mb_s,
    });
    println!("{out}");
}
