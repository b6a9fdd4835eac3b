//! kutip: citation-aware search over Indonesian and English scholarly texts.
//!
//! Data flows `ingest` → `analysis` → `index` → `search` → `cite` → `output`,
//! driven by `cli`. See ARCHITECTURE.md for the walk through the folders.

pub mod analysis;
pub mod cite;
pub mod cli;
pub mod error;
pub mod file;
pub mod index;
pub mod ingest;
pub mod output;
pub mod search;

pub use error::{Error, Result};
