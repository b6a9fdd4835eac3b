//! Token normalisation shared by every analyzer: compatibility forms, case,
//! quotes, soft hyphens, and (for matching across spellings) accents.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFKC (folds ligatures such as `ﬁ`), lower case, curly apostrophes to `'`,
/// soft hyphens and zero-width characters removed.
pub fn normalize_token(token: &str) -> String {
    // Most tokens are plain ASCII: NFKC leaves them alone and only case
    // (and the ASCII backquote) needs changing.
    if token.is_ascii() {
        return token
            .bytes()
            .map(|b| {
                if b == b'`' {
                    '\''
                } else {
                    b.to_ascii_lowercase() as char
                }
            })
            .collect();
    }
    let mut out = String::with_capacity(token.len());
    for c in token.nfkc() {
        match c {
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
            '\u{2010}' | '\u{2011}' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Removes accents (`Núñez` → `nunez`) so that spellings with and without
/// diacritics meet; the caller has already normalised case.
pub fn fold(token: &str) -> String {
    if token.is_ascii() {
        return token.to_string();
    }
    token
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_ligatures_quotes_and_soft_hyphens() {
        assert_eq!(normalize_token("Ef\u{FB01}cient"), "efficient");
        assert_eq!(normalize_token("O’Toole"), "o'toole");
        assert_eq!(normalize_token("kerja\u{00AD}sama"), "kerjasama");
    }

    #[test]
    fn folds_accents() {
        assert_eq!(fold("núñez"), "nunez");
        assert_eq!(fold("müller"), "muller");
    }
}
