//! CSL-JSON: reading a library file item by item, then each record's stored
//! form; every problem points at a line of the file.
#![no_main]

use kutip::cite::library::{Record, read_csl_json};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    let Ok(Some((entries, diags))) = read_csl_json(Path::new("lib.json"), text) else {
        return;
    };
    for d in &diags {
        assert!(d.line.is_some_and(|l| l >= 1 && l <= lines), "{d}");
    }
    for e in &entries {
        assert!(e.line.is_some_and(|l| l >= 1 && l <= lines));
        let back = Record::from_stored(&e.record.to_stored()).expect("stored record reads back");
        assert_eq!(back.title(), e.record.title(), "{}", e.key);
    }
});
