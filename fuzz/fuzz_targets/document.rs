//! What the `docx`, `epub` and `pdf` targets check of a document read from
//! arbitrary bytes as `kutip index` reads one (tests/properties.rs checks
//! the same in the suite).

use kutip::ingest::{parse_document, walk::Kind};
use std::path::Path;

/// Reads `data` as a file of `kind`: a file that cannot be read is skipped
/// with a reason, never a panic; what is read has its passages in reading
/// order and its pages within its page labels.
pub fn check(name: &str, kind: Kind, data: &[u8]) {
    let Ok(doc) = parse_document(Path::new(name), kind, data) else {
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
}
