//! Incremental re-indexing, the manifest, locking and interrupted runs.

use crate::util::Env;
use std::process::Command;

fn summary_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or("")
        .to_string()
}

#[test]
fn only_changed_new_and_removed_files_are_touched() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@book{tavares2016, author = {Tavares, Rodrigo}, title = {Paradiplomacy}, year = {2016}}\n",
    );
    env.write("a.md", "---\ntitle: A\n---\nAlpha one.\n\nAlpha two.\n");
    env.write("b.md", "---\ntitle: B\n---\nBeta.\n");
    env.write("c.md", "---\ntitle: C\n---\nGamma.\n");
    let first = env.index();
    assert!(
        summary_line(&first.stderr).contains("4 new, 0 changed, 0 unchanged"),
        "{}",
        first.stderr
    );
    let again = env.index();
    assert!(
        summary_line(&again.stderr).contains("indexed 0 passages"),
        "{}",
        again.stderr
    );
    assert!(
        summary_line(&again.stderr).contains("0 new, 0 changed, 4 unchanged, 0 removed"),
        "{}",
        again.stderr
    );

    env.write("a.md", "---\ntitle: A\n---\nAlpha rewritten.\n");
    std::fs::remove_file(env.path("docs/b.md")).unwrap();
    env.write("d.md", "---\ntitle: D\n---\nDelta.\n");
    let run = env.index();
    assert!(
        summary_line(&run.stderr).contains("indexed 2 passages")
            && summary_line(&run.stderr).contains("1 new, 1 changed, 2 unchanged, 1 removed"),
        "{}",
        run.stderr
    );
    let texts: Vec<String> = env
        .export()
        .iter()
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, ["Alpha rewritten.", "Gamma.", "Delta."]);

    // Touching a file without changing it reads nothing.
    let c = env.path("docs/c.md");
    let content = std::fs::read(&c).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&c, content).unwrap();
    let run = env.index();
    assert!(
        summary_line(&run.stderr).contains("indexed 0 passages"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_changed_library_entry_relinks_the_documents() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@book{tavares2016, author = {Tavares, Rodrigo}, title = {Paradiplomacy}, year = {2016}}\n",
    );
    env.write("tavares2016.md", "Cities act abroad.\n");
    env.write(
        "notes.md",
        "---\ntitle: Notes\n---\nAs Tavares (2016) argues, cities act abroad.\n",
    );
    env.index();
    let lines = env.export();
    let doc = lines
        .iter()
        .find(|l| l["source"]["key"] == "tavares2016")
        .unwrap();
    assert_eq!(doc["citation"], "(Tavares, 2016)");
    env.write(
        "lib.bib",
        "@book{tavares2016, author = {Tavares, Rodrigo}, title = {Paradiplomacy}, year = {2017}}\n",
    );
    let run = env.index();
    assert!(
        summary_line(&run.stderr).contains("2 re-linked"),
        "{}",
        run.stderr
    );
    let lines = env.export();
    let doc = lines
        .iter()
        .find(|l| l["source"]["key"] == "tavares2016")
        .unwrap();
    assert_eq!(doc["citation"], "(Tavares, 2017)");
    let notes = lines
        .iter()
        .find(|l| l["source"]["key"] == "notes")
        .unwrap();
    assert!(
        notes["cites"][0]["key"].is_null(),
        "2016 no longer resolves: {notes}"
    );
    assert_eq!(notes["cites"][0]["candidates"][0], "tavares2016");
}

#[test]
fn a_work_is_cited_from_the_rendering_the_index_made_and_an_edit_renders_it_anew() {
    let env = Env::new();
    let notes = |title: &str| {
        format!(
            "---\ntitle: {title}\nauthor: [\"Sarbini, Ahmad\"]\ndate: 2021\ntype: report\n---\nCities act abroad.\n"
        )
    };
    env.write("notes.md", notes("Old Notes"));
    env.write(
        "lib.bib",
        "@book{tavares2016, author = {Tavares, Rodrigo}, title = {Paradiplomacy}, year = {2016}}\n",
    );
    env.write("tavares2016.md", "Cities act abroad, says a book.\n");
    env.index();
    let rendered = |key: &str| -> String {
        let index = kutip::index::KutipIndex::open(&env.path("idx")).unwrap();
        let (_, rendered) = index.record_rendered(key).unwrap().unwrap();
        rendered.expect("the index holds the record's rendering")
    };
    assert!(rendered("notes").contains("Old Notes"));
    assert!(rendered("tavares2016").contains("Paradiplomacy"));
    let reference_of = |v: &serde_json::Value, key: &str| -> String {
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["source"]["key"] == key)
            .unwrap_or_else(|| panic!("{key} in {v}"));
        format!("{} | {}", hit["citation"], hit["reference"])
    };
    let (_, v) = env.search_json("cities abroad", &[]);
    assert_eq!(
        reference_of(&v, "notes"),
        "\"(Sarbini, 2021)\" | \"Sarbini, A. (2021). Old Notes.\"",
    );
    env.write("notes.md", notes("New Notes"));
    env.index();
    assert!(rendered("notes").contains("New Notes"));
    let (_, v) = env.search_json("cities abroad", &[]);
    assert!(reference_of(&v, "notes").contains("New Notes"), "{v}");
    // Another style is rendered when asked for, not taken from the index.
    let (_, v) = env.search_json("cities abroad", &["--style", "mla"]);
    assert_eq!(
        reference_of(&v, "tavares2016"),
        "\"(Tavares)\" | \"Tavares, Rodrigo. Paradiplomacy. 2016.\""
    );
}

#[test]
fn a_second_indexer_is_refused_with_the_lock_owner_and_a_stale_lock_is_cleared() {
    let env = Env::new();
    env.write("a.md", "---\ntitle: A\n---\nAlpha.\n");
    env.index();
    {
        let (_lock, _) = kutip::index::Lock::acquire(&env.path("idx")).unwrap();
        let r = env.run(&["index", "docs", "--index", "idx"]);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr
                .contains(&format!("locked by process {}", std::process::id())),
            "{}",
            r.stderr
        );
        assert_eq!(
            env.run(&["search", "alpha", "--index", "idx"]).code,
            0,
            "search works meanwhile"
        );
    }
    std::fs::write(env.path("idx/kutip.lock"), "999999999").unwrap();
    let r = env.index();
    assert!(
        r.stderr
            .contains("process 999999999) stopped before it finished"),
        "{}",
        r.stderr
    );
}

fn corpus(env: &Env, files: usize) {
    for i in 0..files {
        let body: String = (0..8)
            .map(|p| format!("Paragraf {p} dokumen {i}: kerja sama kota kembar antara pemerintah daerah dan masyarakat (Zelinsky, 1991).\n\n"))
            .collect();
        env.write(
            &format!("doc{i:04}.md"),
            format!("---\ntitle: Dokumen {i}\n---\n{body}"),
        );
    }
}

/// Kills `kutip index` at seeded random points and checks each time that the
/// index opens, searches, and after one more run equals a clean build.
pub fn kill_and_resume(points: usize, files: usize, seed: u64) -> usize {
    let env = Env::new();
    corpus(&env, files);
    let clean = Env::new();
    corpus(&clean, files);
    clean.index();
    let expected = clean.run(&["export", "--index", "idx"]).stdout;
    let mut state = seed;
    let mut survived = 0;
    for point in 0..points {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay_ms = 5 + (state >> 33) % 400;
        // Change some files so every run has work to do: a few, or at
        // every fifth point a tenth of the corpus.
        let changes = if point % 5 == 4 { files / 10 } else { 3 };
        for j in 0..changes {
            let i = ((state >> (8 * (j % 4))) as usize + j * 7919) % files;
            env.write(
                &format!("doc{i:04}.md"),
                format!("---\ntitle: Dokumen {i}\n---\nDiubah pada titik {point}.\n"),
            );
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_kutip"))
            .args(["index", "docs", "--index", "idx", "--quiet"])
            .current_dir(env.dir.path())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-9", &child.id().to_string()])
            .status();
        let _ = child.wait();
        if env.path("idx/kutip.json").exists() {
            let s = env.run(&["search", "kota", "--index", "idx", "--format", "json"]);
            assert!(
                s.code == 0 || s.code == 1,
                "search failed after kill at {delay_ms} ms: {}",
                s.stderr
            );
        }
        survived += 1;
    }
    // Put the files back as the clean build has them, finish, compare.
    corpus(&env, files);
    let r = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = env.run(&["export", "--index", "idx"]).stdout;
    assert_eq!(
        got.lines().count(),
        expected.lines().count(),
        "no passage lost or duplicated"
    );
    assert!(
        got == expected,
        "export after interrupted runs differs from a clean build"
    );
    survived
}

#[test]
fn sigkill_mid_run_then_resume_equals_a_clean_build() {
    let survived = kill_and_resume(4, 150, 20261128);
    assert_eq!(survived, 4);
}

#[test]
fn sources_lists_the_catalogue_sorted() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{b, author = {Beta, Bo}, title = {Zeta}, year = {1999}, pages = {10--12}}\n@article{a, author = {Alpha, Al}, title = {Omega}, year = {2005}}\n",
    );
    env.write("b.txt", "Page ten.\n\u{c}\nPage eleven.\n");
    env.write(
        "a.md",
        "Paragraf satu tentang kerja sama daerah.\n\nParagraf dua tentang kota kembar.\n",
    );
    env.index();
    let r = env.run(&[
        "sources", "--index", "idx", "--format", "json", "--sort", "year",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["key"], "b");
    assert_eq!(v[0]["pages"], serde_json::json!(["10", "11"]));
    assert_eq!(v[1]["key"], "a");
    assert_eq!(v[1]["passages"], 2);
    assert_eq!(v[1]["lang"], "id");
    let r = env.run(&["sources", "--index", "idx", "--sort", "title"]);
    assert!(
        r.stdout.starts_with("a  Alpha, Al (2005) Omega"),
        "{}",
        r.stdout
    );
}
