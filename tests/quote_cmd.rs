//! `kutip quote`: exact, re-punctuated, hyphen-broken, misquoted,
//! cross-paragraph and absent quotations, in both languages.

use crate::util::Env;
use serde_json::Value;

fn env() -> Env {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{clarke2009, author = {Clarke, Nick}, title = {In What Sense Spaces of Neoliberalism?}, journal = {Political Geography}, year = {2009}, pages = {496--507}}\n",
    );
    env.write(
        "clarke2009.txt",
        "Town twinning has been studied as a form of municipal internationalism that links\n\
         ordinary residents across borders.\n\n\
         The new localism gave towns a reason to look abroad, and twinning offered them\n\
         a ready-made device for doing so.\n\u{c}\n\
         Kerja sama antarkota tidak hanya menyangkut pemerintah daerah, tetapi juga\n\
         masyarakat yang ingin me-\nmahami kota mitranya secara langsung.\n\n\
         Perdamaian yang dibangun dari bawah membutuhkan waktu yang panjang.\n",
    );
    env.write(
        "notes.md",
        "---\ntitle: Catatan\nauthor: [\"Doe, Jane\"]\nyear: 2020\nlang: id\n---\nRekonsiliasi pascaperang sering dimulai dari pertemuan warga biasa yang saling mengunjungi kota mitra.\n",
    );
    env.index();
    env
}

fn quote(env: &Env, text: &str) -> (i32, Value) {
    let r = env.run(&["quote", text, "--index", "idx", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    (r.code, serde_json::from_str(&r.stdout).unwrap())
}

#[test]
fn exact_quotation_with_page_and_paste_ready_citation() {
    let env = env();
    let (code, v) = quote(
        &env,
        "twinning offered them a ready-made device for doing so",
    );
    assert_eq!(code, 0);
    let m = &v["matches"][0];
    assert_eq!(m["exact"], true);
    assert_eq!(m["similarity"], 1.0);
    assert_eq!(m["locator"]["page"], "496");
    assert_eq!(
        m["citation"],
        "\u{201c}twinning offered them a ready-made device for doing so\u{201d} (Clarke, 2009, p. 496)"
    );
    assert_eq!(m["source"]["key"], "clarke2009");
}

#[test]
fn repunctuated_and_recased_quotation_is_still_exact() {
    let env = env();
    let (_, v) = quote(
        &env,
        "“TOWN TWINNING has been studied—as a form of municipal internationalism”",
    );
    assert_eq!(v["matches"][0]["exact"], true, "{v}");
}

#[test]
fn hyphen_broken_words_match_both_ways() {
    let env = env();
    let (_, v) = quote(
        &env,
        "masyarakat yang ingin memahami kota mitranya secara langsung",
    );
    let m = &v["matches"][0];
    assert_eq!(m["exact"], true, "{v}");
    assert_eq!(m["locator"]["page"], "497", "after the form feed: {v}");
    let (_, v) = quote(&env, "ingin me-\nmahami kota mitranya");
    assert_eq!(v["matches"][0]["exact"], true, "{v}");
}

#[test]
fn a_misquotation_is_found_and_its_differences_shown() {
    let env = env();
    let (code, v) = quote(
        &env,
        "Rekonsiliasi pascaperang biasanya dimulai dari pertemuan warga biasa yang saling mengunjungi kota mitra",
    );
    assert_eq!(code, 0);
    let m = &v["matches"][0];
    assert_eq!(m["exact"], false);
    let sim = m["similarity"].as_f64().unwrap();
    assert!(sim > 0.8 && sim < 1.0, "{sim}");
    assert!(
        m["diff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["op"] == "changed" && d["quote"] == "biasanya" && d["source"] == "sering"),
        "{m}"
    );
    assert_eq!(
        m["citation"],
        "\u{201c}Rekonsiliasi pascaperang sering dimulai dari pertemuan warga biasa yang saling mengunjungi kota mitra\u{201d} (Doe, 2020)"
    );
}

#[test]
fn quotation_across_a_paragraph_and_page_boundary() {
    let env = env();
    let (_, v) = quote(
        &env,
        "a ready-made device for doing so. Kerja sama antarkota tidak hanya menyangkut pemerintah daerah",
    );
    let m = &v["matches"][0];
    assert_eq!(m["exact"], true, "{v}");
    assert_eq!(m["locator"]["page"], "496");
    assert_eq!(m["locator"]["page_end"], "497");
    assert!(
        m["citation"]
            .as_str()
            .unwrap()
            .ends_with("(Clarke, 2009, pp. 496–497)"),
        "{m}"
    );
}

#[test]
fn ellipsis_in_the_quotation_is_not_a_difference() {
    let env = env();
    let (_, v) = quote(&env, "Town twinning has been studied […] across borders");
    assert_eq!(v["matches"][0]["exact"], true, "{v}");
    assert!(
        v["matches"][0]["diff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["op"] == "elided")
    );
}

#[test]
fn an_absent_quotation_says_so_and_exits_1() {
    let env = env();
    let r = env.run(&[
        "quote",
        "Sister cities were invented by the Roman Empire to collect taxes",
        "--index",
        "idx",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no passage matches this quotation"),
        "{}",
        r.stderr
    );
    let (code, v) = quote(
        &env,
        "perdamaian dunia ditentukan oleh harga minyak internasional",
    );
    assert_eq!(code, 1);
    assert!(v["matches"].as_array().unwrap().is_empty());
}

#[test]
fn quotation_from_standard_input() {
    let env = env();
    let r = env.run_stdin(
        &["quote", "--index", "idx"],
        b"Perdamaian yang dibangun dari bawah\nmembutuhkan waktu yang panjang.\n",
    );
    assert_eq!(r.code, 0);
    let text = r.stdout;
    assert!(text.starts_with("1. 1.00 exact"), "{text}");
}
