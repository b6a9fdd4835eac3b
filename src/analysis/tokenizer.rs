//! Word tokenizer shared by all analyzers: runs of letters and digits (as UAX #29
//! word boundaries give for our languages), hyphen-joined words kept as one
//! token so reduplication (`kota-kota`) reaches the Indonesian filter whole.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text into words; `a-b` with no space around the hyphen stays one token.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// Token stream of [`WordTokenizer`]: words are found as the stream
/// advances, into one reused token, so analysis allocates nothing per word.
pub struct WordTokenStream<'a> {
    text: &'a str,
    words: Words<'a>,
    /// Kept apart from the token, which later filters may shift.
    position: usize,
    token: Token,
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
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

/// Word byte ranges of a text: runs of letters and digits, with an
/// apostrophe between letters kept inside (`O’Toole`) and hyphen-joined
/// words merged (`kota-kota`), as UAX #29 word boundaries would give for
/// Indonesian and English prose, in one pass without tables.
pub struct Words<'a> {
    text: &'a str,
    /// Byte offset of the next character to read.
    at: usize,
}

impl<'a> Words<'a> {
    /// Words of `text`, in order.
    pub fn new(text: &'a str) -> Self {
        Words { text, at: 0 }
    }

    /// The character at byte `i` (a char boundary) and its length. Every
    /// text is mostly ASCII, which is read without decoding.
    #[inline]
    fn char_at(&self, i: usize) -> Option<(char, usize)> {
        let b = *self.text.as_bytes().get(i)?;
        if b < 0x80 {
            return Some((b as char, 1));
        }
        let c = self.text[i..].chars().next()?;
        Some((c, c.len_utf8()))
    }
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        // Up to the next word character: nothing joins outside a word.
        loop {
            let (c, len) = self.char_at(self.at)?;
            if is_word_char(c) {
                break;
            }
            self.at += len;
        }
        let start = self.at;
        loop {
            // The rest of an ASCII word in one tight loop.
            while bytes.get(self.at).is_some_and(u8::is_ascii_alphanumeric) {
                self.at += 1;
            }
            let Some((c, len)) = self.char_at(self.at) else {
                return Some((start, self.text.len()));
            };
            let end = self.at;
            self.at += len;
            if is_word_char(c) {
                continue;
            }
            // An apostrophe or hyphen between two word characters joins them.
            if (is_apostrophe(c) || is_joiner(c))
                && self.char_at(self.at).is_some_and(|(n, _)| is_word_char(n))
            {
                continue;
            }
            return Some((start, end));
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            words: Words::new(text),
            position: usize::MAX,
            token: Token::default(),
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = self.words.next() else {
            return false;
        };
        self.position = self.position.wrapping_add(1);
        let t = &mut self.token;
        t.position = self.position;
        t.offset_from = from;
        t.offset_to = to;
        t.position_length = 1;
        t.text.clear();
        t.text.push_str(&self.text[from..to]);
        true
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
    use super::Words;

    fn texts(s: &str) -> Vec<&str> {
        Words::new(s).map(|(a, b)| &s[a..b]).collect()
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

    /// Words by the definition alone, one decoded character at a time:
    /// what the byte-level scanner must agree with.
    fn by_chars(text: &str) -> Vec<(usize, usize)> {
        use super::{is_apostrophe, is_joiner, is_word_char};
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut start = None;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if is_word_char(c) {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start {
                let next_is_word = chars.get(k + 1).is_some_and(|&(_, n)| is_word_char(n));
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

    proptest::proptest! {
        #[test]
        fn the_scanner_finds_the_words_the_definition_gives(
            text in "[a-zA-Z0-9 '’\\-‐.,()é\u{0301}\u{00AD}\u{200D}ñŁ\u{1F600}日本\t\n]{0,40}"
        ) {
            let got: Vec<(usize, usize)> = Words::new(&text).collect();
            proptest::prop_assert_eq!(got, by_chars(&text));
        }
    }
}
