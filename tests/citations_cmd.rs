//! Citation awareness end to end: `cites` on hits, `--cites`, `kutip cited`,
//! `kutip check`, `kutip cite` and the exchange formats.

use crate::util::{Env, sample_corpus};
use serde_json::Value;

fn corpus_env() -> Env {
    let env = Env::new();
    let r = env.run(&["index", sample_corpus().to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

/// Passages of the exported corpus whose text matches `pattern` (checked
/// independently of the extractor, with a plain scan).
fn passages_matching(lines: &[Value], author: &str, year: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for l in lines {
        let t = l["text"]
            .as_str()
            .unwrap()
            .replace('\n', " ")
            .replace('’', "'");
        let mut found = false;
        for (i, _) in t.match_indices(author) {
            let window: String = t[i..].chars().take(author.chars().count() + 30).collect();
            if window.contains(year) {
                found = true;
            }
        }
        if found {
            out.push((
                l["file"].as_str().unwrap().to_string(),
                l["locator"]["paragraph"].as_u64().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn cited_lists_every_passage_citing_a_work_and_no_other() {
    let env = corpus_env();
    let lines = env.export();
    let expected = passages_matching(&lines, "Zelinsky", "1991");
    let r = env.run(&[
        "cited",
        "zelinsky1991",
        "--index",
        "idx",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut got: Vec<(String, u64)> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["passages"].as_array().unwrap().iter())
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["locator"]["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(v["citation"], "(Zelinsky, 1991)");
    let text = env.run(&["cited", "zelinsky1991", "--index", "idx"]);
    assert!(
        text.stdout
            .contains("As cited: (Zelinsky, 1991, as cited in"),
        "{}",
        text.stdout
    );
    let none = env.run(&["cited", "zelinsky1999", "--index", "idx"]);
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("did you mean zelinsky1991"),
        "{}",
        none.stderr
    );
}

#[test]
fn check_lists_exactly_the_unresolvable_citations() {
    let env = corpus_env();
    let lines = env.export();
    let mut expected = passages_matching(&lines, "O'Toole", "2001");
    expected.extend(passages_matching(&lines, "Villiers", "2007"));
    expected.sort();
    let r = env.run(&["check", "--index", "idx", "--format", "json"]);
    assert_eq!(r.code, 1, "problems found: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let unresolved = v["unresolved"].as_array().unwrap();
    for u in unresolved {
        let who = u["authors"][0].as_str().unwrap().replace('’', "'");
        assert!(
            (who == "O'Toole" && u["year"] == "2001")
                || (who == "de Villiers" && u["year"] == "2007"),
            "{u}"
        );
        if who == "de Villiers" {
            assert_eq!(u["candidates"][0], "devilliers2005");
        }
    }
    // Each passage with such a citation appears, none other.
    let mut got: Vec<(String, u64)> = Vec::new();
    for u in unresolved {
        let file = u["file"].as_str().unwrap();
        let line = u["line"].as_u64().unwrap();
        let para = lines
            .iter()
            .filter(|l| l["file"] == file)
            .filter(|l| {
                let text = std::fs::read_to_string(file).unwrap();
                let start_line = text[..text.find(l["text"].as_str().unwrap()).unwrap()]
                    .matches('\n')
                    .count() as u64
                    + 1;
                let end_line =
                    start_line + l["text"].as_str().unwrap().matches('\n').count() as u64;
                (start_line..=end_line).contains(&line)
            })
            .map(|l| l["locator"]["paragraph"].as_u64().unwrap())
            .next()
            .unwrap_or_else(|| panic!("line {line} of {file} is in no passage"));
        got.push((file.to_string(), para));
    }
    got.sort();
    got.dedup();
    expected.dedup();
    assert_eq!(got, expected);
    assert!(v["without_metadata"].as_array().unwrap().is_empty());
    assert!(v["incomplete_entries"].as_array().unwrap().is_empty());
}

#[test]
fn check_reports_library_problems_with_file_and_line() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@book{notitle,\n  author = {Doe, Jane},\n  year = {2001}\n}\n\n@book{dup,\n  author = {A, B},\n  title = {One},\n  year = {2000}\n}\n\n@book{dup,\n  author = {C, D},\n  title = {Two},\n  year = {2001}\n}\n",
    );
    env.write(
        "loose.txt",
        "Loose Notes\n\nNothing cites anything here (Nobody, 1999).\n",
    );
    env.index();
    let r = env.run(&["check", "--index", "idx"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("lib.bib:1: 'notitle' has no title"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("lib.bib:12: duplicate key 'dup' (first defined at"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("loose.txt: titled 'Loose Notes'"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("loose.txt:3: Nobody, 1999 — no work by this author"),
        "{}",
        r.stdout
    );
    // A problem is reported, never found: a search for the words of its
    // message finds nothing, in the ranked and the counted results alike.
    for q in ["duplicate", "duplicate OR title", "\"has no title\""] {
        let r = env.run(&["search", q, "--index", "idx", "--format", "json"]);
        assert_eq!(r.code, 1, "{q}: {}", r.stdout);
    }
    let clean = Env::new();
    clean.write(
        "a.md",
        "---\ntitle: A\nauthor: [\"Doe, Jane\"]\nyear: 2020\n---\nText.\n",
    );
    clean.index();
    let r = clean.run(&["check", "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn hits_carry_resolved_and_unresolved_citations_with_secondary_forms() {
    let env = corpus_env();
    let (_, v) = env.search_json("\"citizen-to-citizen diplomacy\"", &["--limit", "50"]);
    let all: Vec<&Value> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["cites"].as_array().unwrap())
        .collect();
    let dv = all
        .iter()
        .find(|c| c["key"] == "devilliers2005")
        .expect("a resolved citation");
    assert_eq!(dv["year"], "2005");
    assert!(
        dv["secondary_citation"]
            .as_str()
            .unwrap()
            .starts_with("(de Villiers, 2005, as cited in "),
        "{dv}"
    );
    let (_, v) = env.search_json("O'Toole", &["--limit", "50", "--locale", "id"]);
    let (hit, ot) = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|h| {
            h["cites"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["key"].is_null())
                .map(|c| (h, c))
        })
        .unwrap();
    assert!(
        ot["secondary_citation"]
            .as_str()
            .unwrap()
            .contains(" dalam "),
        "{ot}"
    );
    let (s, e) = (
        ot["span"][0].as_u64().unwrap() as usize,
        ot["span"][1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &hit["text"].as_str().unwrap()[s..e],
        ot["text"].as_str().unwrap(),
        "span slices the passage"
    );
}

#[test]
fn search_filters_by_cited_work() {
    let env = corpus_env();
    let (code, v) = env.search_json("paradiplomacy", &["--cites", "tavares2016"]);
    assert_eq!(code, 0);
    for h in v["hits"].as_array().unwrap() {
        assert!(
            h["cites"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["key"] == "tavares2016"),
            "{h}"
        );
    }
}

#[test]
fn cite_prints_citation_reference_and_exchange_formats() {
    let env = corpus_env();
    let r = env.run(&["cite", "zelinsky1991", "--page", "3", "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("(Zelinsky, 1991, p. 3)\nZelinsky, W. (1991)."),
        "{}",
        r.stdout
    );
    let r = env.run(&[
        "cite",
        "zelinsky1991",
        "--page",
        "3",
        "--style",
        "chicago",
        "--locale",
        "id",
        "--index",
        "idx",
    ]);
    assert!(r.stdout.starts_with("(Zelinsky 1991, 3)\n"), "{}", r.stdout);
    let r = env.run(&[
        "cite",
        "duchacek1990",
        "--format",
        "bibtex",
        "--index",
        "idx",
    ]);
    assert!(
        r.stdout.starts_with("@incollection{duchacek1990,"),
        "{}",
        r.stdout
    );
    let r = env.run(&["cite", "ogawa2012", "--format", "ris", "--index", "idx"]);
    assert!(
        r.stdout.starts_with("TY  - THES\nAU  - Ogawa, Asuka\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("DO  - 10.7916/D85B08MD"), "{}", r.stdout);
    let r = env.run(&[
        "cite",
        "tavares2016",
        "--format",
        "csl-json",
        "--index",
        "idx",
    ]);
    let j: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(j["publisher"], "Oxford University Press");
    let r = env.run(&["cite", "nosuchkey", "--index", "idx"]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_cited_page_must_be_a_page_and_is_checked_against_the_works_pages() {
    let env = corpus_env();
    let cite = |page: &str| env.run(&["cite", "zelinsky1991", "--page", page, "--index", "idx"]);
    // Not a page: a usage error naming the value and the forms kutip takes.
    for bad in ["abc", "0", "3-", "12 14"] {
        let r = cite(bad);
        assert_eq!(r.code, 2, "{bad}: {}", r.stdout);
        assert!(
            r.stderr
                .starts_with(&format!("kutip: --page {bad}: not a page;")),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    // Pages, ranges and lists, in the style's form.
    for (page, cited) in [
        ("xii", "(Zelinsky, 1991, p. xii)"),
        ("5--9", "(Zelinsky, 1991, pp. 5–9)"),
        ("3, 5-7", "(Zelinsky, 1991, pp. 3, 5–7)"),
    ] {
        let r = cite(page);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.starts_with(cited), "{page}: {}", r.stdout);
        assert!(r.stderr.is_empty(), "{}", r.stderr);
    }
    // The article is pages 1–31: page 40 is cited as given, with a warning.
    let r = cite("40");
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("(Zelinsky, 1991, p. 40)"),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stderr.trim(),
        "kutip: warning: page 40 is outside the pages of zelinsky1991 (1–31); cited as given"
    );
}

#[test]
fn ieee_numbers_the_works_of_an_output_by_first_appearance() {
    let env = corpus_env();
    let (_, v) = env.search_json("sister city", &["--style", "ieee", "--limit", "10"]);
    let mut numbers: Vec<(String, String)> = Vec::new();
    for h in v["hits"].as_array().unwrap() {
        let key = h["source"]["key"].as_str().unwrap().to_string();
        let citation = h["citation"].as_str().unwrap();
        let n: String = citation[1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        assert!(
            h["reference"]
                .as_str()
                .unwrap()
                .starts_with(&format!("[{n}] ")),
            "{h}"
        );
        match numbers.iter().find(|(k, _)| *k == key) {
            Some((_, seen)) => assert_eq!(*seen, n, "a work keeps its number: {v}"),
            None => {
                assert_eq!(n, (numbers.len() + 1).to_string(), "next number: {v}");
                numbers.push((key, n));
            }
        }
    }
    assert!(numbers.len() >= 3, "{v}");
}

#[test]
fn search_exports_the_records_behind_the_hits() {
    let env = corpus_env();
    let r = env.run(&[
        "search", "Zelinsky", "--index", "idx", "--format", "csl-json", "--limit", "3",
    ]);
    assert_eq!(r.code, 0);
    let items: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert!(!items.is_empty() && items.len() <= 3);
    assert!(
        items
            .iter()
            .all(|i| i["id"].is_string() && i["type"].is_string())
    );
    let r = env.run(&[
        "search", "Zelinsky", "--index", "idx", "--format", "ris", "--limit", "3",
    ]);
    assert!(r.stdout.starts_with("TY  - "));
    assert_eq!(r.stdout.matches("ER  - ").count(), items.len());
}
