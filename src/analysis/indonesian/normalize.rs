//! Word normalisation before stemming: NFKC, lower case, one apostrophe, one
//! hyphen, no invisible characters.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Normalises one token: NFKC, lower case, curly/modifier apostrophes to `'`,
/// Unicode hyphens to `-`, soft hyphens and zero-width characters removed,
/// leading/trailing hyphens and apostrophes trimmed, inner whitespace
/// collapsed to one space. Borrows when the token is already plain lower-case
/// ASCII (the common case), so indexing allocates nothing here.
pub fn normalize(word: &str) -> Cow<'_, str> {
    let b = word.as_bytes();
    if !b.is_empty()
        && b.iter().all(|&c| c.is_ascii_lowercase() || c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
    {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut pending_space = false;
    for c in word.nfkc().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '\u{0060}' | '\u{00B4}'
            | '\u{2032}' => '\'',
            '\u{2010}' | '\u{2011}' | '\u{2043}' | '\u{FE63}' | '\u{FF0D}' => '-',
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            c => c,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '\'');
    if trimmed.len() != out.len() {
        out = trimmed.to_string();
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn plain_is_borrowed() {
        assert!(matches!(
            normalize("kota-kota"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn case_width_apostrophe_soft_hyphen() {
        assert_eq!(normalize("Kerjasama"), "kerjasama");
        assert_eq!(normalize("ＫＯＴＡ"), "kota");
        assert_eq!(normalize("Jum\u{2019}at"), "jum'at");
        assert_eq!(normalize("peme\u{00AD}rintah"), "pemerintah");
        assert_eq!(normalize("kota\u{2010}kota"), "kota-kota");
        assert_eq!(normalize("ker\u{200B}ja"), "kerja");
        assert_eq!(normalize("-se-"), "se");
        assert_eq!(normalize("kerja  sama"), "kerja sama");
    }
}
