//! Page labels: the numbers printed on pages ("xii", "101", "A-3"), read
//! from the catalog's /PageLabels number tree.

use super::objects::Objects;
use lopdf::Object;

/// Numbering style of a label range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Style {
    Decimal,
    RomanUpper,
    RomanLower,
    LettersUpper,
    LettersLower,
    /// Prefix only.
    None,
}

/// One range of the number tree: from page `start` (0-based) on.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub start: usize,
    pub style: Style,
    pub prefix: String,
    /// Number of the range's first page (/St, default 1).
    pub first: u64,
}

/// Roman numeral of `n` (1..=3999; larger numbers are written in decimal).
pub fn roman(n: u64) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const T: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Whether `s` is a well-formed roman numeral (either case).
pub fn is_roman(s: &str) -> bool {
    if s.is_empty() || s.len() > 15 {
        return false;
    }
    let up = s.to_ascii_uppercase();
    if !(s == up || s == s.to_ascii_lowercase()) {
        return false;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let vals: Vec<u64> = up.chars().map(value).collect();
    if vals.contains(&0) {
        return false;
    }
    let mut total = 0i64;
    for (i, v) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|n| n > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    total > 0 && roman(total as u64) == up
}

/// Letters numbering: A..Z, then AA..ZZ, AAA.. (the letter repeated).
pub fn letters(n: u64) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = (b'A' + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(1000) as usize;
    std::iter::repeat_n(letter, times).collect()
}

/// The label of the page `offset` pages into a range.
pub fn format_label(range: &Range, offset: u64) -> String {
    let n = range.first.saturating_add(offset);
    let num = match range.style {
        Style::Decimal => n.to_string(),
        Style::RomanUpper => roman(n),
        Style::RomanLower => roman(n).to_lowercase(),
        Style::LettersUpper => letters(n),
        Style::LettersLower => letters(n).to_lowercase(),
        Style::None => String::new(),
    };
    format!("{}{}", range.prefix, num)
}

/// Labels of `pages` pages given the ranges (sorted or not); pages before the
/// first range have none.
pub fn labels(ranges: &[Range], pages: usize) -> Vec<Option<String>> {
    let mut sorted: Vec<&Range> = ranges.iter().collect();
    sorted.sort_by_key(|r| r.start);
    (0..pages)
        .map(|p| {
            let r = sorted.iter().rev().find(|r| r.start <= p)?;
            Some(format_label(r, (p - r.start) as u64))
        })
        .collect()
}

/// The ranges of a /PageLabels number tree (bounded: cycles and deep trees are cut).
pub fn read_ranges(objs: &Objects, tree: &Object) -> Vec<Range> {
    let mut out = Vec::new();
    let mut stack = vec![(tree, 0usize)];
    let mut visited = 0usize;
    while let Some((node, depth)) = stack.pop() {
        visited += 1;
        if visited > 10_000 || depth > 32 || out.len() > 100_000 {
            break;
        }
        let Some(d) = objs.dict(Some(node)) else {
            continue;
        };
        if let Some(nums) = objs.array(d.get(b"Nums").ok()) {
            for pair in nums.chunks(2) {
                let [k, v] = pair else { continue };
                let Some(start) = objs.number(k).filter(|s| *s >= 0.0 && *s < 1e9) else {
                    continue;
                };
                let Some(ld) = objs.dict(Some(v)) else {
                    continue;
                };
                let style = match objs.name(ld.get(b"S").ok()).as_deref() {
                    Some(b"D") => Style::Decimal,
                    Some(b"R") => Style::RomanUpper,
                    Some(b"r") => Style::RomanLower,
                    Some(b"A") => Style::LettersUpper,
                    Some(b"a") => Style::LettersLower,
                    _ => Style::None,
                };
                let prefix = objs.text(ld.get(b"P").ok()).unwrap_or_default();
                let first = ld
                    .get(b"St")
                    .ok()
                    .and_then(|o| objs.number(o))
                    .filter(|v| *v >= 1.0 && *v < 1e12)
                    .unwrap_or(1.0) as u64;
                out.push(Range {
                    start: start as usize,
                    style,
                    prefix,
                    first,
                });
            }
        }
        if let Some(kids) = objs.array(d.get(b"Kids").ok()) {
            for k in kids.iter().rev().take(10_000) {
                stack.push((k, depth + 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(1999), "MCMXCIX");
        assert!(
            is_roman("xii")
                && is_roman("XIV")
                && !is_roman("civil")
                && !is_roman("IIII")
                && !is_roman("Xi")
        );
        assert_eq!(letters(1), "A");
        assert_eq!(letters(27), "AA");
        assert_eq!(letters(53), "AAA");
    }

    #[test]
    fn ranges_to_labels() {
        let ranges = vec![
            Range {
                start: 0,
                style: Style::RomanLower,
                prefix: String::new(),
                first: 1,
            },
            Range {
                start: 3,
                style: Style::Decimal,
                prefix: String::new(),
                first: 101,
            },
            Range {
                start: 5,
                style: Style::Decimal,
                prefix: "A-".into(),
                first: 3,
            },
            Range {
                start: 7,
                style: Style::LettersUpper,
                prefix: String::new(),
                first: 1,
            },
            Range {
                start: 8,
                style: Style::None,
                prefix: "Cover".into(),
                first: 1,
            },
        ];
        let l: Vec<String> = labels(&ranges, 9).into_iter().map(Option::unwrap).collect();
        assert_eq!(
            l,
            ["i", "ii", "iii", "101", "102", "A-3", "A-4", "A", "Cover"]
        );
        let late = vec![Range {
            start: 2,
            style: Style::Decimal,
            prefix: String::new(),
            first: 1,
        }];
        assert_eq!(labels(&late, 3), vec![None, None, Some("1".into())]);
    }
}
