//! `kutip analyze [TEXT]`: the terms an analyzer makes of a text — for a
//! librarian asking why a passage did not match, and for evaluating the
//! stemmers line by line (standard input in, one line of terms out per line).

use super::Exit;
use crate::analysis::{self, Lang, detect_lang};
use crate::output;
use std::io::BufRead;

/// Which analyzer to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Indonesian stemmed terms.
    Id,
    /// English stemmed terms.
    En,
    /// Detect each line's language (Indonesian when undecided).
    Auto,
    /// Unstemmed, normalised words (the phrase and quotation field).
    Exact,
}

/// Arguments of `kutip analyze`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Analyzer.
    #[arg(long, value_enum, default_value_t = Which::Auto)]
    pub lang: Which,
    /// Text to analyse; without it, each line of standard input.
    pub text: Vec<String>,
}

fn analyzer_for(which: Which, line: &str) -> &'static str {
    match which {
        Which::Id => analysis::ID,
        Which::En => analysis::EN,
        Which::Exact => analysis::EXACT,
        Which::Auto => match detect_lang(line) {
            Some(Lang::En) => analysis::EN,
            _ => analysis::ID,
        },
    }
}

/// The terms of one line, separated by spaces.
pub fn terms(which: Which, line: &str) -> String {
    analysis::analyze(analyzer_for(which, line), line)
        .into_iter()
        .map(|(t, _)| output::sanitize::clean(&t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `kutip analyze`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    if !args.text.is_empty() {
        let mut line = terms(args.lang, &args.text.join(" "));
        line.push('\n');
        output::emit(&line)?;
        return Ok(Exit::Ok);
    }
    let stdin = std::io::stdin();
    let mut out = String::new();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| anyhow::anyhow!("standard input: {e}; give UTF-8 text"))?;
        out.push_str(&terms(args.lang, &line));
        out.push('\n');
        if out.len() > 1 << 16 {
            output::emit(&out)?;
            out.clear();
        }
    }
    output::emit(&out)?;
    Ok(Exit::Ok)
}
