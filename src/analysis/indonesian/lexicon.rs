//! The embedded root lexicon: hunspell-id roots, the curated supplement, the
//! closed compounds and the menge- list, as static hash tables that
//! `build.rs` lays out at compile time (no per-process loading).

use super::fx;
pub(crate) use super::fx::class_bit;

/// A word table laid out by `build.rs`: slots point into [`WORDS`]; values
/// (affix classes) sit beside them.
pub(crate) struct Table {
    slots: &'static [u32],
    values: &'static [u16],
}

impl Table {
    /// The slot holding `word`, probing from where its hash points.
    #[inline]
    fn find(&self, word: &str) -> Option<(usize, &'static str)> {
        let size = self.slots.len();
        let mut i = fx::start(word.as_bytes(), size);
        loop {
            let s = self.slots[i];
            if s == fx::EMPTY {
                return None;
            }
            let (offset, len) = fx::unslot(s);
            if len == word.len() {
                let w = &WORDS[offset..offset + len];
                if w == word {
                    return Some((i, w));
                }
            }
            i = (i + 1) & (size - 1);
        }
    }
}

/// A closed compound: its two parts and the canonical closed token.
pub(crate) struct Compound {
    pub first: &'static str,
    pub second: &'static str,
    pub joined: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lexicon_tables.rs"));

/// Number of roots (hunspell part, total).
pub(crate) fn size() -> (usize, usize) {
    (HUNSPELL_COUNT, ROOT_COUNT)
}

/// The hunspell-id version recorded in the header of `data/id-roots.txt`.
pub(crate) fn hunspell_version() -> &'static str {
    HUNSPELL_VERSION
}

/// Looks a word up in the root set, returning the lexicon's own static copy.
#[inline]
pub(crate) fn root(word: &str) -> Option<&'static str> {
    ROOTS.find(word).map(|(_, w)| w)
}

#[inline]
pub(crate) fn takes_menge(word: &str) -> bool {
    MENGE.find(word).is_some()
}

/// The affix classes hunspell records for a root (`None`: it takes none).
#[inline]
pub(crate) fn affix_classes(word: &str) -> Option<u16> {
    AFFIXED.find(word).map(|(i, _)| AFFIXED.values[i])
}

/// If `a` and `b` are the two parts of a listed closed compound, its closed form.
pub(crate) fn compound(a: &str, b: &str) -> Option<&'static str> {
    // Asked of every pair of adjacent words: most are rejected by the sieve.
    if COMPOUND_FIRSTS & fx::sieve_bit(a.as_bytes()) == 0 {
        return None;
    }
    COMPOUNDS
        .iter()
        .find(|c| c.first == a && c.second == b)
        .map(|c| c.joined)
}

/// If `joined` is a listed closed compound, its two parts.
pub(crate) fn compound_parts(joined: &str) -> Option<(&'static str, &'static str)> {
    if COMPOUND_JOINED & fx::sieve_bit(joined.as_bytes()) == 0 {
        return None;
    }
    COMPOUNDS
        .iter()
        .find(|c| c.joined == joined)
        .map(|c| (c.first, c.second))
}
