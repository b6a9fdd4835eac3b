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

/// Reads a file's bytes as UTF-8 text, refusing binary and other encodings.
pub fn read_text(path: &Path) -> Result<String, Skip> {
    let skip = |reason: String| Skip {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = std::fs::read(path)
        .map_err(|e| skip(format!("cannot read ({e}); check its permissions")))?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(skip(
            "binary content (NUL bytes); not a text file, skipped".into(),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(s)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let prefix = &e.as_bytes()[..at];
            let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(skip(format!(
                "line {line}: not valid UTF-8; convert it (e.g. `iconv -f WINDOWS-1252 -t UTF-8`) and index again"
            )))
        }
    }
}

/// Reads a Markdown or plain-text document.
pub fn read_document(path: &Path, kind: walk::Kind) -> Result<Document, Skip> {
    let text = read_text(path)?;
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
    })
}
