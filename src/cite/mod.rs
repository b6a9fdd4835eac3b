//! Citations: the bibliography (`library`), and rendering citations and
//! reference entries in a chosen style (`render`). Used by `ingest` to match
//! documents to their records and by `cli` to print hits.

pub mod library;
pub mod render;

pub use library::{Library, LibraryEntry, Record};
pub use render::{Renderer, StyleName};
