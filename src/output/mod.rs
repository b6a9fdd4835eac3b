//! Output: the only writer to stdout. Turns hits and passages into the JSON
//! wire format or terminal text; document text is sanitised on the way.

pub mod json;
pub mod sanitize;
pub mod terminal;

use std::io::{IsTerminal, Write};

/// How text output should look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colour for highlights and labels.
    pub color: bool,
    /// Wrap passages to this many columns (None: no wrapping).
    pub width: Option<usize>,
}

impl Style {
    /// Colour and wrapping when stdout is a terminal and `NO_COLOR` is unset.
    pub fn detect() -> Self {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = tty.then(|| {
            terminal_size::terminal_size()
                .map(|(w, _)| w.0 as usize)
                .unwrap_or(80)
                .clamp(40, 100)
        });
        Style {
            color: tty && !no_color,
            width,
        }
    }
}

/// Writes `s` to stdout; a closed pipe (`kutip search … | head`) is not an error.
pub fn emit(s: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A passage ready for output: with its rendered citation and reference.
pub struct Cited<'a> {
    /// Rank, for hits.
    pub rank: Option<usize>,
    /// Score, for hits.
    pub score: Option<f32>,
    /// The passage.
    pub passage: &'a crate::index::StoredPassage,
    /// Byte ranges to highlight.
    pub highlights: Vec<std::ops::Range<usize>>,
    /// In-text citation.
    pub citation: String,
    /// Reference entry.
    pub reference: String,
    /// A secondary citation for each citation the passage makes (same order as `passage.cites`).
    pub secondary: Vec<String>,
}
