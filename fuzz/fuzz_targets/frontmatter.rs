//! YAML front matter: `split` finds the fences and parses what is between.
#![no_main]

use kutip::ingest::frontmatter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match frontmatter::split(text) {
        Ok(Some((fm, start))) => {
            assert!(start <= text.len() && text.is_char_boundary(start));
            if let Some(item) = fm.item {
                assert!(item.get("title").is_some());
            }
        }
        Ok(None) => {}
        Err(e) => assert!(!e.contains('\n'), "{e}"),
    }
    let fm = frontmatter::parse(text);
    if let Some(p) = fm.problem {
        let _ = p.len();
    }
});
