//! ToUnicode CMaps: which text each character code of a font stands for,
//! and how many bytes each code takes.

use super::lexer::{Lexer, Token};
use std::collections::HashMap;

/// Most mappings read from one CMap; the rest are ignored.
const MAX_ENTRIES: usize = 200_000;

/// A parsed ToUnicode CMap.
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    /// (first code, last code, byte length) of each code space range.
    pub spaces: Vec<(u32, u32, u8)>,
    single: HashMap<(u32, u8), String>,
    /// (first, last, byte length, text of first; incremented along the range).
    ranges: Vec<(u32, u32, u8, Vec<u16>)>,
}

fn code_of(bytes: &[u8]) -> Option<(u32, u8)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some((
        bytes.iter().fold(0u32, |a, &b| a << 8 | b as u32),
        bytes.len() as u8,
    ))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                c[0] as u16
            }
        })
        .collect()
}

impl ToUnicode {
    /// Parse a CMap's source; never fails (an unreadable CMap maps nothing).
    pub fn parse(data: &[u8]) -> ToUnicode {
        let mut cm = ToUnicode::default();
        let mut lx = Lexer::new(data);
        let mut operands: Vec<Token> = Vec::new();
        let mut mode = 0u8; // 1 codespace, 2 bfchar, 3 bfrange
        let mut entries = 0usize;
        while let Some(t) = lx.next_token() {
            match t {
                Token::Op(op) => {
                    match op.as_slice() {
                        b"begincodespacerange" => mode = 1,
                        b"beginbfchar" => mode = 2,
                        b"beginbfrange" => mode = 3,
                        b"endcodespacerange" => {
                            for pair in operands.chunks(2) {
                                if let [Token::Str(lo), Token::Str(hi)] = pair
                                    && let (Some((l, n)), Some((h, _))) = (code_of(lo), code_of(hi))
                                {
                                    cm.spaces.push((l, h, n));
                                }
                            }
                            mode = 0;
                        }
                        b"endbfchar" => {
                            for pair in operands.chunks(2) {
                                if let [Token::Str(src), dst] = pair {
                                    let Some(code) = code_of(src) else { continue };
                                    let text = match dst {
                                        Token::Str(d) => String::from_utf16_lossy(&utf16(d)),
                                        Token::Name(n) => {
                                            super::encodings::glyph_text(n).unwrap_or_default()
                                        }
                                        _ => continue,
                                    };
                                    if entries < MAX_ENTRIES {
                                        cm.single.insert(code, text);
                                        entries += 1;
                                    }
                                }
                            }
                            mode = 0;
                        }
                        b"endbfrange" => {
                            for triple in operands.chunks(3) {
                                if let [Token::Str(lo), Token::Str(hi), dst] = triple {
                                    let (Some((l, n)), Some((h, _))) = (code_of(lo), code_of(hi))
                                    else {
                                        continue;
                                    };
                                    if h < l {
                                        continue;
                                    }
                                    match dst {
                                        Token::Str(d) if entries < MAX_ENTRIES => {
                                            cm.ranges.push((l, h, n, utf16(d)));
                                            entries += 1;
                                        }
                                        Token::Array(items) => {
                                            for (i, it) in items.iter().enumerate() {
                                                if let Token::Str(d) = it
                                                    && entries < MAX_ENTRIES
                                                    && l + (i as u32) <= h
                                                {
                                                    cm.single.insert(
                                                        (l + i as u32, n),
                                                        String::from_utf16_lossy(&utf16(d)),
                                                    );
                                                    entries += 1;
                                                }
                                            }
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            mode = 0;
                        }
                        _ => {}
                    }
                    if mode == 0
                        || !matches!(
                            op.as_slice(),
                            b"begincodespacerange" | b"beginbfchar" | b"beginbfrange"
                        )
                    {
                        operands.clear();
                    }
                }
                other => {
                    if mode != 0 && operands.len() < 3 * 10_000 {
                        operands.push(other);
                    } else if mode == 0 {
                        operands.clear();
                    }
                }
            }
        }
        cm
    }

    /// Whether the CMap maps anything.
    pub fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// The text for a code of `len` bytes.
    pub fn lookup(&self, code: u32, len: u8) -> Option<String> {
        if let Some(t) = self.single.get(&(code, len)) {
            return Some(t.clone());
        }
        for (l, h, n, base) in &self.ranges {
            if *n == len && (*l..=*h).contains(&code) {
                let mut units = base.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add((code - l) as u16);
                }
                return Some(String::from_utf16_lossy(&units));
            }
        }
        None
    }

    /// Split a string of codes into (code, byte length) by the code space
    /// ranges, or by `default_len` bytes when there are none.
    pub fn split_codes(&self, bytes: &[u8], default_len: u8) -> Vec<(u32, u8)> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let mut taken = None;
            if !self.spaces.is_empty() {
                for len in 1..=4u8 {
                    if i + len as usize > bytes.len() {
                        break;
                    }
                    let (code, _) = code_of(&bytes[i..i + len as usize]).unwrap_or((0, len));
                    if self
                        .spaces
                        .iter()
                        .any(|(l, h, n)| *n == len && (*l..=*h).contains(&code))
                    {
                        taken = Some((code, len));
                        break;
                    }
                }
            }
            let (code, len) = taken.unwrap_or_else(|| {
                let len = (default_len as usize).min(bytes.len() - i).max(1);
                (
                    code_of(&bytes[i..i + len]).map(|c| c.0).unwrap_or(0),
                    len as u8,
                )
            });
            out.push((code, len));
            i += len as usize;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bfchar_and_bfrange() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0012> <FB01> endbfchar
2 beginbfrange <0020> <0022> <0061> <0030> <0031> [<0078> <00790079>] endbfrange
endcmap";
        let cm = ToUnicode::parse(src);
        assert_eq!(cm.lookup(0x12, 2).as_deref(), Some("\u{FB01}"));
        assert_eq!(cm.lookup(0x21, 2).as_deref(), Some("b"));
        assert_eq!(cm.lookup(0x31, 2).as_deref(), Some("yy"));
        assert_eq!(cm.split_codes(&[0, 0x12, 0, 3], 1), vec![(0x12, 2), (3, 2)]);
    }
}
