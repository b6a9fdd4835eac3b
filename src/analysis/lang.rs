//! Language detection for passages and queries, restricted to the languages kutip indexes.

use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use whatlang::{Detector, Lang as WLang};

/// A language kutip indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Indonesian (Malay reads as Indonesian).
    Id,
    /// English.
    En,
}

impl Lang {
    /// The ISO 639-1 code used in the index and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Parses `id`, `en` and the usual long names (`indonesian`, `english`, `ind`, `eng`, `ms`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "id" | "ind" | "indonesian" | "bahasa indonesia" | "id-id" | "ms" | "malay" | "may"
            | "msa" => Some(Lang::Id),
            "en" | "eng" | "english" | "en-us" | "en-gb" | "american" | "british" => Some(Lang::En),
            _ => None,
        }
    }
}

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![WLang::Eng, WLang::Ind]));

/// Function words of each language, sorted: frequent enough that a passage
/// of a few sentences has several, and (almost) never found in the other.
const ID_WORDS: &[&str] = &[
    "adalah", "akan", "antara", "atau", "bagi", "bahwa", "belum", "dalam", "dan", "dapat", "dari",
    "dengan", "hanya", "harus", "ini", "itu", "juga", "karena", "kepada", "ketika", "lebih",
    "masih", "mereka", "namun", "oleh", "pada", "para", "saja", "sebagai", "sebuah", "sedang",
    "sejak", "sudah", "tersebut", "tetapi", "tidak", "untuk", "yaitu", "yang",
];
const EN_WORDS: &[&str] = &[
    "also", "and", "are", "as", "be", "been", "but", "by", "for", "from", "had", "has", "have",
    "into", "is", "its", "not", "of", "on", "only", "or", "that", "the", "their", "them", "these",
    "they", "this", "those", "to", "was", "were", "which", "while", "who", "will", "with", "would",
];

/// Counts function words of each language; a clear majority decides.
fn by_function_words(text: &str) -> Option<Lang> {
    let (mut id, mut en) = (0usize, 0usize);
    let mut word = String::new();
    for c in text.chars().take(2000).chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            if ID_WORDS.binary_search(&word.as_str()).is_ok() {
                id += 1;
            } else if EN_WORDS.binary_search(&word.as_str()).is_ok() {
                en += 1;
            }
            word.clear();
        }
    }
    match (id, en) {
        (i, e) if i >= 3 && i >= 3 * e.max(1) => Some(Lang::Id),
        (i, e) if e >= 3 && e >= 3 * i.max(1) => Some(Lang::En),
        _ => None,
    }
}

/// Detects the language of `text`; `None` when the text is too short or mixed to tell.
/// Function words decide clear cases cheaply; `whatlang` decides the rest.
pub fn detect_lang(text: &str) -> Option<Lang> {
    if let Some(l) = by_function_words(text) {
        return Some(l);
    }
    detect_whatlang(text)
}

fn detect_whatlang(text: &str) -> Option<Lang> {
    // The first few hundred characters tell Indonesian from English as well
    // as the whole passage does, at a fraction of the cost.
    let text = match text.char_indices().nth(600) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    let info = DETECTOR.detect(text)?;
    if !info.is_reliable() && text.split_whitespace().count() < 8 {
        return None;
    }
    match info.lang() {
        WLang::Ind => Some(Lang::Id),
        WLang::Eng => Some(Lang::En),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_word_lists_are_sorted_and_disjoint() {
        assert!(ID_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(EN_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(ID_WORDS.iter().all(|w| EN_WORDS.binary_search(w).is_err()));
    }

    #[test]
    fn mixed_text_is_left_to_whatlang() {
        assert_eq!(by_function_words("kota kembar sister city"), None);
    }

    #[test]
    fn detects_both_languages() {
        assert_eq!(
            detect_lang("Kerja sama kota kembar melibatkan pemerintah daerah dan masyarakat."),
            Some(Lang::Id)
        );
        assert_eq!(
            detect_lang("Town twinning spread across Western Europe after the Second World War."),
            Some(Lang::En)
        );
    }
}
