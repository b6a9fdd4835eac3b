//! Terminal text: numbered hits with highlighted words, the citation to paste
//! and the reference entry. Plain when piped or when `NO_COLOR` is set.

use super::sanitize::is_unsafe;
use super::{Cited, Style};
use std::fmt::Write;

const BOLD: &str = "\x1b[1m";
const HIGHLIGHT: &str = "\x1b[1;33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Passage text as (char, highlighted) with whitespace runs collapsed and
/// unsafe characters dropped.
fn marked(text: &str, highlights: &[std::ops::Range<usize>]) -> Vec<(char, bool)> {
    let mut out: Vec<(char, bool)> = Vec::with_capacity(text.len());
    let mut h = highlights.iter().peekable();
    for (i, c) in text.char_indices() {
        while h.peek().is_some_and(|r| r.end <= i) {
            h.next();
        }
        let lit = h.peek().is_some_and(|r| r.start <= i && i < r.end);
        if c.is_whitespace() || c == '\u{c}' {
            if out.last().is_some_and(|(p, _)| *p != ' ') {
                out.push((' ', false));
            }
        } else if !is_unsafe(c) {
            out.push((c, lit));
        }
    }
    while out.last().is_some_and(|(c, _)| *c == ' ') {
        out.pop();
    }
    out
}

/// Renders marked text wrapped at `width` columns with `indent`.
fn render_marked(chars: &[(char, bool)], style: Style, indent: &str) -> String {
    let mut lines: Vec<&[(char, bool)]> = Vec::new();
    match style.width {
        Some(w) => {
            let w = w.saturating_sub(indent.chars().count()).max(20);
            let mut start = 0;
            while start < chars.len() {
                let mut end = (start + w).min(chars.len());
                if end < chars.len()
                    && let Some(sp) = chars[start..end].iter().rposition(|(c, _)| *c == ' ')
                    && sp > 0
                {
                    end = start + sp;
                }
                lines.push(&chars[start..end]);
                start = end;
                while start < chars.len() && chars[start].0 == ' ' {
                    start += 1;
                }
            }
        }
        None => lines.push(chars),
    }
    let mut out = String::new();
    for line in lines {
        out.push_str(indent);
        let mut on = false;
        for &(c, lit) in line {
            if style.color && lit != on {
                out.push_str(if lit { HIGHLIGHT } else { RESET });
                on = lit;
            }
            out.push(c);
        }
        if on {
            out.push_str(RESET);
        }
        out.push('\n');
    }
    out
}

fn clean(s: &str) -> String {
    super::sanitize::clean(s)
}

/// One hit as terminal text.
pub fn hit(c: &Cited, style: Style) -> String {
    let p = c.passage;
    let (b, d, r) = if style.color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let mut head = String::new();
    if let Some(rank) = c.rank {
        let _ = write!(head, "{b}{rank}.{r} ");
    }
    let _ = write!(
        head,
        "{b}{}{r}",
        clean(p.title.as_deref().unwrap_or(&p.key))
    );
    let mut where_ = Vec::new();
    if let Some(page) = &p.page {
        match &p.page_end {
            Some(e) => where_.push(format!("pp. {}–{}", clean(page), clean(e))),
            None => where_.push(format!("p. {}", clean(page))),
        }
    }
    where_.push(format!("¶{}", p.paragraph));
    if let Some(s) = &p.section {
        where_.push(clean(s));
    }
    if let Some(l) = p.lang {
        where_.push(l.code().to_string());
    }
    let _ = writeln!(head, " {d}[{}]{r}", where_.join(" · "));
    let mut out = head;
    out.push_str(&render_marked(
        &marked(&p.text, &c.highlights),
        style,
        "   ",
    ));
    let _ = writeln!(out, "   {b}Cite:{r} {}", clean(&c.citation));
    let _ = writeln!(out, "   {b}Ref:{r}  {}", clean(&c.reference));
    out.push_str(&cites_lines(c, style));
    let _ = writeln!(out, "   {d}{}{r}", super::sanitize::clean_line(&p.file));
    out
}

/// The header of a group of passages from one document (`kutip cited`).
pub fn group_header(c: &Cited, style: Style) -> String {
    let (b, d, r) = if style.color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let p = c.passage;
    format!(
        "{b}{}{r} {d}{}{r}\n",
        clean(p.title.as_deref().unwrap_or(&p.key)),
        clean(&p.file)
    )
}

/// A passage that cites the work `key`, with the citation highlighted and
/// the secondary citation to write when the cited work was not read.
pub fn cited_passage(c: &Cited, key: &str, style: Style) -> String {
    let (b, d, r) = if style.color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let p = c.passage;
    let mut out = String::new();
    let mut where_ = Vec::new();
    if let Some(page) = &p.page {
        where_.push(format!("p. {}", clean(page)));
    }
    where_.push(format!("¶{}", p.paragraph));
    if let Some(s) = &p.section {
        where_.push(clean(s));
    }
    let _ = writeln!(out, "  {d}[{}]{r}", where_.join(" · "));
    out.push_str(&render_marked(
        &marked(&p.text, &c.highlights),
        style,
        "   ",
    ));
    let _ = writeln!(out, "   {b}Cite:{r} {}", clean(&c.citation));
    for (x, secondary) in p.cites.iter().zip(&c.secondary) {
        if x.key.as_deref() == Some(key) && !secondary.is_empty() {
            let _ = writeln!(out, "   {b}As cited:{r} {}", clean(secondary));
            break;
        }
    }
    out
}

/// The citations a hit makes, one line each, with how they resolve.
fn cites_lines(c: &Cited, style: Style) -> String {
    let (b, d, r) = if style.color {
        (BOLD, DIM, RESET)
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    for x in &c.passage.cites {
        let target = match (&x.key, x.candidates.is_empty()) {
            (Some(k), _) => format!("→ {}", clean(k)),
            (None, true) => "→ not in the library".to_string(),
            (None, false) => format!(
                "→ not in the library (nearest: {})",
                clean(&x.candidates.join(", "))
            ),
        };
        let text = clean(&x.text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(out, "   {b}Cites:{r} {text} {d}{target}{r}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_collapse_whitespace_and_keep_highlights() {
        let lit_range = 5..12;
        let m = marked("kota\n\u{c}kembar  x", std::slice::from_ref(&lit_range));
        let s: String = m.iter().map(|(c, _)| c).collect();
        assert_eq!(s, "kota kembar x");
        let lit: String = m.iter().filter(|(_, l)| *l).map(|(c, _)| c).collect();
        assert_eq!(lit, "kembar");
    }

    #[test]
    fn wraps_at_width_without_color() {
        let m = marked("aaa bbb ccc ddd", &[]);
        let out = render_marked(
            &m,
            Style {
                color: false,
                width: Some(28),
            },
            "   ",
        );
        assert!(out.lines().all(|l| l.chars().count() <= 28));
    }
}
