//! BibTeX: reading a library file, then everything done with its records
//! (stored form, exchange formats, rendering in a style).
#![no_main]

use kutip::cite::export::{Exchange, write};
use kutip::cite::library::{Record, read_bibtex};
use kutip::cite::render::{LocaleName, Renderer, StyleName};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

thread_local! {
    static APA: Renderer = Renderer::new(StyleName::Apa, LocaleName::En).expect("APA");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    let (entries, diags) = read_bibtex(Path::new("lib.bib"), text);
    for d in &diags {
        assert!(d.line.is_none_or(|l| l >= 1 && l <= lines), "{d}");
    }
    for (i, e) in entries.iter().enumerate() {
        assert!(e.line.is_some_and(|l| l >= 1 && l <= lines));
        let r = &e.record;
        let _ = (
            r.title(),
            r.authors(),
            r.year(),
            r.first_page(),
            r.language(),
        );
        let stored = r.to_stored();
        let back = Record::from_stored(&stored).expect("stored record reads back");
        assert_eq!(back.title(), r.title(), "{}", e.key);
        assert_eq!(back.authors(), r.authors(), "{}", e.key);
        for f in [Exchange::Bibtex, Exchange::Ris, Exchange::CslJson] {
            let _ = write(&e.key, r, f);
        }
        // Rendering is most of the time spent: the first two entries only.
        if i < 2 {
            APA.with(|apa| {
                let _ = apa.render(r, Some("12"));
            });
        }
    }
});
