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

/// Function words of each language: frequent enough that a passage of a
/// few sentences has several, and (almost) never found in the other. A
/// `match` on bytes, which compiles to length and integer tests.
fn function_word(w: &[u8]) -> Option<Lang> {
    match w {
        b"adalah" | b"akan" | b"antara" | b"atau" | b"bagi" | b"bahwa" | b"belum" | b"dalam"
        | b"dan" | b"dapat" | b"dari" | b"dengan" | b"hanya" | b"harus" | b"ini" | b"itu"
        | b"juga" | b"karena" | b"kepada" | b"ketika" | b"lebih" | b"masih" | b"mereka"
        | b"namun" | b"oleh" | b"pada" | b"para" | b"saja" | b"sebagai" | b"sebuah" | b"sedang"
        | b"sejak" | b"sudah" | b"tersebut" | b"tetapi" | b"tidak" | b"untuk" | b"yaitu"
        | b"yang" => Some(Lang::Id),
        b"also" | b"and" | b"are" | b"as" | b"be" | b"been" | b"but" | b"by" | b"for" | b"from"
        | b"had" | b"has" | b"have" | b"into" | b"is" | b"its" | b"not" | b"of" | b"on"
        | b"only" | b"or" | b"that" | b"the" | b"their" | b"them" | b"these" | b"they"
        | b"this" | b"those" | b"to" | b"was" | b"were" | b"which" | b"while" | b"who"
        | b"will" | b"with" | b"would" => Some(Lang::En),
        _ => None,
    }
}

/// Indonesian function words: those above, and common ones left out there
/// because English text has them too, in names (`di`, `ada`, `ia`, `dia`,
/// `ke`), or because they are rarer (`telah`, `secara`, …). The query side
/// leaves a phrase made only of these to the exact field.
pub(crate) fn is_indonesian_function_word(w: &str) -> bool {
    function_word(w.as_bytes()) == Some(Lang::Id)
        || matches!(
            w,
            "di" | "ke"
                | "ada"
                | "ia"
                | "dia"
                | "telah"
                | "serta"
                | "tentang"
                | "terhadap"
                | "melalui"
                | "secara"
                | "seperti"
                | "kami"
                | "kita"
        )
}

/// Whether a query word (lower case) is a function word of either language,
/// question words included: a question is not answered better by a passage
/// for holding `the`, `what`, `yang` or `bagaimana`, so a query's
/// coordination weighs them at nothing.
pub fn is_function_word(w: &str) -> bool {
    function_word_of(w).is_some()
}

/// The language a query's function word belongs to (see
/// [`is_function_word`]); `None` for other words. A word that is a function
/// word in both (`di` in a name) is Indonesian.
fn function_word_of(w: &str) -> Option<Lang> {
    if let Some(lang) = function_word(w.as_bytes()) {
        return Some(lang);
    }
    if is_indonesian_function_word(w) {
        return Some(Lang::Id);
    }
    match w {
        // English: articles, pronouns, auxiliaries, prepositions,
        // conjunctions and question words the lists above leave out.
        "a" | "an" | "at" | "in" | "it" | "if" | "so" | "than" | "then" | "there" | "he"
        | "she" | "his" | "her" | "i" | "we" | "you" | "our" | "your" | "my" | "me" | "us"
        | "him" | "do" | "does" | "did" | "can" | "could" | "should" | "may" | "might" | "must"
        | "shall" | "about" | "after" | "before" | "over" | "under" | "between" | "during"
        | "through" | "what" | "when" | "where" | "why" | "how" | "whom" | "whose" | "any"
        | "some" | "such" | "there's" | "what's" | "how's" => Some(Lang::En),
        // Indonesian: question words, pronouns, particles.
        "apa" | "apakah" | "bagaimana" | "bagaimanakah" | "mengapa" | "kenapa" | "siapa"
        | "siapakah" | "kapan" | "mana" | "dimana" | "berapa" | "saya" | "aku" | "anda"
        | "kamu" | "engkau" | "kalian" | "beliau" | "nya" | "pun" | "lah" | "kah" | "se" | "si"
        | "sang" => Some(Lang::Id),
        _ => None,
    }
}

/// Function words counted before a clear majority is taken as final.
const ENOUGH: usize = 24;

/// Counts function words of each language; a clear majority decides.
fn by_function_words(text: &str) -> Option<Lang> {
    let (mut id, mut en) = (0usize, 0usize);
    // Function words are short and ASCII: a word longer than the buffer, or
    // with any other letter, is none of them and is skipped unread.
    let mut word = [0u8; 8];
    let mut len = 0usize;
    let mut candidate = true;
    for c in text.chars().take(2000).chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            if candidate && c.is_ascii() && len < word.len() {
                word[len] = (c as u8).to_ascii_lowercase();
                len += 1;
            } else {
                candidate = false;
            }
            continue;
        }
        if len > 0 && candidate {
            match function_word(&word[..len]) {
                Some(Lang::Id) => id += 1,
                Some(Lang::En) => en += 1,
                None => {}
            }
            if id + en >= ENOUGH && (id >= 3 * en.max(1) || en >= 3 * id.max(1)) {
                break;
            }
        }
        len = 0;
        candidate = true;
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
    fn function_words_belong_to_one_language() {
        assert_eq!(function_word(b"yang"), Some(Lang::Id));
        assert_eq!(function_word(b"the"), Some(Lang::En));
        assert_eq!(function_word(b"kota"), None);
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
