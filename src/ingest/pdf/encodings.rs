//! Character tables for simple fonts: the standard encodings, glyph names
//! and the metrics of the standard fonts, for PDFs that leave them out.

/// Which built-in byte encoding a simple font starts from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    /// Symbol and other fonts whose codes mean nothing without a ToUnicode map.
    Symbolic,
}

const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

const MAC_ROMAN_HIGH: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{A0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

/// Adobe StandardEncoding above 0xA0 (0 = no glyph).
const STANDARD_HIGH: [u16; 96] = [
    0, 0x00A1, 0x00A2, 0x00A3, 0x2044, 0x00A5, 0x0192, 0x00A7, 0x00A4, 0x0027, 0x201C, 0x00AB,
    0x2039, 0x203A, 0xFB01, 0xFB02, 0, 0x2013, 0x2020, 0x2021, 0x00B7, 0, 0x00B6, 0x2022, 0x201A,
    0x201E, 0x201D, 0x00BB, 0x2026, 0x2030, 0, 0x00BF, 0, 0x0060, 0x00B4, 0x02C6, 0x02DC, 0x00AF,
    0x02D8, 0x02D9, 0x00A8, 0, 0x02DA, 0x00B8, 0, 0x02DD, 0x02DB, 0x02C7, 0x2014, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00C6, 0, 0x00AA, 0, 0, 0, 0, 0x0141, 0x00D8, 0x0152, 0x00BA, 0,
    0, 0, 0, 0, 0x00E6, 0, 0, 0, 0x0131, 0, 0, 0x0142, 0x00F8, 0x0153, 0x00DF, 0, 0, 0, 0,
];

/// The character a byte stands for in a base encoding.
pub fn decode_byte(enc: BaseEncoding, b: u8) -> Option<char> {
    match enc {
        BaseEncoding::Symbolic => None,
        BaseEncoding::WinAnsi => match b {
            0x20..=0x7E | 0xA0..=0xFF => Some(b as char),
            0x80..=0x9F => match CP1252_HIGH[(b - 0x80) as usize] {
                0 => None,
                u => char::from_u32(u as u32),
            },
            0x7F => Some('\u{2022}'),
            _ => None,
        },
        BaseEncoding::MacRoman => match b {
            0x20..=0x7E => Some(b as char),
            0x80..=0xFF => MAC_ROMAN_HIGH.chars().nth((b - 0x80) as usize),
            _ => None,
        },
        BaseEncoding::Standard => match b {
            0x27 => Some('\u{2019}'),
            0x60 => Some('\u{2018}'),
            0x20..=0x7E => Some(b as char),
            0xA0..=0xFF => match STANDARD_HIGH[(b - 0xA0) as usize] {
                0 => None,
                u => char::from_u32(u as u32),
            },
            _ => None,
        },
    }
}

/// Glyph names of ASCII 0x20..=0x7E in order.
const ASCII_NAMES: [&str; 95] = [
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quotesingle",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "grave",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
];

/// Glyph names of Latin-1 0xA0..=0xFF in order.
const LATIN1_NAMES: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Other common glyph names.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("quoteright", "\u{2019}"),
    ("quoteleft", "\u{2018}"),
    ("quotedblleft", "\u{201C}"),
    ("quotedblright", "\u{201D}"),
    ("quotesinglbase", "\u{201A}"),
    ("quotedblbase", "\u{201E}"),
    ("endash", "\u{2013}"),
    ("emdash", "\u{2014}"),
    ("bullet", "\u{2022}"),
    ("ellipsis", "\u{2026}"),
    ("dagger", "\u{2020}"),
    ("daggerdbl", "\u{2021}"),
    ("perthousand", "\u{2030}"),
    ("trademark", "\u{2122}"),
    ("Euro", "\u{20AC}"),
    ("florin", "\u{0192}"),
    ("fraction", "\u{2044}"),
    ("guilsinglleft", "\u{2039}"),
    ("guilsinglright", "\u{203A}"),
    ("minus", "\u{2212}"),
    ("ff", "\u{FB00}"),
    ("fi", "\u{FB01}"),
    ("fl", "\u{FB02}"),
    ("ffi", "\u{FB03}"),
    ("ffl", "\u{FB04}"),
    ("dotlessi", "\u{0131}"),
    ("dotlessj", "\u{0237}"),
    ("Lslash", "\u{0141}"),
    ("lslash", "\u{0142}"),
    ("OE", "\u{0152}"),
    ("oe", "\u{0153}"),
    ("Scaron", "\u{0160}"),
    ("scaron", "\u{0161}"),
    ("Zcaron", "\u{017D}"),
    ("zcaron", "\u{017E}"),
    ("Ydieresis", "\u{0178}"),
    ("circumflex", "\u{02C6}"),
    ("tilde", "\u{02DC}"),
    ("caron", "\u{02C7}"),
    ("breve", "\u{02D8}"),
    ("dotaccent", "\u{02D9}"),
    ("ring", "\u{02DA}"),
    ("ogonek", "\u{02DB}"),
    ("hungarumlaut", "\u{02DD}"),
    ("space", " "),
    ("nbspace", "\u{A0}"),
    ("nonbreakingspace", "\u{A0}"),
    ("hyphen", "-"),
    ("sfthyphen", "\u{AD}"),
    ("softhyphen", "\u{AD}"),
    ("periodcentered", "\u{B7}"),
    ("visiblespace", " "),
    ("compwordmark", ""),
];

/// The text a glyph name stands for (Adobe Glyph List conventions: known
/// names, `uniXXXX`, `uXXXX[XX]`, ligatures written `f_i`, suffixes such as `.sc`).
pub fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if let Some(t) = single_name(base) {
        return Some(t);
    }
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(single_name).collect();
        return parts;
    }
    None
}

fn single_name(n: &str) -> Option<String> {
    if let Some(i) = ASCII_NAMES.iter().position(|x| *x == n) {
        return Some(((0x20 + i) as u8 as char).to_string());
    }
    if let Some(i) = LATIN1_NAMES.iter().position(|x| *x == n) {
        return char::from_u32(0xA0 + i as u32).map(String::from);
    }
    if let Some((_, t)) = OTHER_NAMES.iter().find(|(k, _)| *k == n) {
        return Some(t.to_string());
    }
    if let Some(hex) = n.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let units: Vec<u16> = hex
            .as_bytes()
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if let Some(hex) = n.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    None
}

/// Helvetica widths (1/1000 em) for ASCII 0x20..=0x7E.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Times-Roman widths (1/1000 em) for ASCII 0x20..=0x7E.
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/// Metrics family of a font that gives no widths, judged from its name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metrics {
    Helvetica,
    Times,
    Courier,
}

impl Metrics {
    pub fn from_base_font(name: &[u8]) -> Metrics {
        let n = String::from_utf8_lossy(name).to_ascii_lowercase();
        if n.contains("courier") || n.contains("mono") {
            Metrics::Courier
        } else if n.contains("times")
            || n.contains("roman")
            || n.contains("serif") && !n.contains("sans")
        {
            Metrics::Times
        } else {
            Metrics::Helvetica
        }
    }

    /// Width of the glyph for `text` in 1/1000 em.
    pub fn width(self, text: &str) -> f64 {
        let mut w = 0.0;
        for c in text.chars() {
            w += match self {
                Metrics::Courier => 600.0,
                Metrics::Helvetica => match c {
                    ' '..='~' => HELVETICA[c as usize - 0x20] as f64,
                    _ => 556.0,
                },
                Metrics::Times => match c {
                    ' '..='~' => TIMES[c as usize - 0x20] as f64,
                    _ => 500.0,
                },
            };
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_text(b"fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(glyph_text(b"f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_text(b"uni00E9").as_deref(), Some("é"));
        assert_eq!(glyph_text(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_text(b"a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_text(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_text(b"quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(glyph_text(b"g123"), None);
    }

    #[test]
    fn byte_tables() {
        assert_eq!(decode_byte(BaseEncoding::WinAnsi, 0x93), Some('\u{201C}'));
        assert_eq!(decode_byte(BaseEncoding::Standard, 0xAE), Some('\u{FB01}'));
        assert_eq!(decode_byte(BaseEncoding::MacRoman, 0x8E), Some('é'));
        assert_eq!(decode_byte(BaseEncoding::MacRoman, 0xDE), Some('\u{FB01}'));
        assert_eq!(MAC_ROMAN_HIGH.chars().count(), 128);
    }
}
