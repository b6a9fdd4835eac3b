//! English word families: each known word → the head of its family, so that
//! a verb, its nouns and adjectives and all their inflections share one term
//! (`decide`, `decision`, `decisive`, `decided` → `decide`) while words that
//! only look alike stay apart (`animal`, `animate`). Used by the `en`
//! analyzer's filter.
//!
//! The families are data, `data/en-families.txt`, extracted at development
//! time by `scripts/extract-en-lexicon.py` from hunspell-en-us/en-gb (which
//! words exist, their inflections and British spellings) and WordNet 3.0
//! (irregular forms, derivational links, definitions); the script's header
//! gives the rules and `--measure` the figures that chose them. A word the
//! lexicon does not know (names, new coinages such as `paradiplomacy`) is
//! stemmed by Porter2 instead, as before: its inflections still meet, and
//! it rarely has an unrelated look-alike in the lexicon.

use std::collections::HashMap;
use std::sync::LazyLock;

/// One family per line, its head first; `#` lines are comments.
const FAMILIES: &str = include_str!("../../data/en-families.txt");

/// Version of the family list, recorded in the analyzer version.
pub const LEXICON_VERSION: &str = "en-families 1 (hunspell-en-us 2020.12.07, WordNet 3.0)";

static HEADS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut heads = HashMap::with_capacity(200_000);
    for line in FAMILIES.lines().filter(|l| !l.starts_with('#')) {
        let mut words = line.split(' ');
        let Some(head) = words.next() else { continue };
        heads.insert(head, head);
        for w in words {
            heads.insert(w, head);
        }
    }
    heads
});

/// The head of `word`'s family (lower-case), or `None` for a word the lexicon
/// does not know. A word the lexicon lacks but that is an inflection of a
/// known one (`autonomies`, `sovereignties`: the dictionaries list only the
/// singular) is read as that word, Krovetz-style: a suffix is removed only
/// when what is left is a known word.
pub fn head(word: &str) -> Option<&'static str> {
    if let Some(h) = HEADS.get(word) {
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
        if let Some(h) = HEADS.get(buf.as_str()) {
            return Some(h);
        }
        let b = stem.as_bytes();
        if ending.is_empty() && matches!(*suffix, "ed" | "ing") && b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] {
            if let Some(h) = HEADS.get(&stem[..stem.len() - 1]) {
                return Some(h);
            }
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
        for (a, b) in [("animal", "animate"), ("universe", "university"), ("news", "new")] {
            assert_ne!(head(a), head(b), "{a} / {b}");
        }
        assert_eq!(head("paradiplomacy"), None);
    }
}
