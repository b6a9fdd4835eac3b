//! The JSON wire format. These types exist only for output: internal types
//! can change without changing what scripts read. `tests/` declares the
//! same shape again on its own.

use super::Cited;
use serde::Serialize;

/// `kutip search --format json`.
#[derive(Serialize)]
pub struct SearchOutput<'a> {
    /// The query as given.
    pub query: &'a str,
    /// Matching passages in all.
    pub total: usize,
    /// For a query of one quoted phrase alone, the passages holding the
    /// phrase (ranked first; those holding its words follow).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phrase_total: Option<usize>,
    /// The hits, best first.
    pub hits: Vec<HitOut<'a>>,
}

/// One hit (or, without rank and score, one exported passage).
#[derive(Serialize)]
pub struct HitOut<'a> {
    /// 1-based rank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// BM25 score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// Exact passage text.
    pub text: &'a str,
    /// `id` or `en`; null when undetermined.
    pub lang: Option<&'static str>,
    /// The work the passage comes from.
    pub source: Source<'a>,
    /// Where in the work.
    pub locator: Locator<'a>,
    /// In-text citation with the page.
    pub citation: &'a str,
    /// Reference-list entry.
    pub reference: &'a str,
    /// Citations the passage itself makes.
    pub cites: Vec<CiteOut<'a>>,
    /// The file.
    pub file: &'a str,
}

/// A citation the passage makes.
#[derive(Serialize)]
pub struct CiteOut<'a> {
    /// Library key; null when the library cannot resolve it.
    pub key: Option<&'a str>,
    /// Surface text.
    pub text: &'a str,
    /// Surnames as written.
    pub authors: &'a [String],
    /// Year as written.
    pub year: &'a str,
    /// Pinpoint locator (`{"label","value","raw"}`), or null.
    pub locator: Option<&'a crate::cite::CiteLocator>,
    /// Byte span in `text` of the hit.
    pub span: (usize, usize),
    /// The cited work as cited in this passage's source, in the chosen style.
    pub secondary_citation: &'a str,
    /// For an unresolved citation, the nearest library keys.
    pub candidates: &'a [String],
}

/// The work behind a passage.
#[derive(Serialize)]
pub struct Source<'a> {
    /// Library key.
    pub key: &'a str,
    /// Title.
    pub title: Option<&'a str>,
    /// Authors, `Family, Given`.
    pub authors: &'a [String],
    /// Year.
    pub year: Option<i32>,
    /// How the record was found (`front-matter`, `file-field`, `file-stem`, …).
    pub metadata: &'a str,
}

/// Where a passage is in its work.
#[derive(Serialize)]
pub struct Locator<'a> {
    /// Printed page where the passage starts; null for unpaged documents.
    pub page: Option<&'a str>,
    /// Printed page where it ends, when it runs onto another page.
    pub page_end: Option<&'a str>,
    /// Paragraph number.
    pub paragraph: u32,
    /// Section heading.
    pub section: Option<&'a str>,
}

/// The wire form of one cited passage.
pub fn hit<'a>(c: &'a Cited<'a>) -> HitOut<'a> {
    let p = c.passage;
    HitOut {
        rank: c.rank,
        score: c.score,
        text: &p.text,
        lang: p.lang.map(|l| l.code()),
        source: Source {
            key: &p.key,
            title: p.title.as_deref(),
            authors: &p.authors,
            year: p.year,
            metadata: &p.origin,
        },
        locator: Locator {
            page: p.page.as_deref(),
            page_end: p.page_end.as_deref(),
            paragraph: p.paragraph,
            section: p.section.as_deref(),
        },
        citation: &c.citation,
        reference: &c.reference,
        cites: p
            .cites
            .iter()
            .zip(
                c.secondary
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::repeat("")),
            )
            .map(|(x, sec)| CiteOut {
                key: x.key.as_deref(),
                text: &x.text,
                authors: &x.authors,
                year: &x.year,
                locator: x.locator.as_ref(),
                span: x.span,
                secondary_citation: sec,
                candidates: &x.candidates,
            })
            .collect(),
        file: &p.file,
    }
}

/// Serialises `value` as one line of JSON, with unsafe characters escaped.
pub fn line<T: Serialize>(value: &T) -> String {
    let s = serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let mut s = super::sanitize::escape_json(&s);
    s.push('\n');
    s
}
