//! Library error type: every failure below `cli` is one of these, with the file it concerns.

use std::path::PathBuf;

/// Errors of the library layers; `cli` turns them into messages and exit codes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The user's input (a query, an option value) is not usable.
    #[error("{0}")]
    Usage(String),
    /// The index is missing, from another version, or damaged.
    #[error("{0}")]
    Index(String),
    /// An error reported by the search engine.
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Citation rendering failed.
    #[error("citation: {0}")]
    Cite(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result alias for the library layers.
pub type Result<T> = std::result::Result<T, Error>;
