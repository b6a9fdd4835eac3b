//! Layout: from characters placed on a page to lines in reading order with
//! paragraph starts marked. Characters become runs along a baseline, runs are
//! split into columns when a gutter shows, and lines are read top to bottom
//! within each column.

use super::interp::Glyph;
use std::collections::HashSet;

/// A line of text on the page, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// Baseline (y up).
    pub y: f64,
    pub size: f64,
    /// Whether a paragraph starts here.
    pub para_start: bool,
    /// Which column region (0 for full width) the line was read in.
    pub region: usize,
}

/// A run of characters along one baseline.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
}

/// Gap between characters (in font sizes) above which a space is assumed.
const SPACE_GAP: f64 = 0.11;

fn rotate(g: &Glyph, dir: u8) -> (f64, f64) {
    match dir {
        1 => (g.y, -g.x),
        2 => (-g.x, -g.y),
        3 => (-g.y, g.x),
        _ => (g.x, g.y),
    }
}

fn push_text(text: &mut String, add: &str, space: bool) {
    if space && !text.ends_with(' ') && !add.starts_with(' ') && !text.is_empty() {
        text.push(' ');
    }
    text.push_str(add);
}

/// Characters into runs, in content order.
fn runs(glyphs: &[Glyph]) -> Vec<Run> {
    let mut counts = [0usize; 4];
    for g in glyphs {
        counts[g.dir as usize & 3] += 1;
    }
    let dir = (0..4).max_by_key(|&d| (counts[d], 4 - d)).unwrap_or(0) as u8;
    let mut seen: HashSet<(String, i64, i64)> = HashSet::new();
    let mut out: Vec<Run> = Vec::new();
    let mut cur: Option<Run> = None;
    for g in glyphs {
        if g.dir != dir || g.size.is_nan() || g.size <= 0.0 {
            continue;
        }
        let (x, y) = rotate(g, dir);
        let size = g.size.max(0.1);
        if g.text.trim().is_empty() {
            // An explicit space: ends the word here.
            if let Some(r) = cur.as_mut()
                && (y - r.y).abs() < 0.3 * size
                && !r.text.ends_with(' ')
            {
                r.text.push(' ');
            }
            continue;
        }
        // Text drawn twice at the same place (fake bold, shadows) is read once.
        if !seen.insert((
            g.text.clone(),
            (x * 2.0).round() as i64,
            (y * 2.0).round() as i64,
        )) {
            continue;
        }
        let x1 = x + g.w;
        if let Some(r) = cur.as_mut() {
            let same_line = (y - r.y).abs() < 0.3 * size.min(r.size);
            let gap = x - r.x1;
            if same_line && gap > -0.5 * size && gap < 1.0 * size.max(r.size) {
                push_text(&mut r.text, &g.text, gap > SPACE_GAP * size);
                r.x1 = r.x1.max(x1);
                r.size = r.size.max(size);
                continue;
            }
            out.push(cur.take().unwrap());
        }
        cur = Some(Run {
            text: g.text.clone(),
            x0: x,
            x1,
            y,
            size,
        });
    }
    out.extend(cur);
    for r in &mut out {
        let t = r.text.trim_end().to_string();
        r.text = t;
    }
    out.retain(|r| !r.text.is_empty());
    out
}

/// Runs on one baseline into lines, top to bottom.
fn lines_of(mut runs: Vec<Run>, region: usize) -> Vec<Line> {
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<Run>> = Vec::new();
    // Index of the largest run of the last group: its baseline is the line's.
    let mut main = 0usize;
    for r in runs {
        if let Some(g) = groups.last_mut() {
            let m = &g[main];
            let tol = 0.45 * m.size.max(r.size);
            // Only the latest runs are checked, so that a page of many runs stays linear.
            let overlaps = g
                .iter()
                .rev()
                .take(16)
                .any(|o| r.x0 < o.x1 - 0.3 * r.size && r.x1 > o.x0 + 0.3 * r.size);
            if (r.y - m.y).abs() < tol && !overlaps {
                if r.size > m.size {
                    main = g.len();
                }
                g.push(r);
                continue;
            }
        }
        groups.push(vec![r]);
        main = 0;
    }
    groups
        .into_iter()
        .map(|mut g| {
            g.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let main_y = g.iter().max_by(|a, b| a.size.total_cmp(&b.size)).unwrap().y;
            let size = g.iter().map(|r| r.size).fold(0.0, f64::max);
            let mut text = String::new();
            let mut x1 = f64::MIN;
            for r in &g {
                let gap = r.x0 - x1;
                push_text(
                    &mut text,
                    &r.text,
                    x1 != f64::MIN && gap > SPACE_GAP * r.size,
                );
                x1 = x1.max(r.x1);
            }
            Line {
                text,
                x0: g[0].x0,
                x1,
                y: main_y,
                size,
                para_start: false,
                region,
            }
        })
        .collect()
}

/// A vertical gutter splitting the runs into two columns: its x.
fn gutter(runs: &[Run]) -> Option<f64> {
    // Too few runs to tell, or so many that the scan would be slow: one column.
    if runs.len() < 6 || runs.len() > 20_000 {
        return None;
    }
    let x0 = runs.iter().map(|r| r.x0).fold(f64::MAX, f64::min);
    let x1 = runs.iter().map(|r| r.x1).fold(f64::MIN, f64::max);
    let width = x1 - x0;
    if width <= 0.0 {
        return None;
    }
    let median_size = {
        let mut s: Vec<f64> = runs.iter().map(|r| r.size).collect();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    };
    // Crossings along x, one point apart, in the middle part of the text.
    let lo = x0 + 0.2 * width;
    let hi = x0 + 0.8 * width;
    let mut best: Option<(usize, f64, f64)> = None; // (crossings, start, end of the best interval)
    // One point apart, but never more than about 600 samples.
    let step = (width / 1000.0).max(1.0);
    let mut x = lo;
    let mut cur: Option<(usize, f64)> = None;
    while x <= hi {
        let c = runs.iter().filter(|r| r.x0 < x && r.x1 > x).count();
        match cur {
            Some((cc, start)) if cc == c => {
                let _ = start;
            }
            _ => {
                if let Some((cc, start)) = cur {
                    consider(&mut best, cc, start, x);
                }
                cur = Some((c, x));
            }
        }
        x += step;
    }
    if let Some((cc, start)) = cur {
        consider(&mut best, cc, start, x);
    }
    let (crossings, start, end) = best?;
    let mid = (start + end) / 2.0;
    let left = runs.iter().filter(|r| r.x1 <= mid).count();
    let right = runs.iter().filter(|r| r.x0 >= mid).count();
    let left_lines: HashSet<i64> = runs
        .iter()
        .filter(|r| r.x1 <= mid)
        .map(|r| r.y.round() as i64)
        .collect();
    let right_lines: HashSet<i64> = runs
        .iter()
        .filter(|r| r.x0 >= mid)
        .map(|r| r.y.round() as i64)
        .collect();
    let enough = left_lines.len() >= 3 && right_lines.len() >= 3;
    let few_crossings = (crossings as f64) <= 0.2 * (left + right) as f64;
    let wide = end - start >= 0.6 * median_size;
    // Columns of running text fill their width; table cells often do not.
    let filled = |side: Vec<f64>, w: f64| median(&mut side.clone()).is_some_and(|m| m >= 0.4 * w);
    let left_w = runs
        .iter()
        .filter(|r| r.x1 <= mid)
        .map(|r| r.x1)
        .fold(f64::MIN, f64::max)
        - x0;
    let right_w = x1
        - runs
            .iter()
            .filter(|r| r.x0 >= mid)
            .map(|r| r.x0)
            .fold(f64::MAX, f64::min);
    let full = filled(
        runs.iter()
            .filter(|r| r.x1 <= mid)
            .map(|r| r.x1 - r.x0)
            .collect(),
        left_w,
    ) && filled(
        runs.iter()
            .filter(|r| r.x0 >= mid)
            .map(|r| r.x1 - r.x0)
            .collect(),
        right_w,
    );
    // Table rows put several cells side by side; a column's line is one run.
    let one_run_per_line =
        left <= 3 * left_lines.len() / 2 + 1 && right <= 3 * right_lines.len() / 2 + 1;
    (enough && few_crossings && wide && full && one_run_per_line).then_some(mid)
}

fn consider(best: &mut Option<(usize, f64, f64)>, c: usize, start: f64, end: f64) {
    let better = match best {
        None => true,
        Some((bc, bs, be)) => c < *bc || (c == *bc && end - start > *be - *bs),
    };
    if better {
        *best = Some((c, start, end));
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    // The lower median: with few lines, the usual line pitch rather than a paragraph gap.
    Some(v[(v.len() - 1) / 2])
}

/// Whether a line opens with a list marker: a bullet or dash, `1.`, `(a)`, `iv)`.
fn starts_with_marker(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    if first.chars().count() == 1
        && first.chars().all(|c| {
            matches!(
                c,
                '•' | '◦' | '▪' | '‣' | '–' | '—' | '-' | '*' | '·' | '○' | '■' | '□' | '►'
            )
        })
    {
        return true;
    }
    let core = first.trim_start_matches('(').trim_end_matches(['.', ')']);
    first.len() > core.len()
        && !core.is_empty()
        && core.len() <= 4
        && (core.chars().all(|c| c.is_ascii_digit())
            || core.chars().all(|c| c.is_ascii_lowercase()) && core.len() <= 3)
}

/// Mark paragraph starts within one region's lines (top to bottom).
fn mark_paragraphs(lines: &mut [Line]) {
    if lines.is_empty() {
        return;
    }
    let mut pitches: Vec<f64> = lines
        .windows(2)
        .map(|w| w[0].y - w[1].y)
        .filter(|d| *d > 0.0)
        .zip(lines.iter())
        .filter(|(d, l)| *d < 3.0 * l.size)
        .map(|(d, _)| d)
        .collect();
    let pitch = median(&mut pitches);
    // The most common left edge (rounded to a point), not the smallest one.
    let left = {
        let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for l in lines.iter() {
            *counts.entry(l.x0.round() as i64).or_default() += 1;
        }
        let (x, _) = counts.into_iter().max_by_key(|(x, c)| (*c, -*x)).unwrap();
        lines
            .iter()
            .map(|l| l.x0)
            .filter(|v| (v.round() as i64 - x).abs() <= 1)
            .fold(f64::MAX, f64::min)
    };
    // The usual right edge: the median line end (ragged or justified alike).
    let right = median(&mut lines.iter().map(|l| l.x1).collect::<Vec<_>>()).unwrap_or(0.0);
    let width = (right - left).max(1.0);
    lines[0].para_start = true;
    for i in 1..lines.len() {
        let (p, l) = (&lines[i - 1], &lines[i]);
        let gap = p.y - l.y;
        let size = l.size.max(p.size);
        let big_gap = match pitch {
            Some(pt) => gap > 1.4 * pt && gap > pt + 0.3 * size,
            None => gap > 1.8 * size,
        };
        let size_change = (l.size - p.size).abs() > 0.15 * size;
        let indented =
            l.x0 > left + 0.7 * l.size && l.x0 < left + 6.0 * l.size && p.x0 <= left + 0.3 * p.size;
        let prev_short = p.x1 < right - 0.3 * width
            && p.text
                .trim_end()
                .ends_with(['.', '!', '?', ':', '"', '\u{201D}'])
            && gap > 0.0;
        let went_up = gap < -0.5 * size;
        // A list item's wrapped lines are indented under its text, not new
        // paragraphs; a short numbered line (a heading) is followed by one.
        let indented = indented && !(starts_with_marker(&p.text) && p.x1 >= right - 0.15 * width);
        // A word broken at the line end continues on the next line.
        let broken_word = p.text.ends_with('-')
            && p.text.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && l.text.chars().next().is_some_and(char::is_lowercase);
        lines[i].para_start =
            size_change || (!broken_word && (big_gap || indented || prev_short || went_up));
    }
}

/// Lay out a page's characters as lines in reading order.
pub fn layout(glyphs: &[Glyph]) -> Vec<Line> {
    let all = runs(glyphs);
    if all.is_empty() {
        return Vec::new();
    }
    let Some(g) = gutter(&all) else {
        let mut lines = lines_of(all, 0);
        mark_paragraphs(&mut lines);
        return lines;
    };
    // Runs on the gutter that reach well into both columns span the page.
    let lw = g - all.iter().map(|r| r.x0).fold(f64::MAX, f64::min);
    let rw = all.iter().map(|r| r.x1).fold(f64::MIN, f64::max) - g;
    let (mut span, mut left, mut right) = (Vec::new(), Vec::new(), Vec::new());
    for r in all {
        if r.x0 < g && r.x1 > g {
            if g - r.x0 > 0.25 * lw && r.x1 - g > 0.25 * rw {
                span.push(r);
            } else if (r.x0 + r.x1) / 2.0 < g {
                left.push(r);
            } else {
                right.push(r);
            }
        } else if r.x1 <= g {
            left.push(r);
        } else {
            right.push(r);
        }
    }
    let mut span_lines = lines_of(span, 0);
    mark_paragraphs(&mut span_lines);
    let mut left_lines = lines_of(left, 1);
    let mut right_lines = lines_of(right, 2);
    // Bands between full-width lines: left column, then right column.
    let mut out = Vec::new();
    let mut upper = f64::MAX;
    let mut spans = span_lines.into_iter().peekable();
    loop {
        let lower = spans.peek().map(|s| s.y).unwrap_or(f64::MIN);
        for col in [&mut left_lines, &mut right_lines] {
            let (band, rest): (Vec<Line>, Vec<Line>) =
                col.drain(..).partition(|l| l.y < upper && l.y > lower);
            *col = rest;
            let mut band = band;
            mark_paragraphs(&mut band);
            out.extend(band);
        }
        match spans.next() {
            Some(s) => {
                upper = s.y;
                out.push(s);
            }
            None => break,
        }
    }
    // Anything left (exactly on a band edge) goes last, in order.
    let mut rest: Vec<Line> = left_lines.into_iter().chain(right_lines).collect();
    mark_paragraphs(&mut rest);
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x: f64, y: f64, s: &str) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut x = x;
        for c in s.chars() {
            out.push(Glyph {
                x,
                y,
                w: 5.0,
                size: 10.0,
                dir: 0,
                text: c.to_string(),
            });
            x += 5.0;
        }
        out
    }

    #[test]
    fn list_markers() {
        assert!(starts_with_marker("• Baris yang"));
        assert!(starts_with_marker("1. First"));
        assert!(starts_with_marker("(a) item"));
        assert!(!starts_with_marker("The 1. thing"));
        assert!(!starts_with_marker("Bandung."));
    }

    #[test]
    fn spaces_from_gaps() {
        let mut g = word(10.0, 700.0, "Hello");
        g.extend(word(10.0 + 25.0 + 3.0, 700.0, "world"));
        let lines = layout(&g);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "Hello world");
    }

    #[test]
    fn rotated_page_reads_in_its_own_direction() {
        // A landscape page drawn rotated: text runs upwards; lines stack to the right.
        let mut g = Vec::new();
        for (i, w) in ["first line", "second line"].iter().enumerate() {
            let x = 100.0 + 14.0 * i as f64;
            for (k, c) in w.chars().enumerate() {
                g.push(Glyph {
                    x,
                    y: 100.0 + 5.0 * k as f64,
                    w: 5.0,
                    size: 10.0,
                    dir: 1,
                    text: c.to_string(),
                });
            }
        }
        // A short stamp in the other direction is left out.
        g.extend(word(10.0, 10.0, "x"));
        let texts: Vec<String> = layout(&g).into_iter().map(|l| l.text).collect();
        assert_eq!(texts, ["first line", "second line"]);
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut g = Vec::new();
        for i in 0..8 {
            let y = 700.0 - 12.0 * i as f64;
            g.extend(word(50.0, y, &format!("left{i} aaaa bbbb cccc")));
            g.extend(word(320.0, y, &format!("right{i} dddd eeee ffff")));
        }
        let lines = layout(&g);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert!(texts[0].starts_with("left0"), "{texts:?}");
        assert!(texts[7].starts_with("left7"), "{texts:?}");
        assert!(texts[8].starts_with("right0"), "{texts:?}");
    }
}
