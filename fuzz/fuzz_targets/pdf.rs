//! PDF: every page's text, labels and metadata, then the passages, read from
//! arbitrary bytes as `kutip index` reads one.
#![no_main]

use kutip::ingest::{parse_document, walk::Kind};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // A file that cannot be read is skipped with a reason; never a panic.
    let Ok(doc) = parse_document(Path::new("f.pdf"), Kind::Pdf, data) else {
        return;
    };
    let mut last = 0;
    for p in &doc.passages {
        assert!(
            p.start >= last && p.start <= p.end,
            "passages in reading order"
        );
        last = p.start;
        assert!(p.page_end.is_none() || p.page_end != p.page);
        if !doc.page_labels.is_empty() {
            assert!(
                p.page
                    .is_some_and(|n| n >= 1 && n as usize <= doc.page_labels.len())
            );
        }
    }
});
