//! Paragraphs, headings, pages and passages of a text body. Pure functions
//! over the file's text, so offsets stay byte-exact.

use super::Passage;
use unicode_segmentation::UnicodeSegmentation;

/// Paragraphs longer than this many words are split into several passages.
pub const SPLIT_ABOVE_WORDS: usize = 250;
/// Target size of the passages a long paragraph is split into.
pub const PASSAGE_WORDS: usize = 150;

/// The result of [`parse`].
#[derive(Debug, Default)]
pub struct Parsed {
    /// First heading, or the first line of text.
    pub title: Option<String>,
    /// Passages in reading order.
    pub passages: Vec<Passage>,
    /// Whether the text has form feeds (pages).
    pub paged: bool,
}

struct Block {
    start: usize,
    end: usize,
    heading: Option<String>,
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

fn atx_heading(line: &str) -> Option<String> {
    let t = line.trim();
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let h = rest.trim().trim_end_matches('#').trim();
    (!h.is_empty()).then(|| h.to_string())
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', ':', '"', '\u{201D}', ')', ';'])
}

/// Splits `text[from..]` into blocks separated by blank lines. A form feed
/// at a line start also ends a block when the page ended a sentence and the
/// new page starts a new one (pdftotext writes no blank line there). With
/// `mid_line`, the text starts inside a line, whose rest is no heading.
fn blocks(text: &str, from: usize, markdown: bool, mid_line: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut offset = from;
    for line in text[from..].split_inclusive('\n') {
        let line_start = offset;
        let mid_line = mid_line && line_start == from;
        offset += line.len();
        if is_blank(line) {
            if let Some((s, e)) = current.take() {
                out.push(Block {
                    start: s,
                    end: e,
                    heading: None,
                });
            }
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let content_start = line_start + lead;
        let content_end = line_start + line.trim_end().len();
        if markdown
            && !mid_line
            && let Some(h) = atx_heading(line)
        {
            if let Some((s, e)) = current.take() {
                out.push(Block {
                    start: s,
                    end: e,
                    heading: None,
                });
            }
            out.push(Block {
                start: content_start,
                end: content_end,
                heading: Some(h),
            });
            continue;
        }
        if line.trim_start_matches([' ', '\t']).starts_with('\u{c}')
            && let Some((s, e)) = current
        {
            let next = line.trim_start();
            let new_sentence = next
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            if ends_sentence(&text[s..e]) && new_sentence {
                out.push(Block {
                    start: s,
                    end: e,
                    heading: None,
                });
                current = None;
            }
        }
        current = Some(match current {
            Some((s, _)) => (s, content_end),
            None => (content_start, content_end),
        });
    }
    if let Some((s, e)) = current {
        out.push(Block {
            start: s,
            end: e,
            heading: None,
        });
    }
    out
}

/// A plain-text heading: one short line without final punctuation.
fn looks_like_heading(text: &str) -> bool {
    let t = text.trim();
    !t.contains('\n')
        && t.split_whitespace().count() <= 12
        && !t.ends_with(['.', ',', ';', ':', '!', '?'])
        && t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Parses a body into passages with sections and pages.
pub fn parse(text: &str, body_start: usize, markdown: bool) -> Parsed {
    parse_titled(text, body_start, markdown, None)
}

/// Parses the text of a paged document (a PDF: pages joined by form
/// feeds): every passage has a page, even in a document of one page, which
/// has no form feed to say so.
pub fn parse_pages(text: &str) -> Parsed {
    let mut splitter = Splitter::new(false, None);
    splitter.paged = true;
    let mut passages = Vec::new();
    splitter.feed(text, true, usize::MAX, &mut passages);
    splitter.finish(passages)
}

/// Like [`parse`], for a document whose title is known from its metadata:
/// its first heading is the title only when it says the same, otherwise it
/// is a section (an e-book's first chapter).
pub fn parse_titled(
    text: &str,
    body_start: usize,
    markdown: bool,
    known_title: Option<&str>,
) -> Parsed {
    let mut splitter = Splitter::new(markdown, known_title);
    splitter.skip(&text[..body_start]);
    let mut passages = Vec::new();
    splitter.feed(&text[body_start..], true, usize::MAX, &mut passages);
    splitter.finish(passages)
}

/// Splits a body into passages a piece at a time, so that a file too big to
/// hold whole can be read a block at a time; fed the whole body at once it
/// is [`parse_titled`], and fed in pieces it gives the same passages unless
/// a paragraph is longer than the cut it is given.
#[derive(Debug, Clone)]
pub struct Splitter {
    markdown: bool,
    known_title: Option<String>,
    title: Option<String>,
    /// Set once the caller has taken the title: later headings are sections.
    title_fixed: bool,
    first_line: Option<String>,
    section: Option<String>,
    paragraph: u32,
    paged: bool,
    /// Offset in the body of the next text fed, and the newlines and form
    /// feeds before it.
    base: usize,
    lines: u32,
    feeds: u32,
    /// The next text goes on with a paragraph that was cut.
    continues: bool,
}

impl Splitter {
    /// A splitter at the start of a body.
    pub fn new(markdown: bool, known_title: Option<&str>) -> Self {
        Splitter {
            markdown,
            known_title: known_title.map(str::to_string),
            title: None,
            title_fixed: false,
            first_line: None,
            section: None,
            paragraph: 0,
            paged: false,
            base: 0,
            lines: 0,
            feeds: 0,
            continues: false,
        }
    }

    /// Passes over text that holds no passages (front matter), counting it
    /// in offsets, lines and pages.
    pub fn skip(&mut self, text: &str) {
        self.base += text.len();
        self.lines += memchr::memchr_iter(b'\n', text.as_bytes()).count() as u32;
        let feeds = memchr::memchr_iter(0x0c, text.as_bytes()).count() as u32;
        self.feeds += feeds;
        self.paged |= feeds > 0;
    }

    /// Splits `text` — the body from where the last call stopped — into
    /// passages appended to `out`, and says how many bytes of it were used.
    /// Unless `last`, the final block may go on in text not read yet: it is
    /// held back, to be given again with what follows. A block held back
    /// although longer than `cut_above` bytes is cut between sentences (or
    /// words, or characters), so what is held stays bounded.
    pub fn feed(
        &mut self,
        text: &str,
        last: bool,
        cut_above: usize,
        out: &mut Vec<Passage>,
    ) -> usize {
        let feeds: Vec<usize> = memchr::memchr_iter(0x0c, text.as_bytes()).collect();
        let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        let mut blocks = blocks(text, 0, self.markdown, self.continues);
        let n = blocks.len();
        if !self.markdown {
            for (i, b) in blocks.iter_mut().enumerate() {
                let continuation = i == 0 && self.continues;
                let t = &text[b.start..b.end];
                if i + 1 < n && !continuation && looks_like_heading(t) {
                    b.heading = Some(t.trim().to_string());
                }
            }
        }
        let mut used = text.len();
        let mut cut: Vec<(usize, usize)> = Vec::new();
        let mut continues = false;
        if !last {
            match blocks.len() {
                0 => {
                    // Only blank lines: keep a line that may still go on.
                    used = match text.rfind('\n') {
                        Some(i) => i + 1,
                        None if text.len() > cut_above => text.len(),
                        None => 0,
                    };
                }
                1 if blocks[0].end - blocks[0].start > cut_above => {
                    // Megabytes on one `#` line are no heading.
                    blocks[0].heading = None;
                    let b = &blocks[0];
                    let mut pieces = split_long(text, b.start, b.end);
                    if pieces.len() < 2 {
                        let mut at = b.start + cut_above;
                        while !text.is_char_boundary(at) {
                            at -= 1;
                        }
                        pieces = vec![(b.start, at), (at, b.end)];
                    }
                    used = pieces.last().map_or(b.start, |p| p.0);
                    pieces.pop();
                    cut = pieces;
                    continues = true;
                }
                n => {
                    let held = blocks.pop().expect("at least one block");
                    used = held.start;
                    // A block held back whole is what it was: a new
                    // paragraph, or the rest of a cut one.
                    continues = n == 1 && self.continues;
                }
            }
        }
        let page_at =
            |offset: usize| self.feeds + feeds.partition_point(|&f| f < offset) as u32 + 1;
        let line_at =
            |offset: usize| self.lines + newlines.partition_point(|&n| n < offset) as u32 + 1;
        let paged = self.paged || !feeds.is_empty();
        let mut found = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            let continuation = i == 0 && self.continues;
            if let Some(h) = &b.heading {
                let is_title = self.title.is_none()
                    && !self.title_fixed
                    && self
                        .known_title
                        .as_deref()
                        .is_none_or(|t| t.trim().eq_ignore_ascii_case(h.trim()));
                if is_title {
                    self.title = Some(h.clone());
                } else {
                    self.section = Some(h.clone());
                }
                continue;
            }
            if !continuation {
                self.paragraph += 1;
            }
            let pieces = if cut.is_empty() {
                split_long(text, b.start, b.end)
            } else {
                std::mem::take(&mut cut)
            };
            for (s, e) in pieces {
                let (page, page_end) = if paged {
                    let (p, q) = (page_at(s), page_at(e));
                    (Some(p), (q != p).then_some(q))
                } else {
                    (None, None)
                };
                let body = text[s..e].trim_start_matches('\u{c}');
                let s = e - body.len();
                found.push(Passage {
                    text: text[s..e].to_string(),
                    start: self.base + s,
                    end: self.base + e,
                    paragraph: self.paragraph,
                    section: self.section.clone(),
                    page,
                    page_end,
                    line: line_at(s),
                });
            }
        }
        if self.first_line.is_none()
            && let Some(p) = found.first()
        {
            let line = p.text.lines().next().unwrap_or("").trim();
            self.first_line = Some(line.chars().take(120).collect());
        }
        self.continues = continues;
        out.append(&mut found);
        self.skip(&text[..used]);
        used
    }

    /// The title as things stand: the first heading, else the title the
    /// metadata gives, else the first line of the first passage.
    pub fn title(&self) -> Option<String> {
        self.title
            .clone()
            .or_else(|| self.known_title.clone())
            .or_else(|| self.first_line.clone())
    }

    /// Takes the title as things stand: headings from here on are sections.
    /// A streamed document needs its title before its end is read.
    pub fn fix_title(&mut self) -> Option<String> {
        self.title = self.title();
        self.title_fixed = true;
        self.title.clone()
    }

    /// The parse of everything fed, with `passages` gathered from [`Splitter::feed`].
    pub fn finish(self, passages: Vec<Passage>) -> Parsed {
        Parsed {
            title: self.title(),
            passages,
            paged: self.paged,
        }
    }
}

/// Whether `s` has more than `n` words. Most paragraphs are too short to
/// have that many (each word takes a byte, and a space after all but the
/// last), and are told so without reading them.
fn more_words_than(s: &str, n: usize) -> bool {
    s.len() > 2 * n && s.split_whitespace().nth(n).is_some()
}

/// Splits a long paragraph at sentence boundaries into pieces of about
/// [`PASSAGE_WORDS`] words; short paragraphs come back whole.
pub fn split_long(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let para = &text[start..end];
    if !more_words_than(para, SPLIT_ABOVE_WORDS) {
        return vec![(start, end)];
    }
    let mut out = Vec::new();
    let mut piece_start: Option<usize> = None;
    let mut piece_words = 0;
    let mut last_end = start;
    for (i, sentence) in para.split_sentence_bound_indices() {
        let words = sentence.split_whitespace().count();
        if words == 0 {
            continue;
        }
        let s = start + i + (sentence.len() - sentence.trim_start().len());
        let e = start + i + sentence.trim_end().len();
        if let Some(ps) = piece_start
            && piece_words + words > PASSAGE_WORDS
        {
            out.push((ps, last_end));
            piece_start = None;
            piece_words = 0;
        }
        piece_start.get_or_insert(s);
        piece_words += words;
        last_end = e;
    }
    if let Some(ps) = piece_start {
        out.push((ps, last_end));
    }
    // A "sentence" far longer than a passage (a file with no full stops, one
    // endless line) is cut at word boundaries instead.
    out.into_iter()
        .flat_map(|(s, e)| {
            if !more_words_than(&text[s..e], 2 * PASSAGE_WORDS) {
                return vec![(s, e)];
            }
            let mut pieces = Vec::new();
            let mut start = s;
            let mut words = 0;
            let mut in_word = false;
            for (i, c) in text[s..e].char_indices() {
                let i = s + i;
                if c.is_whitespace() {
                    if in_word {
                        words += 1;
                        in_word = false;
                        if words == PASSAGE_WORDS {
                            pieces.push((start, i));
                            words = 0;
                            start = i;
                        }
                    }
                } else {
                    if !in_word && words == 0 && start != i && text[start..i].trim().is_empty() {
                        start = i;
                    }
                    in_word = true;
                }
            }
            if !text[start..e].trim().is_empty() {
                pieces.push((start, e));
            }
            pieces
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_whitespace_splits_them_at_the_shortest() {
        // Every string of up to 12 letters and spaces: the shortest texts
        // with n + 1 words are exactly at the length the shortcut trusts.
        for len in 0..=12u32 {
            for bits in 0..(1u32 << len) {
                let s: String = (0..len)
                    .map(|i| if bits >> i & 1 == 1 { 'a' } else { ' ' })
                    .collect();
                for n in 0..7 {
                    assert_eq!(
                        more_words_than(&s, n),
                        s.split_whitespace().count() > n,
                        "{s:?} {n}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_counted_as_whitespace_splits_them(
            s in "[a \t\n\u{a0}\u{3000}é]{0,24}",
            n in 0usize..12,
        ) {
            proptest::prop_assert_eq!(
                more_words_than(&s, n),
                s.split_whitespace().count() > n
            );
        }
    }

    #[test]
    fn markdown_headings_become_title_and_sections() {
        let t = "# Title\n\nIntro para.\n\n## Part A\n\nFirst\nline two.\n\nSecond.\n";
        let p = parse(t, 0, true);
        assert_eq!(p.title.as_deref(), Some("Title"));
        assert_eq!(p.passages.len(), 3);
        assert_eq!(p.passages[0].section, None);
        assert_eq!(p.passages[1].section.as_deref(), Some("Part A"));
        assert_eq!(p.passages[1].text, "First\nline two.");
        assert_eq!(
            &t[p.passages[1].start..p.passages[1].end],
            "First\nline two."
        );
        assert_eq!(p.passages[2].paragraph, 3);
    }

    #[test]
    fn form_feeds_number_pages_and_paragraphs_can_cross_them() {
        let t = "Title line\n\nPage one text.\n\u{c}\nPage two starts\n\u{c}and continues here.\n\n\u{c}Third page.";
        let p = parse(t, 0, false);
        let pages: Vec<_> = p.passages.iter().map(|x| (x.page, x.page_end)).collect();
        assert_eq!(
            pages,
            [(Some(1), None), (Some(2), Some(3)), (Some(4), None)]
        );
        assert_eq!(p.passages[2].text, "Third page.");
        assert_eq!(p.title.as_deref(), Some("Title line"));
    }

    #[test]
    fn a_paragraph_without_sentences_is_cut_at_words() {
        let para = "kata ".repeat(1000);
        let pieces = split_long(&para, 0, para.trim_end().len());
        assert!(pieces.len() >= 6, "{}", pieces.len());
        for (s, e) in &pieces {
            assert!(para[*s..*e].split_whitespace().count() <= PASSAGE_WORDS);
            assert!(!para[*s..*e].starts_with(' '));
        }
    }

    #[test]
    fn long_paragraphs_split_at_sentences() {
        let sentence = "Kota kembar adalah bentuk kerja sama antara dua kota di negara berbeda. ";
        let para = sentence.repeat(30);
        let pieces = split_long(&para, 0, para.trim_end().len());
        assert!(pieces.len() >= 2);
        for (s, e) in &pieces {
            let words = para[*s..*e].split_whitespace().count();
            assert!(words <= PASSAGE_WORDS, "{words}");
            assert!(para[*s..*e].ends_with('.'));
        }
    }
}
