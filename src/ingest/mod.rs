//! Ingest: files on disk → [`Document`]s with passages, pages, sections and
//! metadata. First stage of the flow; it knows nothing of the index.

pub mod archive;
pub mod blocks;
pub mod catalog;
pub mod docx;
pub mod epub;
pub mod extracted;
pub mod frontmatter;
pub mod html;
pub mod names;
pub mod pdf;
pub mod stream;
pub mod walk;

use crate::analysis::Lang;
use frontmatter::FrontMatter;
use std::path::{Path, PathBuf};

/// A passage: the unit kutip indexes and returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// The exact original text.
    pub text: String,
    /// Byte offset of `text` in the file.
    pub start: usize,
    /// Byte offset just past `text` in the file.
    pub end: usize,
    /// 1-based number of the paragraph the passage belongs to.
    pub paragraph: u32,
    /// The heading the passage stands under.
    pub section: Option<String>,
    /// 1-based physical page where the passage starts, for paged formats.
    pub page: Option<u32>,
    /// Physical page where it ends, when that differs.
    pub page_end: Option<u32>,
    /// 1-based line of the file where the passage starts.
    pub line: u32,
}

/// A document read from one file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as found under the folders given to `kutip index`.
    pub path: PathBuf,
    /// Front matter, when the file has some.
    pub front: Option<FrontMatter>,
    /// First heading or first line: the title of last resort.
    pub title_hint: Option<String>,
    /// Passages in reading order.
    pub passages: Vec<Passage>,
    /// Whether the format has pages (then passages carry page numbers).
    pub paged: bool,
    /// Language declared by the file itself.
    pub lang: Option<Lang>,
    /// The encoding it was decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
    /// Metadata the file states about itself (HTML `citation_*` tags, Dublin
    /// Core, DOCX and EPUB package data) as a CSL-JSON object with a title.
    pub embedded: Option<serde_json::Value>,
    /// Printed page labels, one per physical page, when the file has them (PDF).
    pub page_labels: Vec<String>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    /// The file.
    pub path: PathBuf,
    /// One line: what is wrong and what to do.
    pub reason: String,
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Text read from a file, and how it was decoded when it was not UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// `Some("windows-1252")` when the file was not UTF-8 and its encoding was detected.
    pub encoding: Option<&'static str>,
}

/// The largest file of `kind` read whole, and what to do with a larger
/// one. Readers hold a file and what they make of it (a web page's tree, a
/// PDF's objects) at once, several times its size: these bounds keep one
/// file within a few hundred megabytes. Text and Markdown have none: above
/// [`stream::STREAM_ABOVE`] they are read a block at a time.
pub fn whole_limit(kind: walk::Kind) -> Option<(u64, &'static str)> {
    use walk::Kind;
    match kind {
        Kind::Markdown | Kind::Text => None,
        Kind::Html => Some((16 << 20, "save the page as text or split it")),
        Kind::Docx | Kind::Epub | Kind::Pdf => Some((256 << 20, "split the document")),
        Kind::Bib | Kind::Json => Some((256 << 20, "split the library into several files")),
    }
}

/// Why a file of `kind` and `size` bytes is not read, if it is too large.
pub fn too_large(kind: walk::Kind, size: u64) -> Option<String> {
    let (limit, fix) = whole_limit(kind)?;
    (size > limit).then(|| {
        format!(
            "too large to read ({} MB; at most {} MB for this kind of file), skipped — {fix}",
            size.div_ceil(1 << 20),
            limit >> 20
        )
    })
}

/// Reads a file as text: UTF-8 (a BOM is dropped), or another encoding
/// detected from its bytes (Windows-1252 and Latin-1 are common in older
/// Indonesian documents), reported so it is never silently mangled. Binary
/// content is refused.
pub fn read_text(path: &Path) -> Result<Decoded, Skip> {
    let skip = |reason: String| Skip {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = crate::file::read_regular(path, u64::MAX)
        .map_err(|e| skip(format!("cannot read ({e}); check its permissions")))?;
    decode(&bytes).map_err(skip)
}

/// Decodes bytes as [`read_text`] does.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary content (NUL bytes); not a text file, skipped".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: s.strip_prefix('\u{FEFF}').unwrap_or(s).to_string(),
            encoding: None,
        }),
        Err(e) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors || garbled(&text) {
                return Err(not_text(bytes, e.valid_up_to()));
            }
            Ok(Decoded {
                text: text.into_owned(),
                encoding: Some(encoding.name()),
            })
        }
    }
}

/// Whether text decoded with a guessed encoding is mostly control
/// characters: then the guess is wrong and the file is not text.
fn garbled(text: &str) -> bool {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    controls * 100 > text.chars().count().max(1)
}

/// The error for bytes that are neither UTF-8 (valid up to `valid_up_to`)
/// nor any encoding kutip can detect.
fn not_text(bytes: &[u8], valid_up_to: usize) -> String {
    let line = memchr::memchr_iter(b'\n', &bytes[..valid_up_to]).count() + 1;
    format!(
        "line {line}: not valid UTF-8 and not readable as any known encoding; convert it to UTF-8 and index again"
    )
}

/// Parses a document from its bytes (already read, e.g. to hash them).
pub fn parse_document(path: &Path, kind: walk::Kind, bytes: &[u8]) -> Result<Document, Skip> {
    let skip = |reason: String| Skip {
        path: path.to_path_buf(),
        reason,
    };
    let extracted = match kind {
        walk::Kind::Html => {
            let decoded = decode(bytes).map_err(skip)?;
            Some((
                html::read_html(&decoded.text).map_err(|e| skip(e.to_string()))?,
                decoded.encoding,
            ))
        }
        walk::Kind::Docx => Some((
            docx::read_docx(bytes).map_err(|e| skip(e.to_string()))?,
            None,
        )),
        walk::Kind::Epub => Some((
            epub::read_epub(bytes).map_err(|e| skip(e.to_string()))?,
            None,
        )),
        walk::Kind::Pdf => return read_pdf_document(path, bytes),
        _ => None,
    };
    if let Some((e, encoding)) = extracted {
        let parsed = blocks::parse_titled(&e.text, 0, true, e.meta.title.as_deref());
        return Ok(Document {
            path: path.to_path_buf(),
            front: None,
            title_hint: parsed.title,
            passages: parsed.passages,
            paged: parsed.paged,
            lang: e.meta.lang.as_deref().and_then(Lang::parse),
            encoding,
            embedded: embedded_item(&e.meta),
            page_labels: Vec::new(),
        });
    }
    let decoded = decode(bytes).map_err(skip)?;
    let encoding = decoded.encoding;
    let text = decoded.text;
    let (front, body_start) = match kind {
        walk::Kind::Markdown => match frontmatter::split(&text) {
            Ok(Some((fm, start))) => (Some(fm), start),
            Ok(None) => (None, 0),
            Err(e) => return Err(skip(e)),
        },
        _ => (None, 0),
    };
    let markdown = kind == walk::Kind::Markdown;
    let parsed = blocks::parse(&text, body_start, markdown);
    let lang = front.as_ref().and_then(|f| f.lang);
    Ok(Document {
        path: path.to_path_buf(),
        front,
        title_hint: parsed.title,
        passages: parsed.passages,
        paged: parsed.paged,
        lang,
        encoding,
        embedded: None,
        page_labels: Vec::new(),
    })
}

/// A PDF: one text per page, joined with form feeds (a paragraph that runs
/// on to the next page stays one passage), with the pages' printed labels.
fn read_pdf_document(path: &Path, bytes: &[u8]) -> Result<Document, Skip> {
    let pdf = pdf::read_pdf(bytes).map_err(|e| Skip {
        path: path.to_path_buf(),
        reason: format!("{e}; skipped"),
    })?;
    let mut text = String::new();
    for (i, page) in pdf.pages.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\u{c}");
        }
        text.push_str(page.text.trim_end());
    }
    let labels: Vec<String> = pdf
        .pages
        .iter()
        .map(|p| p.label.clone().unwrap_or_default())
        .collect();
    let page_labels = if labels.iter().all(|l| !l.is_empty()) {
        labels
    } else {
        Vec::new()
    };
    // The PDF's own title and authors, unless the title is a file name a
    // word processor left there; its creation date is not a publication date.
    let title = pdf.meta.title.clone().filter(|t| {
        let l = t.to_lowercase();
        !(l.starts_with("microsoft word - ")
            || [".doc", ".docx", ".pdf", ".tex", ".odt", ".dvi"]
                .iter()
                .any(|e| l.ends_with(e))
            || l == "untitled")
    });
    let meta = extracted::Meta {
        title: title.clone(),
        authors: if title.is_some() {
            pdf.meta.authors.clone()
        } else {
            Vec::new()
        },
        ..extracted::Meta::default()
    };
    let parsed = blocks::parse_pages(&text);
    Ok(Document {
        path: path.to_path_buf(),
        front: None,
        title_hint: title.or(parsed.title),
        passages: parsed.passages,
        paged: true,
        lang: None,
        encoding: None,
        embedded: embedded_item(&meta),
        page_labels,
    })
}

/// The metadata a file states, as a CSL-JSON object; `None` without a title.
/// Names are read as [`names::csl_name`] reads them (an account name a word
/// processor wrote is no author).
pub fn embedded_item(m: &extracted::Meta) -> Option<serde_json::Value> {
    use serde_json::{Value, json};
    let title = m.title.as_ref()?;
    let mut o = serde_json::Map::new();
    o.insert(
        "type".into(),
        json!(m.kind.clone().unwrap_or_else(|| "document".into())),
    );
    o.insert("title".into(), json!(title));
    if !m.authors.is_empty() {
        let names: Vec<Value> = m
            .authors
            .iter()
            .filter_map(|a| names::csl_name(a))
            .collect();
        if !names.is_empty() {
            o.insert("author".into(), Value::Array(names));
        }
    }
    if let Some(d) = &m.date {
        let parts: Vec<i64> = d
            .split(['-', '/', 'T', ' '])
            .take(3)
            .map_while(|p| p.trim().parse::<i64>().ok())
            .collect();
        let date = match parts.first() {
            Some(y) if (1000..=9999).contains(y) => json!({ "date-parts": [parts] }),
            _ => json!({ "literal": d }),
        };
        o.insert("issued".into(), date);
    }
    let page = match (&m.first_page, &m.last_page) {
        (Some(a), Some(b)) => Some(format!("{a}-{b}")),
        (Some(a), None) => Some(a.clone()),
        _ => None,
    };
    for (k, v) in [
        ("container-title", &m.container_title),
        ("publisher", &m.publisher),
        ("DOI", &m.doi),
        ("ISBN", &m.isbn),
        ("URL", &m.url),
        ("volume", &m.volume),
        ("issue", &m.issue),
        ("language", &m.lang),
        ("page", &page),
    ] {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    }
    Some(Value::Object(o))
}
