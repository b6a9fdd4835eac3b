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

/// Detects the language of `text`; `None` when the text is too short or mixed to tell.
pub fn detect_lang(text: &str) -> Option<Lang> {
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
