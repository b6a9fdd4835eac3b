//! `kutip index PATH...`: read folders and files, match documents to their
//! records, and commit passages and records to the index in one step.

use super::Exit;
use super::common::IndexArg;
use crate::analysis::detect_lang;
use crate::cite::library::{read_bibtex, read_csl_json};
use crate::cite::resolve::Resolver;
use crate::cite::{Library, cites_of};
use crate::index::{KutipIndex, StoredPassage};
use crate::ingest::catalog::{self, Origin};
use crate::ingest::walk::{self, Kind};
use crate::ingest::{read_document, read_text};
use anyhow::Context;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `kutip index`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folders and files to index (.md, .txt, .bib, CSL-JSON .json).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Start the index from scratch.
    #[arg(long)]
    pub rebuild: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list every file as it is indexed.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Memory budget of the index writer, in MB.
    #[arg(long, value_name = "MB", default_value_t = 200)]
    pub memory: usize,
}

/// What an index run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents indexed.
    pub documents: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Library records stored.
    pub records: usize,
    /// Files skipped, with the reason.
    pub skipped: Vec<String>,
    /// Warnings that did not stop a file.
    pub warnings: Vec<String>,
    /// Documents whose files disappeared, removed from the index.
    pub removed: usize,
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

fn key_of(p: &Path) -> String {
    canonical(p).to_string_lossy().into_owned()
}

/// Builds or updates the index at `dir` from `paths`.
pub fn build(
    paths: &[PathBuf],
    dir: &Path,
    rebuild: bool,
    memory_mb: usize,
    verbose: bool,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let found = walk::walk(paths);
    for (path, why) in &found.problems {
        summary.skipped.push(format!("{}: {why}", path.display()));
    }
    if found.files.is_empty() && !found.problems.is_empty() && paths.iter().all(|p| !p.exists()) {
        anyhow::bail!(
            "nothing to index: {} not found; give existing folders or files",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    // Library files first: every document is matched against all of them.
    let mut library = Library::default();
    let mut library_files: Vec<(PathBuf, Vec<String>, Vec<String>)> = Vec::new();
    for (path, kind) in &found.files {
        let read = match kind {
            Kind::Bib | Kind::Json => read_text(path),
            _ => continue,
        };
        let text = match read {
            Ok(t) => t,
            Err(skip) => {
                summary.skipped.push(skip.to_string());
                continue;
            }
        };
        let (entries, diags) = match kind {
            Kind::Bib => read_bibtex(path, &text),
            _ => match read_csl_json(path, &text) {
                Ok(Some(r)) => r,
                Ok(None) => {
                    if verbose {
                        eprintln!("{}: JSON but not CSL-JSON; ignored", path.display());
                    }
                    continue;
                }
                Err(d) => {
                    summary.skipped.push(d.to_string());
                    continue;
                }
            },
        };
        let mut problems: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        let mut keys = Vec::new();
        for e in entries {
            let key = e.key.clone();
            match library.insert(e) {
                Some(dup) => problems.push(dup.to_string()),
                None => keys.push(key),
            }
        }
        summary.warnings.extend(problems.iter().cloned());
        library_files.push((path.clone(), keys, problems));
    }
    let attached = catalog::attachments(&library);

    let index = KutipIndex::create_or_open(dir, rebuild)?;
    let mut writer = index
        .writer(memory_mb.saturating_mul(1_000_000))
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: {e}; another kutip may be indexing into it — wait for it to finish",
                dir.display()
            )
        })?;
    for (path, keys, problems) in &library_files {
        let id = key_of(path);
        writer.delete_path(&id);
        for key in keys {
            if let Some(e) = library.get(key) {
                writer.add_record(key, &e.record, &id, &path.display().to_string(), e.line)?;
                summary.records += 1;
            }
        }
        for p in problems {
            writer.add_problem(&id, p)?;
        }
    }

    // Citations resolve against this run's library and the records already
    // in the index from earlier runs over other folders.
    let mut known: std::collections::BTreeMap<String, crate::cite::Record> = index
        .records()?
        .into_iter()
        .map(|r| (r.key, r.record))
        .collect();
    known.extend(library.iter().map(|e| (e.key.clone(), e.record.clone())));

    let mut taken = HashSet::new();
    let mut documents = Vec::new();
    for (path, kind) in &found.files {
        if !matches!(kind, Kind::Markdown | Kind::Text) {
            continue;
        }
        let doc = match read_document(path, *kind) {
            Ok(d) => d,
            Err(skip) => {
                summary.skipped.push(skip.to_string());
                continue;
            }
        };
        let resolved = catalog::resolve(&doc, &library, &attached, &mut taken);
        if resolved.own_record {
            known.insert(resolved.key.clone(), resolved.record.clone());
        }
        documents.push((path, doc, resolved));
    }
    let resolver = Resolver::new(known.iter().map(|(k, r)| (k.as_str(), r)));
    for (path, doc, resolved) in documents {
        for w in &resolved.warnings {
            summary.warnings.push(format!("{}: {w}", path.display()));
        }
        if verbose {
            eprintln!(
                "{}: {} passages, record '{}' ({})",
                path.display(),
                doc.passages.len(),
                resolved.key,
                resolved.origin.as_str()
            );
        }
        let id = key_of(path);
        writer.delete_path(&id);
        if resolved.own_record {
            writer.add_record(
                &resolved.key,
                &resolved.record,
                &id,
                &path.display().to_string(),
                None,
            )?;
        }
        let doc_lang = resolved.lang.or_else(|| {
            let all: String = doc
                .passages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            detect_lang(&all)
        });
        let title = resolved.record.title();
        let authors = resolved.record.authors();
        let year = resolved.record.year();
        let label = |physical: u32| -> String {
            match resolved.first_page {
                Some(first) => (first as i64 + physical as i64 - 1).to_string(),
                None => physical.to_string(),
            }
        };
        for (ordinal, p) in doc.passages.iter().enumerate() {
            let stored = StoredPassage {
                key: resolved.key.clone(),
                path: id.clone(),
                file: path.display().to_string(),
                text: p.text.clone(),
                lang: detect_lang(&p.text).or(doc_lang),
                title: title.clone(),
                authors: authors.clone(),
                year,
                section: p.section.clone(),
                page: p.page.map(label),
                page_end: p.page_end.map(label),
                paragraph: p.paragraph,
                ordinal: ordinal as u32 + 1,
                start: p.start as u64,
                end: p.end as u64,
                origin: resolved.origin.as_str().to_string(),
                line: p.line,
                cites: cites_of(&p.text, &resolver),
            };
            writer.add_passage(&stored)?;
            summary.passages += 1;
        }
        if resolved.origin == Origin::TitleOnly && doc.passages.is_empty() {
            summary
                .warnings
                .push(format!("{}: no text", path.display()));
        }
        summary.documents += 1;
    }
    summary.removed = remove_vanished(&index, &mut writer, paths)?;
    writer
        .commit()
        .with_context(|| format!("committing the index at {}", dir.display()))?;
    Ok(summary)
}

/// Removes passages and records of files under the indexed roots that no longer exist.
fn remove_vanished(
    index: &KutipIndex,
    writer: &mut crate::index::Writer,
    roots: &[PathBuf],
) -> anyhow::Result<usize> {
    let roots: Vec<String> = roots
        .iter()
        .filter(|r| r.is_dir())
        .map(|r| {
            let mut s = key_of(r);
            if !s.ends_with(std::path::MAIN_SEPARATOR) {
                s.push(std::path::MAIN_SEPARATOR);
            }
            s
        })
        .collect();
    let mut removed = 0;
    for path in index.indexed_paths()? {
        let under_root = roots.iter().any(|r| path.starts_with(r.as_str()));
        if under_root && !Path::new(&path).exists() && index.has_path(&path)? {
            writer.delete_path(&path);
            removed += 1;
        }
    }
    Ok(removed)
}

/// Prints the end-of-run summary on stderr.
pub fn report(summary: &Summary, started: Instant, quiet: bool) {
    if !quiet {
        for w in &summary.warnings {
            eprintln!("warning: {w}");
        }
    }
    for s in &summary.skipped {
        eprintln!("skipped: {s}");
    }
    if !quiet {
        eprintln!(
            "indexed {} documents ({} passages) and {} library records in {:.2} s; {} skipped, {} removed",
            summary.documents,
            summary.passages,
            summary.records,
            started.elapsed().as_secs_f64(),
            summary.skipped.len(),
            summary.removed
        );
    }
}

/// Runs `kutip index`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let summary = build(
        &args.paths,
        &args.index.index,
        args.rebuild,
        args.memory,
        args.verbose,
    )?;
    report(&summary, started, args.quiet);
    Ok(Exit::Ok)
}
