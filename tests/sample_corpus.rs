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
fn concurrent_first_searches_wait_for_one_build_and_agree() {
    let env = Env::new();
    std::os::unix::fs::symlink(sample_corpus(), env.path("corpus")).unwrap();
    // Started together, before any of them can have built the index.
    let children: Vec<_> = (0..8)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_kutip"))
                .args(["search", "kota"])
                .current_dir(env.dir.path())
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("run kutip")
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait for kutip"))
        .collect();
    for o in &outs {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{stderr}");
    }
    let first = String::from_utf8_lossy(&outs[0].stdout);
    assert!(first.contains("kota"), "{first}");
    for o in &outs[1..] {
        assert_eq!(String::from_utf8_lossy(&o.stdout), first);
    }
    let built = outs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stderr).contains("building it first"))
        .count();
    assert_eq!(built, 1, "one build for all");
    let later = env.run(&["search", "kota"]);
    assert_eq!(later.stdout, first, "the same index afterwards");
    assert!(!later.stderr.contains("building"), "{}", later.stderr);
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

#[test]
fn english_query_finds_the_indonesian_reconciliation_passages_on_the_first_page() {
    let env = Env::new();
    let r = env.run(&["index", sample_corpus().to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, v) = env.search_json("sister city reconciliation", &[]);
    let first_page: Vec<&serde_json::Value> = v["hits"].as_array().unwrap().iter().collect();
    // Every Indonesian passage that speaks of rekonsiliasi and kota kembar.
    let expected: std::collections::BTreeSet<(String, u64)> = env
        .export()
        .iter()
        .filter(|l| l["lang"] == "id")
        .filter(|l| {
            let t = l["text"].as_str().unwrap().to_lowercase();
            t.contains("rekonsiliasi") && t.contains("kota kembar")
        })
        .map(|l| {
            (
                l["source"]["key"].as_str().unwrap().to_string(),
                l["locator"]["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(expected.len() >= 2, "{expected:?}");
    let found: std::collections::BTreeSet<(String, u64)> = first_page
        .iter()
        .filter(|h| h["lang"] == "id")
        .map(|h| {
            (
                h["source"]["key"].as_str().unwrap().to_string(),
                h["locator"]["paragraph"].as_u64().unwrap(),
            )
        })
        .collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(
        found.len() >= 3 && missing.len() <= expected.len() / 3,
        "Indonesian reconciliation passages on page one: found {found:?}, missing {missing:?}"
    );
}

#[test]
fn kerjasama_pemerintah_daerah_finds_every_morphological_variant() {
    let env = Env::new();
    let r = env.run(&["index", sample_corpus().to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, v) = env.search_json(
        "kerjasama pemerintah daerah",
        &["--limit", "200", "--no-translate"],
    );
    let texts: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_lowercase())
        .collect();
    for variant in [
        "kerja sama",
        "kerjasama",
        "bekerja sama",
        "bekerjasama",
        "pemerintahan daerah",
        "pemerintah daerah",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(variant)),
            "no hit with '{variant}'"
        );
    }
    // Every passage that has a form of both "kerja sama" and "pemerintah(an) daerah" is found.
    let all = env.export();
    let both = |t: &str| {
        let t = t.to_lowercase().replace('\n', " ");
        (t.contains("kerja sama") || t.contains("kerjasama"))
            && (t.contains("pemerintah daerah") || t.contains("pemerintahan daerah"))
    };
    let wanted = all
        .iter()
        .filter(|l| l["lang"] == "id" && both(l["text"].as_str().unwrap()))
        .count();
    let got = texts.iter().filter(|t| both(t)).count();
    assert_eq!(got, wanted);
}

#[test]
fn an_index_built_with_another_analyzer_asks_for_a_rebuild() {
    let env = Env::new();
    env.write("a.md", "---\ntitle: A\n---\nKota kembar.\n");
    env.index();
    let meta = env.path("idx/kutip.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let old = v["analyzer"].as_str().unwrap().to_string();
    std::fs::write(
        &meta,
        text.replace(&old, "kutip-analysis-0 (older lexicon)"),
    )
    .unwrap();
    let r = env.run(&["search", "kota", "--index", "idx"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("kutip-analysis-0 (older lexicon)") && r.stderr.contains("--rebuild"),
        "{}",
        r.stderr
    );
    let r = env.run(&["index", "docs", "--index", "idx", "--rebuild"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(env.run(&["search", "kota", "--index", "idx"]).code, 0);
}

/// Works rendered ahead, together on every core (`Citer::prepare`, as
/// `search`, `export`, `cited` and the shell do), or rendered again after
/// being forgotten (`Citer::forget_beyond`, as a long export does), cite
/// exactly as works rendered one at a time, in every style and locale.
#[test]
fn citations_prepared_together_equal_citations_made_one_by_one() {
    use clap::ValueEnum;
    use kutip::cite::StyleName;
    use kutip::cite::render::LocaleName;
    use kutip::cli::common::{CiteArgs, Citer};
    use kutip::output::json;
    let env = Env::new();
    std::os::unix::fs::symlink(sample_corpus(), env.path("docs")).unwrap();
    env.index();
    let index = kutip::index::KutipIndex::open(&env.path("idx")).unwrap();
    let mut passages = Vec::new();
    kutip::search::each_passage(&index, |p| -> kutip::Result<()> {
        passages.push(p);
        Ok(())
    })
    .unwrap();
    assert!(passages.iter().any(|p| !p.cites.is_empty()));
    for &style in StyleName::value_variants() {
        for &locale in LocaleName::value_variants() {
            let args = CiteArgs { style, locale };
            let mut together = Citer::new(&index, &args).unwrap();
            let mut alone = Citer::new(&index, &args).unwrap();
            // A citer that forgets all but one work, as a long export does.
            let mut forgetful = Citer::new(&index, &args).unwrap();
            together.prepare(&passages).unwrap();
            for p in &passages {
                let a = json::line(&json::hit(&together.cite(p).unwrap()));
                let b = json::line(&json::hit(&alone.cite(p).unwrap()));
                forgetful.forget_beyond(1);
                let c = json::line(&json::hit(&forgetful.cite(p).unwrap()));
                assert_eq!(a, b, "{style:?} {locale:?}");
                assert_eq!(a, c, "{style:?} {locale:?}");
            }
        }
    }
}
