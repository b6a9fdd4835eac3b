//! DOCX: a Word file's text, metadata and passages (the zip and its XML are the input's).
#![no_main]

#[path = "document.rs"]
mod document;

use kutip::ingest::walk::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| document::check("f.docx", Kind::Docx, data));
