//! Word tokenizer shared by all analyzers: runs of letters and digits (as UAX #29
//! word boundaries give for our languages), hyphen-joined words kept as one
//! token so reduplication (`kota-kota`) reaches the Indonesian filter whole.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text into words; `a-b` with no space around the hyphen stays one token.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// Token stream of [`WordTokenizer`]; tokens are computed up front.
pub struct WordTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{00AD}' | '\u{200C}' | '\u{200D}') || is_mark(c)
}

/// Combining marks stay inside the word they modify (decomposed accents).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Word byte ranges of `text`: runs of letters and digits, with an
/// apostrophe between letters kept inside (`O’Toole`) and hyphen-joined
/// words merged (`kota-kota`), as UAX #29 word boundaries would give for
/// Indonesian and English prose, in one pass without tables.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start {
            // An apostrophe or hyphen between two word characters joins them.
            let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
            if (is_apostrophe(c) || is_joiner(c)) && next_is_word {
                continue;
            }
            out.push((s, i));
            start = None;
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream {
        let tokens = words(text)
            .into_iter()
            .enumerate()
            .map(|(position, (from, to))| Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text[from..to].to_string(),
                position_length: 1,
            })
            .collect();
        WordTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for WordTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    fn texts(s: &str) -> Vec<&str> {
        words(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn keeps_hyphenated_words_and_apostrophes() {
        assert_eq!(
            texts("Kota-kota kembar (O’Toole, 2001) - sister-city"),
            ["Kota-kota", "kembar", "O’Toole", "2001", "sister-city"]
        );
    }

    #[test]
    fn dangling_hyphens_are_not_joins() {
        assert_eq!(
            texts("pra- dan pasca-perang -x"),
            ["pra", "dan", "pasca-perang", "x"]
        );
    }
}
