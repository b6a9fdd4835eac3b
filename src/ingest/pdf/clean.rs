//! Text clean-up on lines and pages: ligatures, soft hyphens, words broken
//! across lines, and running headers and footers that repeat across pages.

use super::layout::Line;
use std::collections::HashMap;

/// Replace ligature characters by their letters and drop control characters.
pub fn fold_ligatures(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{A0}' | '\u{2000}'..='\u{200A}' | '\t' => out.push(' '),
            '\u{200B}' | '\u{FEFF}' | '\u{FFFD}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Remove soft hyphens inside a line (a trailing one is kept for [`join_lines`]).
pub fn strip_soft_hyphens(s: &str) -> String {
    let t = s.trim_end();
    let trailing = t.ends_with('\u{AD}');
    let mut out: String = t.chars().filter(|&c| c != '\u{AD}').collect();
    if trailing {
        out.push('\u{AD}');
    }
    out
}

fn leading_word(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    &s[..end]
}

fn trailing_word(s: &str) -> &str {
    // Only the end matters; looking at a bounded tail keeps long paragraphs linear.
    let mut from = s.len().saturating_sub(256);
    while !s.is_char_boundary(from) {
        from += 1;
    }
    let s = &s[from..];
    let start = s
        .rfind(|c: char| !c.is_alphabetic())
        .map(|i| i + s[i..].chars().next().unwrap().len_utf8())
        .unwrap_or(0);
    &s[start..]
}

/// Join the lines of one paragraph: a word hyphenated at a line end is
/// rejoined (`infor-` + `mation` → `information`); the hyphen stays when the
/// next line starts with a capital or a digit (`Asia-` + `Pacific`) or when
/// the two halves repeat a word (`kota-` + `kota`, `anak-` + `anaknya`:
/// Indonesian reduplication); a soft hyphen at a line end always joins.
pub fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.as_ref().trim();
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        if out.ends_with('\u{AD}') {
            out.pop();
            out.push_str(line);
            continue;
        }
        let hyphen = out.ends_with('-') || out.ends_with('\u{2010}');
        if hyphen {
            let body = &out[..out.len() - out.chars().last().unwrap().len_utf8()];
            let before = body.chars().last().unwrap_or(' ');
            let next_first = line.chars().next().unwrap();
            if before.is_alphabetic() && next_first.is_alphabetic() {
                let (h, n) = (
                    trailing_word(body).to_lowercase(),
                    leading_word(line).to_lowercase(),
                );
                let redup = !n.is_empty() && (n.starts_with(&h) || h.ends_with(&n));
                if next_first.is_lowercase() && !redup {
                    let keep = body.len();
                    out.truncate(keep);
                }
                out.push_str(line);
                continue;
            }
            if before.is_alphanumeric() && next_first.is_alphanumeric() {
                out.push_str(line);
                continue;
            }
        }
        out.push(' ');
        out.push_str(line);
    }
    out
}

/// A line's key for repetition: lower case, digits and roman page numbers as `#`.
pub fn repeat_key(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut words = Vec::new();
    for w in lower.split_whitespace() {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let roman = super::labels::is_roman(core);
        let mut k = String::new();
        let mut in_digits = false;
        for c in w.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    k.push('#');
                }
                in_digits = true;
            } else {
                in_digits = false;
                k.push(c);
            }
        }
        if roman && lower.split_whitespace().count() <= 3 {
            k = k.replace(core, "#");
        }
        words.push(k);
    }
    words.join(" ")
}

/// Lines to drop from each page: running headers, footers and page numbers.
///
/// A line counts when it is among the first or last few lines of its page
/// (by position) and its [`repeat_key`] at that edge occurs on a majority of
/// pages, or on a majority of the odd or of the even pages (alternating
/// headers), or on at least three pages that make a majority of the pages
/// from its first occurrence to its last (front matter with its own header). Lines are peeled from each edge inward, stopping at the first
/// that does not repeat. Returns, per page, the indexes into its lines.
pub fn running_lines(pages: &[Vec<Line>]) -> Vec<Vec<usize>> {
    const EDGE: usize = 3;
    let n = pages.len();
    let mut out = vec![Vec::new(); n];
    if n < 2 {
        return out;
    }
    // Lines of each page from the top and from the bottom.
    let order: Vec<Vec<usize>> = pages
        .iter()
        .map(|lines| {
            let mut idx: Vec<usize> = (0..lines.len()).collect();
            idx.sort_by(|&a, &b| {
                lines[b]
                    .y
                    .total_cmp(&lines[a].y)
                    .then(lines[a].x0.total_cmp(&lines[b].x0))
            });
            idx
        })
        .collect();
    for top in [true, false] {
        let edge_lines = |p: usize| -> Vec<usize> {
            let o = &order[p];
            if top {
                o.iter().take(EDGE).copied().collect()
            } else {
                o.iter().rev().take(EDGE).copied().collect()
            }
        };
        // On how many pages (all, even, odd) each key occurs at this edge.
        let mut counts: HashMap<String, [usize; 5]> = HashMap::new();
        for p in 0..n {
            let mut keys: Vec<String> = edge_lines(p)
                .iter()
                .map(|&i| repeat_key(&pages[p][i].text))
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let c = counts.entry(k).or_insert([0, 0, 0, p, p]);
                c[0] += 1;
                c[1 + p % 2] += 1;
                c[4] = p;
            }
        }
        let n_even = n.div_ceil(2);
        let n_odd = n / 2;
        let running = |k: &str| -> bool {
            let Some(c) = counts.get(k) else { return false };
            let span = c[4] - c[3] + 1;
            (c[0] >= 2 && c[0] * 2 > n)
                || (c[1] >= 2 && c[1] * 2 > n_even && n >= 4)
                || (c[2] >= 2 && c[2] * 2 > n_odd && n >= 4)
                // A stretch of pages with its own header (front matter, an appendix).
                || (c[0] >= 3 && c[0] * 2 > span)
        };
        for p in 0..n {
            for i in edge_lines(p) {
                if out[p].contains(&i) {
                    continue;
                }
                let key = repeat_key(&pages[p][i].text);
                // A header whose left and right parts are separate lines on most
                // pages but one line here (page number beside the title).
                let halves = || {
                    key.match_indices(' ')
                        .any(|(at, _)| running(&key[..at]) && running(&key[at + 1..]))
                };
                if !running(&key) && !halves() {
                    break;
                }
                out[p].push(i);
            }
        }
    }
    for v in &mut out {
        v.sort();
    }
    out
}

/// A page's text from its lines in reading order: paragraphs separated by a
/// blank line, the lines of a paragraph joined by [`join_lines`].
pub fn page_text(lines: &[Line]) -> String {
    let mut paras: Vec<Vec<String>> = Vec::new();
    let mut prev_region = usize::MAX;
    for l in lines {
        let text = strip_soft_hyphens(&fold_ligatures(&l.text));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let mut start = l.para_start || paras.is_empty();
        // A paragraph that runs on from the foot of one column to the head of the next.
        if start
            && l.region != prev_region
            && l.region != 0
            && prev_region != usize::MAX
            && let Some(last) = paras.last().and_then(|p| p.last())
        {
            let open = !last.ends_with(['.', '!', '?', ':', ';']);
            let lower = text.chars().next().is_some_and(|c| c.is_lowercase());
            if open && (lower || last.ends_with('-') || last.ends_with('\u{AD}')) {
                start = false;
            }
        }
        prev_region = l.region;
        if start {
            paras.push(vec![text]);
        } else {
            paras.last_mut().unwrap().push(text);
        }
    }
    paras
        .iter()
        .map(|p| join_lines(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64) -> Line {
        Line {
            text: text.into(),
            x0: 72.0,
            x1: 500.0,
            y,
            size: 10.0,
            para_start: false,
            region: 0,
        }
    }

    #[test]
    fn ligatures_fold() {
        assert_eq!(
            fold_ligatures(
                "e\u{FB03}cient \u{FB01}sh \u{FB02}ow \u{FB00} \u{FB04} \u{FB05}\u{FB06}"
            ),
            "efficient fish flow ff ffl stst"
        );
    }

    #[test]
    fn hyphens_rejoin_only_at_line_ends() {
        assert_eq!(
            join_lines(&["the infor-", "mation age"]),
            "the information age"
        );
        assert_eq!(
            join_lines(&["a sister-city pact", "was signed"]),
            "a sister-city pact was signed"
        );
        assert_eq!(
            join_lines(&["kota-kota besar", "di Jawa"]),
            "kota-kota besar di Jawa"
        );
        assert_eq!(
            join_lines(&["banyak kota-", "kota besar"]),
            "banyak kota-kota besar"
        );
        assert_eq!(join_lines(&["para anak-", "anaknya"]), "para anak-anaknya");
        assert_eq!(
            join_lines(&["the Asia-", "Pacific region"]),
            "the Asia-Pacific region"
        );
        assert_eq!(join_lines(&["pages 10-", "12"]), "pages 10-12");
        assert_eq!(
            join_lines(&["pengem-", "bangan sistem"]),
            "pengembangan sistem"
        );
        assert_eq!(join_lines(&["a dash -", "here"]), "a dash - here");
    }

    #[test]
    fn soft_hyphens_go() {
        assert_eq!(strip_soft_hyphens("infor\u{AD}ma\u{AD}tion"), "information");
        let a = strip_soft_hyphens("infor\u{AD}");
        assert_eq!(join_lines(&[a.as_str(), "mation"]), "information");
    }

    #[test]
    fn repeat_keys() {
        assert_eq!(repeat_key("Page 3 of 10"), "page # of #");
        assert_eq!(repeat_key("xii"), "#");
        assert_eq!(
            repeat_key("Jurnal Ilmu Komputer 12 (3)"),
            "jurnal ilmu komputer # (#)"
        );
        assert_eq!(repeat_key("— 7 —"), "— # —");
    }

    #[test]
    fn headers_and_footers_removed_only_when_repeated_at_edges() {
        let mut pages = Vec::new();
        for p in 0..5 {
            let mut lines = vec![line("Jurnal Sains Data, Vol. 3", 800.0)];
            let w = ["alpha", "bravo", "charlie", "delta", "echo"][p];
            lines.push(line(&format!("Body text {w} opens"), 700.0));
            lines.push(line("A line that repeats in the body", 650.0));
            lines.push(line(&format!("Closing words for {w}"), 600.0));
            lines.push(line(&format!("{}", 101 + p), 50.0));
            pages.push(lines);
        }
        // One page without the header: still a majority.
        pages[0].remove(0);
        let drop = running_lines(&pages);
        assert_eq!(drop[0], vec![3]);
        for d in &drop[1..] {
            assert_eq!(d, &vec![0, 4]);
        }
        // Two pages only: a line repeated on both is running; on one only, not.
        let two = vec![
            vec![line("Header", 800.0), line("a", 700.0)],
            vec![line("Other", 800.0), line("b", 700.0)],
        ];
        assert!(running_lines(&two).iter().all(|d| d.is_empty()));
    }

    #[test]
    fn header_split_or_joined() {
        let words = ["alpha", "bravo", "charlie", "delta", "echo"];
        let mut pages = Vec::new();
        for (p, w) in words.iter().enumerate() {
            let mut head = vec![
                line("Jurnal Sistem Informasi", 800.0),
                line(&format!("Vol. {p} No. 2"), 800.0),
            ];
            if p == 4 {
                head = vec![line("Jurnal Sistem Informasi Vol. 7 No. 2", 800.0)];
            }
            head.push(line(&format!("body {w}"), 700.0));
            pages.push(head);
        }
        let drop = running_lines(&pages);
        assert_eq!(drop[4], vec![0]);
        assert_eq!(drop[0], vec![0, 1]);
    }

    #[test]
    fn alternating_headers() {
        let mut pages = Vec::new();
        for p in 0..6 {
            let head = if p % 2 == 0 {
                "Journal of Things"
            } else {
                "Smith: A Study of Things"
            };
            let w = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"][p];
            pages.push(vec![
                line(head, 800.0),
                line(&format!("body {w}"), 700.0),
                line(&format!("more {w}"), 650.0),
            ]);
        }
        let drop = running_lines(&pages);
        assert!(drop.iter().all(|d| d == &vec![0]), "{drop:?}");
    }

    #[test]
    fn page_text_paragraphs() {
        let mut a = line("First para-", 700.0);
        a.para_start = true;
        let b = line("graph ends.", 688.0);
        let mut c = line("Second.", 660.0);
        c.para_start = true;
        assert_eq!(page_text(&[a, b, c]), "First paragraph ends.\n\nSecond.");
    }
}
