//! HTML: main text and metadata of a saved web page, then the passages and
//! the CSL item made from them.
#![no_main]

use kutip::ingest::{blocks, embedded_item, html};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(e) = html::read_html(&text) else {
        return;
    };
    let parsed = blocks::parse_titled(&e.text, 0, true, e.meta.title.as_deref());
    for p in &parsed.passages {
        assert_eq!(&e.text[p.start..p.end], p.text);
    }
    let _ = embedded_item(&e.meta);
});
