//! A bounded tokenizer for content streams and CMaps: numbers, names,
//! strings, arrays, dictionaries and operators. It never fails: bytes it
//! cannot read are skipped, so a damaged stream yields what can be read.

/// One operand or operator of a content stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Num(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Token>),
    Dict(Vec<(Vec<u8>, Token)>),
    Op(Vec<u8>),
}

impl Token {
    pub fn num(&self) -> Option<f64> {
        match self {
            Token::Num(n) => Some(*n),
            _ => None,
        }
    }
}

/// Nesting of arrays and dictionaries deeper than this is cut off.
const MAX_DEPTH: usize = 32;
/// Longest string or array kept.
const MAX_ITEMS: usize = 1 << 20;

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' || b == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// After an `ID` operator: skip the inline image's data up to `EI`.
    pub fn skip_inline_image(&mut self) {
        // One white-space byte follows ID; then binary data ends with white-space, EI, and a delimiter.
        self.pos += 1;
        while self.pos + 2 <= self.data.len() {
            let d = &self.data[self.pos..];
            if d.len() >= 2
                && &d[..2] == b"EI"
                && (self.pos == 0 || is_white(self.data[self.pos - 1]))
                && d.get(2).is_none_or(|&b| is_white(b) || is_delim(b))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = self.data.len();
    }

    /// The next token, or None at the end.
    pub fn next_token(&mut self) -> Option<Token> {
        self.token(0)
    }

    fn token(&mut self, depth: usize) -> Option<Token> {
        loop {
            self.skip_space();
            let b = self.peek()?;
            match b {
                b'/' => {
                    self.pos += 1;
                    return Some(Token::Name(self.name()));
                }
                b'(' => {
                    self.pos += 1;
                    return Some(Token::Str(self.literal()));
                }
                b'<' => {
                    if self.data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        return Some(self.dict(depth));
                    }
                    self.pos += 1;
                    return Some(Token::Str(self.hex()));
                }
                b'[' => {
                    self.pos += 1;
                    return Some(self.array(depth));
                }
                b']' | b'>' | b')' | b'{' | b'}' => {
                    // Stray closer (or PostScript braces in a CMap): skip it.
                    self.pos += 1;
                    if b == b'{' || b == b'}' {
                        return Some(Token::Op(vec![b]));
                    }
                    continue;
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    if let Some(n) = self.number() {
                        return Some(Token::Num(n));
                    }
                    continue;
                }
                _ => {
                    let start = self.pos;
                    while let Some(b) = self.peek() {
                        if is_white(b) || is_delim(b) {
                            break;
                        }
                        self.pos += 1;
                    }
                    if self.pos == start {
                        self.pos += 1;
                        continue;
                    }
                    return Some(Token::Op(self.data[start..self.pos].to_vec()));
                }
            }
        }
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b'+' | b'-' | b'.' | b'0'..=b'9') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let s = std::str::from_utf8(&self.data[start..self.pos]).ok()?;
        // Malformed numbers such as "--5" or "1.2.3": read what leads.
        s.parse::<f64>().ok().or_else(|| {
            let t = s.trim_start_matches(['+', '-']);
            let neg = s.starts_with('-');
            let mut end = 0;
            let mut dot = false;
            for (i, c) in t.char_indices() {
                if c == '.' && !dot {
                    dot = true;
                } else if !c.is_ascii_digit() {
                    break;
                }
                end = i + 1;
            }
            let v = t[..end].parse::<f64>().ok().or(Some(0.0))?;
            Some(if neg { -v } else { v })
        })
    }

    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
            if b == b'#' {
                let h = self.data.get(self.pos..self.pos + 2);
                if let Some(v) = h
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
        }
        out
    }

    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                _ => out.push(b),
            }
            if out.len() > MAX_ITEMS {
                break;
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            let v = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
            if out.len() > MAX_ITEMS {
                break;
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn array(&mut self, depth: usize) -> Token {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => break,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            if depth >= MAX_DEPTH {
                self.pos += 1;
                continue;
            }
            let before = self.pos;
            match self.token(depth + 1) {
                // An operator inside an array means its `]` is missing: end the array there.
                Some(Token::Op(op)) if !matches!(op.as_slice(), b"true" | b"false" | b"null") => {
                    self.pos = before;
                    break;
                }
                Some(t) => items.push(t),
                None => break,
            }
            if items.len() > MAX_ITEMS {
                break;
            }
        }
        Token::Array(items)
    }

    fn dict(&mut self, depth: usize) -> Token {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => break,
                Some(b'>') => {
                    self.pos += 1;
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                    }
                    break;
                }
                _ => {}
            }
            if depth >= MAX_DEPTH {
                self.pos += 1;
                continue;
            }
            let Some(key) = self.token(depth + 1) else {
                break;
            };
            let Token::Name(key) = key else { continue };
            match self.token(depth + 1) {
                Some(v) => items.push((key, v)),
                None => break,
            }
            if items.len() > 4096 {
                break;
            }
        }
        Token::Dict(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &[u8]) -> Vec<Token> {
        let mut l = Lexer::new(s);
        std::iter::from_fn(|| l.next_token()).collect()
    }

    #[test]
    fn reads_operands_and_operators() {
        let t = all(b"BT /F1 12 Tf [(A\\(b\\)) -250 <0041>] TJ (x\\101) Tj ET");
        assert_eq!(t[0], Token::Op(b"BT".to_vec()));
        assert_eq!(t[1], Token::Name(b"F1".to_vec()));
        assert_eq!(t[2], Token::Num(12.0));
        assert_eq!(
            t[4],
            Token::Array(vec![
                Token::Str(b"A(b)".to_vec()),
                Token::Num(-250.0),
                Token::Str(vec![0, 0x41])
            ])
        );
        assert_eq!(t[6], Token::Str(b"xA".to_vec()));
    }

    #[test]
    fn survives_garbage() {
        let t = all(b"((((( [[[[ << /A ");
        assert!(!t.is_empty());
        let t = all(b"1.2.3 --4 ) ] >> %comment\n Tj");
        assert_eq!(t.last(), Some(&Token::Op(b"Tj".to_vec())));
    }
}
