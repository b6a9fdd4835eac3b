//! PDF: every page's text, labels and metadata, then the passages.
#![no_main]

#[path = "document.rs"]
mod document;

use kutip::ingest::walk::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| document::check("f.pdf", Kind::Pdf, data));
