//! PDF reading: a PDF file's bytes → the text of each physical page (with
//! its printed page label) and the document's metadata. First step of
//! ingesting a PDF; knows nothing of passages or the index.
//!
//! Objects are parsed by `lopdf`; text is placed by our own content-stream
//! interpreter so that layout (columns, paragraphs, running headers) can be
//! judged from positions. Every read is bounded: input size, object count,
//! stream sizes, operators and characters per page, reference hops, form
//! nesting and tree depth.

mod clean;
mod cmap;
mod encodings;
mod font;
mod interp;
mod labels;
mod layout;
mod lexer;
mod meta;
mod objects;

pub use meta::PdfMeta;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use objects::Objects;
use std::collections::HashSet;

/// Largest input read, in bytes.
pub const MAX_BYTES: usize = 256 << 20;
/// Most indirect objects a document may have.
pub const MAX_OBJECTS: usize = 2_000_000;
/// Most pages a document may have.
pub const MAX_PAGES: usize = 100_000;
/// Largest decoded size of any one stream we decode (contents, fonts, forms).
const STREAM_LIMIT: usize = 64 << 20;
/// Largest decoded size of an object or cross-reference stream, which lopdf
/// decodes while loading (real ones hold a few hundred small objects).
const LOAD_STREAM_LIMIT: usize = 8 << 20;
/// Most object streams a document may have.
const MAX_OBJECT_STREAMS: usize = 10_000;
/// Content-stream tokens and characters read from a whole document at most.
const DOC_TOKENS: u64 = 400_000_000;
const DOC_GLYPHS: u64 = 100_000_000;

/// The text of a PDF, page by page.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfText {
    /// One entry per physical page, in order.
    pub pages: Vec<PdfPage>,
    /// Document info / XMP metadata when present; only what the file says.
    pub meta: PdfMeta,
}

/// One physical page.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    /// The printed label from /PageLabels ("xii", "101", "A-3"), or None when the PDF has no page labels.
    pub label: Option<String>,
    /// Paragraphs separated by a blank line; the lines of a paragraph joined by single spaces.
    pub text: String,
}

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfError {
    /// Encrypted with a password we do not have.
    Encrypted,
    /// Not a PDF, or too damaged to read; the reason.
    Damaged(String),
    /// No page has a text layer (scanned images).
    ImageOnly,
    /// Over the size or complexity limits.
    TooLarge,
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Encrypted => write!(
                f,
                "the PDF is encrypted and needs a password; save an unprotected copy to index it"
            ),
            PdfError::Damaged(why) => write!(f, "the PDF is damaged or not a PDF ({why})"),
            PdfError::ImageOnly => write!(
                f,
                "the PDF has no text layer (scanned pages?); run OCR on it first"
            ),
            PdfError::TooLarge => write!(f, "the PDF is too large or too complex to read safely"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Read the text of every page of a PDF.
pub fn read_pdf(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if bytes.len() > MAX_BYTES {
        return Err(PdfError::TooLarge);
    }
    if !bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err(PdfError::Damaged("no %PDF header".into()));
    }
    if count_objects(bytes) > MAX_OBJECTS || count_object_streams(bytes) > MAX_OBJECT_STREAMS {
        return Err(PdfError::TooLarge);
    }
    // lopdf is robust, but a panic on hostile input must not take the caller down.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes))) {
        Ok(r) => r,
        Err(_) => Err(PdfError::Damaged(
            "the file's structure could not be parsed".into(),
        )),
    }
}

/// Occurrences of the `obj` keyword: an upper bound on indirect objects outside object streams.
fn count_objects(bytes: &[u8]) -> usize {
    bytes
        .windows(4)
        .filter(|w| &w[1..] == b"obj" && (w[0] == b' ' || w[0] == b'\n' || w[0] == b'\r'))
        .count()
}

/// Occurrences of `/ObjStm`: object streams keep their dictionaries in the clear.
fn count_object_streams(bytes: &[u8]) -> usize {
    bytes.windows(7).filter(|w| w == b"/ObjStm").count()
}

fn has_encrypt_key(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

fn load_error(e: lopdf::Error, bytes: &[u8]) -> PdfError {
    use lopdf::Error as E;
    match e {
        E::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => PdfError::TooLarge,
        E::InvalidPassword | E::Decryption(_) => PdfError::Encrypted,
        _ if has_encrypt_key(bytes) => PdfError::Encrypted,
        E::Parse(_) | E::Xref(_) | E::InvalidOffset(_) => {
            PdfError::Damaged(format!("cross-reference table or objects unreadable: {e}"))
        }
        e => PdfError::Damaged(e.to_string()),
    }
}

struct PageRef<'a> {
    dict: &'a Dictionary,
    resources: Option<&'a Dictionary>,
}

/// Walk the page tree (bounded, cycle-safe), inheriting /Resources.
fn pages<'a>(objs: &Objects<'a>) -> Result<Vec<PageRef<'a>>, PdfError> {
    let doc = objs.doc;
    let catalog = objs
        .dict(doc.trailer.get(b"Root").ok())
        .ok_or_else(|| PdfError::Damaged("no document catalog".into()))?;
    let root = catalog
        .get(b"Pages")
        .map_err(|_| PdfError::Damaged("no page tree".into()))?;
    let mut out = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // (node, inherited resources, depth)
    let mut stack: Vec<(&'a Object, Option<&'a Dictionary>, usize)> = vec![(root, None, 0)];
    let mut steps = 0usize;
    while let Some((node, inherited, depth)) = stack.pop() {
        steps += 1;
        if steps > 4 * MAX_PAGES || out.len() > MAX_PAGES {
            return Err(PdfError::TooLarge);
        }
        if let Object::Reference(id) = node {
            if !seen.insert(*id) {
                continue; // a cycle or a page listed twice
            }
            if !doc.objects.contains_key(id) {
                return Err(PdfError::Damaged(format!(
                    "the page tree refers to a missing object ({} {} R): the file may be truncated",
                    id.0, id.1
                )));
            }
        }
        let Some(d) = objs.dict(Some(node)) else {
            continue;
        };
        let resources = objs.dict(d.get(b"Resources").ok()).or(inherited);
        let is_tree =
            matches!(objs.name(d.get(b"Type").ok()).as_deref(), Some(b"Pages")) || d.has(b"Kids");
        if is_tree {
            if depth > 64 {
                continue;
            }
            if let Some(kids) = objs.array(d.get(b"Kids").ok()) {
                for k in kids.iter().rev() {
                    stack.push((k, resources, depth + 1));
                }
            }
        } else {
            out.push(PageRef { dict: d, resources });
        }
    }
    if out.is_empty() {
        return Err(PdfError::Damaged("the document has no pages".into()));
    }
    Ok(out)
}

/// A page's content streams, decoded and concatenated.
fn page_content(objs: &Objects, page: &Dictionary) -> Result<Vec<u8>, PdfError> {
    let mut data = Vec::new();
    let Ok(contents) = page.get(b"Contents") else {
        return Ok(data);
    };
    let parts: Vec<&Object> = match objs.resolve(contents) {
        Object::Array(a) => a.iter().collect(),
        Object::Stream(_) => vec![contents],
        Object::Null if matches!(contents, Object::Reference(_)) => {
            return Err(PdfError::Damaged(
                "a page's content is missing: the file may be truncated".into(),
            ));
        }
        _ => Vec::new(),
    };
    for part in parts {
        if let Object::Reference(id) = part
            && !objs.doc.objects.contains_key(id)
        {
            return Err(PdfError::Damaged(
                "a page's content is missing: the file may be truncated".into(),
            ));
        }
        let Some(stream) = objs.stream(part) else {
            continue;
        };
        match stream.decompressed_content_with_limit(STREAM_LIMIT.saturating_sub(data.len())) {
            Ok(d) => data.extend_from_slice(&d),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(PdfError::TooLarge),
            // A stream that does not decode is skipped; the rest of the page is still read.
            Err(_) => {}
        }
        data.push(b'\n');
    }
    Ok(data)
}

fn read_inner(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let options = LoadOptions {
        max_decompressed_size: Some(LOAD_STREAM_LIMIT),
        ..LoadOptions::default()
    };
    let doc: Document =
        Document::load_mem_with_options(bytes, options).map_err(|e| load_error(e, bytes))?;
    if doc.trailer.has(b"Encrypt") {
        // lopdf opens files whose user password is empty; this one needs a password.
        return Err(PdfError::Encrypted);
    }
    if doc.objects.len() > MAX_OBJECTS {
        return Err(PdfError::TooLarge);
    }
    let objs = Objects {
        doc: &doc,
        stream_limit: STREAM_LIMIT,
    };
    let page_refs = pages(&objs)?;
    let mut interp = interp::Interp::new(
        &objs,
        interp::Budget {
            tokens: DOC_TOKENS,
            glyphs: DOC_GLYPHS,
        },
    );
    let mut page_lines = Vec::with_capacity(page_refs.len());
    let mut any_text = false;
    for p in &page_refs {
        let content = page_content(&objs, p.dict)?;
        let glyphs = interp.page(&content, p.resources);
        if interp.exhausted {
            return Err(PdfError::TooLarge);
        }
        any_text |= !glyphs.is_empty();
        let lines = layout::layout(&glyphs);
        page_lines.push(lines);
    }
    if !any_text {
        return Err(PdfError::ImageOnly);
    }
    let drop = clean::running_lines(&page_lines);
    let label_tree = objs
        .dict(doc.trailer.get(b"Root").ok())
        .and_then(|c| c.get(b"PageLabels").ok());
    let labels = match label_tree {
        Some(t) => labels::labels(&labels::read_ranges(&objs, t), page_lines.len()),
        None => vec![None; page_lines.len()],
    };
    let pages = page_lines
        .into_iter()
        .zip(drop)
        .zip(labels)
        .map(|((lines, drop), label)| {
            let mut kept = Vec::with_capacity(lines.len());
            let mut after_drop = false;
            for (i, mut l) in lines.into_iter().enumerate() {
                if drop.binary_search(&i).is_ok() {
                    after_drop = true;
                    continue;
                }
                if after_drop {
                    l.para_start = true;
                    after_drop = false;
                }
                kept.push(l);
            }
            PdfPage {
                label,
                text: clean::page_text(&kept),
            }
        })
        .collect();
    Ok(PdfText {
        pages,
        meta: meta::read_meta(&objs),
    })
}
