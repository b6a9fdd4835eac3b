//! `kutip check`: what a librarian should fix — citations the library cannot
//! resolve (with the nearest candidates), documents without metadata,
//! library entries missing author, year or title, malformed entries and
//! duplicate keys; each with its file and line.

use super::Exit;
use super::common::IndexArg;
use crate::index::KutipIndex;
use crate::output::{self, json};
use serde::Serialize;

/// Arguments of `kutip check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::search::Format::Text)]
    pub format: super::search::Format,
}

#[derive(Serialize)]
struct Unresolved {
    file: String,
    line: u32,
    text: String,
    authors: Vec<String>,
    year: String,
    candidates: Vec<String>,
}

#[derive(Serialize)]
struct NoMetadata {
    file: String,
    title: Option<String>,
}

#[derive(Serialize)]
struct Incomplete {
    file: String,
    line: Option<u32>,
    key: String,
    missing: Vec<&'static str>,
}

#[derive(Serialize, Default)]
struct Report {
    unresolved: Vec<Unresolved>,
    without_metadata: Vec<NoMetadata>,
    incomplete_entries: Vec<Incomplete>,
    library_problems: Vec<String>,
}

impl Report {
    fn is_empty(&self) -> bool {
        self.unresolved.is_empty()
            && self.without_metadata.is_empty()
            && self.incomplete_entries.is_empty()
            && self.library_problems.is_empty()
    }
}

fn build(index: &KutipIndex) -> anyhow::Result<Report> {
    let mut report = Report::default();
    for p in crate::search::with_unresolved(index)? {
        for c in p.cites.iter().filter(|c| c.key.is_none()) {
            let before = p.text.get(..c.span.0).unwrap_or("");
            report.unresolved.push(Unresolved {
                file: p.file.clone(),
                line: p.line + before.matches('\n').count() as u32,
                text: c.text.clone(),
                authors: c.authors.clone(),
                year: c.year.clone(),
                candidates: c.candidates.clone(),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    crate::search::each_passage(index, |p| -> anyhow::Result<()> {
        if p.origin == "title-only" && seen.insert(p.file.clone()) {
            report.without_metadata.push(NoMetadata {
                file: p.file.clone(),
                title: p.title.clone(),
            });
        }
        Ok(())
    })?;
    index.each_library_record(
        |_| false,
        |r| {
            let mut missing = Vec::new();
            if r.record.authors().is_empty() {
                missing.push("author");
            }
            if r.record.year().is_none() {
                missing.push("year");
            }
            if r.record.title().is_none() {
                missing.push("title");
            }
            if !missing.is_empty() {
                report.incomplete_entries.push(Incomplete {
                    file: r.file,
                    line: r.line,
                    key: r.key,
                    missing,
                });
            }
        },
    )?;
    report.incomplete_entries.sort_by(|a, b| a.key.cmp(&b.key));
    report.library_problems = index.problems()?;
    Ok(report)
}

fn text(report: &Report) -> String {
    let c = output::sanitize::clean;
    let mut out = String::new();
    if !report.unresolved.is_empty() {
        out.push_str(&format!(
            "Citations the library cannot resolve ({}):\n",
            report.unresolved.len()
        ));
        for u in &report.unresolved {
            let nearest = if u.candidates.is_empty() {
                "no work by this author in the library".to_string()
            } else {
                format!("nearest: {}", u.candidates.join(", "))
            };
            out.push_str(&format!(
                "  {}:{}: {} — {}\n",
                c(&u.file),
                u.line,
                c(&u.text.replace('\n', " ")),
                c(&nearest)
            ));
        }
        out.push('\n');
    }
    if !report.without_metadata.is_empty() {
        out.push_str(&format!(
            "Documents without metadata ({}):\n",
            report.without_metadata.len()
        ));
        for d in &report.without_metadata {
            out.push_str(&format!(
                "  {}: titled '{}' from its text; add front matter or a library entry\n",
                c(&d.file),
                c(d.title.as_deref().unwrap_or(""))
            ));
        }
        out.push('\n');
    }
    if !report.incomplete_entries.is_empty() {
        out.push_str(&format!(
            "Library entries missing author, year or title ({}):\n",
            report.incomplete_entries.len()
        ));
        for e in &report.incomplete_entries {
            let at = e
                .line
                .map(|l| format!("{}:{l}", c(&e.file)))
                .unwrap_or_else(|| c(&e.file));
            out.push_str(&format!(
                "  {at}: '{}' has no {}\n",
                c(&e.key),
                e.missing.join(", no ")
            ));
        }
        out.push('\n');
    }
    if !report.library_problems.is_empty() {
        out.push_str(&format!(
            "Malformed entries and duplicate keys ({}):\n",
            report.library_problems.len()
        ));
        for p in &report.library_problems {
            out.push_str(&format!("  {}\n", c(p)));
        }
        out.push('\n');
    }
    out
}

/// Runs `kutip check`: exit 0 when there is nothing to fix, 1 when there is.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = KutipIndex::open(&args.index.index)?;
    let report = build(&index)?;
    match args.format {
        super::search::Format::Json => output::emit(&json::line(&report))?,
        _ if report.is_empty() => eprintln!("kutip: nothing to fix"),
        _ => output::emit(&text(&report))?,
    }
    Ok(if report.is_empty() {
        Exit::Ok
    } else {
        Exit::NoResults
    })
}
