//! Fonts: turning the bytes of a text-showing operator into characters and
//! advance widths. Covers simple fonts (standard encodings, /Differences,
//! built-in Type 1 encodings), composite (Type0) fonts and ToUnicode maps.

use super::cmap::ToUnicode;
use super::encodings::{BaseEncoding, Metrics, decode_byte, glyph_text};
use super::objects::Objects;
use lopdf::{Dictionary, Object};
use std::collections::HashMap;

/// One character code shown by a text operator.
#[derive(Debug, Clone)]
pub struct Code {
    /// The text it stands for (may be empty, or several characters for a ligature).
    pub text: String,
    /// Advance width in text space (1/1000 of the font size already applied: 0.5 = half an em).
    pub width: f64,
    /// A single-byte code 32, to which word spacing applies.
    pub word_space: bool,
}

#[derive(Debug)]
enum Kind {
    /// One byte per code; the text of each code.
    Simple(Box<[Option<String>; 256]>),
    /// Multi-byte codes; default code length.
    Composite,
}

/// A font as far as text extraction needs it.
#[derive(Debug)]
pub struct Font {
    kind: Kind,
    to_unicode: Option<ToUnicode>,
    widths: HashMap<u32, f64>,
    default_width: f64,
    metrics: Option<Metrics>,
    /// Horizontal scale of glyph space (0.001 except for Type 3 fonts).
    scale: f64,
    cache: std::cell::RefCell<HashMap<(u32, u8), String>>,
}

fn base_encoding_named(name: &[u8]) -> Option<BaseEncoding> {
    match name {
        b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
        b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
        b"StandardEncoding" => Some(BaseEncoding::Standard),
        _ => None,
    }
}

/// `dup 12 /fi put` entries of a Type 1 font program's built-in encoding.
fn builtin_type1_encoding(program: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let head = &program[..program.len().min(64 * 1024)];
    let Some(start) = head.windows(9).position(|w| w == b"/Encoding") else {
        return Vec::new();
    };
    let end = head[start..]
        .windows(8)
        .position(|w| w == b"readonly" || w == b"currentf")
        .map(|e| start + e)
        .unwrap_or(head.len());
    let text = String::from_utf8_lossy(&head[start..end]);
    let mut out = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for w in words.windows(4) {
        if w[0] == "dup"
            && w[3] == "put"
            && let (Ok(code), Some(name)) = (w[1].parse::<u8>(), w[2].strip_prefix('/'))
        {
            out.push((code, name.as_bytes().to_vec()));
        }
    }
    out
}

impl Font {
    /// A font used when a name is missing from the resources.
    pub fn fallback() -> Font {
        let mut table: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|_| None));
        for b in 0..=255u8 {
            table[b as usize] = decode_byte(BaseEncoding::WinAnsi, b).map(String::from);
        }
        Font {
            kind: Kind::Simple(table),
            to_unicode: None,
            widths: HashMap::new(),
            default_width: 500.0,
            metrics: Some(Metrics::Helvetica),
            scale: 0.001,
            cache: Default::default(),
        }
    }

    /// Read a font dictionary.
    pub fn load<'a>(objs: &Objects<'a>, dict: &'a Dictionary) -> Font {
        let subtype = objs.name(dict.get(b"Subtype").ok()).unwrap_or_default();
        let base_font = objs.name(dict.get(b"BaseFont").ok()).unwrap_or_default();
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| objs.stream_data(o))
            .map(|d| ToUnicode::parse(&d))
            .filter(|c| !c.is_empty() || !c.spaces.is_empty());
        let descriptor = |d: &'a Dictionary| objs.dict(d.get(b"FontDescriptor").ok());
        if subtype == b"Type0" {
            let desc_font = dict
                .get(b"DescendantFonts")
                .ok()
                .and_then(|o| objs.array(Some(o)))
                .and_then(|a| a.first().and_then(|o| objs.dict(Some(o))));
            let mut widths = HashMap::new();
            let mut default_width = 1000.0;
            if let Some(df) = desc_font {
                if let Some(dw) = df.get(b"DW").ok().and_then(|o| objs.number(o)) {
                    default_width = dw;
                }
                if let Some(w) = objs.array(df.get(b"W").ok()) {
                    let mut i = 0;
                    while i < w.len() && widths.len() < 100_000 {
                        let Some(first) = objs.number(&w[i]) else {
                            break;
                        };
                        match w.get(i + 1).map(|o| objs.resolve(o)) {
                            Some(Object::Array(list)) => {
                                for (k, v) in list.iter().enumerate().take(65_536) {
                                    if let Some(v) = objs.number(v) {
                                        widths.insert(first as u32 + k as u32, v);
                                    }
                                }
                                i += 2;
                            }
                            Some(o) => {
                                let (Some(last), Some(v)) =
                                    (objs.number(o), w.get(i + 2).and_then(|o| objs.number(o)))
                                else {
                                    break;
                                };
                                let (first, last) =
                                    (first as u32, (last as u32).min(first as u32 + 65_536));
                                for c in first..=last {
                                    widths.insert(c, v);
                                }
                                i += 3;
                            }
                            None => break,
                        }
                    }
                }
            }
            return Font {
                kind: Kind::Composite,
                to_unicode,
                widths,
                default_width,
                metrics: None,
                scale: 0.001,
                cache: Default::default(),
            };
        }

        // Simple font: encoding table.
        let desc = descriptor(dict);
        let flags = desc
            .and_then(|d| d.get(b"Flags").ok())
            .and_then(|o| objs.number(o))
            .unwrap_or(0.0) as u32;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let bf = String::from_utf8_lossy(&base_font).to_ascii_lowercase();
        let is_symbol_font = bf.contains("symbol") || bf.contains("dingbats");
        let mut base = if subtype == b"TrueType" && !symbolic {
            BaseEncoding::WinAnsi
        } else if is_symbol_font {
            BaseEncoding::Symbolic
        } else {
            BaseEncoding::Standard
        };
        let mut differences: Vec<(u8, Vec<u8>)> = Vec::new();
        let enc = dict.get(b"Encoding").ok().map(|o| objs.resolve(o));
        match enc {
            Some(Object::Name(n)) => {
                if let Some(b) = base_encoding_named(n) {
                    base = b;
                }
            }
            Some(Object::Dictionary(d)) => {
                if let Some(b) = objs
                    .name(d.get(b"BaseEncoding").ok())
                    .and_then(|n| base_encoding_named(&n))
                {
                    base = b;
                } else if subtype == b"Type1"
                    && let Some(program) = desc
                        .and_then(|d| d.get(b"FontFile").ok())
                        .and_then(|o| objs.stream_data(o))
                {
                    differences.extend(builtin_type1_encoding(&program));
                }
                if let Some(diffs) = objs.array(d.get(b"Differences").ok()) {
                    let mut code: u32 = 0;
                    for item in diffs.iter().take(4096) {
                        match objs.resolve(item) {
                            Object::Integer(i) => code = (*i).clamp(0, 255) as u32,
                            Object::Name(n) => {
                                if code <= 255 {
                                    differences.push((code as u8, n.clone()));
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {
                if subtype == b"Type1"
                    && let Some(program) = desc
                        .and_then(|d| d.get(b"FontFile").ok())
                        .and_then(|o| objs.stream_data(o))
                {
                    differences.extend(builtin_type1_encoding(&program));
                }
            }
        }
        let mut table: Box<[Option<String>; 256]> = Box::new(std::array::from_fn(|_| None));
        for b in 0..=255u8 {
            table[b as usize] = decode_byte(base, b).map(String::from);
        }
        for (code, name) in differences {
            table[code as usize] = glyph_text(&name).or_else(|| {
                // Unknown name: keep the base encoding's character when it is a letter-like one.
                table[code as usize].clone()
            });
        }
        let mut widths = HashMap::new();
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| objs.number(o))
            .unwrap_or(0.0) as u32;
        if let Some(w) = objs.array(dict.get(b"Widths").ok()) {
            for (i, v) in w.iter().enumerate().take(256) {
                if let Some(v) = objs.number(v) {
                    widths.insert(first + i as u32, v);
                }
            }
        }
        let missing = desc
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(|o| objs.number(o));
        let metrics = if widths.is_empty() {
            Some(Metrics::from_base_font(&base_font))
        } else {
            None
        };
        let mut scale = 0.001;
        if subtype == b"Type3"
            && let Some(m) = objs.array(dict.get(b"FontMatrix").ok())
            && let Some(a) = m.first().and_then(|o| objs.number(o))
            && a.is_finite()
            && a != 0.0
        {
            scale = a.abs();
        }
        Font {
            kind: Kind::Simple(table),
            to_unicode,
            widths,
            default_width: missing.unwrap_or(if metrics.is_some() { 0.0 } else { 500.0 }),
            metrics,
            scale,
            cache: Default::default(),
        }
    }

    fn text_of(&self, code: u32, len: u8) -> String {
        if let Some(t) = self.cache.borrow().get(&(code, len)) {
            return t.clone();
        }
        let mut text = self
            .to_unicode
            .as_ref()
            .and_then(|c| c.lookup(code, len))
            .filter(|t| {
                // A map to NUL or a private-use glyph is no help; fall back to the encoding.
                !t.is_empty()
                    && !t
                        .chars()
                        .all(|c| c == '\0' || ('\u{E000}'..='\u{F8FF}').contains(&c))
            });
        if text.is_none() {
            text = match &self.kind {
                Kind::Simple(table) if len == 1 => table[code as usize].clone(),
                _ => None,
            };
        }
        let text = text.unwrap_or_default();
        let mut cache = self.cache.borrow_mut();
        if cache.len() < 65_536 {
            cache.insert((code, len), text.clone());
        }
        text
    }

    /// Decode a string operand into codes.
    pub fn decode(&self, bytes: &[u8]) -> Vec<Code> {
        let codes: Vec<(u32, u8)> = match (&self.kind, &self.to_unicode) {
            (Kind::Simple(_), _) => bytes.iter().map(|&b| (b as u32, 1)).collect(),
            (Kind::Composite, Some(cm)) => cm.split_codes(bytes, 2),
            (Kind::Composite, None) => ToUnicode::default().split_codes(bytes, 2),
        };
        codes
            .into_iter()
            .map(|(code, len)| {
                let text = self.text_of(code, len);
                let w = match self.widths.get(&code) {
                    Some(w) => *w,
                    None => match self.metrics {
                        Some(m) if !text.is_empty() => m.width(&text),
                        _ => self.default_width,
                    },
                };
                Code {
                    width: w * self.scale,
                    word_space: len == 1 && code == 32,
                    text,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type1_builtin_encoding() {
        let prog = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 12 /fi put\ndup 65 /A put\nreadonly def\ncurrentfile eexec";
        assert_eq!(
            builtin_type1_encoding(prog),
            vec![(12, b"fi".to_vec()), (65, b"A".to_vec())]
        );
    }
}
