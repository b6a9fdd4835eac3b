//! The neutral result of the HTML, DOCX and EPUB readers, and the small text
//! builder they share.
//!
//! `text` is Markdown-like: blocks separated by one blank line; a heading is
//! one line starting with `#`…`######` and a space; no other markup.

use std::fmt;

/// A document's body text and the metadata the file states.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Body as Markdown-like text: paragraphs separated by a blank line;
    /// each heading on its own line starting with "# " (level 1), "## "…
    /// For EPUB, each chapter starts with a heading line.
    pub text: String,
    /// Metadata the file itself states: only what it says, never guessed.
    pub meta: Meta,
}

/// Metadata as the file states it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    /// As written ("Family, Given" if the source gives it that way).
    pub authors: Vec<String>,
    /// As written ("2021/01/20", "2021-01-20", "2021", "2021-01-20T03:04:00Z").
    pub date: Option<String>,
    /// Journal, site or book.
    pub container_title: Option<String>,
    pub publisher: Option<String>,
    /// Bare DOI ("10.1234/abc"): a "doi:" or resolver prefix is removed.
    pub doi: Option<String>,
    /// ISBN as written (citation_isbn, EPUB dc:identifier with an ISBN scheme).
    pub isbn: Option<String>,
    pub url: Option<String>,
    pub first_page: Option<String>,
    pub last_page: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub lang: Option<String>,
    /// CSL-like type when the source says so: "article-journal", "webpage",
    /// "post-weblog", "article-newspaper", "book", "chapter", "thesis", …
    pub kind: Option<String>,
}

/// Why a file could not be read. `Display` gives one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The text does not look like HTML (no tag, or binary content).
    NotHtml,
    /// Not a readable ZIP archive (corrupt, truncated, unsupported method).
    BadZip(String),
    /// A part the format requires is missing (e.g. `word/document.xml`).
    MissingPart(String),
    /// A part or the archive exceeds a size or count limit.
    TooLarge(String),
    /// A required XML part is not well-formed.
    BadXml(String),
    /// Content is encrypted (password-protected ZIP entries, EPUB DRM).
    Encrypted(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotHtml => write!(f, "not HTML (no markup found, or binary content)"),
            ReadError::BadZip(s) => write!(f, "not a readable ZIP archive: {s}"),
            ReadError::MissingPart(s) => write!(f, "missing part: {s}"),
            ReadError::TooLarge(s) => write!(f, "too large: {s}"),
            ReadError::BadXml(s) => write!(f, "malformed XML: {s}"),
            ReadError::Encrypted(s) => write!(f, "encrypted content: {s}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Collapses runs of whitespace (including no-break and other Unicode
/// spaces) to one space, drops invisible characters, trims. For metadata.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        match classify(c) {
            CharClass::Drop => {}
            CharClass::Space | CharClass::Newline => space = !out.is_empty(),
            CharClass::Keep => {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(c);
            }
        }
    }
    out
}

/// `clean_line`, `None` when empty.
pub fn non_empty(s: &str) -> Option<String> {
    let t = clean_line(s);
    (!t.is_empty()).then_some(t)
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum CharClass {
    Keep,
    Space,
    Newline,
    Drop,
}

pub(crate) fn classify(c: char) -> CharClass {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => CharClass::Newline,
        // zero-width space/joiners, word joiner, soft hyphen, BOM
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' | '\u{FEFF}' => {
            CharClass::Drop
        }
        c if c.is_whitespace() => CharClass::Space, // includes U+00A0, U+202F, U+3000
        c if c.is_control() => CharClass::Drop,     // includes form feed, NUL
        _ => CharClass::Keep,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Heading(u8, String),
    Para(String),
}

/// Builds blocks from a stream of inline text and block boundaries.
#[derive(Default)]
pub(crate) struct TextOut {
    pub(crate) blocks: Vec<Block>,
    cur: String,
    pending_space: bool,
    pending_newline: bool,
    heading: Option<u8>,
    heading_depth: usize,
    /// Drop blocks whose whole text is a boilerplate phrase (HTML pages).
    pub(crate) filter_phrases: bool,
}

impl TextOut {
    pub(crate) fn new(filter_phrases: bool) -> Self {
        TextOut {
            filter_phrases,
            ..Default::default()
        }
    }

    /// Inline text; whitespace runs collapse to one space.
    pub(crate) fn text(&mut self, s: &str) {
        for c in s.chars() {
            match classify(c) {
                CharClass::Drop => {}
                CharClass::Space | CharClass::Newline => {
                    if !self.cur.is_empty() {
                        self.pending_space = true;
                    }
                }
                CharClass::Keep => self.push_char(c),
            }
        }
    }

    /// Preformatted text: line breaks and spaces kept (blank lines
    /// removed so the block stays one block; leading spaces of the block
    /// dropped).
    pub(crate) fn pre_text(&mut self, s: &str) {
        for c in s.chars() {
            match classify(c) {
                CharClass::Drop => {}
                CharClass::Newline => {
                    let t = self.cur.trim_end_matches(' ').len();
                    self.cur.truncate(t);
                    self.pending_space = false;
                    if !self.cur.is_empty() && !self.cur.ends_with('\n') {
                        self.cur.push('\n');
                    }
                }
                CharClass::Space => {
                    if !self.cur.is_empty() {
                        if self.pending_space || self.pending_newline {
                            self.push_char(' ');
                        } else {
                            self.cur.push(' ');
                        }
                    }
                }
                CharClass::Keep => self.push_char(c),
            }
        }
    }

    fn push_char(&mut self, c: char) {
        if self.pending_newline && !self.cur.is_empty() {
            self.cur.push('\n');
        } else if self.pending_space && !self.cur.is_empty() {
            self.cur.push(' ');
        }
        self.pending_newline = false;
        self.pending_space = false;
        self.cur.push(c);
    }

    /// A hard line break (`<br>`, `w:br`): a newline inside the paragraph;
    /// a second one with nothing between ends the paragraph. Inside a
    /// heading it is a space.
    pub(crate) fn line_break(&mut self) {
        if self.heading.is_some() {
            if !self.cur.is_empty() {
                self.pending_space = true;
            }
            return;
        }
        if self.pending_newline {
            self.end_block();
        } else if !self.cur.is_empty() {
            self.pending_newline = true;
        }
    }

    /// Ends the current paragraph (ignored inside a heading).
    pub(crate) fn end_block(&mut self) {
        if self.heading.is_some() {
            if !self.cur.is_empty() {
                self.pending_space = true;
            }
            return;
        }
        self.flush_para();
    }

    fn flush_para(&mut self) {
        self.pending_space = false;
        self.pending_newline = false;
        if self.cur.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.cur);
        let text = text.trim_end().to_string();
        if text.is_empty() || (self.filter_phrases && is_boilerplate_phrase(&text)) {
            return;
        }
        self.blocks.push(Block::Para(text));
    }

    /// Starts a heading of `level` (1-based). Nested starts are counted and
    /// only the outermost counts.
    pub(crate) fn start_heading(&mut self, level: u8) {
        if self.heading.is_some() {
            self.heading_depth += 1;
            return;
        }
        self.flush_para();
        self.heading = Some(level.clamp(1, 6));
        self.heading_depth = 0;
    }

    pub(crate) fn end_heading(&mut self) {
        if self.heading_depth > 0 {
            self.heading_depth -= 1;
            return;
        }
        let Some(level) = self.heading.take() else {
            return;
        };
        self.pending_space = false;
        self.pending_newline = false;
        let text = std::mem::take(&mut self.cur);
        let text = text.trim().to_string();
        if text.is_empty() || (self.filter_phrases && is_boilerplate_phrase(&text)) {
            return;
        }
        self.blocks.push(Block::Heading(level, text));
    }

    /// Pushes a complete heading.
    pub(crate) fn heading(&mut self, level: u8, text: &str) {
        self.start_heading(level);
        self.text(text);
        self.end_heading();
    }

    pub(crate) fn finish(mut self) -> Vec<Block> {
        if self.heading.is_some() {
            self.heading_depth = 0;
            self.end_heading();
        }
        self.flush_para();
        self.blocks
    }
}

/// Renders blocks as the `Extracted::text` format.
pub(crate) fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        match b {
            Block::Heading(level, t) => {
                for _ in 0..(*level).clamp(1, 6) {
                    out.push('#');
                }
                out.push(' ');
                out.push_str(t);
            }
            Block::Para(t) => out.push_str(t),
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Whole-block texts that are page furniture, not content (lower case,
/// compared after trimming trailing ':' and spaces).
#[rustfmt::skip]
const BOILERPLATE_PHRASES: &[&str] = &[
    "laporkan konten", "laporkan", "laporkan akun", "report content", "report this content",
    "report this post", "report abuse", "bagikan", "bagikan artikel", "bagikan artikel ini",
    "share", "share this", "share this article", "share this post", "share on facebook",
    "share on twitter", "tweet", "like this", "suka ini", "like", "loading...", "memuat...",
    "advertisement", "iklan", "scroll to continue with content", "scroll untuk melanjutkan",
    "read more", "baca selengkapnya", "selengkapnya", "lanjutkan membaca", "tanggapi", "balas",
    "reply", "beri komentar", "tinggalkan balasan", "tinggalkan komentar", "leave a reply",
    "leave a comment", "tulis komentar", "komentar", "comments", "comment", "related posts",
    "related articles", "artikel terkait", "berita terkait", "you may also like", "print",
    "cetak", "copy link", "salin link", "salin tautan", "skip to content", "langsung ke konten",
    "lompat ke konten", "subscribe", "berlangganan", "follow", "ikuti", "tags", "tag",
    "previous post", "next post", "artikel sebelumnya", "artikel selanjutnya", "trending",
    "terpopuler", "pilihan editor", "highlight",
];

/// Short blocks starting with these are cross-links ("Baca juga: …").
#[rustfmt::skip]
const BOILERPLATE_PREFIXES: &[&str] = &[
    "baca juga:", "baca juga :", "baca juga ", "lihat juga:", "simak juga:", "simak juga ",
    "baca:", "read also:", "read more:", "see also:", "also read:",
];

pub(crate) fn is_boilerplate_phrase(text: &str) -> bool {
    if text.chars().count() > 160 {
        return false;
    }
    let lower = text.to_lowercase();
    let t = lower.trim().trim_end_matches([':', ' ', '.', '!']).trim();
    if BOILERPLATE_PHRASES.contains(&t) {
        return true;
    }
    let trimmed = lower.trim_start();
    BOILERPLATE_PREFIXES.iter().any(|p| trimmed.starts_with(p))
}

/// Removes a "doi:" or resolver prefix; `None` unless it looks like a DOI.
pub(crate) fn bare_doi(s: &str) -> Option<String> {
    let t = clean_line(s);
    let lower = t.to_ascii_lowercase();
    let mut rest = t.as_str();
    for p in [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "urn:doi:",
        "doi:",
        "doi ",
    ] {
        if lower.starts_with(p) {
            rest = t[p.len()..].trim();
            break;
        }
    }
    if rest.starts_with("10.") {
        rest.contains('/')
    } else {
        false
    }
    .then(|| rest.to_string())
}

/// `first_page`/`last_page` from "12-34", "12–34", "12".
pub(crate) fn split_pages(s: &str) -> (Option<String>, Option<String>) {
    let t = clean_line(s);
    if let Some((a, b)) = t.split_once(['-', '\u{2013}', '\u{2014}']) {
        (non_empty(a), non_empty(b))
    } else {
        (non_empty(&t), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_paragraphs_and_breaks() {
        let mut t = TextOut::new(false);
        t.text("  Hello\u{a0}\u{a0} world ");
        t.line_break();
        t.text("line two");
        t.line_break();
        t.text("  ");
        t.line_break();
        t.text("next para");
        t.heading(2, " A  heading ");
        t.text("after");
        let b = t.finish();
        assert_eq!(
            render(&b),
            "Hello world\nline two\n\nnext para\n\n## A heading\n\nafter\n"
        );
    }

    #[test]
    fn doi_forms() {
        assert_eq!(
            bare_doi("https://doi.org/10.1/x").as_deref(),
            Some("10.1/x")
        );
        assert_eq!(bare_doi("doi:10.1/x").as_deref(), Some("10.1/x"));
        assert_eq!(bare_doi("10.1/x").as_deref(), Some("10.1/x"));
        assert_eq!(bare_doi("http://example.org"), None);
    }

    #[test]
    fn phrases() {
        assert!(is_boilerplate_phrase("Laporkan Konten"));
        assert!(is_boilerplate_phrase("Baca juga: Sesuatu yang lain"));
        assert!(!is_boilerplate_phrase(
            "Laporkan konten ini kepada kami segera karena penting."
        ));
    }
}
