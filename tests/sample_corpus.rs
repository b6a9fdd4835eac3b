//! The newcomer's path: the shipped corpus, indexed and searched.

use crate::util::{Env, sample_corpus};

#[test]
fn first_search_builds_the_index_and_finds_cited_indonesian_passages() {
    let env = Env::new();
    let corpus = sample_corpus();
    std::os::unix::fs::symlink(&corpus, env.path("corpus")).unwrap();
    let r = env.run(&["search", "kota kembar", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("building it first from the sample corpus"),
        "{}",
        r.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 5);
    assert!(
        hits.iter().filter(|h| h["lang"] == "id").count() >= 3,
        "{v}"
    );
    for h in hits {
        assert!(h["citation"].as_str().unwrap().starts_with('('));
        assert!(!h["reference"].as_str().unwrap().is_empty());
        assert!(!h["source"]["key"].as_str().unwrap().is_empty());
    }
    assert!(env.path("index").is_dir(), "default index location");
    let again = env.run(&["search", "kota kembar"]);
    assert!(
        !again.stderr.contains("building"),
        "built once: {}",
        again.stderr
    );
}

#[test]
fn sample_corpus_documents_all_carry_their_own_metadata() {
    let env = Env::new();
    let r = env.run(&["index", sample_corpus().to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("no metadata"), "{}", r.stderr);
    assert!(!r.stderr.contains("skipped:"), "{}", r.stderr);
    let lines = env.export();
    let docs: std::collections::BTreeSet<&str> = lines
        .iter()
        .map(|l| l["source"]["key"].as_str().unwrap())
        .collect();
    assert!(docs.len() >= 16);
    let by_lang = |code: &str| {
        lines
            .iter()
            .filter(|l| l["lang"] == code)
            .map(|l| l["source"]["key"].as_str().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert!(by_lang("id") >= 8 && by_lang("en") >= 8);
    for l in &lines {
        let authors = l["source"]["authors"].as_array().unwrap();
        assert!(
            authors
                .iter()
                .any(|a| a == "kutip project" || a == "Proyek kutip"),
            "{l}"
        );
    }
}
