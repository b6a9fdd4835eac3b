//! Ingest: files on disk → [`Document`]s with passages, pages, sections and
//! metadata. First stage of the flow; it knows nothing of the index.

pub mod blocks;
pub mod catalog;
pub mod frontmatter;
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

/// Reads a file as text: UTF-8 (a BOM is dropped), or another encoding
/// detected from its bytes (Windows-1252 and Latin-1 are common in older
/// Indonesian documents), reported so it is never silently mangled. Binary
/// content is refused.
pub fn read_text(path: &Path) -> Result<Decoded, Skip> {
    let skip = |reason: String| Skip {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(path)
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
            let controls = text
                .chars()
                .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .count();
            if had_errors || controls * 100 > text.chars().count().max(1) {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(format!(
                    "line {line}: not valid UTF-8 and not readable as any known encoding; convert it to UTF-8 and index again"
                ));
            }
            Ok(Decoded {
                text: text.into_owned(),
                encoding: Some(encoding.name()),
            })
        }
    }
}

/// Reads a Markdown or plain-text document.
pub fn read_document(path: &Path, kind: walk::Kind) -> Result<Document, Skip> {
    let bytes = std::fs::read(path).map_err(|e| Skip {
        path: path.to_path_buf(),
        reason: format!("cannot read ({e}); check its permissions"),
    })?;
    parse_document(path, kind, &bytes)
}

/// Parses a document from its bytes (already read, e.g. to hash them).
pub fn parse_document(path: &Path, kind: walk::Kind, bytes: &[u8]) -> Result<Document, Skip> {
    let decoded = decode(bytes).map_err(|reason| Skip {
        path: path.to_path_buf(),
        reason,
    })?;
    let encoding = decoded.encoding;
    let text = decoded.text;
    let (front, body_start) = match kind {
        walk::Kind::Markdown => match frontmatter::split(&text) {
            Ok(Some((fm, start))) => (Some(fm), start),
            Ok(None) => (None, 0),
            Err(e) => {
                return Err(Skip {
                    path: path.to_path_buf(),
                    reason: e,
                });
            }
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
    })
}
