//! Token filters as pure maps: one token in, zero or more tokens out.
//!
//! [`MapFilter`] adapts any [`TokenMap`] to Tantivy's filter chain and keeps
//! positions consistent when a token expands (`sister-city` → `sister`, `city`):
//! every later token is shifted, so phrase queries still line up.

use super::english;
use super::indonesian;
use super::normalize::{fold, normalize_token};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// One analysis step. `out` is empty on entry; leaving it empty drops the token.
pub trait TokenMap: Clone + Send + Sync + 'static {
    /// Rewrites `token` into zero or more terms.
    fn map(&self, token: &str, out: &mut Vec<String>);

    /// The common case without allocating: rewrites `token` in place when
    /// [`TokenMap::map`] would give exactly one term (or none). Must agree
    /// with `map`; [`InPlace::Fallback`] (the default) defers to it.
    fn map_in_place(&self, _token: &mut String) -> InPlace {
        InPlace::Fallback
    }
}

/// What [`TokenMap::map_in_place`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InPlace {
    /// The token was rewritten into its one term.
    Keep,
    /// The token gives no term.
    Drop,
    /// Untouched: call [`TokenMap::map`].
    Fallback,
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
            passthrough: false,
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
    /// The current token is the tail's, rewritten in place.
    passthrough: bool,
}

impl<S: TokenStream, M: TokenMap> TokenStream for MapTokenStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        self.passthrough = false;
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
            let src = self.tail.token_mut();
            match self.map.map_in_place(&mut src.text) {
                InPlace::Keep => {
                    src.position += self.shift;
                    self.passthrough = true;
                    return true;
                }
                InPlace::Drop => continue,
                InPlace::Fallback => self.map.map(&src.text, &mut self.pending),
            }
        }
    }

    fn token(&self) -> &Token {
        if self.passthrough {
            self.tail.token()
        } else {
            &self.token
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.passthrough {
            self.tail.token_mut()
        } else {
            &mut self.token
        }
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

    fn map_in_place(&self, token: &mut String) -> InPlace {
        // ASCII needs no NFKC or accent folding: case, backquotes, trimming.
        if !token.is_ascii() {
            return InPlace::Fallback;
        }
        token.make_ascii_lowercase();
        if token.contains('`') {
            *token = token.replace('`', "'");
        }
        // The word tokenizer's words begin and end with a letter or digit:
        // trimming is then two byte checks.
        let edge = |b: &u8| matches!(b, b'\'' | b'-');
        if token.as_bytes().last().is_some_and(edge) {
            let end = token.trim_end_matches(['\'', '-']).len();
            token.truncate(end);
        }
        if token.as_bytes().first().is_some_and(edge) {
            let start = token.len() - token.trim_start_matches(['\'', '-']).len();
            token.drain(..start);
        }
        if token.is_empty() {
            InPlace::Drop
        } else {
            InPlace::Keep
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

    fn map_in_place(&self, token: &mut String) -> InPlace {
        match (token.is_empty(), token.contains('-')) {
            (true, _) => InPlace::Drop,
            (false, false) => InPlace::Keep,
            (false, true) => InPlace::Fallback,
        }
    }
}

/// English stopwords, dropped from the stemmed field (the exact field keeps them).
fn is_en_stopword(w: &str) -> bool {
    matches!(
        w.as_bytes(),
        b"a" | b"an"
            | b"and"
            | b"are"
            | b"as"
            | b"at"
            | b"be"
            | b"been"
            | b"but"
            | b"by"
            | b"for"
            | b"from"
            | b"had"
            | b"has"
            | b"have"
            | b"he"
            | b"her"
            | b"his"
            | b"if"
            | b"in"
            | b"into"
            | b"is"
            | b"it"
            | b"its"
            | b"of"
            | b"on"
            | b"or"
            | b"she"
            | b"so"
            | b"such"
            | b"than"
            | b"that"
            | b"the"
            | b"their"
            | b"them"
            | b"then"
            | b"there"
            | b"these"
            | b"they"
            | b"this"
            | b"those"
            | b"to"
            | b"was"
            | b"were"
            | b"which"
            | b"while"
            | b"who"
            | b"will"
            | b"with"
    )
}

/// English: possessives removed, stopwords dropped, each word replaced by
/// its family's head from the English lexicon (`decision` → `decide`), or
/// by its Porter2 stem when the lexicon does not know it.
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

impl English {
    /// The term of `word` (lower case, no possessive, not a stopword): its
    /// family's head when the lexicon knows the word as written or in
    /// American spelling, else its Porter2 stem (see [`english`]).
    fn term(&self, word: &str, out: &mut String) {
        if let Some(head) = english::head(word) {
            out.push_str(head);
            return;
        }
        let american = american(word);
        match english::head(&american) {
            Some(head) => out.push_str(head),
            None => out.push_str(&self.stemmer.stem(&american)),
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
        if word.is_empty() || is_en_stopword(word) {
            return;
        }
        let mut term = String::new();
        self.term(word, &mut term);
        out.push(term);
    }

    fn map_in_place(&self, token: &mut String) -> InPlace {
        if token.ends_with("'s") {
            token.truncate(token.len() - 2);
        } else if token.ends_with('\'') {
            token.truncate(token.len() - 1);
        }
        if token.is_empty() || is_en_stopword(token) {
            return InPlace::Drop;
        }
        cached(&EN_STEMS, token, |word, out| self.term(word, out));
        InPlace::Keep
    }
}

/// A rule over a query's whole list of tokens: a query is a few words, so
/// it is read whole before deciding (see [`WholeQuery`]).
pub trait QueryRule: Clone + Send + Sync + 'static {
    /// The query's terms from its tokens, in order.
    fn apply(&self, tokens: Vec<Token>) -> Vec<Token>;
}

/// Tantivy filter running a [`QueryRule`] over the whole of its input.
#[derive(Clone, Default)]
pub struct WholeQuery<R>(pub R);

impl<R: QueryRule> TokenFilter for WholeQuery<R> {
    type Tokenizer<T: Tokenizer> = WholeQueryTokenizer<T, R>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WholeQueryTokenizer<T, R> {
        WholeQueryTokenizer {
            inner: tokenizer,
            rule: self.0,
        }
    }
}

/// Tokenizer produced by [`WholeQuery`].
#[derive(Clone)]
pub struct WholeQueryTokenizer<T, R> {
    inner: T,
    rule: R,
}

impl<T: Tokenizer, R: QueryRule> Tokenizer for WholeQueryTokenizer<T, R> {
    type TokenStream<'a> = tantivy::tokenizer::PreTokenizedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let mut tokens = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tantivy::tokenizer::PreTokenizedString {
            text: text.to_string(),
            tokens: self.rule.apply(tokens),
        }
        .into()
    }
}

/// English for queries: the documents' [`English`] map, except that a text
/// of several words which would keep fewer than two of them without its
/// stopwords keeps them all. A quoted `"of the twinning"` then asks the
/// stemmed field for `of the twin`, which it cannot hold (it has no
/// stopwords), so the phrase is matched in the exact field only — rather
/// than as the lone stem `twin`, which every passage about twinning has.
/// With two content words or more the stopwords are dropped as in
/// documents and their positions stay empty, so `"twinning of cities"`
/// finds `twinnings of cities` and `twinning with cities` alike.
#[derive(Clone, Default)]
pub struct EnglishQuery(English);

impl QueryRule for EnglishQuery {
    fn apply(&self, tokens: Vec<Token>) -> Vec<Token> {
        let mut out = Vec::new();
        let words: Vec<(Token, Option<String>)> = tokens
            .into_iter()
            .map(|token| {
                out.clear();
                self.0.map(&token.text, &mut out);
                let term = out.pop();
                (token, term)
            })
            .collect();
        let content = words.iter().filter(|(_, term)| term.is_some()).count();
        let keep_stopwords = words.len() > 1 && content < 2;
        words
            .into_iter()
            .filter_map(|(token, term)| match term {
                Some(text) => Some(Token { text, ..token }),
                None if keep_stopwords => Some(token),
                None => None,
            })
            .collect()
    }
}

/// Indonesian for queries, before stemming: a text of several words that
/// are all function words (`"ke dengan"`, `"dan dalam"`) asks the stemmed
/// field for nothing, so such a phrase is matched as written, in the exact
/// field. Stemming adds nothing to it but cost: its words are in most
/// Indonesian passages, and the stemmed field's positions would be checked
/// in all of them for the few more matches an inflected form gives
/// (`ke dengannya`).
#[derive(Clone, Copy, Default)]
pub struct IndonesianQuery;

impl QueryRule for IndonesianQuery {
    fn apply(&self, tokens: Vec<Token>) -> Vec<Token> {
        let function_words_only = tokens.len() > 1
            && tokens
                .iter()
                .all(|t| super::lang::is_indonesian_function_word(&t.text));
        if function_words_only {
            Vec::new()
        } else {
            tokens
        }
    }
}

/// Slots per stem cache at most (a power of two): word frequencies are
/// skewed, so a few tens of thousands of words cover nearly every token.
const STEM_CACHE_SLOTS: usize = 1 << 15;

/// Slots a stem cache starts with: a search stems a few hundred words, and
/// should not pay for filling two megabytes of slots.
const FIRST_STEM_CACHE_SLOTS: usize = 1 << 8;

/// Longest word (and stem) a cache slot holds; a longer one is stemmed
/// every time, and few words are that long.
const SLOT_WORD: usize = 31;

/// One cached word and its stem, inline: a lookup reads one cache line and
/// follows no pointer.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    word_len: u8,
    word: [u8; SLOT_WORD],
    stem_len: u8,
    stem: [u8; SLOT_WORD],
}

impl Slot {
    const EMPTY: Slot = Slot {
        word_len: u8::MAX,
        word: [0; SLOT_WORD],
        stem_len: 0,
        stem: [0; SLOT_WORD],
    };

    fn holds(&self, word: &[u8]) -> bool {
        usize::from(self.word_len) == word.len() && self.word[..word.len()] == *word
    }

    fn stem(&self) -> &[u8] {
        &self.stem[..usize::from(self.stem_len)]
    }
}

/// Stems already computed on one thread, two ways per set: a word's set is
/// fixed by its hash, and a newly stemmed word takes the first way, moving
/// the word there to the second. A fixed hash is safe: words a document
/// makes collide only cost their stemming again. It starts small and grows
/// eightfold, emptied, each time it has stored as many words as it has
/// slots, up to [`STEM_CACHE_SLOTS`].
struct StemCache {
    slots: Vec<Slot>,
    /// Words stored since the cache last grew.
    stored: usize,
}

impl Default for StemCache {
    fn default() -> Self {
        StemCache {
            slots: vec![Slot::EMPTY; FIRST_STEM_CACHE_SLOTS],
            stored: 0,
        }
    }
}

impl StemCache {
    /// Replaces `token` by its stem, computed by `stem` (into an empty
    /// buffer) unless cached.
    fn stem(&mut self, token: &mut String, stem: impl FnOnce(&str, &mut String)) {
        let word = token.as_bytes();
        if word.len() > SLOT_WORD {
            let mut out = String::new();
            stem(token, &mut out);
            *token = out;
            return;
        }
        let set = (super::indonesian::fx_hash(word) as usize) & (self.slots.len() - 2);
        for way in [set, set + 1] {
            if self.slots[way].holds(word) {
                // Stems are cut from whole characters of valid UTF-8 words.
                let s = std::str::from_utf8(self.slots[way].stem()).unwrap_or_default();
                token.clear();
                token.push_str(s);
                return;
            }
        }
        let mut out = String::new();
        stem(token, &mut out);
        if out.len() <= SLOT_WORD {
            let mut slot = Slot::EMPTY;
            slot.word_len = word.len() as u8;
            slot.word[..word.len()].copy_from_slice(word);
            slot.stem_len = out.len() as u8;
            slot.stem[..out.len()].copy_from_slice(out.as_bytes());
            self.slots[set + 1] = self.slots[set];
            self.slots[set] = slot;
            self.stored += 1;
            // As many words stored as there are slots: a long text is being
            // read, and the cache grows (starting empty) to its full size.
            if self.stored >= self.slots.len() && self.slots.len() < STEM_CACHE_SLOTS {
                let size = (self.slots.len() * 8).min(STEM_CACHE_SLOTS);
                self.slots = vec![Slot::EMPTY; size];
                self.stored = 0;
            }
        }
        *token = out;
    }
}

thread_local! {
    /// Stems already computed on this thread (stemming is a pure function
    /// of the word, and costs more than a lookup).
    static EN_STEMS: std::cell::RefCell<StemCache> = std::cell::RefCell::default();
    static ID_STEMS: std::cell::RefCell<StemCache> = std::cell::RefCell::default();
}

/// Replaces `token` by its stem, computed by `stem` (into an empty buffer)
/// unless `cache` has it.
fn cached(
    cache: &'static std::thread::LocalKey<std::cell::RefCell<StemCache>>,
    token: &mut String,
    stem: impl FnOnce(&str, &mut String),
) {
    cache.with_borrow_mut(|c| c.stem(token, stem));
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

    fn map_in_place(&self, token: &mut String) -> InPlace {
        cached(&ID_STEMS, token, indonesian::stem_into);
        if token.is_empty() {
            InPlace::Drop
        } else {
            InPlace::Keep
        }
    }
}

/// Closed compounds written open or closed meet: `kerja sama` gains the token
/// `kerjasama` at `kerja`'s position, and `kerjasama` (or `bekerjasama`)
/// gains `kerja` at its own position and `sama` after it, so a query in
/// either spelling, phrase or not, finds both.
///
/// A document's text therefore holds `kerjasama` at a position exactly
/// where it holds `kerja` there and `sama` at the next. A query needs only
/// the compound ([`IndonesianCompounds::QUERY`]): `kerja sama` becomes the
/// one term `kerjasama` with `sama`'s position left empty, rather than a
/// three-term phrase whose positions are checked in tens of thousands of
/// passages for the same matches.
#[derive(Clone, Copy)]
pub struct IndonesianCompounds {
    query: bool,
}

impl IndonesianCompounds {
    /// For documents: compound and parts.
    pub const DOCUMENT: Self = IndonesianCompounds { query: false };
    /// For queries: the compound stands for its parts.
    pub const QUERY: Self = IndonesianCompounds { query: true };
}

impl TokenFilter for IndonesianCompounds {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            inner: tokenizer,
            query: self.query,
        }
    }
}

/// Tokenizer produced by [`IndonesianCompounds`].
#[derive(Clone)]
pub struct CompoundTokenizer<T> {
    inner: T,
    query: bool,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CompoundTokenStream {
            tail: self.inner.token_stream(text),
            held: None,
            out: std::collections::VecDeque::new(),
            shift: 0,
            token: Token::default(),
            spare: String::new(),
            query: self.query,
            skip: false,
        }
    }
}

/// Token stream of [`IndonesianCompounds`]: one token of look-ahead, since
/// whether a word joins the next is known only when the next arrives.
pub struct CompoundTokenStream<S> {
    tail: S,
    /// The last input token, waiting for its successor.
    held: Option<Token>,
    out: std::collections::VecDeque<Token>,
    /// Positions added so far by split compounds.
    shift: usize,
    token: Token,
    /// A text buffer to trade with the tail, so tokens move without allocating.
    spare: String,
    /// Compounds only, without their parts (queries).
    query: bool,
    /// The held token is the second part of an open compound already
    /// emitted (queries).
    skip: bool,
}

impl<S: TokenStream> CompoundTokenStream<S> {
    fn pull(&mut self) -> Option<Token> {
        if !self.tail.advance() {
            return None;
        }
        let src = self.tail.token_mut();
        let mut text = std::mem::take(&mut self.spare);
        text.clear();
        std::mem::swap(&mut text, &mut src.text);
        Some(Token {
            text,
            offset_from: src.offset_from,
            offset_to: src.offset_to,
            position: src.position,
            position_length: src.position_length,
        })
    }

    /// Emits `tok` (an input token, unshifted), knowing the input token after it.
    fn emit(&mut self, tok: Token, next: Option<&Token>) {
        if std::mem::take(&mut self.skip) {
            return;
        }
        let mut t = tok;
        let position = t.position;
        t.position += self.shift;
        if let Some((a, b)) = indonesian::split_compound(&t.text) {
            if self.query {
                self.out.push_back(t);
                self.shift += 1;
                return;
            }
            let pos = t.position;
            let (a, b) = (a.to_string(), b.to_string());
            self.out.push_back(Token {
                text: a,
                ..t.clone()
            });
            self.out.push_back(Token {
                text: b,
                position: pos + 1,
                ..t.clone()
            });
            self.out.insert(self.out.len() - 1, t);
            self.shift += 1;
            return;
        }
        let joined = next
            .filter(|n| n.position == position + 1)
            .and_then(|n| indonesian::join_compound(&t.text, &n.text).map(|c| (c, n.offset_to)));
        let compound = joined.map(|(c, to)| Token {
            text: c.to_string(),
            offset_to: to,
            ..t.clone()
        });
        match compound {
            Some(c) if self.query => {
                self.out.push_back(c);
                self.skip = true;
            }
            compound => {
                self.out.push_back(t);
                self.out.extend(compound);
            }
        }
    }
}

impl<S: TokenStream> TokenStream for CompoundTokenStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(t) = self.out.pop_front() {
                let old = std::mem::replace(&mut self.token, t);
                self.spare = old.text;
                return true;
            }
            let next = self.pull();
            match (self.held.take(), next) {
                (None, None) => return false,
                (None, Some(n)) => self.held = Some(n),
                (Some(h), next) => {
                    self.emit(h, next.as_ref());
                    self.held = next;
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EN, EXACT, ID, Side, analyze};

    fn terms(name: &str, text: &str) -> Vec<String> {
        analyze(name, text).into_iter().map(|(t, _)| t).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The allocation-free path gives what `map` gives, for every filter.
        #[test]
        fn in_place_agrees_with_map(word in "[a-zA-Z'`\\-éÉßﬁ0-9]{0,12}") {
            use super::{English, IndonesianStem, InPlace, Normalize, SplitHyphens, TokenMap};
            fn check<M: TokenMap>(m: &M, word: &str) -> Result<(), proptest::test_runner::TestCaseError> {
                let mut expected = Vec::new();
                m.map(word, &mut expected);
                let mut token = word.to_string();
                match m.map_in_place(&mut token) {
                    InPlace::Keep => proptest::prop_assert_eq!(expected, vec![token]),
                    InPlace::Drop => proptest::prop_assert!(expected.is_empty(), "{:?}", expected),
                    InPlace::Fallback => {}
                }
                Ok(())
            }
            check(&Normalize, &word)?;
            check(&SplitHyphens, &word)?;
            let lower = word.to_lowercase();
            check(&English::new(), &lower)?;
            check(&IndonesianStem, &lower)?;
        }
    }

    /// Many more words than the cache has slots, so that words share sets
    /// and push each other out, repeated, and some too long for a slot.
    #[test]
    fn a_cached_stem_is_the_word_s_own_stem() {
        use super::{StemCache, indonesian};
        let mut cache = StemCache::default();
        let words: Vec<String> = (0..super::STEM_CACHE_SLOTS * 3)
            .map(|i| match i % 5 {
                0 => format!("mempertanggungjawabkan{i}"),
                1 => format!("kota{}", i % 97),
                2 => format!("berkebudayaan{}", "x".repeat(i % 40)),
                3 => format!("pe\u{f1}a{i}"),
                _ => format!("me{i}kan"),
            })
            .collect();
        for pass in 0..2 {
            for w in &words {
                let mut token = w.clone();
                cache.stem(&mut token, indonesian::stem_into);
                assert_eq!(token, indonesian::stem(w), "{w}, pass {pass}");
            }
        }
    }

    #[test]
    fn stopwords_are_dropped_from_the_stemmed_field_only() {
        assert_eq!(terms(EN, "the city of which"), ["city"]);
        assert_eq!(terms(EXACT, "the city"), ["the", "city"]);
    }

    #[test]
    fn exact_keeps_every_word_folded() {
        assert_eq!(
            terms(EXACT, "The Sister-City of Núñez"),
            ["the", "sister", "city", "of", "nunez"]
        );
    }

    #[test]
    fn a_query_keeps_english_stopwords_only_when_they_carry_the_phrase() {
        let query = |text: &str| positioned(EN, Side::Query, text);
        let owned = |ts: &[(&str, usize)]| -> Vec<(String, usize)> {
            ts.iter().map(|(t, p)| (t.to_string(), *p)).collect()
        };
        assert_eq!(
            query("of the twinning"),
            owned(&[("of", 0), ("the", 1), ("twin", 2)])
        );
        assert_eq!(query("the one"), owned(&[("the", 0), ("one", 1)]));
        assert_eq!(
            query("twinning of the cities"),
            owned(&[("twin", 0), ("city", 3)])
        );
        assert_eq!(query("the"), owned(&[]));
        assert_eq!(query("Twinning"), owned(&[("twin", 0)]));
    }

    #[test]
    fn a_query_of_indonesian_function_words_asks_the_stemmed_field_for_nothing() {
        let query = |text: &str| -> Vec<String> {
            positioned(ID, Side::Query, text)
                .into_iter()
                .map(|(t, _)| t)
                .collect()
        };
        assert!(query("ke dengan").is_empty());
        assert!(query("dan dalam dalam").is_empty());
        assert_eq!(query("ke dalam negeri"), ["ke", "dalam", "negeri"]);
        assert_eq!(query("dengan"), ["dengan"]);
        assert_eq!(query("dengannya"), ["dengan"]);
        // Documents keep every word.
        assert_eq!(terms(ID, "ke dengan"), ["ke", "dengan"]);
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
    fn english_word_families_meet_and_look_alikes_stay_apart() {
        assert_eq!(
            terms(EN, "decision decided decisive decides"),
            ["decide"; 4]
        );
        assert_eq!(terms(EN, "democratic democracies"), ["democrat"; 2]);
        assert_ne!(terms(EN, "animal"), terms(EN, "animate"));
        assert_ne!(terms(EN, "policy"), terms(EN, "police"));
        // Outside the lexicon, Porter2 as before.
        assert_eq!(
            terms(EN, "paradiplomacy paradiplomacies"),
            ["paradiplomaci"; 2]
        );
    }

    #[test]
    fn english_stems_and_drops_stopwords() {
        assert_eq!(
            terms(EN, "The twinning of cities' councils"),
            ["twin", "city", "council"]
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

    /// Terms and positions as `name` analyses `text` for `side`.
    fn positioned(name: &str, side: Side, text: &str) -> Vec<(String, usize)> {
        let mut a = super::super::build(name, side).unwrap();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut s) {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    /// Whether `doc` holds every term of `phrase` at the same distances, as
    /// a phrase query asks.
    fn holds(doc: &[(String, usize)], phrase: &[(String, usize)]) -> bool {
        let Some(first) = phrase.iter().map(|(_, p)| *p).min() else {
            return false;
        };
        doc.iter().any(|(_, base)| {
            phrase
                .iter()
                .all(|(t, p)| doc.iter().any(|(d, q)| d == t && *q == base + (p - first)))
        })
    }

    #[test]
    fn a_query_compound_stands_for_its_parts() {
        let q = |t| positioned(ID, Side::Query, t);
        let kerjasama = vec![("kerjasama".to_string(), 0)];
        for form in ["kerja sama", "bekerjasama", "kerja-sama", "kerjasamanya"] {
            assert_eq!(q(form), kerjasama, "{form}");
        }
        assert_eq!(
            q("kerja sama ekonomi"),
            [("kerjasama".to_string(), 0), ("ekonomi".to_string(), 2)]
        );
        assert_eq!(
            q("kerja keras sama"),
            [
                ("kerja".to_string(), 0),
                ("keras".to_string(), 1),
                ("sama".to_string(), 2)
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// A query analysed with compounds alone finds a phrase in exactly
        /// the documents where the documents' own analysis of it would.
        #[test]
        fn query_compounds_find_what_their_parts_find(
            doc in proptest::collection::vec(0..WORDS.len(), 1..12),
            query in proptest::collection::vec(0..WORDS.len(), 1..5),
        ) {
            let text = |ix: &[usize]| ix.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
            // A phrase of function words alone is left to the exact field
            // (tested on its own above).
            let function_words = |ix: &[usize]| {
                ix.len() > 1 && ix.iter().all(|&i| super::super::lang::is_indonesian_function_word(WORDS[i]))
            };
            proptest::prop_assume!(!function_words(&query));
            let d = positioned(ID, Side::Document, &text(&doc));
            let full = positioned(ID, Side::Document, &text(&query));
            let short = positioned(ID, Side::Query, &text(&query));
            proptest::prop_assert_eq!(holds(&d, &full), holds(&d, &short), "{} / {}", text(&doc), text(&query));
            // A query taken from the document itself is always found.
            let window = &doc[doc.len() / 2..];
            if !function_words(window) {
                let own = positioned(ID, Side::Query, &text(window));
                proptest::prop_assert!(holds(&d, &own), "{}", text(window));
            }
        }
    }

    const WORDS: &[&str] = &[
        "kerja",
        "sama",
        "bekerja",
        "kerjasama",
        "bekerjasama",
        "kerja-sama",
        "kerjasamanya",
        "dengan",
        "ibu",
        "kota",
        "wali",
        "walikota",
        "ibukota",
        "tanggung",
        "jawab",
        "bertanggung",
        "tanggungjawab",
        "daerah",
        "terima",
        "kasih",
    ];

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
