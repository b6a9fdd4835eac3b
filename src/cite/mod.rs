//! Citations: the bibliography (`library`), and rendering citations and
//! reference entries in a chosen style (`render`). Used by `ingest` to match
//! documents to their records and by `cli` to print hits.

pub mod export;
pub mod extract;
pub mod library;
pub mod render;
pub mod resolve;

pub use library::{Library, LibraryEntry, Record};
pub use render::{Renderer, StyleName};

use serde::{Deserialize, Serialize};

/// A citation a passage makes, resolved against the library: what the index
/// stores for each passage and what `cites` carries on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageCite {
    /// The library key, or null when the library has no such work.
    pub key: Option<String>,
    /// Surface text of the citation.
    pub text: String,
    /// Surnames as written.
    pub authors: Vec<String>,
    /// `et al.` / `dkk.`
    #[serde(default)]
    pub et_al: bool,
    /// Year as written (`2011a`, `n.d.`).
    pub year: String,
    /// Pinpoint locator.
    pub locator: Option<CiteLocator>,
    /// Byte span in the passage text.
    pub span: (usize, usize),
    /// Author named outside the parentheses.
    #[serde(default)]
    pub narrative: bool,
    /// `see`, `lihat`, `cf.` …
    #[serde(default)]
    pub prefix: Option<String>,
    /// For an unresolved citation, the nearest library keys (same author, other years).
    #[serde(default)]
    pub candidates: Vec<String>,
}

/// A pinpoint locator of an in-text citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiteLocator {
    /// `page`, `pages`, `chapter`, …
    pub label: String,
    /// Normalised value (`3–5`).
    pub value: String,
    /// As written (`hlm. 3`).
    pub raw: String,
}

/// Extracts and resolves the citations of a passage.
pub fn cites_of(text: &str, resolver: &resolve::Resolver) -> Vec<PassageCite> {
    if !extract::may_cite(text) {
        return Vec::new();
    }
    extract::extract(text)
        .into_iter()
        .map(|c| {
            let (key, candidates) = match resolver.resolve(&c) {
                resolve::Resolution::Resolved(k) => (Some(k), Vec::new()),
                resolve::Resolution::Unresolved(cands) => (None, cands),
            };
            PassageCite {
                key,
                locator: c.locator.map(|l| CiteLocator {
                    label: serde_json::to_value(l.label)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    value: l.value,
                    raw: l.raw,
                }),
                text: c.text,
                authors: c.authors,
                et_al: c.et_al,
                year: c.year,
                span: c.span,
                narrative: c.narrative,
                prefix: c.prefix,
                candidates,
            }
        })
        .collect()
}
