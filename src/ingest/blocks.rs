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
/// new page starts a new one (pdftotext writes no blank line there).
fn blocks(text: &str, from: usize, markdown: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let mut offset = from;
    for line in text[from..].split_inclusive('\n') {
        let line_start = offset;
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
        if markdown && let Some(h) = atx_heading(line) {
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

/// Like [`parse`], for a document whose title is known from its metadata:
/// its first heading is the title only when it says the same, otherwise it
/// is a section (an e-book's first chapter).
pub fn parse_titled(
    text: &str,
    body_start: usize,
    markdown: bool,
    known_title: Option<&str>,
) -> Parsed {
    let feeds: Vec<usize> = text.match_indices('\u{c}').map(|(i, _)| i).collect();
    let page_at = |offset: usize| feeds.partition_point(|&f| f < offset) as u32 + 1;
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_at = |offset: usize| newlines.partition_point(|&n| n < offset) as u32 + 1;
    let paged = !feeds.is_empty();
    let mut blocks = blocks(text, body_start, markdown);
    if !markdown {
        let n = blocks.len();
        for (i, b) in blocks.iter_mut().enumerate() {
            let t = &text[b.start..b.end];
            if i + 1 < n && looks_like_heading(t) {
                b.heading = Some(t.trim().to_string());
            }
        }
    }
    let mut parsed = Parsed {
        paged,
        ..Parsed::default()
    };
    let mut section: Option<String> = None;
    let mut paragraph = 0u32;
    for b in &blocks {
        if let Some(h) = &b.heading {
            let is_title = parsed.title.is_none()
                && known_title.is_none_or(|t| t.trim().eq_ignore_ascii_case(h.trim()));
            if is_title {
                parsed.title = Some(h.clone());
            } else {
                section = Some(h.clone());
            }
            continue;
        }
        paragraph += 1;
        for (s, e) in split_long(text, b.start, b.end) {
            let (page, page_end) = if paged {
                let (p, q) = (page_at(s), page_at(e));
                (Some(p), (q != p).then_some(q))
            } else {
                (None, None)
            };
            let body = text[s..e].trim_start_matches('\u{c}');
            let s = e - body.len();
            parsed.passages.push(Passage {
                text: text[s..e].to_string(),
                start: s,
                end: e,
                paragraph,
                section: section.clone(),
                page,
                page_end,
                line: line_at(s),
            });
        }
    }
    if parsed.title.is_none() {
        parsed.title = known_title.map(str::to_string);
    }
    if parsed.title.is_none() {
        parsed.title = parsed.passages.first().map(|p| {
            let line = p.text.lines().next().unwrap_or("").trim();
            line.chars().take(120).collect()
        });
    }
    parsed
}

/// Splits a long paragraph at sentence boundaries into pieces of about
/// [`PASSAGE_WORDS`] words; short paragraphs come back whole.
pub fn split_long(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let para = &text[start..end];
    if para.split_whitespace().count() <= SPLIT_ABOVE_WORDS {
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
            if text[s..e].split_whitespace().count() <= 2 * PASSAGE_WORDS {
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
