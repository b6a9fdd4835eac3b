//! Walking the folders given to `kutip index`: which files are documents,
//! which are library files, which are skipped (hidden files, loops).

use std::path::{Path, PathBuf};

/// What a file is to kutip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// BibTeX / BibLaTeX library.
    Bib,
    /// JSON, possibly a CSL-JSON library.
    Json,
    /// Markdown document.
    Markdown,
    /// Plain-text document (form feeds start pages).
    Text,
    /// A saved web page.
    Html,
    /// A Word document.
    Docx,
    /// An e-book.
    Epub,
    /// A PDF with a text layer.
    Pdf,
}

impl Kind {
    /// Whether files of this kind are documents (not library files).
    pub fn is_document(self) -> bool {
        !matches!(self, Kind::Bib | Kind::Json)
    }

    /// The kind for a path, by extension.
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "bib" | "bibtex" => Kind::Bib,
            "json" => Kind::Json,
            "md" | "markdown" => Kind::Markdown,
            "txt" | "text" => Kind::Text,
            "html" | "htm" | "xhtml" => Kind::Html,
            "docx" => Kind::Docx,
            "epub" => Kind::Epub,
            "pdf" => Kind::Pdf,
            _ => return None,
        })
    }
}

/// Files found, in a stable order, and problems met on the way.
#[derive(Debug, Default)]
pub struct Found {
    /// (path, kind) in sorted path order.
    pub files: Vec<(PathBuf, Kind)>,
    /// Paths that could not be walked, with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
}

/// Walks `roots`; symbolic links are followed, loops reported and survived.
pub fn walk(roots: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for root in roots {
        if !root.exists() {
            found
                .problems
                .push((root.clone(), "no such file or folder".into()));
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if let Some(kind) = Kind::of(e.path()) {
                        found.files.push((e.path().to_path_buf(), kind));
                    }
                }
                // A FIFO, socket or device with a document's or library's
                // name: said, never opened (a FIFO would block the run).
                Ok(e) if !e.file_type().is_dir() && Kind::of(e.path()).is_some() => {
                    found.problems.push((
                        e.path().to_path_buf(),
                        "not a regular file (a FIFO, socket or device)".into(),
                    ));
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let why = if err.loop_ancestor().is_some() {
                        "symbolic link loop; not followed".to_string()
                    } else {
                        match err.io_error() {
                            Some(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                                format!("cannot read ({e}); check its permissions")
                            }
                            Some(e) => e.to_string(),
                            None => err.to_string(),
                        }
                    };
                    found.problems.push((path, why));
                }
            }
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}
