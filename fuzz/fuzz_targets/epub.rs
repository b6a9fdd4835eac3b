//! EPUB: a book's chapters, metadata and passages (the zip, its package file and XHTML are the input's).
#![no_main]

#[path = "document.rs"]
mod document;

use kutip::ingest::walk::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| document::check("f.epub", Kind::Epub, data));
