//! Citation styles and locales against fixture files with the expected
//! output (`tests/fixtures/styles/STYLE-LOCALE.txt`), over the verified
//! records of `corpus/references.bib`: an `@incollection` (whose book title
//! hayagriva would print twice), an Indonesian-language title, a thesis, an
//! edited book and an article with a page. `KUTIP_BLESS=1 cargo test styles`
//! rewrites the fixtures after a deliberate change; review the diff.

use kutip::cite::library::read_bibtex;
use kutip::cite::render::LocaleName;
use kutip::cite::{Renderer, StyleName};
use std::path::Path;

const KEYS: &[&str] = &[
    "duchacek1990",
    "sarbini2021",
    "devilliers2005",
    "aldecoa1999",
    "zelinsky1991",
    "ogawa2012",
];

fn render(style: StyleName, locale: LocaleName) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bib = std::fs::read_to_string(root.join("corpus/references.bib")).unwrap();
    let (entries, diags) = read_bibtex(Path::new("references.bib"), &bib);
    assert!(diags.is_empty(), "{diags:?}");
    let r = Renderer::new(style, locale).unwrap();
    let mut out = String::new();
    for key in KEYS {
        let e = entries.iter().find(|e| e.key == *key).unwrap();
        let with_page = r.render(&e.record, Some("5"));
        let without = r.render(&e.record, None);
        out.push_str(&format!(
            "== {key}\ncitation: {}\ncitation p. 5: {}\nreference: {}\n",
            without.citation, with_page.citation, with_page.reference
        ));
    }
    let cited = r.cited_part(None, &["de Villiers".into()], false, "2007", None);
    out.push_str(&format!(
        "== secondary\n{}\n",
        r.secondary(
            &cited,
            &r.render(
                &entries
                    .iter()
                    .find(|e| e.key == "sarbini2021")
                    .unwrap()
                    .record,
                Some("5")
            )
            .citation
        )
    ));
    out
}

#[test]
fn every_style_and_locale_matches_its_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/styles");
    let bless = std::env::var_os("KUTIP_BLESS").is_some();
    let mut failures = Vec::new();
    for (style, sname) in [
        (StyleName::Apa, "apa"),
        (StyleName::Chicago, "chicago"),
        (StyleName::Mla, "mla"),
        (StyleName::Ieee, "ieee"),
        (StyleName::Harvard, "harvard"),
    ] {
        for (locale, lname) in [(LocaleName::En, "en"), (LocaleName::Id, "id")] {
            let got = render(style, locale);
            let path = dir.join(format!("{sname}-{lname}.txt"));
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if got != want {
                failures.push(format!(
                    "{}:\n--- want\n{want}\n--- got\n{got}",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn incollection_book_title_is_printed_once() {
    for style in [
        StyleName::Apa,
        StyleName::Chicago,
        StyleName::Mla,
        StyleName::Harvard,
        StyleName::Ieee,
    ] {
        let out = render(style, LocaleName::En);
        let duchacek = out
            .split("== ")
            .find(|s| s.starts_with("duchacek1990"))
            .unwrap();
        assert_eq!(
            duchacek
                .matches("Federalism and International Relations")
                .count(),
            1,
            "{style:?}: {duchacek}"
        );
    }
}

#[test]
fn indonesian_titles_are_not_title_cased() {
    for style in [StyleName::Chicago, StyleName::Mla] {
        let out = render(style, LocaleName::En);
        assert!(
            out.contains("Histori dan Esensi Paradiplomasi di Dunia"),
            "{style:?}: {out}"
        );
    }
}
