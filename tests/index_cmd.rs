//! `kutip index`: metadata matching, pages, passages, re-indexing.

use crate::util::Env;
use serde_json::Value;

fn by_key<'a>(lines: &'a [Value], key: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["source"]["key"] == key).collect()
}

#[test]
fn each_metadata_rule_finds_its_record() {
    let env = Env::new();
    env.write(
        "refs/library.bib",
        r#"@book{tavares2016,
  author = {Tavares, Rodrigo},
  title = {Paradiplomacy: Cities and States as Global Players},
  publisher = {Oxford University Press},
  year = {2016}
}
@article{clarke2011,
  author = {Clarke, Nick},
  title = {Globalising Care? Town Twinning in Britain since 1945},
  journal = {Geoforum},
  year = {2011}
}
@article{zotero1,
  author = {Clarke, Nick},
  title = {Town Twinning in Cold-War Britain},
  journal = {Contemporary British History},
  year = {2010},
  file = {Full Text:../papers/cold-war.txt:text/plain}
}
"#,
    );
    env.write(
        "keyed.md",
        "---\nkey: tavares2016\n---\nSubnational governments act abroad.\n",
    );
    env.write(
        "inline.md",
        "---\ntitle: Catatan Paradiplomasi\nauthor: [\"Sarbini, Roihan\"]\nyear: 2021\ncontainer-title: Kompasiana\nlang: id\n---\nParadiplomasi adalah aktivitas luar negeri pemerintah daerah.\n",
    );
    env.write(
        "papers/cold-war.txt",
        "Municipal internationalism in Britain after 1945.\n",
    );
    env.write("clarke2011.txt", "Town twinning as care at a distance.\n");
    env.write(
        "untitled.txt",
        "A Draft Without Metadata\n\nSome loose notes about twinning.\n",
    );
    let run = env.index();
    let lines = env.export();
    let origin = |key: &str| {
        by_key(&lines, key)[0]["source"]["metadata"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(origin("tavares2016"), "front-matter-key");
    assert_eq!(origin("inline"), "front-matter");
    assert_eq!(origin("zotero1"), "file-field");
    assert_eq!(origin("clarke2011"), "file-stem");
    assert_eq!(origin("untitled"), "title-only");
    assert_eq!(
        by_key(&lines, "tavares2016")[0]["citation"],
        "(Tavares, 2016)"
    );
    assert_eq!(by_key(&lines, "inline")[0]["citation"], "(Sarbini, 2021)");
    assert_eq!(by_key(&lines, "zotero1")[0]["citation"], "(Clarke, 2010)");
    let untitled = by_key(&lines, "untitled")[0];
    assert_eq!(untitled["source"]["title"], "A Draft Without Metadata");
    assert!(untitled["source"]["authors"].as_array().unwrap().is_empty());
    assert!(untitled["source"]["year"].is_null());
    assert!(
        run.stderr.contains("untitled.txt: no metadata"),
        "a warning names the file: {}",
        run.stderr
    );
}

#[test]
fn page_range_offsets_printed_page_numbers() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{clarke2009,\n  author = {Clarke, Nick},\n  title = {In What Sense Spaces of Neoliberalism?},\n  journal = {Political Geography},\n  year = {2009},\n  pages = {496--507}\n}\n",
    );
    env.write(
        "clarke2009.txt",
        "First page paragraph about the new localism.\n\u{c}\nSecond page paragraph about the politics of scale.\n\u{c}\nThird page paragraph that runs on\n\u{c}onto the fourth page about town twinning.\n",
    );
    env.index();
    let lines = env.export();
    let pages: Vec<(Value, Value)> = lines
        .iter()
        .map(|l| {
            (
                l["locator"]["page"].clone(),
                l["locator"]["page_end"].clone(),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("496".into(), Value::Null),
            ("497".into(), Value::Null),
            ("498".into(), "499".into())
        ]
    );
    assert_eq!(lines[1]["citation"], "(Clarke, 2009, p. 497)");
    assert_eq!(lines[2]["citation"], "(Clarke, 2009, pp. 498–499)");
    let (_, v) = env.search_json("scale", &["--locale", "id"]);
    assert_eq!(v["hits"][0]["citation"], "(Clarke, 2009, hlm. 497)");
}

#[test]
fn long_paragraphs_become_several_passages_with_exact_offsets() {
    let env = Env::new();
    let sentence =
        "Kerja sama kota kembar melibatkan pemerintah daerah, dunia usaha, dan relawan warga. ";
    let long = sentence.repeat(40);
    let text = format!(
        "# Judul\n\n## Bagian Satu\n\nParagraf pendek.\n\n{}\n",
        long.trim_end()
    );
    let path = env.write("panjang.md", &text);
    env.index();
    let lines = env.export();
    assert!(lines.len() >= 4, "{} passages", lines.len());
    let raw = std::fs::read_to_string(path).unwrap();
    for l in &lines[1..] {
        let t = l["text"].as_str().unwrap();
        assert!(t.split_whitespace().count() <= 150);
        assert!(raw.contains(t));
        assert_eq!(l["locator"]["paragraph"], 2);
        assert_eq!(l["locator"]["section"], "Bagian Satu");
    }
    assert_eq!(lines[0]["source"]["title"], "Judul");
    let joined: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(joined.join(" "), long.trim_end());
}

#[test]
fn reindexing_replaces_passages_never_duplicates() {
    let env = Env::new();
    env.write(
        "a.md",
        "---\ntitle: A\n---\nFirst paragraph.\n\nSecond paragraph.\n",
    );
    env.write("b.md", "---\ntitle: B\n---\nOnly paragraph.\n");
    env.index();
    env.index();
    assert_eq!(env.export().len(), 3);
    env.write("a.md", "---\ntitle: A\n---\nRewritten paragraph.\n");
    env.index();
    let lines = env.export();
    let texts: Vec<&str> = lines.iter().map(|l| l["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Rewritten paragraph.", "Only paragraph."]);
    std::fs::remove_file(env.path("docs/b.md")).unwrap();
    let run = env.index();
    assert!(run.stderr.contains("1 removed"), "{}", run.stderr);
    assert_eq!(env.export().len(), 1);
}

#[test]
fn symlink_loops_and_hidden_files_are_survived() {
    let env = Env::new();
    env.write("real.md", "---\ntitle: Real\n---\nVisible text.\n");
    env.write(
        ".hidden/secret.md",
        "---\ntitle: Hidden\n---\nHidden text.\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(env.path("docs"), env.path("docs/loop")).unwrap();
    let run = env.index();
    let lines = env.export();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["text"], "Visible text.");
    #[cfg(unix)]
    assert!(run.stderr.contains("loop"), "{}", run.stderr);
}

#[test]
fn html_docx_and_epub_index_with_sections_and_their_own_metadata() {
    let env = Env::new();
    env.write("blog.html", crate::docread::fixture("kompasiana_post.html"));
    env.write(
        "journal.html",
        crate::docread::fixture("journal_article.html"),
    );
    env.write("laporan.docx", crate::docread::sample_docx());
    env.write("buku.epub", crate::docread::sample_epub());
    let run = env.index();
    assert!(run.stderr.contains("4 new"), "{}", run.stderr);
    let lines = env.export();
    let by_file = |name: &str| {
        lines
            .iter()
            .filter(|l| l["file"].as_str().unwrap().ends_with(name))
            .collect::<Vec<_>>()
    };
    let blog = by_file("blog.html");
    assert!(!blog.is_empty());
    assert!(
        blog.iter().all(|l| {
            let t = l["text"].as_str().unwrap().to_lowercase();
            !t.contains("laporkan konten") && !t.contains("komentar")
        }),
        "boilerplate stays out: {blog:?}"
    );
    assert!(blog.iter().any(|l| {
        l["cites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["text"] == "Zelinsky, 1991")
    }));
    let journal = by_file("journal.html");
    assert_eq!(journal[0]["source"]["metadata"], "embedded");
    assert!(
        !journal[0]["source"]["authors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let epub = by_file("buku.epub");
    assert_eq!(
        epub[0]["locator"]["section"], "Bab 1. Pendahuluan",
        "{epub:?}"
    );
    assert!(
        epub.iter()
            .any(|l| l["locator"]["section"] == "Bab 2. Migrasi Sirkuler"),
        "{epub:?}"
    );
    let docx = by_file("laporan.docx");
    assert!(docx.len() >= 2, "{docx:?}");
}

#[test]
fn a_documents_own_metadata_is_cited_as_a_librarian_records_it() {
    // The sample DOCX says `dc:creator` "budi.santoso; Siti Rahmawati" (a
    // login and a name) and `dcterms:created` 2021-01-20 (when the file
    // was made).
    let env = Env::new();
    env.write("laporan.docx", crate::docread::sample_docx());
    env.index();
    let (_, v) = env.search_json("migrasi", &[]);
    let hit = &v["hits"][0];
    assert_eq!(
        hit["source"]["authors"],
        serde_json::json!(["Rahmawati, Siti"]),
        "{hit}"
    );
    assert_eq!(hit["source"]["year"], serde_json::Value::Null, "{hit}");
    let citation = hit["citation"].as_str().unwrap();
    assert!(citation.starts_with("(Rahmawati, n.d."), "{citation}");
    let reference = hit["reference"].as_str().unwrap();
    assert!(
        reference.starts_with("Rahmawati, S. (n.d.)."),
        "{reference}"
    );
}

#[test]
fn pdf_pages_carry_printed_labels_or_the_page_range_offset() {
    use crate::pdf::fixtures;
    let env = Env::new();
    env.write("temu-kembali.pdf", fixtures::build(&fixtures::article()));
    let mut plain = fixtures::article();
    plain.page_labels = None;
    plain.info = None;
    env.write("rahayu2024.pdf", fixtures::build(&plain));
    env.write(
        "lib.bib",
        "@article{rahayu2024, author = {Rahayu, Siti and Santoso, Budi}, title = {Temu Kembali Informasi}, journal = {Jurnal Uji}, year = {2024}, pages = {201--206}}\n",
    );
    env.index();
    let lines = env.export();
    let labelled: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["file"].as_str().unwrap().ends_with("temu-kembali.pdf"))
        .collect();
    let pages: Vec<&str> = labelled
        .iter()
        .map(|l| l["locator"]["page"].as_str().unwrap())
        .collect();
    assert!(
        pages.contains(&"ii") && pages.contains(&"101") && pages.contains(&"104"),
        "{pages:?}"
    );
    let p = labelled
        .iter()
        .find(|l| l["text"].as_str().unwrap().contains("informasi yang sulit"))
        .unwrap();
    assert_eq!(
        p["locator"]["page"], "101",
        "hyphen rejoined, label kept: {p}"
    );
    assert_eq!(p["source"]["metadata"], "embedded");
    assert_eq!(
        p["source"]["title"],
        "Temu Kembali Informasi untuk Teks Ilmiah"
    );
    assert!(
        labelled
            .iter()
            .all(|l| !l["text"].as_str().unwrap().contains(fixtures::HEADER)),
        "running header removed"
    );
    let offset: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["source"]["key"] == "rahayu2024")
        .collect();
    let p = offset
        .iter()
        .find(|l| l["text"].as_str().unwrap().contains("informasi yang sulit"))
        .unwrap();
    assert_eq!(
        p["locator"]["page"], "203",
        "third physical page of a 201--206 article: {p}"
    );
    assert_eq!(p["citation"], "(Rahayu & Santoso, 2024, p. 203)");
}

#[test]
fn damaged_encrypted_and_image_only_pdfs_are_skipped_with_the_reason() {
    use crate::pdf::fixtures;
    let env = Env::new();
    let mut enc = fixtures::article();
    enc.encrypt = true;
    env.write("locked.pdf", fixtures::build(&enc));
    env.write("scan.pdf", fixtures::build(&fixtures::image_only()));
    let mut broken = fixtures::build(&fixtures::article());
    broken.truncate(broken.len() / 3);
    env.write("broken.pdf", broken);
    env.write("ok.md", "---\ntitle: OK\n---\nStill indexed.\n");
    let r = env.index();
    assert!(
        r.stderr.contains("locked.pdf: the PDF is encrypted"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("scan.pdf: the PDF has no text layer"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("broken.pdf: the PDF is damaged"),
        "{}",
        r.stderr
    );
    assert_eq!(env.export().len(), 1);
}
