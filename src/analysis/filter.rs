//! Token filters as pure maps: one token in, zero or more tokens out.
//!
//! [`MapFilter`] adapts any [`TokenMap`] to Tantivy's filter chain and keeps
//! positions consistent when a token expands (`sister-city` → `sister`, `city`):
//! every later token is shifted, so phrase queries still line up.

use super::normalize::{fold, normalize_token};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// One analysis step. `out` is empty on entry; leaving it empty drops the token.
pub trait TokenMap: Clone + Send + Sync + 'static {
    /// Rewrites `token` into zero or more terms.
    fn map(&self, token: &str, out: &mut Vec<String>);
}

/// Tantivy filter running a [`TokenMap`].
#[derive(Clone)]
pub struct MapFilter<M>(pub M);

impl<M: TokenMap> TokenFilter for MapFilter<M> {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T, M>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T, M> {
        MapTokenizer {
            inner: tokenizer,
            map: self.0,
        }
    }
}

/// Tokenizer produced by [`MapFilter`].
#[derive(Clone)]
pub struct MapTokenizer<T, M> {
    inner: T,
    map: M,
}

impl<T: Tokenizer, M: TokenMap> Tokenizer for MapTokenizer<T, M> {
    type TokenStream<'a> = MapTokenStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            tail: self.inner.token_stream(text),
            map: &self.map,
            pending: Vec::new(),
            next_pending: 0,
            shift: 0,
            token: Token::default(),
        }
    }
}

/// Token stream produced by [`MapFilter`].
pub struct MapTokenStream<'a, S, M> {
    tail: S,
    map: &'a M,
    pending: Vec<String>,
    next_pending: usize,
    shift: usize,
    token: Token,
}

impl<S: TokenStream, M: TokenMap> TokenStream for MapTokenStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        loop {
            if self.next_pending < self.pending.len() {
                let text = std::mem::take(&mut self.pending[self.next_pending]);
                if self.next_pending > 0 {
                    self.shift += 1;
                }
                self.next_pending += 1;
                let src = self.tail.token();
                self.token = Token {
                    offset_from: src.offset_from,
                    offset_to: src.offset_to,
                    position: src.position + self.shift,
                    text,
                    position_length: 1,
                };
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            self.pending.clear();
            self.next_pending = 0;
            self.map.map(&self.tail.token().text, &mut self.pending);
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Normalised, accent-folded parts of a token, split at hyphens.
fn parts(token: &str) -> impl Iterator<Item = String> + '_ {
    let norm = fold(&normalize_token(token));
    norm.split('-')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The exact field: normalised and folded, unstemmed, hyphenated words split.
#[derive(Clone, Copy)]
pub struct Exact;

impl TokenMap for Exact {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        out.extend(parts(token));
    }
}

const EN_STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "of", "on", "or", "she",
    "so", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "were", "which", "while", "who", "will", "with",
];

/// English: possessives removed, stopwords dropped, Porter2 stems.
#[derive(Clone)]
pub struct English {
    stemmer: std::sync::Arc<rust_stemmers::Stemmer>,
}

impl English {
    /// Builds the English map.
    pub fn new() -> Self {
        English {
            stemmer: std::sync::Arc::new(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::English,
            )),
        }
    }
}

impl Default for English {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenMap for English {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        for part in parts(token) {
            let word = part
                .strip_suffix("'s")
                .or_else(|| part.strip_suffix('\''))
                .unwrap_or(&part);
            if EN_STOPWORDS.binary_search(&word).is_ok() {
                continue;
            }
            out.push(self.stemmer.stem(word).into_owned());
        }
    }
}

const ID_STOPWORDS: &[&str] = &[
    "adalah", "akan", "atau", "dalam", "dan", "dari", "dengan", "di", "ini", "itu", "juga", "ke",
    "oleh", "pada", "sebagai", "tersebut", "untuk", "yang",
];

/// Indonesian: stopwords dropped, Snowball Indonesian stems (first version).
#[derive(Clone)]
pub struct Indonesian {
    stemmer: frostem::Stemmer,
}

impl Indonesian {
    /// Builds the Indonesian map.
    pub fn new() -> Self {
        Indonesian {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Indonesian),
        }
    }
}

impl Default for Indonesian {
    fn default() -> Self {
        Self::new()
    }
}

impl TokenMap for Indonesian {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        let all: Vec<String> = parts(token).collect();
        // A full reduplication (`kota-kota`) is one word, its base.
        let words: &[String] = if all.len() == 2 && all[0] == all[1] {
            &all[..1]
        } else {
            &all
        };
        for word in words {
            let word = word.trim_matches('\'');
            if word.is_empty() || ID_STOPWORDS.binary_search(&word).is_ok() {
                continue;
            }
            out.push(self.stemmer.stem(word).into_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{analyze, EN, EXACT, ID};

    fn terms(name: &str, text: &str) -> Vec<String> {
        analyze(name, text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn stopword_lists_are_sorted_for_binary_search() {
        assert!(super::EN_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::ID_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn exact_keeps_every_word_folded() {
        assert_eq!(
            terms(EXACT, "The Sister-City of Núñez"),
            ["the", "sister", "city", "of", "nunez"]
        );
    }

    #[test]
    fn english_stems_and_drops_stopwords() {
        assert_eq!(
            terms(EN, "The twinning of cities' councils"),
            ["twin", "citi", "council"]
        );
    }

    #[test]
    fn indonesian_reduplication_and_stems() {
        assert_eq!(
            terms(ID, "kota-kota yang bekerjasama"),
            ["kota", "kerjasama"]
        );
    }

    #[test]
    fn expansion_shifts_positions() {
        let mut a = super::super::analyzer(EXACT).unwrap();
        let mut s = a.token_stream("sister-city links");
        let mut pos = Vec::new();
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut s) {
            pos.push((t.text.clone(), t.position));
        }
        assert_eq!(
            pos,
            [
                ("sister".into(), 0),
                ("city".into(), 1),
                ("links".into(), 2)
            ]
        );
    }
}
