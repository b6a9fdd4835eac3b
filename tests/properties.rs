//! Bounded property tests of the library's pure functions: whatever the
//! input, they never panic, and what they return points into the input on
//! char boundaries. Inputs mix arbitrary Unicode with "token soup" built from
//! the syntax each reader cares about, so the interesting paths are reached.
//!
//! Each property runs a fixed number of cases (see [`cases`]); set
//! `PROPTEST_CASES` to run more. Crashes found by the fuzz targets in `fuzz/`
//! are kept at the end of this file as regression tests.

use kutip::analysis;
use kutip::cite::extract::extract;
use kutip::cite::library::{read_bibtex, read_csl_json};
use kutip::ingest::blocks;
use kutip::ingest::frontmatter;
use kutip::ingest::parse_document;
use kutip::ingest::walk::Kind;
use kutip::output::sanitize::{clean, escape_json};
use kutip::search::query::check_syntax;
use kutip::search::quote::{Item, align, quotation, words};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;

/// 64 cases per property unless `PROPTEST_CASES` says otherwise.
fn cases(n: u32) -> Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Strings made of `tokens`, up to `max` of them.
fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(tokens), 0..max).prop_map(|v| v.concat())
}

/// Token soup, arbitrary Unicode, or both interleaved.
fn text(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => soup(tokens, max),
        1 => any::<String>(),
        1 => "\\PC{0,120}",
        2 => (soup(tokens, max / 2), "\\PC{0,20}", soup(tokens, max / 2))
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
    ]
}

/// Tricky characters shared by several soups: multi-byte, combining,
/// controls, bidi, zero-width, NUL, CR, form feed, BOM, ligatures.
const TRICKY: &[&str] = &[
    "é",
    "e\u{301}",
    "ﬁ",
    "日本",
    "🙂",
    "\u{202e}",
    "\u{200b}",
    "\u{ad}",
    "\u{feff}",
    "\u{1b}[2J",
    "\0",
    "\r\n",
    "\r",
    "\u{c}",
    "\t",
    "’",
    "–",
    "—",
    "\u{2028}",
    "ǅ",
    "İ",
    "ß",
];

const YAML: &[&str] = &[
    "---\n",
    "---",
    "...\n",
    "\n",
    " ",
    "  ",
    "title: ",
    "author: ",
    "key: ",
    "lang: ",
    "year: ",
    "date: ",
    "type: ",
    "editor: ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "&a ",
    "*a",
    "!!str ",
    "!tag ",
    "? ",
    "|\n",
    ">\n",
    "#",
    "Kota Kembar",
    "Zelinsky, Wilbur",
    "id",
    "en",
    "2026-11-28",
    "99999999999999999999",
    "-1",
    "~",
    "null",
    "true",
    "family: ",
    "given: ",
    "literal: ",
    "%YAML 1.2\n",
    "\\",
    "\t",
    "é",
    "\u{202e}",
    "\0",
    "\u{feff}",
    "\r\n",
];

const BIBTEX: &[&str] = &[
    "crossref",
    "xdata",
    "{key1}",
    "{key1,key2}",
    "{key2,key2}",
    "@article{",
    "@book{",
    "@incollection(",
    "@string{",
    "@comment{",
    "@preamble{",
    "@",
    "{",
    "}",
    "(",
    ")",
    ",",
    "=",
    "\"",
    "#",
    " ",
    "\n",
    "key1",
    "key2",
    "author",
    "title",
    "year",
    "journal",
    "pages",
    "file",
    "editor",
    "booktitle",
    "volume",
    "series",
    "language",
    "date",
    " = ",
    "{Zelinsky, Wilbur}",
    "{1991}",
    "{1--31}",
    "{Full Text:files/1/a.pdf:application/pdf}",
    "s1",
    "\\\"o",
    "\\&",
    "{\\'e}",
    "$x$",
    "%",
    "and",
    "others",
    "{indonesian}",
    "2011a",
    "{{",
    "}}",
    "é",
    "\u{202e}",
    "\0",
    "\r\n",
    // Macros that use macros, themselves, or each other.
    "@string{s1 = ",
    "@string{s2 = s1 # {x}}",
    "@string{s1 = s2}",
    " # ",
    "s2",
];

/// The syntax of CSL-JSON, for the library reader.
const CSL_JSON: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\n",
    " ",
    "\"",
    "\\\"",
    "\"id\"",
    "\"type\"",
    "\"book\"",
    "\"title\"",
    "\"author\"",
    "\"issued\"",
    "{\"date-parts\": [[2019]]}",
    "[{\"family\": \"Sari\"}]",
    "\"a\"",
    "7",
    "null",
    "{\"id\": \"k\", \"type\": \"book\", \"title\": \"T\"}",
    "{\"id\": \"k2\", \"title\": \"No type\"}",
];

const PROSE: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ":",
    ".",
    " ",
    "  ",
    "\n",
    "Zelinsky",
    "Clarke",
    "de",
    "Villiers",
    "J.C.",
    "O'Toole",
    "O’Toole",
    "Smith",
    "&",
    "and",
    "dan",
    "et al.",
    "dkk.",
    "1991",
    "2009",
    "2011a",
    "b",
    "n.d.",
    "t.t.",
    "in press",
    "p.",
    "pp.",
    "hlm.",
    "h.",
    "3",
    "3–5",
    "3-5",
    "see",
    "lihat",
    "cf.",
    "Menurut",
    "menurut",
    "pada tahun",
    "menyatakan",
    "Tabel",
    "UU No. 23 Tahun 2014",
    "(see Figure 2)",
    "'s",
    "Kementerian",
    "Bank",
    "Presiden",
    "Jakarta",
    "dalam bukunya",
    "yang terbit",
    "12 Maret 2015",
    "§",
    "para.",
    "vol.",
    "é",
    "\u{301}",
    "🙂",
    "\u{202e}",
    "\u{200b}",
    "\0",
];

const QUERY: &[&str] = &[
    "kota",
    "kembar",
    "kerja sama",
    " ",
    "\"",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "&&",
    "||",
    "+",
    "-",
    "!",
    "*",
    "?",
    "~",
    "~2",
    "^",
    "^2",
    "^0.3",
    ":",
    "text:",
    "title:",
    "author:",
    "year:",
    "section:",
    "lang:",
    "key:",
    "foo:",
    "year:1991",
    "year:[1990 TO 2000]",
    "[",
    "]",
    "{",
    "}",
    " TO ",
    "IN ",
    "/",
    ".*",
    "\\",
    "'",
    "é",
    "\u{202e}",
    "\u{1b}",
    "\0",
    "\t",
    "\n",
    "2011",
    "sister city",
    "twinning",
];

const QUOTE: &[&str] = &[
    "kota",
    "kembar",
    "Kota-kota",
    "me-\nmahami",
    "me-\n mahami",
    "-",
    "\u{ad}",
    "\u{2010}",
    "\u{2011}",
    " ",
    "\n",
    "\n\n",
    "…",
    ".",
    ",",
    "\"",
    "“",
    "”",
    "’",
    "ﬁnal",
    "É",
    "e\u{301}",
    "日本",
    "🙂",
    "\u{c}",
    "twinning",
    "twinned",
    // Ellipsis marks last: see QUOTE_PLAIN.
    "...",
    "…",
    "[…]",
    "[...]",
    "(…)",
    "(...)",
];

/// `QUOTE` without its ellipsis marks.
const QUOTE_PLAIN: &[&str] = QUOTE.split_at(QUOTE.len() - 6).0;

const HTML: &[&str] = &[
    "<html>",
    "</html>",
    "<body>",
    "</body>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<h1>",
    "</h1>",
    "<table>",
    "<tr>",
    "<td>",
    "<br>",
    "<br/>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<meta name=\"citation_title\" content=\"",
    "<meta name=\"",
    "\">",
    "<title>",
    "</title>",
    "<nav>",
    "</nav>",
    "&amp;",
    "&#x1b;",
    "&#0;",
    "&",
    "<",
    ">",
    "\"",
    "Kota kembar",
    " ",
    "\n",
    "<![CDATA[",
    "]]>",
    "<?xml ?>",
    "<a href=\"x\">",
    "</a>",
    "<html lang=\"id\">",
    "<script type=\"application/ld+json\">{\"@type\":\"Article\"",
];

/// Asserts `range` lies in `text` on char boundaries.
fn on_boundaries(text: &str, from: usize, to: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(from <= to, "{what}: {from}..{to} reversed");
    prop_assert!(to <= text.len(), "{what}: {from}..{to} past {}", text.len());
    prop_assert!(
        text.is_char_boundary(from) && text.is_char_boundary(to),
        "{what}: {from}..{to} not on char boundaries of {text:?}"
    );
    Ok(())
}

/// Characters `clean` must drop and `escape_json` must escape.
fn dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

proptest! {
    #![proptest_config(cases(64))]

    // ---- front matter -------------------------------------------------------

    #[test]
    fn frontmatter_split_never_panics_and_body_starts_on_a_boundary(s in text(YAML, 40)) {
        match frontmatter::split(&s) {
            Ok(Some((fm, start))) => {
                prop_assert!(s.starts_with("---"));
                on_boundaries(&s, start, s.len(), "body")?;
                if let Some(item) = fm.item {
                    prop_assert!(item.get("title").is_some(), "{item}");
                }
            }
            Ok(None) => prop_assert!(
                s.split_inclusive('\n').next().is_none_or(|l| l.trim_end() != "---")
            ),
            Err(e) => {
                prop_assert!(!e.contains('\n'), "one line: {e:?}");
                prop_assert!(s.starts_with("---"));
            }
        }
    }

    #[test]
    fn frontmatter_with_fences_always_splits(yaml in soup(&YAML[4..], 30), body in "\\PC{0,40}") {
        let yaml = yaml.replace("---", "- - -").replace("...", ". . .");
        let doc = format!("---\n{yaml}\n---\n{body}");
        // Lines of the YAML that are exactly a fence were removed above, so
        // the closing fence is the one we wrote, unless the YAML has one.
        let closes_early = yaml.lines().any(|l| l.trim_end() == "---" || l.trim_end() == "...");
        if let Ok(Some((_, start))) = frontmatter::split(&doc) {
            if !closes_early {
                prop_assert_eq!(&doc[start..], body.as_str());
            }
        } else {
            prop_assert!(doc.len() > 64 * 1024 || closes_early, "not split: {doc:?}");
        }
    }

    // ---- BibTeX ---------------------------------------------------------------

    // The soup has `crossref` and `xdata` with keys of its own entries, so
    // cycles and diamonds come up (see `bibtex_self_crossref_regression`).
    #[test]
    fn read_bibtex_never_panics_and_lines_exist(s in text(BIBTEX, 60)) {
        let (entries, diags) = read_bibtex(Path::new("lib.bib"), &s);
        let lines = s.split('\n').count();
        for e in &entries {
            prop_assert!(e.line.is_some_and(|l| l >= 1 && l <= lines), "{:?} of {lines}", e.line);
            let _ = e.record.title();
            let _ = e.record.authors();
            let _ = e.record.year();
            let back = kutip::cite::Record::from_stored(&e.record.to_stored());
            prop_assert!(back.is_some(), "{} does not read back", e.key);
            let back = back.unwrap();
            prop_assert_eq!(back.title(), e.record.title(), "{}", e.key);
        }
        for d in &diags {
            prop_assert!(d.line.is_none_or(|l| l >= 1 && l <= lines), "{d}");
            prop_assert!(!d.message.contains('\n'), "one line: {d}");
            prop_assert!(d.to_string().starts_with("lib.bib"));
        }
    }

    // The body of the fuzz target `csl_json`.
    #[test]
    fn read_csl_json_never_panics_and_lines_exist(s in text(CSL_JSON, 60)) {
        let lines = s.split('\n').count();
        match read_csl_json(Path::new("lib.json"), &s) {
            Ok(Some((entries, diags))) => {
                for e in &entries {
                    prop_assert!(e.line.is_some_and(|l| l >= 1 && l <= lines), "{:?} of {lines}", e.line);
                    let back = kutip::cite::Record::from_stored(&e.record.to_stored());
                    prop_assert!(back.is_some(), "{} does not read back", e.key);
                }
                for d in &diags {
                    prop_assert!(d.line.is_some_and(|l| l >= 1 && l <= lines), "{d}");
                    prop_assert!(!d.message.contains('\n'), "one line: {d}");
                }
            }
            Ok(None) => {}
            Err(d) => prop_assert!(d.message.starts_with("not valid JSON"), "{d}"),
        }
    }

    #[test]
    fn read_bibtex_keeps_good_entries_next_to_bad_ones(bad in soup(BIBTEX, 30)) {
        // A good entry on its own line after any garbage (without @string,
        // which is shared by every entry) is always read.
        let bad = bad.replace("@string", "@misc");
        let bib = format!("{bad}\n@book{{good2015,\n  author = {{Okay, Oscar}},\n  title = {{Fine}},\n  year = {{2015}}\n}}\n");
        let (entries, _) = read_bibtex(Path::new("lib.bib"), &bib);
        prop_assert!(entries.iter().any(|e| e.key == "good2015"), "{bib:?}");
    }

    // ---- citations --------------------------------------------------------------

    #[test]
    fn citation_spans_slice_to_their_text(s in text(PROSE, 60)) {
        let found = extract(&s);
        let mut last = 0;
        for c in &found {
            on_boundaries(&s, c.span.0, c.span.1, "span")?;
            on_boundaries(&s, c.year_span.0, c.year_span.1, "year_span")?;
            prop_assert_eq!(&s[c.span.0..c.span.1], c.text.as_str());
            prop_assert!(!c.year.is_empty());
            prop_assert!(c.span.0 >= last, "not in order: {found:?}");
            last = c.span.0;
            let _ = c.compact();
        }
    }

    #[test]
    fn text_with_a_citation_may_cite(s in text(&[
        "(", ")", ",", ";", ":", ".", " ", "\n", "Zelinsky", "de Villiers", "n.d.", "N.D.",
        "nd", "(nd)", "t.t.", "t.th.", "s.a.", "In Press", "in\npress", "forthcoming",
        "Forthcoming", "1991", "2012a", "١٩٩١", "and", "Menurut", "dalam", "et al.", "hlm.",
        "p.", "'", "’", "-", "é", "K", "12345", "0999", "2100", "2099", "1000", "3",
    ], 40)) {
        // The pre-filter never hides a citation the extractor would find.
        if !extract(&s).is_empty() {
            prop_assert!(kutip::cite::extract::may_cite(&s), "{s:?}");
        }
    }

    #[test]
    fn citations_survive_surrounding_text(pre in "[^()\\[\\]]{0,30}", post in "[^()\\[\\]]{0,30}") {
        // A plain citation is found whatever stands around it, as long as
        // the surroundings do not open a parenthesis of their own.
        let s = format!("{pre} (Zelinsky, 1991) {post}");
        let found = extract(&s);
        for c in &found {
            prop_assert_eq!(&s[c.span.0..c.span.1], c.text.as_str());
        }
        prop_assert!(
            found.iter().any(|c| c.authors == ["Zelinsky"] && c.year == "1991"),
            "{s:?}: {found:?}"
        );
    }

    // ---- queries ----------------------------------------------------------------

    #[test]
    fn check_syntax_never_panics_and_errors_are_usage(q in text(QUERY, 30)) {
        if let Err(e) = check_syntax(&q) {
            prop_assert!(matches!(e, kutip::Error::Usage(_)), "{e:?}");
            prop_assert!(!e.to_string().contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn search_over_any_query_never_panics(q in text(QUERY, 20), translate: bool) {
        let index = search_index::open();
        let glossary = kutip::analysis::glossary::Glossary::built_in();
        let req = kutip::search::Request {
            query: q.clone(),
            limit: 5,
            ..Default::default()
        };
        match kutip::search::search(&index, &req, translate.then_some(&glossary)) {
            Ok(results) => {
                for h in &results.hits {
                    for r in &h.highlights {
                        on_boundaries(&h.passage.text, r.start, r.end, "highlight")?;
                    }
                }
            }
            Err(kutip::Error::Usage(_)) => {}
            Err(e) => prop_assert!(false, "{q:?}: not a usage error: {e:?}"),
        }
    }

    // ---- quotations -------------------------------------------------------------

    #[test]
    fn quote_words_and_items_lie_on_boundaries(s in text(QUOTE, 50)) {
        let ws = words(&s);
        let mut end = 0;
        for w in &ws {
            on_boundaries(&s, w.range.start, w.range.end, "word")?;
            prop_assert!(w.range.start >= end, "overlapping words {ws:?}");
            end = w.range.end;
        }
        let items = quotation(&s);
        prop_assert!(!matches!(items.first(), Some(Item::Gap)), "{items:?}");
        prop_assert!(!matches!(items.last(), Some(Item::Gap)));
        for pair in items.windows(2) {
            prop_assert!(!matches!(pair, [Item::Gap, Item::Gap]), "two gaps: {items:?}");
        }
        for i in &items {
            if let Item::Word(w) = i {
                on_boundaries(&s, w.range.start, w.range.end, "item")?;
            }
        }
    }

    #[test]
    fn a_text_aligns_with_itself_exactly(s in soup(QUOTE_PLAIN, 40)) {
        // Without ellipses (which make gaps), a text is its own quotation.
        let s = s.replace("...", ". .");
        let q = quotation(&s);
        let src = words(&s);
        match align(&q, &src, &s) {
            Some(a) => {
                prop_assert_eq!(a.edits, 0, "{:?}", a.diff);
                prop_assert!((a.similarity - 1.0).abs() < 1e-9);
                prop_assert!(a.span.start < a.span.end && a.span.end <= src.len());
            }
            None => prop_assert!(src.is_empty()),
        }
    }

    #[test]
    fn alignment_is_bounded_and_in_range(quote in text(QUOTE, 30), source in text(QUOTE, 60)) {
        let q = quotation(&quote);
        let src = words(&source);
        if let Some(a) = align(&q, &src, &source) {
            prop_assert!((0.0..=1.0).contains(&a.similarity), "{}", a.similarity);
            prop_assert!(a.span.start < a.span.end && a.span.end <= src.len(), "{:?}", a.span);
        }
    }

    // ---- sanitising -------------------------------------------------------------

    #[test]
    fn clean_never_outputs_escapes_or_bidi(s in text(TRICKY, 40)) {
        let c = clean(&s);
        prop_assert!(!c.chars().any(dangerous), "{c:?}");
        prop_assert!(!c.contains('\u{1b}'), "ESC in {c:?}");
    }

    #[test]
    fn escape_json_round_trips(s in text(TRICKY, 40)) {
        let j = serde_json::to_string(&s).unwrap();
        let e = escape_json(&j);
        prop_assert!(!e.chars().any(dangerous), "{e:?}");
        let back: String = serde_json::from_str(&e).unwrap();
        prop_assert_eq!(back, s.clone());
        // Inside a larger document, too.
        let doc = serde_json::json!({ "text": s, "list": [s] }).to_string();
        let back: serde_json::Value = serde_json::from_str(&escape_json(&doc)).unwrap();
        prop_assert_eq!(back["list"][0].as_str(), Some(s.as_str()));
    }

    // ---- analyzers --------------------------------------------------------------

    #[test]
    fn analyzers_never_panic_and_offsets_are_boundaries(s in text(&[
        "kota-kota", "bekerjasama", "kerja sama", "menulis", "penulis", "pemerintah-pemerintah",
        "sayur-mayur", "dedaunan", "The", "decentralised", "councils'", "twinned", "ﬁ", "é",
        "e\u{301}", "\u{ad}", "\u{200b}", "-", "--", "'", "’", " ", "\n", "日本語", "🙂", "İ",
        "ǅ", "kerjasamanya", "bermacam-macam", "-lah", "kukira", "organisation", "O'Toole",
    ], 40)) {
        for name in [analysis::EXACT, analysis::ID, analysis::EN] {
            let terms = analysis::analyze(name, &s);
            for (t, r) in &terms {
                on_boundaries(&s, r.start, r.end, name)?;
                prop_assert!(!t.is_empty(), "{name}: empty term in {terms:?}");
            }
        }
    }

    // ---- blocks -----------------------------------------------------------------

    #[test]
    fn passages_slice_to_their_text(s in text(&[
        "Kota kembar.", " ", "\n", "\n\n", "\u{c}", "# Judul\n", "## Bagian\n", "Satu dua tiga",
        ". ", "? ", "é", "\r\n", "---\n", "kata ", "🙂",
    ], 80), markdown: bool) {
        let p = blocks::parse(&s, 0, markdown);
        for x in &p.passages {
            on_boundaries(&s, x.start, x.end, "passage")?;
            prop_assert_eq!(&s[x.start..x.end], x.text.as_str());
            prop_assert!(x.line >= 1);
        }
    }

    #[test]
    fn text_fed_in_pieces_splits_as_the_whole(s in text(&[
        "Kota kembar.", " ", "\n", "\n\n", "\u{c}", "# Judul\n", "## Bagian\n", "Satu dua tiga",
        ". ", "? ", "é", "\r\n", "kata ", "🙂", "Judul Pendek\n\n", "  ", "\t",
    ], 120), markdown: bool, cuts in prop::collection::vec(1usize..40, 1..20), small: bool) {
        let whole = blocks::parse(&s, 0, markdown);
        // With no cut the pieces give the whole parse; with a small one,
        // every word still lands in exactly one passage, in order.
        let cut_above = if small { 24 } else { usize::MAX };
        let mut splitter = blocks::Splitter::new(markdown, None);
        let mut passages = Vec::new();
        let mut pending = String::new();
        let mut at = 0;
        let mut i = 0;
        while at < s.len() {
            let mut next = (at + cuts[i % cuts.len()]).min(s.len());
            while !s.is_char_boundary(next) {
                next += 1;
            }
            pending.push_str(&s[at..next]);
            at = next;
            i += 1;
            if i == 1 {
                splitter.title();
            }
            let used = splitter.feed(&pending, at == s.len(), cut_above, &mut passages);
            pending.drain(..used);
        }
        prop_assert!(pending.is_empty() || s.is_empty());
        for x in &passages {
            on_boundaries(&s, x.start, x.end, "passage")?;
            prop_assert_eq!(&s[x.start..x.end], x.text.as_str());
        }
        if small {
            prop_assert!(passages.windows(2).all(|w| w[0].end <= w[1].start));
            // Cut pieces are never headings, so when the whole parse found
            // none, every character is in exactly one passage either way.
            let strip = |ps: &[kutip::ingest::Passage]| -> String {
                ps.iter().flat_map(|p| p.text.split_whitespace()).collect()
            };
            let all: String = s.split_whitespace().collect();
            if strip(&whole.passages) == all {
                prop_assert_eq!(strip(&passages), all);
            }
        } else {
            // Passages given out before the first form feed was read have
            // no page; in the whole parse they are on page 1.
            if whole.paged {
                for p in passages.iter_mut().filter(|p| p.page.is_none()) {
                    p.page = Some(1);
                }
            }
            let parsed = splitter.finish(passages);
            prop_assert_eq!(parsed.title, whole.title);
            prop_assert_eq!(parsed.passages, whole.passages);
        }
    }

    #[test]
    fn read_html_never_panics(s in text(HTML, 60)) {
        if let Ok(e) = kutip::ingest::html::read_html(&s) {
            let _ = blocks::parse(&e.text, 0, true);
        }
    }
}

proptest! {
    // Most random bytes are turned away at once: thousands of cases are cheap.
    #![proptest_config(cases(2000))]

    // The bodies of the fuzz targets `docx`, `epub` and `pdf`: arbitrary
    // bytes after the magic number that sends them to the reader.
    #[test]
    fn document_readers_never_panic(
        kind in prop::sample::select(&[Kind::Docx, Kind::Epub, Kind::Pdf][..]),
        tail in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let magic: &[u8] = if kind == Kind::Pdf { b"%PDF-1.4\n" } else { b"PK\x03\x04" };
        let bytes = [magic, &tail].concat();
        if let Ok(doc) = parse_document(Path::new("f"), kind, &bytes) {
            document_in_order(&doc)?;
        }
    }
}

/// What the fuzz targets `docx`, `epub` and `pdf` check of a document read.
fn document_in_order(doc: &kutip::ingest::Document) -> Result<(), TestCaseError> {
    let mut last = 0;
    for p in &doc.passages {
        prop_assert!(
            p.start >= last && p.start <= p.end,
            "passages in reading order"
        );
        last = p.start;
        prop_assert!(p.page_end.is_none() || p.page_end != p.page);
        if !doc.page_labels.is_empty() {
            prop_assert!(
                p.page
                    .is_some_and(|n| n >= 1 && n as usize <= doc.page_labels.len())
            );
        }
    }
    Ok(())
}

/// One small index for the search property, built once by the real binary.
mod search_index {
    use kutip::index::KutipIndex;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    static DIR: OnceLock<PathBuf> = OnceLock::new();

    pub fn open() -> KutipIndex {
        let dir = DIR.get_or_init(|| {
            let tmp = tempfile::tempdir().expect("temp dir").keep();
            let docs = tmp.join("docs");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::write(
                docs.join("a.md"),
                "---\ntitle: Kota Kembar\nauthor: [\"Zelinsky, Wilbur\"]\nyear: 1991\nlang: id\n---\n# Kota Kembar\n\nKota kembar adalah kerja sama antara dua kota (Clarke, 2009).\n\nSister city twinning and reconciliation.\n",
            )
            .unwrap();
            std::fs::write(
                docs.join("lib.bib"),
                "@article{clarke2009,\n  author = {Clarke, Nick},\n  title = {In What Sense Spaces of Neoliberalism?},\n  year = {2009}\n}\n",
            )
            .unwrap();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_kutip"))
                .args(["index", "docs", "--index", "idx", "--quiet"])
                .current_dir(&tmp)
                .output()
                .expect("run kutip index");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            tmp.join("idx")
        });
        KutipIndex::open(dir).expect("open index")
    }
}

// ---------------------------------------------------------------------------
// Regressions: inputs that once crashed or misbehaved.

/// An entry whose `crossref` names itself overflows the stack in biblatex's
/// `Entry::resolve_crossrefs` (called by `read_bibtex`); a stack overflow
/// aborts the whole test binary, so this stays ignored until fixed.
#[test]
fn bibtex_self_crossref_regression() {
    for bib in [
        "@article{a, crossref = {a}, title = {T}, year = {2001}}",
        "@article{a, xdata = {a}, title = {T}}",
        "@article{a, crossref = {b}} @article{b, crossref = {a}}",
    ] {
        let _ = read_bibtex(Path::new("lib.bib"), bib);
    }
}

/// Found by `cargo fuzz run bibtex` (crash-e22740df…, a 4 KB mutation of
/// corpus/references.bib; minimised by hand to the line below): entries on
/// one line are one chunk, every entry of it is stored with the chunk's whole
/// source, and `Record::from_stored` reads back the first entry — so
/// `kutip cite b2002` prints Alpha's citation and reference, and citations of
/// Beta get "(Alpha, 2001, as cited in …)".
#[test]
fn two_entries_on_one_line_keep_their_own_records() {
    let bib = "@book{a2001, author = {Alpha, Ann}, title = {Alpha Book}, year = {2001}} @book{b2002, author = {Beta, Bob}, title = {Beta Book}, year = {2002}}\n";
    let (entries, _) = read_bibtex(Path::new("lib.bib"), bib);
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["a2001", "b2002"]);
    for e in &entries {
        let back = kutip::cite::Record::from_stored(&e.record.to_stored()).unwrap();
        assert_eq!(back.title(), e.record.title(), "{}", e.key);
        assert_eq!(back.authors(), e.record.authors(), "{}", e.key);
    }
}
