//! The passage splitter fed a body in pieces, as a streamed file is: every
//! passage is a slice of the body, in order; with no cut, the pieces give
//! the passages of the whole body.
#![no_main]

use kutip::ingest::blocks::{self, Splitter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&[step, cut, flags], rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let markdown = flags & 1 == 1;
    let cut_above = if flags & 2 == 2 { 1 + cut as usize } else { usize::MAX };
    let step = 1 + step as usize;
    let mut splitter = Splitter::new(markdown, None);
    let mut passages = Vec::new();
    let mut pending = String::new();
    let mut at = 0;
    while at < text.len() {
        let mut next = (at + step).min(text.len());
        while !text.is_char_boundary(next) {
            next += 1;
        }
        pending.push_str(&text[at..next]);
        at = next;
        let used = splitter.feed(&pending, at == text.len(), cut_above, &mut passages);
        assert!(pending.is_char_boundary(used));
        pending.drain(..used);
    }
    for p in &passages {
        assert_eq!(&text[p.start..p.end], p.text);
    }
    assert!(passages.windows(2).all(|w| w[0].end <= w[1].start));
    if cut_above == usize::MAX {
        let whole = blocks::parse(text, 0, markdown);
        let parsed = splitter.finish(passages);
        assert_eq!(parsed.title, whole.title);
        assert_eq!(parsed.passages.len(), whole.passages.len());
        for (a, b) in parsed.passages.iter().zip(&whole.passages) {
            assert_eq!((a.start, a.end, a.paragraph, &a.section), (b.start, b.end, b.paragraph, &b.section));
            assert!(a.page == b.page || (a.page.is_none() && b.page == Some(1)));
        }
    }
});
