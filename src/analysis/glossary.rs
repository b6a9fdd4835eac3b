//! The bilingual glossary: English ↔ Indonesian terms of the field, matched
//! on analysed terms so that inflected query words find their entry
//! (`twinned towns` → `twin town`), backed by a general dictionary for the
//! words outside the field. `search` uses it to add the other language's
//! terms to a query at a lower weight.

use super::{EN, ID, analyze};
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The glossary shipped with kutip (hand-checked, `data/glossary-en-id.tsv`).
const BUILT_IN: &str = include_str!("../../data/glossary-en-id.tsv");

/// The general dictionary behind it (FreeDict, `data/dict-en-id.tsv`).
const DICTIONARY: &str = include_str!("../../data/dict-en-id.tsv");

/// The dictionary's pairs as the analyzers key them (`english<TAB>indonesian`
/// analysed, one line per pair, in the dictionary's order), computed ahead
/// so that a process does not analyse 11,000 pairs before its first search
/// (18 ms of a cold `kutip search`'s 25). A unit test checks that they are
/// the analyzers' keys and rewrites them when asked.
const DICTIONARY_KEYS: &str = include_str!("../../data/dict-en-id.keys.tsv");

/// Weight of a glossary translation, beside the query word's 1.
pub const GLOSSARY_WEIGHT: f32 = 0.3;

/// Weight of a query word's dictionary translations together: less than a
/// glossary translation, as they are not checked for the field, and shared
/// among them, so that a word with four translations does not weigh four
/// times what a word with one does.
pub const DICTIONARY_WEIGHT: f32 = 0.2;

/// Where a pair comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The hand-checked glossary, or the user's own.
    Glossary,
    /// The general dictionary.
    Dictionary,
}

/// Longest entry, in words, that a query is matched against.
const MAX_WORDS: usize = 5;

/// Analysed term → equivalents in the other language as written.
type Terms = HashMap<String, Vec<(String, Source)>>;

/// Term pairs indexed by the analysed form of each side; shared, so that a
/// copy of the built-in glossary costs nothing until a user's file is added
/// to it.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    /// Analysed English term → Indonesian equivalents as written.
    en_to_id: Arc<Terms>,
    /// Analysed Indonesian term → English equivalents as written.
    id_to_en: Arc<Terms>,
    pairs: usize,
}

/// An equivalent in the other language and its weight in a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The equivalent, as written.
    pub text: String,
    /// Its weight beside the query word's 1.
    pub weight: f32,
}

/// A stretch of query words and its equivalents in the other language.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The query words, as typed.
    pub words: Vec<String>,
    /// Equivalents in the other language (empty when neither the glossary
    /// nor the dictionary has any).
    pub translations: Vec<Translation>,
}

/// The `english<TAB>indonesian` pairs of a well-formed pair list, trimmed,
/// comments and empty lines left out.
fn pair_lines(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(en, id)| (en.trim(), id.trim()))
        .collect()
}

fn key(analyzer: &str, text: &str) -> String {
    analyze(analyzer, text)
        .into_iter()
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Glossary {
    /// The built-in glossary and the dictionary behind it, read once per
    /// process (the shell searches many times).
    pub fn built_in() -> Self {
        static BUILT: std::sync::LazyLock<Glossary> = std::sync::LazyLock::new(|| {
            let mut g = Glossary::default();
            g.add_tsv(BUILT_IN, Path::new("data/glossary-en-id.tsv"))
                .expect("the built-in glossary is well-formed");
            g.add_pairs(
                DICTIONARY,
                Path::new("data/dict-en-id.tsv"),
                Source::Dictionary,
                Some(DICTIONARY_KEYS),
            )
            .expect("the built-in dictionary is well-formed");
            g
        });
        BUILT.clone()
    }

    /// The hand-checked glossary alone, without the dictionary.
    pub fn glossary_only() -> Self {
        let mut g = Glossary::default();
        g.add_tsv(BUILT_IN, Path::new("data/glossary-en-id.tsv"))
            .expect("the built-in glossary is well-formed");
        g
    }

    /// Adds a user glossary file (`english<TAB>indonesian` per line, `#` comments).
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        // A glossary is a few thousand lines; a device or FIFO is refused.
        let bytes = crate::file::read_regular(path, 64 << 20).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::Usage(format!(
                "{}: not UTF-8 text; save the glossary as UTF-8",
                path.display()
            ))
        })?;
        self.add_tsv(&text, path)
    }

    fn add_tsv(&mut self, text: &str, path: &Path) -> Result<()> {
        self.add_pairs(text, path, Source::Glossary, None)
    }

    /// Adds the pairs of `text`, keyed by `keys` (see [`DICTIONARY_KEYS`])
    /// when given and when they are as many as the pairs, or else by
    /// analysing each.
    fn add_pairs(
        &mut self,
        text: &str,
        path: &Path,
        source: Source,
        keys: Option<&str>,
    ) -> Result<()> {
        let pairs = pair_lines(text);
        let keys: Option<Vec<(&str, &str)>> = keys
            .map(|k| k.lines().filter_map(|l| l.split_once('\t')).collect())
            .filter(|k: &Vec<_>| k.len() == pairs.len());
        if let Some(keys) = keys {
            for ((en, id), (ken, kid)) in pairs.into_iter().zip(keys) {
                self.insert((en, ken.to_string()), (id, kid.to_string()), source);
            }
            return Ok(());
        }
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((en, id)) = line.split_once('\t') else {
                return Err(Error::Usage(format!(
                    "{}:{}: expected `english<TAB>indonesian`; separate the two terms with a tab",
                    path.display(),
                    i + 1
                )));
            };
            let (en, id) = (en.trim(), id.trim());
            self.insert((en, key(EN, en)), (id, key(ID, id)), source);
        }
        Ok(())
    }

    /// Adds one pair, each side as written and as keyed; a side the
    /// analyzers leave nothing of makes no pair.
    fn insert(&mut self, (en, ken): (&str, String), (id, kid): (&str, String), source: Source) {
        if ken.is_empty() || kid.is_empty() {
            return;
        }
        push_unique(
            Arc::make_mut(&mut self.en_to_id).entry(ken).or_default(),
            id,
            source,
        );
        push_unique(
            Arc::make_mut(&mut self.id_to_en).entry(kid).or_default(),
            en,
            source,
        );
        self.pairs += 1;
    }

    /// The analysed keys of the pairs of `text`, one `english<TAB>indonesian`
    /// line per pair (an empty side where the analyzers leave nothing).
    #[cfg(test)]
    fn keys_of(text: &str) -> String {
        let mut out = String::new();
        for (en, id) in pair_lines(text) {
            out.push_str(&key(EN, en));
            out.push('\t');
            out.push_str(&key(ID, id));
            out.push('\n');
        }
        out
    }

    /// Number of pairs read.
    pub fn len(&self) -> usize {
        self.pairs
    }

    /// Whether the glossary is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// Splits query words into the longest stretches the glossary (or the
    /// dictionary) knows, each with its equivalents; unknown words stand
    /// alone. A stretch the glossary knows takes the glossary's equivalents,
    /// each at [`GLOSSARY_WEIGHT`]; one only the dictionary knows takes the
    /// dictionary's, sharing [`DICTIONARY_WEIGHT`].
    pub fn segments(&self, words: &[&str]) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut found = None;
            for len in (1..=MAX_WORDS.min(words.len() - i)).rev() {
                // A stretch does not start or end with a function word, which
                // the analyzers drop: `from twinning` is `twinning` for the
                // glossary, but would require `from` in a passage.
                let edge = |w: &str| super::is_function_word(&w.to_lowercase());
                if len > 1 && (edge(words[i]) || edge(words[i + len - 1])) {
                    continue;
                }
                let text = words[i..i + len].join(" ");
                let mut tr: Vec<(String, Source)> = Vec::new();
                for (analyzer, map) in [(EN, &*self.en_to_id), (ID, &*self.id_to_en)] {
                    let k = key(analyzer, &text);
                    if let Some(v) = (!k.is_empty()).then(|| map.get(&k)).flatten() {
                        for (t, source) in v {
                            push_unique(&mut tr, t, *source);
                        }
                    }
                }
                if !tr.is_empty() {
                    found = Some((len, weighed(tr)));
                    break;
                }
            }
            let (len, translations) = found.unwrap_or((1, Vec::new()));
            out.push(Segment {
                words: words[i..i + len].iter().map(|w| w.to_string()).collect(),
                translations,
            });
            i += len;
        }
        out
    }
}

fn push_unique(v: &mut Vec<(String, Source)>, s: &str, source: Source) {
    match v.iter_mut().find(|(x, _)| x == s) {
        // A pair in both keeps the glossary's word for it.
        Some((_, known)) if source == Source::Glossary => *known = source,
        Some(_) => {}
        None => v.push((s.to_string(), source)),
    }
}

/// The weights of a stretch's equivalents: the glossary's alone when it has
/// any (they are checked for the field), else the dictionary's, sharing
/// their weight.
fn weighed(found: Vec<(String, Source)>) -> Vec<Translation> {
    let checked = found.iter().any(|(_, s)| *s == Source::Glossary);
    let kept: Vec<String> = found
        .into_iter()
        .filter(|(_, s)| !checked || *s == Source::Glossary)
        .map(|(t, _)| t)
        .collect();
    let weight = if checked {
        GLOSSARY_WEIGHT
    } else {
        DICTIONARY_WEIGHT / kept.len() as f32
    };
    kept.into_iter()
        .map(|text| Translation { text, weight })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_keys_are_the_analyzers_keys() {
        let keys = Glossary::keys_of(DICTIONARY);
        if std::env::var_os("KUTIP_WRITE_KEYS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dict-en-id.keys.tsv");
            std::fs::write(path, &keys).unwrap();
            return;
        }
        assert!(
            keys == DICTIONARY_KEYS,
            "data/dict-en-id.keys.tsv is not what the analyzers make of the dictionary now; \
             rewrite it: KUTIP_WRITE_KEYS=1 cargo test --lib the_dictionary_keys"
        );
        // And the glossary read with them is the glossary analysed.
        let mut slow = Glossary::default();
        slow.add_pairs(DICTIONARY, Path::new("d"), Source::Dictionary, None)
            .unwrap();
        let mut fast = Glossary::default();
        fast.add_pairs(DICTIONARY, Path::new("d"), Source::Dictionary, Some(&keys))
            .unwrap();
        assert_eq!(fast.en_to_id, slow.en_to_id);
        assert_eq!(fast.id_to_en, slow.id_to_en);
        assert_eq!(fast.pairs, slow.pairs);
    }

    #[test]
    fn built_in_has_the_fields_vocabulary_both_ways() {
        let g = Glossary::built_in();
        assert!(g.len() >= 150);
        let segs = g.segments(&["sister", "cities", "reconciliation"]);
        assert_eq!(segs.len(), 2);
        assert!(texts(&segs[0]).contains(&"kota kembar"), "{segs:?}");
        assert!(texts(&segs[1]).contains(&"rekonsiliasi"), "{segs:?}");
        let segs = g.segments(&["kerjasama", "pemerintah", "daerah"]);
        assert!(
            segs.iter()
                .any(|s| texts(s).iter().any(|t| t.contains("cooperation"))),
            "{segs:?}"
        );
        assert!(
            segs.iter().any(|s| texts(s)
                .iter()
                .any(|t| *t == "local government" || *t == "regional government")),
            "{segs:?}"
        );
    }

    fn texts(s: &Segment) -> Vec<&str> {
        s.translations.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn the_dictionary_covers_other_fields_at_a_shared_lower_weight() {
        let g = Glossary::built_in();
        // Outside the glossary's field: health, water, the weather.
        let segs = g.segments(&["health", "water"]);
        assert_eq!(texts(&segs[0]), ["kesehatan"], "{segs:?}");
        assert!(texts(&segs[1]).contains(&"air"), "{segs:?}");
        let total: f32 = segs[1].translations.iter().map(|t| t.weight).sum();
        assert!((total - DICTIONARY_WEIGHT).abs() < 1e-6, "{segs:?}");
        // Indonesian to English, from an inflected form.
        let segs = g.segments(&["kesehatannya"]);
        assert!(texts(&segs[0]).contains(&"health"), "{segs:?}");
        // Where the glossary knows the word, its translation alone, at its weight.
        let segs = g.segments(&["reconciliation"]);
        assert!(
            segs[0]
                .translations
                .iter()
                .all(|t| t.weight == GLOSSARY_WEIGHT),
            "{segs:?}"
        );
        assert!(
            Glossary::glossary_only().segments(&["water"])[0]
                .translations
                .is_empty()
        );
    }

    #[test]
    fn user_glossary_lines_need_a_tab() {
        let mut g = Glossary::default();
        let err = g
            .add_tsv("# mine\nfoo bar\n", Path::new("mine.tsv"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.tsv:2: expected `english<TAB>indonesian`; separate the two terms with a tab"
        );
        g.add_tsv("twin town\tkota kembar\n", Path::new("mine.tsv"))
            .unwrap();
        assert_eq!(texts(&g.segments(&["kota", "kembar"])[0]), ["twin town"]);
    }
}
