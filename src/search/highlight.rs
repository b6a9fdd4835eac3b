//! Which words of a passage matched: pure functions over the passage text,
//! re-analysed with each field's analyzer so stemmed matches light up too.

use crate::analysis;
use std::collections::HashSet;
use std::ops::Range;

/// Byte ranges of `text` whose analysed form is among the terms given for
/// that analyzer; sorted and merged.
pub fn ranges(text: &str, terms: &[(&str, &HashSet<String>)]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (analyzer, wanted) in terms {
        if wanted.is_empty() {
            continue;
        }
        analysis::each_term(analyzer, text, |term, range| {
            if wanted.contains(term) {
                out.push(range);
            }
        });
    }
    out.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemmed_and_exact_matches_are_marked() {
        let text = "Twinned towns: town twinning in Britain.";
        let en: HashSet<String> = ["twin".to_string()].into();
        let exact: HashSet<String> = ["britain".to_string()].into();
        let r = ranges(text, &[(analysis::EN, &en), (analysis::EXACT, &exact)]);
        let words: Vec<&str> = r.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["Twinned", "twinning", "Britain"]);
    }
}
