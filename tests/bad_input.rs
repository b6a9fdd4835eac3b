//! Bad input: warned about with the file (and line), never fatal to the batch.

use crate::util::Env;

#[test]
fn malformed_bibtex_entry_is_reported_with_line_and_others_kept() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@book{good1,\n  author = {Tavares, Rodrigo},\n  title = {Paradiplomacy},\n  year = {2016}\n}\n\n@article{bad,\n  author = {Nobody,\n  title = {Broken\n\n@book{good2,\n  author = {Kuznetsov, Alexander S.},\n  title = {Theory and Practice of Paradiplomacy},\n  year = {2015}\n}\n",
    );
    env.write("good1.md", "Cities act abroad.\n");
    env.write("good2.md", "Regions act abroad too.\n");
    let run = env.index();
    assert!(
        run.stderr.contains("lib.bib:7: malformed @article entry"),
        "{}",
        run.stderr
    );
    let lines = env.export();
    let cites: Vec<&str> = lines
        .iter()
        .map(|l| l["citation"].as_str().unwrap())
        .collect();
    assert_eq!(cites, ["(Tavares, 2016)", "(Kuznetsov, 2015)"]);
}

#[test]
fn binary_files_are_skipped_by_name_and_legacy_encodings_decoded_and_reported() {
    let env = Env::new();
    env.write("ok.md", "---\ntitle: Fine\n---\nA readable paragraph.\n");
    env.write("binary.txt", b"\x00\x01\x02ELF\x00binary");
    env.write(
        "latin1.txt",
        b"Kerja sama caf\xe9 daerah di Jakarta \x96 laporan singkat.\n\nParagraf kedua tentang na\xefve kerja sama.\n",
    );
    let run = env.index();
    assert!(
        run.stderr.contains("binary.txt: binary content"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("latin1.txt: not UTF-8; decoded as windows-1252 (detected)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("indexed 3 passages"), "{}", run.stderr);
    assert!(run.stderr.contains("1 skipped"), "{}", run.stderr);
    let lines = env.export();
    assert_eq!(lines.len(), 3);
    assert!(
        lines
            .iter()
            .any(|l| l["text"] == "Kerja sama café daerah di Jakarta – laporan singkat."),
        "{lines:?}"
    );
}

#[test]
fn a_file_that_becomes_unreadable_keeps_what_was_indexed() {
    let env = Env::new();
    env.write("doc.md", "---\ntitle: Doc\n---\nOriginal text.\n");
    env.index();
    env.write("doc.md", b"\xff\xfe broken now");
    env.index();
    let lines = env.export();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["text"], "Original text.");
}

#[test]
fn exit_codes_and_one_line_errors() {
    let env = Env::new();
    env.write("a.md", "---\ntitle: A\n---\nKota kembar.\n");
    env.index();
    let none = env.run(&["search", "zzzqqq", "--index", "idx"]);
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("no passages match"), "{}", none.stderr);
    let bad = env.run(&["search", "kota \"kembar", "--index", "idx"]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr.trim().lines().count(), 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("character 6"), "{}", bad.stderr);
    // A word before a colon that names no field is searched as words, and
    // the user is told, in case a field was meant.
    let field = env.run(&["search", "foo:bar", "--index", "idx"]);
    assert_eq!(field.code, 1);
    assert!(
        field
            .stderr
            .contains("'foo:' is not a field (fields are text, title"),
        "{}",
        field.stderr
    );
    // With operators, a field name must be one.
    let field = env.run(&["search", "foo:bar AND kota", "--index", "idx"]);
    assert_eq!(field.code, 2);
    assert!(
        field.stderr.contains("unknown field 'foo'"),
        "{}",
        field.stderr
    );
    let missing = env.run(&["search", "kota", "--index", "nowhere"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no index at nowhere"),
        "{}",
        missing.stderr
    );
    let nothing = env.run(&["index", "does-not-exist", "--index", "idx2"]);
    assert_eq!(nothing.code, 2);
    let usage = env.run(&["search", "--limit", "x", "kota"]);
    assert_eq!(usage.code, 2);
    let lang = env.run(&["search", "kota", "--lang", "fr", "--index", "idx"]);
    assert_eq!(lang.code, 2);
}

#[test]
fn terminal_escapes_in_documents_never_reach_the_output_raw() {
    let env = Env::new();
    env.write(
        "evil.md",
        "---\ntitle: \"Evil\u{1b}]0;pwned\u{7}\"\n---\nKota \u{1b}[31mkembar\u{202e} text.\n",
    );
    env.index();
    let text = env.run(&["search", "kota", "--index", "idx"]);
    assert_eq!(text.code, 0);
    assert!(
        !text.stdout.contains('\u{1b}') && !text.stdout.contains('\u{202e}'),
        "{:?}",
        text.stdout
    );
    let json = env.run(&["search", "kota", "--index", "idx", "--format", "json"]);
    assert!(!json.stdout.contains('\u{1b}') && !json.stdout.contains('\u{202e}'));
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        v["hits"][0]["text"].as_str().unwrap().contains('\u{202e}'),
        "JSON keeps the exact text, escaped"
    );
}

#[test]
fn circular_string_macros_are_reported_and_the_rest_of_the_library_indexed() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@string{a = a}\n@book{self, title = a, year = 2000}\n@string{b = c}\n@string{c = b # {x}}\n@book{pair, title = b, year = 2001}\n@book{good, author = {Tavares, Rodrigo}, title = {Paradiplomacy}, year = {2016}}\n",
    );
    env.write(
        "doc.md",
        "---\ntitle: Doc\n---\nCities act abroad (Tavares, 2016).\n",
    );
    // Every run, not only the first: the library is read again each time.
    for _ in 0..2 {
        let run = env.run(&["index", "docs", "--index", "idx", "--rebuild"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        for expected in [
            "lib.bib:1: @string 'a' is defined by itself",
            "lib.bib:2: @book entry skipped: it uses @string 'a', skipped at line 1",
            "lib.bib:3: @string macros ",
            "lib.bib:5: @book entry skipped: it uses @string 'b', skipped at line 3",
        ] {
            assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
        }
        let cite = env.run(&["cite", "good", "--index", "idx"]);
        assert_eq!(cite.code, 0, "{}", cite.stderr);
        assert!(cite.stdout.contains("Paradiplomacy"), "{}", cite.stdout);
        assert_eq!(env.run(&["cite", "self", "--index", "idx"]).code, 2);
    }
}

#[test]
fn string_macros_built_from_other_macros_are_resolved() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@string{pub = \"Penerbit\"}\n@string{pubfull = pub # \" Jakarta\"}\n@book{buku, author = {Sari, Dewi}, title = {Kota Kembar}, publisher = pubfull, year = 2019}\n",
    );
    env.write(
        "doc.md",
        "---\ntitle: Doc\n---\nKota kembar (Sari, 2019).\n",
    );
    let run = env.index();
    assert!(!run.stderr.contains("lib.bib"), "{}", run.stderr);
    let cite = env.run(&["cite", "buku", "--index", "idx"]);
    assert_eq!(cite.code, 0, "{}", cite.stderr);
    assert!(cite.stdout.contains("Penerbit Jakarta"), "{}", cite.stdout);
    let csl = env.run(&["cite", "buku", "--index", "idx", "--format", "csl-json"]);
    assert!(
        csl.stdout.contains("\"publisher\": \"Penerbit Jakarta\""),
        "{}",
        csl.stdout
    );
}

#[test]
fn a_bad_csl_json_item_is_reported_and_the_file_read_alike_by_incremental_and_clean_builds() {
    let env = Env::new();
    let item = |id: &str, family: &str, year: u32| {
        format!(
            "  {{\"id\": \"{id}\", \"type\": \"book\", \"title\": \"Buku {id}\",\n   \"author\": [{{\"family\": \"{family}\", \"given\": \"Dewi\"}}], \"issued\": {{\"date-parts\": [[{year}]]}}}}"
        )
    };
    env.write(
        "lib.json",
        format!(
            "[\n{},\n{}\n]\n",
            item("a", "Sari", 2019),
            item("b", "Wati", 2020)
        ),
    );
    env.write(
        "doc.md",
        "---\ntitle: Doc\n---\nKota kembar (Sari, 2019) dan (Lestari, 2021).\n",
    );
    env.index();
    // The file gains an item without a type, and a good one after it.
    env.write(
        "lib.json",
        format!(
            "[\n{},\n{},\n  {{\"id\": \"bad\", \"title\": \"No type\"}},\n{}\n]\n",
            item("a", "Sari", 2019),
            item("b", "Wati", 2020),
            item("c", "Lestari", 2021)
        ),
    );
    let run = env.index();
    assert!(
        run.stderr
            .contains("lib.json:6: CSL-JSON item #3 skipped: it has no string \"type\""),
        "{}",
        run.stderr
    );
    let clean = env.run(&["index", "docs", "--index", "clean"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(
        clean.stderr.contains("lib.json:6: CSL-JSON item #3"),
        "{}",
        clean.stderr
    );
    let records = |idx: &str| -> Vec<(i32, String)> {
        ["a", "b", "c", "bad"]
            .iter()
            .map(|k| {
                let r = env.run(&["cite", k, "--index", idx, "--format", "csl-json"]);
                (r.code, r.stdout)
            })
            .collect()
    };
    let incremental = records("idx");
    assert_eq!(incremental, records("clean"));
    assert!(incremental[2].1.contains("Lestari"), "{incremental:?}");
    assert_ne!(incremental[3].0, 0);
    let export = |idx: &str| env.run(&["export", "--index", idx]).stdout;
    assert_eq!(export("idx"), export("clean"));
    assert!(export("idx").contains("Lestari, 2021"), "{}", export("idx"));
}
