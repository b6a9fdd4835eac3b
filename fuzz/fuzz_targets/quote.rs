//! Quotations: normalised words, ellipsis gaps and the word alignment. The
//! input is a quotation and a source text, split at the first 0xFF byte.
#![no_main]

use kutip::search::quote::{Item, align, quotation, words};
use libfuzzer_sys::fuzz_target;

fn check_range(text: &str, r: &std::ops::Range<usize>) {
    assert!(r.start <= r.end && r.end <= text.len());
    assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
}

fuzz_target!(|data: &[u8]| {
    let (q, s) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (Ok(q), Ok(s)) = (std::str::from_utf8(q), std::str::from_utf8(s)) else {
        return;
    };
    let items = quotation(q);
    assert!(!matches!(items.first(), Some(Item::Gap)));
    assert!(!matches!(items.last(), Some(Item::Gap)));
    for i in &items {
        if let Item::Word(w) = i {
            check_range(q, &w.range);
        }
    }
    let source = words(s);
    let mut end = 0;
    for w in &source {
        check_range(s, &w.range);
        assert!(w.range.start >= end);
        end = w.range.end;
    }
    if let Some(a) = align(&items, &source, s) {
        assert!((0.0..=1.0).contains(&a.similarity));
        assert!(a.span.start < a.span.end && a.span.end <= source.len());
    }
    // A text without ellipses is its own quotation.
    if !s.contains("...") && !s.contains('…') {
        let own = quotation(s);
        if let Some(a) = align(&own, &source, s) {
            assert_eq!(a.edits, 0, "{:?}", a.diff);
        }
    }
});
