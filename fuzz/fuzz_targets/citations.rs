//! In-text citation extraction: spans lie on char boundaries and slice to
//! the citation's text.
#![no_main]

use kutip::cite::extract::extract;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut last = 0;
    for c in extract(text) {
        let (s, e) = c.span;
        assert!(s <= e && e <= text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert_eq!(&text[s..e], c.text);
        let (ys, ye) = c.year_span;
        assert!(ys <= ye && ye <= text.len());
        assert!(text.is_char_boundary(ys) && text.is_char_boundary(ye));
        assert!(s >= last, "citations out of order");
        last = s;
        let _ = c.compact();
    }
});
