//! English word families: each known word → the head of its family, so that
//! a verb, its nouns and adjectives and all their inflections share one term
//! (`decide`, `decision`, `decisive`, `decided` → `decide`) while words that
//! only look alike stay apart (`animal`, `animate`). Used by the `en`
//! analyzer's filter.
//!
//! The families are data, `data/en-families.txt` (laid out as a static hash
//! table by `build.rs`, so no process builds one), extracted at development
//! time by `scripts/extract-en-lexicon.py` from hunspell-en-us/en-gb (which
//! words exist, their inflections and British spellings) and WordNet 3.0
//! (irregular forms, derivational links, definitions); the script's header
//! gives the rules and `--measure` the figures that chose them. A word the
//! lexicon does not know (names, new coinages such as `paradiplomacy`) is
//! stemmed by Porter2 instead, as before: its inflections still meet, and
//! it rarely has an unrelated look-alike in the lexicon.

use super::indonesian::fx;

/// The table `build.rs` lays out from `data/en-families.txt`: eight bytes a
/// slot, the word's and its head's places in [`WORDS`] (see [`fx::slot`]).
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/en_families.bin"));
/// Every word of the families, once.
static WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/en_words.txt"));

/// Version of the family list, recorded in the analyzer version.
pub const LEXICON_VERSION: &str = "en-families 1 (hunspell-en-us 2020.12.07, WordNet 3.0)";

fn word_at(slot: u32) -> &'static str {
    let (offset, len) = fx::unslot(slot);
    &WORDS[offset..offset + len]
}

/// The head of a word listed in the families, probing from where its hash points.
#[inline]
fn lookup(word: &str) -> Option<&'static str> {
    let size = TABLE.len() / 8;
    let mut i = fx::start(word.as_bytes(), size);
    loop {
        let at = |k: usize| {
            let b = &TABLE[i * 8 + k..i * 8 + k + 4];
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        let slot = at(0);
        if slot == fx::EMPTY {
            return None;
        }
        let (_, len) = fx::unslot(slot);
        if len == word.len() && word_at(slot) == word {
            return Some(word_at(at(4)));
        }
        i = (i + 1) & (size - 1);
    }
}

/// The head of `word`'s family (lower-case), or `None` for a word the lexicon
/// does not know. A word the lexicon lacks but that is an inflection of a
/// known one (`autonomies`, `sovereignties`: the dictionaries list only the
/// singular) is read as that word, Krovetz-style: a suffix is removed only
/// when what is left is a known word.
pub fn head(word: &str) -> Option<&'static str> {
    if let Some(h) = lookup(word) {
        return Some(h);
    }
    // WordNet's detachment rules (most specific first), and a doubled final
    // consonant before -ed/-ing (`twinned`).
    const RULES: &[(&str, &str)] = &[
        ("ies", "y"),
        ("ied", "y"),
        ("ses", "s"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("es", "e"),
        ("es", ""),
        ("s", ""),
        ("ing", "e"),
        ("ing", ""),
        ("ed", "e"),
        ("ed", ""),
    ];
    let mut buf = String::with_capacity(word.len() + 2);
    for (suffix, ending) in RULES {
        let Some(stem) = word.strip_suffix(suffix) else {
            continue;
        };
        if stem.len() < 3 || stem.ends_with('s') && *suffix == "s" {
            continue;
        }
        buf.clear();
        buf.push_str(stem);
        buf.push_str(ending);
        if let Some(h) = lookup(&buf) {
            return Some(h);
        }
        let b = stem.as_bytes();
        if ending.is_empty()
            && matches!(*suffix, "ed" | "ing")
            && b.len() > 3
            && b[b.len() - 1] == b[b.len() - 2]
            && let Some(h) = lookup(&stem[..stem.len() - 1])
        {
            return Some(h);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::head;

    #[test]
    fn families_meet_and_look_alikes_stay_apart() {
        for (a, b) in [
            ("decision", "decide"),
            ("democratic", "democracy"),
            ("cities", "city"),
            ("went", "go"),
            ("colour", "color"),
        ] {
            assert_eq!(head(a), head(b), "{a} ~ {b}");
            assert!(head(a).is_some(), "{a}");
        }
        for (a, b) in [
            ("animal", "animate"),
            ("universe", "university"),
            ("news", "new"),
        ] {
            assert_ne!(head(a), head(b), "{a} / {b}");
        }
        assert_eq!(head("paradiplomacy"), None);
    }
}
