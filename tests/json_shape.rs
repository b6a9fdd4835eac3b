//! The JSON wire format, declared here independently of `src/output/json.rs`:
//! a change to the format fails these tests until the README and this file agree.

use crate::util::Env;
use serde::Deserialize;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SearchOutput {
    query: String,
    total: u64,
    phrase_total: Option<u64>,
    hits: Vec<Hit>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Hit {
    rank: u64,
    score: f64,
    #[serde(flatten)]
    passage: Passage,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Passage {
    text: String,
    lang: Option<String>,
    source: Source,
    locator: Locator,
    citation: String,
    reference: String,
    cites: Vec<serde_json::Value>,
    file: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Source {
    key: String,
    title: Option<String>,
    authors: Vec<String>,
    year: Option<i32>,
    metadata: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Locator {
    page: Option<String>,
    page_end: Option<String>,
    paragraph: u32,
    section: Option<String>,
}

fn env() -> Env {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{zelinsky1991,\n  author = {Zelinsky, Wilbur},\n  title = {The Twinning of the World},\n  journal = {Annals of the Association of American Geographers},\n  year = {1991},\n  pages = {1--31}\n}\n",
    );
    env.write(
        "zelinsky1991.txt",
        "The Twinning of the World\n\nTown twinning spread through Western Europe after the war.\n\u{c}\nSister cities later reached the developing world.\n",
    );
    env.write(
        "notes.md",
        "---\ntitle: Notes on twinning\nauthor: [\"Doe, Jane\"]\nyear: 2020\n---\n# Notes\n\nTwinning links between towns are older than many think.\n",
    );
    env.index();
    env
}

#[test]
fn search_json_has_the_documented_shape() {
    let env = env();
    let (code, v) = env.search_json("twinning", &[]);
    assert_eq!(code, 0);
    let out: SearchOutput = serde_json::from_value(v.clone()).expect("documented shape");
    assert_eq!(out.query, "twinning");
    assert_eq!(out.total, 2);
    for h in &out.hits {
        assert!(!h.passage.citation.is_empty(), "{h:?}");
        assert!(!h.passage.reference.is_empty(), "{h:?}");
        assert!(!h.passage.source.key.is_empty());
    }
    let paged = out
        .hits
        .iter()
        .find(|h| h.passage.source.key == "zelinsky1991")
        .unwrap();
    assert_eq!(paged.passage.locator.page.as_deref(), Some("1"));
    assert_eq!(paged.passage.citation, "(Zelinsky, 1991, p. 1)");
    let unpaged = out
        .hits
        .iter()
        .find(|h| h.passage.source.key == "notes")
        .unwrap();
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["locator"]["page"].is_null())
    );
    assert_eq!(unpaged.passage.source.authors, ["Doe, Jane"]);
    assert_eq!(unpaged.passage.source.year, Some(2020));
}

#[test]
fn export_lines_have_the_hit_shape_without_rank_and_score() {
    let env = env();
    let lines = env.export();
    assert_eq!(lines.len(), 3);
    for line in lines {
        assert!(line.get("rank").is_none() && line.get("score").is_none());
        let p: Passage = serde_json::from_value(line).expect("passage shape");
        assert!(!p.citation.is_empty());
    }
}
