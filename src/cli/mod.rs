//! The command line: clap definitions, one file per subcommand. The only
//! place that uses `anyhow`, prints to stderr and decides the exit code.

mod analyze;
mod check;
mod cite;
mod cited;
pub mod common;
mod export;
mod index;
mod quote;
mod search;
mod shell;
mod sources;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit codes: 0 success, 1 nothing found, 2 usage or input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// The command ran but found nothing.
    NoResults = 1,
    /// Bad usage, bad input, or a failure.
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Citation-aware search for Indonesian and English scholarly texts.
#[derive(Parser, Debug)]
#[command(name = "kutip", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build or update an index from folders and files.
    Index(index::Args),
    /// Search passages and print them with citations.
    Search(search::Args),
    /// Print every indexed passage as one JSON object per line.
    Export(export::Args),
    /// An interactive search session (line editing, history, Tab completion).
    Shell(shell::Args),
    /// Find where a quotation comes from and check it was copied right.
    Quote(quote::Args),
    /// List every passage that cites a work, grouped by citing document.
    Cited(cited::Args),
    /// Print a work's citation and reference entry, or its record for a reference manager.
    Cite(cite::Args),
    /// Report unresolved citations, documents without metadata and library problems.
    Check(check::Args),
    /// List the indexed documents: key, authors, year, title, language, passages, pages, file.
    Sources(sources::Args),
    /// Show the terms an analyzer makes of a text (or of each line of standard input).
    Analyze(analyze::Args),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version.
                let _ = e.print();
                return Exit::Ok.into();
            }
            // Usage errors in one line, like every other error.
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            let hint = if first.contains("argument '-") {
                "; a query that starts with '-' goes after `--` (kutip search -- -kota)"
            } else {
                ""
            };
            eprintln!(
                "kutip: {}{hint}; see kutip --help",
                crate::output::sanitize::clean_line(first)
            );
            return Exit::Error.into();
        }
    };
    let result = match cli.command {
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a),
        Command::Export(a) => export::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Cited(a) => cited::run(a),
        Command::Cite(a) => cite::run(a),
        Command::Check(a) => check::run(a),
        Command::Quote(a) => quote::run(a),
        Command::Shell(a) => shell::run(a),
        Command::Sources(a) => sources::run(a),
    };
    match result {
        Ok(code) => code.into(),
        Err(e) => {
            eprintln!(
                "kutip: {}",
                crate::output::sanitize::clean_line(&one_line(&e))
            );
            Exit::Error.into()
        }
    }
}

/// The error and its causes on one line, without repeating a cause that the
/// message already contains.
fn one_line(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg.replace('\n', " ")
}
