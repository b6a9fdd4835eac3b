//! Word tokenizer shared by all analyzers: Unicode word boundaries (UAX #29),
//! with hyphen-joined words kept as one token so reduplication (`kota-kota`)
//! reaches the Indonesian filter whole.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::UnicodeSegmentation;

/// Splits text into words; `a-b` with no space around the hyphen stays one token.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// Token stream of [`WordTokenizer`]; tokens are computed up front.
pub struct WordTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2010}" | "\u{2011}")
}

/// Word byte ranges of `text`, hyphenated compounds merged.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut pending_hyphen: Option<usize> = None;
    for (start, piece) in text.split_word_bound_indices() {
        let end = start + piece.len();
        if is_hyphen(piece) {
            pending_hyphen = match out.last() {
                Some(&(_, last_end)) if last_end == start => Some(end),
                _ => None,
            };
            continue;
        }
        if !piece.chars().any(|c| c.is_alphanumeric()) {
            pending_hyphen = None;
            continue;
        }
        match (pending_hyphen.take(), out.last_mut()) {
            (Some(h), Some(last)) if h == start => last.1 = end,
            _ => out.push((start, end)),
        }
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
