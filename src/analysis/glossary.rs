//! The bilingual glossary: English ↔ Indonesian terms of the field, matched
//! on analysed terms so that inflected query words find their entry
//! (`twinned towns` → `twin town`). `search` uses it to add the other
//! language's terms to a query at a lower weight.

use super::{EN, ID, analyze};
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// The glossary shipped with kutip (hand-checked, `data/glossary-en-id.tsv`).
const BUILT_IN: &str = include_str!("../../data/glossary-en-id.tsv");

/// Longest entry, in words, that a query is matched against.
const MAX_WORDS: usize = 5;

/// Term pairs indexed by the analysed form of each side.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    /// Analysed English term → Indonesian equivalents as written.
    en_to_id: HashMap<String, Vec<String>>,
    /// Analysed Indonesian term → English equivalents as written.
    id_to_en: HashMap<String, Vec<String>>,
    pairs: usize,
}

/// A stretch of query words and its equivalents in the other language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The query words, as typed.
    pub words: Vec<String>,
    /// Equivalents in the other language (empty when the glossary has none).
    pub translations: Vec<String>,
}

fn key(analyzer: &str, text: &str) -> String {
    analyze(analyzer, text)
        .into_iter()
        .map(|(t, _)| t)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Glossary {
    /// The built-in glossary.
    pub fn built_in() -> Self {
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
            let (ken, kid) = (key(EN, en), key(ID, id));
            if ken.is_empty() || kid.is_empty() {
                continue;
            }
            push_unique(self.en_to_id.entry(ken).or_default(), id);
            push_unique(self.id_to_en.entry(kid).or_default(), en);
            self.pairs += 1;
        }
        Ok(())
    }

    /// Number of pairs read.
    pub fn len(&self) -> usize {
        self.pairs
    }

    /// Whether the glossary is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// Splits query words into the longest stretches the glossary knows,
    /// each with its equivalents; unknown words stand alone.
    pub fn segments(&self, words: &[&str]) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut found = None;
            for len in (1..=MAX_WORDS.min(words.len() - i)).rev() {
                let text = words[i..i + len].join(" ");
                let mut tr: Vec<String> = Vec::new();
                for (analyzer, map) in [(EN, &self.en_to_id), (ID, &self.id_to_en)] {
                    let k = key(analyzer, &text);
                    if let Some(v) = (!k.is_empty()).then(|| map.get(&k)).flatten() {
                        for t in v {
                            push_unique(&mut tr, t);
                        }
                    }
                }
                if !tr.is_empty() {
                    found = Some((len, tr));
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

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_has_the_fields_vocabulary_both_ways() {
        let g = Glossary::built_in();
        assert!(g.len() >= 150);
        let segs = g.segments(&["sister", "cities", "reconciliation"]);
        assert_eq!(segs.len(), 2);
        assert!(
            segs[0].translations.contains(&"kota kembar".to_string()),
            "{segs:?}"
        );
        assert!(
            segs[1].translations.contains(&"rekonsiliasi".to_string()),
            "{segs:?}"
        );
        let segs = g.segments(&["kerjasama", "pemerintah", "daerah"]);
        assert!(
            segs.iter()
                .any(|s| s.translations.iter().any(|t| t.contains("cooperation"))),
            "{segs:?}"
        );
        assert!(
            segs.iter().any(|s| s
                .translations
                .iter()
                .any(|t| t == "local government" || t == "regional government")),
            "{segs:?}"
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
        assert_eq!(
            g.segments(&["kota", "kembar"])[0].translations,
            ["twin town"]
        );
    }
}
