//! Removing what must never reach a terminal raw: control characters (escape
//! sequences), bidirectional overrides and zero-width characters.

/// Whether `c` may reorder or hide text, or drive the terminal.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Text with unsafe characters removed (form feeds and tabs become spaces).
pub fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\u{c}' | '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// [`clean`] for text that must stay on one line (file names, error messages).
pub fn clean_line(s: &str) -> String {
    clean(s).replace(['\n', '\r'], " ")
}

/// JSON text with unsafe characters escaped as `\uXXXX`: the data stays
/// exact, but a terminal showing the JSON never acts on them. serde_json
/// already escapes C0 controls; this covers the rest. Outside strings JSON is
/// ASCII, so replacing them anywhere is safe.
pub fn escape_json(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unsafe(c) && c != '\n' {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_bidi() {
        assert_eq!(clean("a\u{1b}[31mred\u{202E}b\u{c}c"), "a[31mredb c");
    }

    #[test]
    fn json_escapes_keep_data_exact() {
        let j = serde_json::to_string("x\u{202E}y\u{1b}").unwrap();
        let e = escape_json(&j);
        assert!(!e.chars().any(is_unsafe));
        let back: String = serde_json::from_str(&e).unwrap();
        assert_eq!(back, "x\u{202E}y\u{1b}");
    }
}
