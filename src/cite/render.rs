//! Rendering in-text citations and reference-list entries through hayagriva's
//! bundled CSL styles and locales. kutip writes no formatting rules of its own.

use super::library::Record;
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    LocatorPayload, SpecificLocator,
};

/// The citation styles kutip offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum StyleName {
    /// APA 7th edition (author-date).
    #[default]
    Apa,
    /// Chicago Manual of Style, author-date.
    Chicago,
    /// MLA 9th edition.
    Mla,
    /// IEEE (numeric).
    Ieee,
    /// Harvard (Cite Them Right).
    Harvard,
}

impl StyleName {
    fn code(self) -> &'static str {
        match self {
            StyleName::Apa => "apa",
            StyleName::Chicago => "chicago",
            StyleName::Mla => "mla",
            StyleName::Ieee => "ieee",
            StyleName::Harvard => "harvard",
        }
    }

    fn archived(self) -> ArchivedStyle {
        match self {
            StyleName::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
            StyleName::Chicago => ArchivedStyle::ChicagoAuthorDate,
            StyleName::Mla => ArchivedStyle::ModernLanguageAssociation,
            StyleName::Ieee => ArchivedStyle::InstituteOfElectricalAndElectronicsEngineers,
            StyleName::Harvard => ArchivedStyle::HarvardCiteThemRight,
        }
    }
}

/// The locales kutip offers for citation terms (`p.`/`hlm.`, `and`/`dan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LocaleName {
    /// English (US).
    #[default]
    En,
    /// Indonesian.
    Id,
}

impl LocaleName {
    fn code(self) -> &'static str {
        match self {
            LocaleName::En => "en-US",
            LocaleName::Id => "id-ID",
        }
    }
}

/// A citation and its reference-list entry, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// In-text citation, e.g. `(Zelinsky, 1991, p. 3)`.
    pub citation: String,
    /// Reference-list entry.
    pub reference: String,
}

/// Renders records in one style and locale; build once, use for every hit.
pub struct Renderer {
    name: StyleName,
    locale_name: LocaleName,
    style: IndependentStyle,
    locales: Vec<Locale>,
    locale: LocaleCode,
}

impl Renderer {
    /// Loads the bundled style and locales.
    pub fn new(name: StyleName, locale: LocaleName) -> crate::Result<Self> {
        let Style::Independent(style) = name.archived().get() else {
            return Err(crate::Error::Cite(
                "bundled style is not independent".into(),
            ));
        };
        let locale_name = locale;
        let locale = LocaleCode(locale.code().to_string());
        Ok(Renderer {
            name,
            locale_name,
            style,
            locales: bundled_locales(&[locale_name.code(), "en-US"]),
            locale,
        })
    }

    /// Renders `record` with an optional page locator (`12` or `12–13`).
    pub fn render(&self, record: &Record, page: Option<&str>) -> Rendered {
        let (mut citations, reference) = self.render_pages(record, &[page]);
        Rendered {
            citation: citations.pop().unwrap_or_default(),
            reference,
        }
    }

    /// The in-text citations of `record` at each of `pages`, and its
    /// reference entry, from one trip through the style.
    fn render_pages(&self, record: &Record, pages: &[Option<&str>]) -> (Vec<String>, String) {
        // hayagriva's `EntryLike` trait is not public, so the driver call is
        // written once in a macro and instantiated for both record types.
        macro_rules! drive {
            ($entry:expr) => {{
                let mut driver = BibliographyDriver::new();
                for page in pages {
                    let locator =
                        page.map(|p| SpecificLocator(Locator::Page, LocatorPayload::Str(p)));
                    driver.citation(CitationRequest::new(
                        vec![CitationItem::with_locator($entry, locator)],
                        &self.style,
                        Some(self.locale.clone()),
                        &self.locales,
                        None,
                    ));
                }
                driver.finish(BibliographyRequest::new(
                    &self.style,
                    Some(self.locale.clone()),
                    &self.locales,
                ))
            }};
        }
        let result = match record {
            Record::Bib { entry, .. } => drive!(entry.as_ref()),
            Record::Csl { item, .. } => drive!(item),
        };
        let mut citations: Vec<String> = result
            .citations
            .iter()
            .map(|c| tidy(&plain(&c.citation)))
            .collect();
        citations.resize(pages.len(), String::new());
        let reference = result
            .bibliography
            .and_then(|b| b.items.into_iter().next())
            .map(|item| {
                let mut s = String::new();
                if let Some(first) = item.first_field {
                    let _ = first.write_buf(&mut s, BufWriteFormat::Plain);
                    s.push(' ');
                }
                s.push_str(&plain(&item.content));
                s
            })
            .unwrap_or_default();
        (citations, tidy(&reference))
    }

    /// The in-text citation alone, without rendering a reference list: the
    /// query path cites every hit with its page, while a work's reference
    /// entry is the same for all its hits and rendered once.
    pub fn citation(&self, record: &Record, page: Option<&str>) -> String {
        macro_rules! cite {
            ($entry:expr) => {{
                let locator = page.map(|p| SpecificLocator(Locator::Page, LocatorPayload::Str(p)));
                hayagriva::standalone_citation(CitationRequest::new(
                    vec![CitationItem::with_locator($entry, locator)],
                    &self.style,
                    Some(self.locale.clone()),
                    &self.locales,
                    None,
                ))
            }};
        }
        let children = match record {
            Record::Bib { entry, .. } => cite!(entry.as_ref()),
            Record::Csl { item, .. } => cite!(item),
        };
        tidy(&plain(&children))
    }
}

/// What a stored rendering depends on besides the record, the style and the
/// locale. A hayagriva upgrade or a change to what kutip does to its output
/// (`tidy`) or to how a record becomes hayagriva's entry (`library::mend`)
/// must change it, so that an index's renderings are not served stale: a
/// rendering made otherwise is ignored and the work rendered anew.
pub const RENDERING: &str = concat!(
    "kutip ",
    env!("CARGO_PKG_VERSION"),
    "; hayagriva 0.10.1; tidy 3; mapping 2"
);

/// A work's reference entry, citation without a page and citation template
/// rendered when the index was built, in the default style and locale: a
/// `kutip search` process then cites the works it meets without a trip
/// through hayagriva, which costs a quarter of a millisecond a work. Other
/// styles render as before.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prerendered {
    /// What rendered it ([`RENDERING`]): another may render differently.
    made_by: String,
    style: String,
    locale: String,
    /// The citation template (see [`Renderer::template_and_reference`]).
    pub template: Option<String>,
    /// The in-text citation without a page.
    pub citation: String,
    /// The reference-list entry.
    pub reference: String,
}

impl Prerendered {
    /// Renders `record` in the default style and locale.
    pub fn of(record: &Record) -> Option<Self> {
        static DEFAULT: std::sync::LazyLock<Option<Renderer>> = std::sync::LazyLock::new(|| {
            Renderer::new(StyleName::default(), LocaleName::default()).ok()
        });
        let r = DEFAULT.as_ref()?;
        let (citations, reference) = r.render_pages(record, &[Some(PAGE_SLOT), None]);
        let [template, citation] = <[String; 2]>::try_from(citations).ok()?;
        Some(Prerendered {
            made_by: RENDERING.to_string(),
            style: r.name.code().to_string(),
            locale: r.locale_name.code().to_string(),
            template: Renderer::template(template),
            citation,
            reference,
        })
    }

    /// The form the index stores.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads [`Prerendered::to_stored`]'s form.
    pub fn from_stored(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok()
    }
}

impl Renderer {
    /// `p`, when it was made under the same [`RENDERING`] in this renderer's
    /// style and locale: then its parts are what rendering here would give.
    pub fn prerendered(&self, p: Prerendered) -> Option<Prerendered> {
        (p.made_by == RENDERING
            && p.style == self.name.code()
            && p.locale == self.locale_name.code())
        .then_some(p)
    }
}

/// A page no document has, rendered in a page's place and then replaced
/// (see [`Renderer::template_and_reference`]).
const PAGE_SLOT: &str = "987654321";

/// Whether `page` is a plain number, which every style prints as it is.
pub fn is_plain_page(page: &str) -> bool {
    !page.is_empty() && page.len() < PAGE_SLOT.len() && page.bytes().all(|b| b.is_ascii_digit())
}

impl Renderer {
    /// The in-text citation of `record` with a stand-in page, for
    /// [`Renderer::fill`], and its reference entry, from one trip through
    /// the style: a style treats every plain number alike, so one rendering
    /// per work serves all its pages and its reference, and citing ten
    /// passages costs one trip rather than ten. The template is `None` when
    /// the stand-in comes out more than once.
    pub fn template_and_reference(&self, record: &Record) -> (Option<String>, String) {
        let r = self.render(record, Some(PAGE_SLOT));
        (Renderer::template(r.citation), r.reference)
    }

    /// A citation rendered with the stand-in page, as a template.
    fn template(citation: String) -> Option<String> {
        (citation.matches(PAGE_SLOT).count() <= 1).then_some(citation)
    }

    /// A template's citation for the plain-number `page` (see [`is_plain_page`]).
    pub fn fill(template: &str, page: &str) -> String {
        template.replacen(PAGE_SLOT, page, 1)
    }

    /// The cited work's part of a secondary citation: its in-text citation
    /// without brackets (`Ogawa, 2012, p. 4`), or, for a work the library
    /// does not have, the author and year as the citing text gives them.
    pub fn cited_part(
        &self,
        record: Option<&Record>,
        authors: &[String],
        et_al: bool,
        year: &str,
        page: Option<&str>,
    ) -> String {
        let citation = record.map(|r| self.citation(r, page));
        self.cited_part_from(citation.as_deref(), authors, et_al, year)
    }

    /// [`Renderer::cited_part`] from the cited work's in-text citation, when
    /// the library has the work and its citation is rendered already.
    pub fn cited_part_from(
        &self,
        citation: Option<&str>,
        authors: &[String],
        et_al: bool,
        year: &str,
    ) -> String {
        if let Some(c) = citation
            && self.name != StyleName::Ieee
        {
            return strip_brackets(c).to_string();
        }
        let (and, others) = match self.locale_name {
            LocaleName::En => (
                if self.name == StyleName::Apa {
                    "&"
                } else {
                    "and"
                },
                "et al.",
            ),
            LocaleName::Id => ("dan", "dkk."),
        };
        let names = match (authors, et_al) {
            ([a], false) => a.clone(),
            ([a, b], false) => format!("{a} {and} {b}"),
            ([a, ..], _) => format!("{a} {others}"),
            ([], _) => String::new(),
        };
        match self.name {
            StyleName::Mla => names,
            StyleName::Chicago => format!("{names} {year}"),
            _ => format!("{names}, {year}"),
        }
    }

    /// A secondary citation: the cited work as cited in the passage's source
    /// (`(Ogawa, 2012, as cited in Sarbini, 2021)`, Indonesian
    /// `(Ogawa, 2012 dalam Sarbini, 2021)`). CSL has no form for this, so the
    /// two citations hayagriva rendered are joined with the style's phrase.
    pub fn secondary(&self, cited_part: &str, citing_citation: &str) -> String {
        let citing = strip_brackets(citing_citation);
        let id = self.locale_name == LocaleName::Id;
        match self.name {
            StyleName::Mla => {
                let q = if id { "dikutip dalam" } else { "qtd. in" };
                format!("({q} {citing})")
            }
            StyleName::Ieee => {
                let q = if id { "dalam" } else { "as cited in" };
                format!("{cited_part}, {q} {citing_citation}")
            }
            _ if id => format!("({cited_part} dalam {citing})"),
            StyleName::Apa => format!("({cited_part}, as cited in {citing})"),
            _ => format!("({cited_part}, cited in {citing})"),
        }
    }
}

fn strip_brackets(s: &str) -> &str {
    s.strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(s)
}

/// The bundled CSL locales for `codes` only. Decoding all sixty-odd bundled
/// locales dominated the start of every `kutip search` process; a locale's
/// data names its own code, which finds it without decoding the others.
fn bundled_locales(codes: &[&str]) -> Vec<Locale> {
    let mut out: Vec<Locale> = hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| {
            // The code is among the first fields; looking there is enough.
            let head = &bytes[..bytes.len().min(512)];
            codes
                .iter()
                .any(|c| head.windows(c.len()).any(|w| w == c.as_bytes()))
        })
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .filter(|l| {
            l.lang
                .as_ref()
                .is_some_and(|lang| codes.contains(&lang.0.as_str()))
        })
        .collect();
    if out.is_empty() {
        out = hayagriva::archive::locales();
    }
    out
}

fn plain(children: &hayagriva::ElemChildren) -> String {
    let mut s = String::new();
    let _ = children.write_buf(&mut s, BufWriteFormat::Plain);
    s
}

fn tidy(s: &str) -> String {
    let mut out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    // Punctuation hayagriva leaves around what a record lacks: the comma
    // before an absent month (APA's "(2021,)" for a generic document or a
    // web page) and a period after a title that ends with one inside its
    // quotation marks (Chicago's "“Notes.”."). No style wants either.
    // A change here changes RENDERING.
    for (bad, good) in [
        (",)", ")"),
        (", )", ")"),
        (".”.", ".”"),
        ("?”.", "?”"),
        ("!”.", "!”"),
        (".\".", ".\""),
    ] {
        if out.contains(bad) {
            out = out.replace(bad, good);
        }
    }
    // What CSL processors (citeproc-js, as Zotero prints) do and hayagriva
    // does not: no period after a title's own question or exclamation mark
    // (`Is It Over?.`), no space before the colon between a volume and its
    // pages (Chicago's `Geoforum 42 : 115–25`), and a typographic
    // apostrophe inside words (`O’Toole`, `Master’s thesis`), links aside.
    let words: Vec<String> = out
        .split(' ')
        .map(|w| {
            let w = match w.strip_suffix('.') {
                Some(stem) if stem.ends_with(['?', '!']) && !is_link(w) => stem,
                _ => w,
            };
            if w.contains('\'') && !is_link(w) {
                curl_apostrophes(w)
            } else {
                w.to_string()
            }
        })
        .collect();
    let mut out = words.join(" ");
    while let Some(at) = find_spaced_colon(&out) {
        out.replace_range(at..at + 1, "");
    }
    out
}

/// A word that is (part of) a link, which keeps its characters as they are.
fn is_link(w: &str) -> bool {
    w.contains("://") || w.starts_with("www.") || w.starts_with("doi:")
}

/// `'` between two letters as `’`.
fn curl_apostrophes(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(w.len() + 2);
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_alphabetic()
            && chars[i + 1].is_alphabetic();
        out.push(if c == '\'' && between { '’' } else { c });
    }
    out
}

/// The byte of a space between a digit and ` : ` followed by a digit.
fn find_spaced_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(3)).find(|&i| {
        b[i] == b' '
            && b[i + 1] == b':'
            && b[i + 2] == b' '
            && b[i - 1].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::library::read_bibtex;
    use std::path::Path;

    fn record(bib: &str) -> Record {
        read_bibtex(Path::new("t.bib"), bib).0.remove(0).record
    }

    #[test]
    fn prerendered_parts_are_what_rendering_gives_and_only_in_their_style() {
        let text = include_str!("../../corpus/references.bib");
        let mut records: Vec<Record> = read_bibtex(Path::new("references.bib"), text)
            .0
            .into_iter()
            .map(|e| e.record)
            .collect();
        assert!(records.len() > 10);
        let csl = r#"[{"id": "w", "type": "chapter", "title": "Twinning", "author": [{"family": "Ogawa", "given": "Akihiro"}], "container-title": "Cities Abroad", "issued": {"date-parts": [[2012]]}, "page": "40-52"}]"#;
        let read = crate::cite::library::read_csl_json(Path::new("w.json"), csl)
            .unwrap()
            .unwrap();
        records.extend(read.0.into_iter().map(|e| e.record));
        let apa = Renderer::new(StyleName::default(), LocaleName::default()).unwrap();
        let mla = Renderer::new(StyleName::Mla, LocaleName::En).unwrap();
        let apa_id = Renderer::new(StyleName::Apa, LocaleName::Id).unwrap();
        for record in &records {
            let stored = Prerendered::of(record).unwrap().to_stored();
            let p = apa
                .prerendered(Prerendered::from_stored(&stored).unwrap())
                .unwrap();
            let (template, reference) = apa.template_and_reference(record);
            assert_eq!(p.template, template, "{stored}");
            assert_eq!(p.reference, reference, "{stored}");
            assert_eq!(p.citation, apa.citation(record, None), "{stored}");
            let p = Prerendered::from_stored(&stored).unwrap();
            assert!(mla.prerendered(p.clone()).is_none());
            assert!(apa_id.prerendered(p).is_none());
        }
    }

    #[test]
    fn stored_renderings_name_the_hayagriva_in_use() {
        let lock = include_str!("../../Cargo.lock");
        let at = lock
            .find("name = \"hayagriva\"")
            .expect("hayagriva in Cargo.lock");
        let version = lock[at..]
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("version = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("its version");
        assert!(
            RENDERING.contains(&format!("hayagriva {version};")),
            "update RENDERING for hayagriva {version}"
        );
    }

    #[test]
    fn a_generic_document_with_a_year_only_has_no_stray_punctuation() {
        let csl = r#"[{"id": "n", "type": "document", "title": "Old Notes", "author": [{"family": "Sarbini", "given": "Ahmad"}], "issued": {"date-parts": [[2021]]}},
                      {"id": "w", "type": "webpage", "title": "Old Notes", "author": [{"family": "Sarbini", "given": "Ahmad"}], "issued": {"date-parts": [[2021]]}}]"#;
        let read = crate::cite::library::read_csl_json(Path::new("n.json"), csl)
            .unwrap()
            .unwrap();
        let apa = Renderer::new(StyleName::Apa, LocaleName::En).unwrap();
        let chicago = Renderer::new(StyleName::Chicago, LocaleName::En).unwrap();
        for e in &read.0 {
            assert_eq!(
                apa.render(&e.record, None).reference,
                "Sarbini, A. (2021). Old Notes.",
                "{}",
                e.key
            );
        }
        assert_eq!(
            chicago.render(&read.0[0].record, None).reference,
            "Sarbini, Ahmad. 2021. “Old Notes.”"
        );
    }

    #[test]
    fn output_is_typeset_as_csl_processors_typeset_it() {
        let series = record(
            "@book{o, author = {O'Toole, Kevin}, title = {Sister Cities: Is It Over?}, publisher = {Routledge}, series = {Studies in Local Government}, number = {4}, year = {2019}, url = {https://example.org/o'toole?.x}}",
        );
        let apa = Renderer::new(StyleName::Apa, LocaleName::En).unwrap();
        let chicago = Renderer::new(StyleName::Chicago, LocaleName::En).unwrap();
        // A typographic apostrophe in words, the link as it is; the series
        // number is no issue.
        assert_eq!(
            apa.render(&series, None).reference,
            "O’Toole, K. (2019). Sister Cities: Is It Over? Routledge. https://example.org/o'toole?.x"
        );
        // No period after the title's question mark.
        assert_eq!(
            chicago.render(&series, None).reference,
            "O’Toole, Kevin. 2019. Sister Cities: Is It over? Studies in Local Government 4. Routledge. https://example.org/o'toole?.x."
        );
        let article = record(
            "@article{c, author = {Clarke, Nick}, title = {Globalising Care? Town Twinning in Britain}, journal = {Geoforum}, volume = {42}, pages = {115--125}, year = {2011}}",
        );
        // No space before the colon between volume and pages.
        assert_eq!(
            chicago.render(&article, None).reference,
            "Clarke, Nick. 2011. “Globalising Care? Town Twinning in Britain.” Geoforum 42: 115–25."
        );
        // TeX's quotation marks typeset, the word after them title-cased.
        let quoted = record(
            "@article{q, author = {Clarke, Nick}, title = {In What Sense `spaces of Neoliberalism'? {The} New Localism}, journal = {Political Geography}, year = {2009}}",
        );
        assert!(
            chicago
                .render(&quoted, None)
                .reference
                .contains("“In What Sense ‘Spaces of Neoliberalism’? The New Localism.”"),
            "{}",
            chicago.render(&quoted, None).reference
        );
        let report = record(
            "@techreport{s, author = {Suryahadi, Asep}, title = {Kemiskinan di Daerah Perbatasan}, institution = {SMERU Research Institute}, address = {Jakarta}, type = {Working Paper}, year = {2015}, langid = {indonesian}}",
        );
        // The institution is the publisher, beside the place.
        assert_eq!(
            Renderer::new(StyleName::Harvard, LocaleName::En)
                .unwrap()
                .render(&report, None)
                .reference,
            "Suryahadi, A. (2015) Kemiskinan di Daerah Perbatasan. Working Paper. Jakarta: SMERU Research Institute."
        );
    }

    /// A renderer for every style and locale.
    fn every_renderer() -> Vec<(StyleName, LocaleName, Renderer)> {
        let styles = [
            StyleName::Apa,
            StyleName::Chicago,
            StyleName::Mla,
            StyleName::Ieee,
            StyleName::Harvard,
        ];
        styles
            .into_iter()
            .flat_map(|s| [LocaleName::En, LocaleName::Id].map(|l| (s, l)))
            .map(|(s, l)| (s, l, Renderer::new(s, l).unwrap()))
            .collect()
    }

    const ZELINSKY: &str = "@article{zelinsky1991, author = {Zelinsky, Wilbur}, title = {The Twinning of the World: Sister Cities in Geographic and Historical Perspective}, journal = {Annals of the Association of American Geographers}, year = {1991}, volume = {81}, number = {1}, pages = {1--31}}";

    #[test]
    fn apa_citation_with_page_and_reference() {
        let r = Renderer::new(StyleName::Apa, LocaleName::En).unwrap();
        let out = r.render(&record(ZELINSKY), Some("3"));
        assert_eq!(out.citation, "(Zelinsky, 1991, p. 3)");
        assert_eq!(
            out.reference,
            "Zelinsky, W. (1991). The Twinning of the World: Sister Cities in Geographic and \
             Historical Perspective. Annals of the Association of American Geographers, 81(1), 1–31."
        );
    }

    #[test]
    fn a_template_gives_the_citation_of_every_plain_page() {
        const BOOK: &str = "@book{kuznetsov2015, author = {Kuznetsov, Alexander S.}, title = {Theory and Practice of Paradiplomacy}, publisher = {Routledge}, address = {London}, year = {2015}}";
        for (style, locale, r) in every_renderer() {
            for bib in [ZELINSKY, BOOK] {
                let rec = record(bib);
                let (t, reference) = r.template_and_reference(&rec);
                let t = t.expect("template");
                assert_eq!(
                    reference,
                    r.render(&rec, None).reference,
                    "{style:?} {locale:?}"
                );
                for page in ["1", "7", "42", "250", "1999"] {
                    assert!(is_plain_page(page));
                    assert_eq!(
                        Renderer::fill(&t, page),
                        r.citation(&rec, Some(page)),
                        "{style:?} {locale:?} p. {page}"
                    );
                    // Secondary citations' cited parts come from the same fill.
                    assert_eq!(
                        r.cited_part_from(Some(&Renderer::fill(&t, page)), &[], false, "1991"),
                        r.cited_part(Some(&rec), &[], false, "1991", Some(page)),
                        "{style:?} {locale:?} p. {page}"
                    );
                }
            }
        }
        assert!(!is_plain_page("xii") && !is_plain_page("4–5") && !is_plain_page(""));
    }

    #[test]
    fn secondary_citations_in_both_locales() {
        const OGAWA: &str = "@mastersthesis{ogawa2012, author = {Ogawa, Asuka}, title = {Sister City as a Preservation Strategy}, school = {Columbia University}, year = {2012}}";
        let en = Renderer::new(StyleName::Apa, LocaleName::En).unwrap();
        let cited = en.cited_part(Some(&record(OGAWA)), &[], false, "2012", None);
        assert_eq!(
            en.secondary(&cited, "(Sarbini, 2021)"),
            "(Ogawa, 2012, as cited in Sarbini, 2021)"
        );
        let id = Renderer::new(StyleName::Apa, LocaleName::Id).unwrap();
        let cited = id.cited_part(None, &["de Villiers".into()], false, "2007", None);
        assert_eq!(
            id.secondary(&cited, "(Sarbini, 2021, hlm. 3)"),
            "(de Villiers, 2007 dalam Sarbini, 2021, hlm. 3)"
        );
        let mla = Renderer::new(StyleName::Mla, LocaleName::En).unwrap();
        assert_eq!(mla.secondary("Ogawa", "(Sarbini)"), "(qtd. in Sarbini)");
    }

    #[test]
    fn standalone_citations_match_the_full_rendering() {
        for (style, locale, r) in every_renderer() {
            let rec = record(ZELINSKY);
            for page in [None, Some("3"), Some("3–5")] {
                assert_eq!(
                    r.citation(&rec, page),
                    r.render(&rec, page).citation,
                    "{style:?} {locale:?} {page:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_needed_locales_are_decoded() {
        let l = bundled_locales(&["id-ID", "en-US"]);
        let mut codes: Vec<String> = l
            .iter()
            .filter_map(|l| l.lang.as_ref().map(|c| c.0.clone()))
            .collect();
        codes.sort();
        assert_eq!(codes, ["en-US", "id-ID"]);
    }

    #[test]
    fn indonesian_locale_uses_hlm() {
        let r = Renderer::new(StyleName::Apa, LocaleName::Id).unwrap();
        let out = r.render(&record(ZELINSKY), Some("3"));
        assert_eq!(out.citation, "(Zelinsky, 1991, hlm. 3)");
    }
}
