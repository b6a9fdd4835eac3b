//! Token filters as pure maps: one token in, zero or more tokens out.
//!
//! [`MapFilter`] adapts any [`TokenMap`] to Tantivy's filter chain and keeps
//! positions consistent when a token expands (`sister-city` → `sister`, `city`):
//! every later token is shifted, so phrase queries still line up.

use super::indonesian;
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

/// Normalisation shared by every analyzer: NFKC (ligatures), lower case,
/// curly quotes, soft hyphens and zero-width characters, accents folded.
#[derive(Clone, Copy)]
pub struct Normalize;

impl TokenMap for Normalize {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        let t = fold(&normalize_token(token));
        let t = t.trim_matches(|c| c == '\'' || c == '-');
        if !t.is_empty() {
            out.push(t.to_string());
        }
    }
}

/// Splits hyphenated words into their parts (`sister-city` → `sister`, `city`).
#[derive(Clone, Copy)]
pub struct SplitHyphens;

impl TokenMap for SplitHyphens {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        out.extend(
            token
                .split('-')
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
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
        let word = token
            .strip_suffix("'s")
            .or_else(|| token.strip_suffix('\''))
            .unwrap_or(token);
        if word.is_empty() || EN_STOPWORDS.binary_search(&word).is_ok() {
            return;
        }
        let word = american(word);
        out.push(self.stemmer.stem(&word).into_owned());
    }
}

/// British spellings that Porter2 does not conflate with the American ones:
/// `-ise`/`-isation` (decentralised ~ decentralized), `-yse`, `-our`, `-tre`,
/// `-ence` nouns, doubled `l` before a suffix. Applied to documents and
/// queries alike, so a rewrite of a word that has no American twin is harmless.
pub fn american(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    const SUFFIXES: &[(&str, &str)] = &[
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("iser", "izer"),
        ("isers", "izers"),
        ("ise", "ize"),
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yses", "yzes"),
        ("yse", "yze"),
        ("elled", "eled"),
        ("elling", "eling"),
    ];
    const WORDS: &[(&str, &str)] = &[
        ("behaviour", "behavior"),
        ("centre", "center"),
        ("colour", "color"),
        ("defence", "defense"),
        ("endeavour", "endeavor"),
        ("favour", "favor"),
        ("fibre", "fiber"),
        ("harbour", "harbor"),
        ("honour", "honor"),
        ("humour", "humor"),
        ("labour", "labor"),
        ("licence", "license"),
        ("litre", "liter"),
        ("metre", "meter"),
        ("neighbour", "neighbor"),
        ("offence", "offense"),
        ("programme", "program"),
        ("rumour", "rumor"),
        ("theatre", "theater"),
        ("vigour", "vigor"),
    ];
    for (gb, us) in WORDS {
        if let Some(rest) = word.strip_prefix(gb)
            && (rest.is_empty()
                || matches!(
                    rest,
                    "s" | "ed"
                        | "ing"
                        | "al"
                        | "ally"
                        | "hood"
                        | "hoods"
                        | "able"
                        | "ite"
                        | "ites"
                        | "ful"
                        | "less"
                ))
        {
            return Cow::Owned(format!("{us}{rest}"));
        }
    }
    // Short words (`rise`, `wise`, `cruise`) are left alone: too short to carry a suffix.
    if word.len() >= 7 {
        for (gb, us) in SUFFIXES {
            if let Some(stem) = word.strip_suffix(gb) {
                return Cow::Owned(format!("{stem}{us}"));
            }
        }
    }
    Cow::Borrowed(word)
}

/// Indonesian: particles, clitics, affixes and reduplication through the
/// lexicon-guided stemmer. A hyphenated word is one term, as the stemmer reads
/// it (`kota-kota` → `kota`, `sayur-mayur` → `sayur`); the exact field still
/// holds every part, so `sister-city` is found by `city` too.
#[derive(Clone, Copy)]
pub struct IndonesianStem;

impl TokenMap for IndonesianStem {
    fn map(&self, token: &str, out: &mut Vec<String>) {
        let stem = indonesian::stem(token);
        if !stem.is_empty() {
            out.push(stem);
        }
    }
}

/// Closed compounds written open or closed meet: `kerja sama` gains the token
/// `kerjasama` at `kerja`'s position, and `kerjasama` (or `bekerjasama`)
/// gains `kerja` at its own position and `sama` after it, so a query in
/// either spelling, phrase or not, finds both.
#[derive(Clone, Copy)]
pub struct IndonesianCompounds;

impl TokenFilter for IndonesianCompounds {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundTokenizer<T> {
        CompoundTokenizer { inner: tokenizer }
    }
}

/// Tokenizer produced by [`IndonesianCompounds`].
#[derive(Clone)]
pub struct CompoundTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tail = self.inner.token_stream(text);
        let mut input = Vec::new();
        while tail.advance() {
            input.push(tail.token().clone());
        }
        VecTokenStream {
            tokens: join_compounds(input),
            index: 0,
        }
    }
}

/// Rewrites a token sequence for closed compounds (see [`IndonesianCompounds`]).
fn join_compounds(input: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(input.len());
    let mut shift = 0;
    for (i, tok) in input.iter().enumerate() {
        let mut t = tok.clone();
        t.position += shift;
        if let Some((a, b)) = indonesian::split_compound(&t.text) {
            let pos = t.position;
            out.push(Token {
                text: a.to_string(),
                ..t.clone()
            });
            out.push(t.clone());
            out.push(Token {
                text: b.to_string(),
                position: pos + 1,
                ..t
            });
            shift += 1;
            continue;
        }
        let joined = input
            .get(i + 1)
            .filter(|next| next.position == tok.position + 1)
            .and_then(|next| indonesian::join_compound(&tok.text, &next.text));
        out.push(t.clone());
        if let Some(c) = joined {
            out.push(Token {
                text: c.to_string(),
                offset_to: input[i + 1].offset_to,
                ..t
            });
        }
    }
    out
}

/// A token stream over tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for VecTokenStream {
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
    use super::super::{EN, EXACT, ID, analyze};

    fn terms(name: &str, text: &str) -> Vec<String> {
        analyze(name, text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn stopword_list_is_sorted_for_binary_search() {
        assert!(super::EN_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn exact_keeps_every_word_folded() {
        assert_eq!(
            terms(EXACT, "The Sister-City of Núñez"),
            ["the", "sister", "city", "of", "nunez"]
        );
    }

    #[test]
    fn british_and_american_spellings_meet() {
        for (gb, us) in [
            ("decentralised", "decentralized"),
            ("organisation", "organization"),
            ("analysed", "analyzed"),
            ("neighbourhood", "neighborhood"),
            ("centres", "centers"),
            ("travelling", "traveling"),
        ] {
            assert_eq!(terms(EN, gb), terms(EN, us), "{gb}");
        }
        assert_ne!(terms(EN, "rise"), terms(EN, "rize"));
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
        assert_eq!(terms(ID, "Kota-kota menulis"), ["kota", "tulis"]);
        assert_eq!(terms(ID, "sayur-mayur"), ["sayur"]);
    }

    #[test]
    fn closed_compounds_meet_open_ones_in_the_same_order() {
        let open = terms(ID, "bekerja sama");
        assert_eq!(open, ["kerja", "kerjasama", "sama"]);
        for form in [
            "kerjasama",
            "bekerjasama",
            "kerjasamanya",
            "kerja sama",
            "kerja-sama",
        ] {
            assert_eq!(terms(ID, form), open, "{form}");
        }
    }

    #[test]
    fn compound_positions_keep_phrases_aligned() {
        let mut a = super::super::analyzer(ID).unwrap();
        let mut s = a.token_stream("bekerjasama dengan daerah");
        let mut pos = Vec::new();
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut s) {
            pos.push((t.text.clone(), t.position));
        }
        assert_eq!(
            pos,
            [
                ("kerja".into(), 0),
                ("kerjasama".into(), 0),
                ("sama".into(), 1),
                ("dengan".into(), 2),
                ("daerah".into(), 3)
            ]
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
