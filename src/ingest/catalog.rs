//! Matching documents to their bibliographic records, in this order: front
//! matter `key` → front-matter metadata → a library entry whose `file` field
//! names the document → a library entry whose key is the file stem →
//! a title alone (first heading or line), with a warning.

use super::Document;
use crate::analysis::Lang;
use crate::cite::{Library, Record};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How a document's record was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `key:` in the front matter.
    FrontMatterKey,
    /// Metadata written in the front matter.
    FrontMatter,
    /// A library entry's `file` field names the document.
    FileField,
    /// A library entry's key equals the file stem.
    FileStem,
    /// Metadata the file states about itself (HTML meta tags, DOCX/EPUB package data).
    Embedded,
    /// No metadata: a title from the text, nothing else.
    TitleOnly,
}

impl Origin {
    /// Name used on the wire and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::FrontMatterKey => "front-matter-key",
            Origin::FrontMatter => "front-matter",
            Origin::FileField => "file-field",
            Origin::FileStem => "file-stem",
            Origin::Embedded => "embedded",
            Origin::TitleOnly => "title-only",
        }
    }
}

/// A document's record and what follows from it.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Key of the record (a library key, or the file stem for a document's own record).
    pub key: String,
    /// The record.
    pub record: Record,
    /// How it was found.
    pub origin: Origin,
    /// Whether the record is the document's own (not a library entry) and must be stored with it.
    pub own_record: bool,
    /// Printed number of the first page, from the record's page range.
    pub first_page: Option<i32>,
    /// Declared language (front matter, then record).
    pub lang: Option<Lang>,
    /// Warnings to report for this document.
    pub warnings: Vec<String>,
}

/// Attachment index: canonical path of each file a library entry names → key.
pub fn attachments(library: &Library) -> HashMap<PathBuf, String> {
    let mut map = HashMap::new();
    for entry in library.iter() {
        let base = entry.origin.parent().unwrap_or(Path::new("."));
        for f in &entry.files {
            let p = base.join(f);
            let p = p.canonicalize().unwrap_or(p);
            map.entry(p).or_insert_with(|| entry.key.clone());
        }
    }
    map
}

/// Resolves the record of every document; `taken` holds keys already used,
/// so a document's own record never shadows a library entry. `rank` is the
/// document's place among the indexed documents of the same file stem, in
/// path order: its own key is the stem's `rank`-th free key (`smith`,
/// `smith-2`, …), so that it depends on which files there are, not on the
/// order runs met them in.
pub fn resolve(
    doc: &Document,
    library: &Library,
    attached: &HashMap<PathBuf, String>,
    taken: &mut HashSet<String>,
    rank: usize,
) -> Resolved {
    let mut warnings = Vec::new();
    let front = doc.front.as_ref();
    if let Some(p) = front.and_then(|f| f.problem.as_ref()) {
        warnings.push(p.clone());
    }
    let from_library = |key: &str, origin: Origin, warnings: Vec<String>| {
        let record = library.get(key)?.record()?;
        Some(Resolved {
            key: key.to_string(),
            first_page: record.first_page(),
            lang: front.and_then(|f| f.lang).or(record.language()),
            record,
            origin,
            own_record: false,
            warnings,
        })
    };
    if let Some(key) = front.and_then(|f| f.key.as_deref()) {
        if let Some(r) = from_library(key, Origin::FrontMatterKey, warnings.clone()) {
            return r;
        }
        warnings.push(format!(
            "front matter key '{key}' is not in the library; add its record to a .bib file"
        ));
    }
    let stem = doc
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document")
        .to_string();
    if let Some(item) = front.and_then(|f| f.item.as_ref()) {
        let key = own_key(&stem, rank, library, taken);
        let mut json = item.clone();
        json["id"] = serde_json::Value::String(key.clone());
        let record = Record::from_csl_json(json).unwrap_or_else(|_| title_only(&key, &stem));
        return Resolved {
            key,
            first_page: record.first_page(),
            lang: front.and_then(|f| f.lang),
            record,
            origin: Origin::FrontMatter,
            own_record: true,
            warnings,
        };
    }
    let canonical = doc.path.canonicalize().unwrap_or_else(|_| doc.path.clone());
    if let Some(key) = attached.get(&canonical)
        && let Some(r) = from_library(key, Origin::FileField, warnings.clone())
    {
        return r;
    }
    if let Some(r) = from_library(&stem, Origin::FileStem, warnings.clone()) {
        return r;
    }
    if let Some(item) = &doc.embedded {
        let key = own_key(&stem, rank, library, taken);
        let mut json = item.clone();
        json["id"] = serde_json::Value::String(key.clone());
        if let Ok(record) = Record::from_csl_json(json) {
            return Resolved {
                key,
                first_page: record.first_page(),
                lang: doc.lang,
                record,
                origin: Origin::Embedded,
                own_record: true,
                warnings,
            };
        }
    }
    let key = own_key(&stem, rank, library, taken);
    let title = doc.title_hint.clone().unwrap_or_else(|| stem.clone());
    warnings.push(
        "no metadata (no front matter, no library entry naming it or keyed by its file name); \
         indexed with its first line as title"
            .to_string(),
    );
    Resolved {
        record: title_only(&key, &title),
        key,
        origin: Origin::TitleOnly,
        own_record: true,
        first_page: None,
        lang: front.and_then(|f| f.lang),
        warnings,
    }
}

/// A record with nothing but a title: all kutip may say of an unknown document.
fn title_only(key: &str, title: &str) -> Record {
    let json = serde_json::json!({ "id": key, "type": "document", "title": title });
    Record::from_csl_json(json).expect("a title-only CSL item is valid")
}

/// The key of a document's own record: the `rank`-th of `stem`, `stem-2`,
/// `stem-3`, … that the library does not hold, or the next one after it
/// that no other document has taken either.
fn own_key(stem: &str, rank: usize, library: &Library, taken: &mut HashSet<String>) -> String {
    let mut candidates = (1..)
        .map(|n| match n {
            1 => stem.to_string(),
            n => format!("{stem}-{n}"),
        })
        .filter(|k| !library.contains(k))
        .skip(rank);
    let key = candidates
        .find(|k| !taken.contains(k))
        .expect("the candidates never end");
    taken.insert(key.clone());
    key
}
