//! `kutip sources`: the catalogue of indexed documents — key, authors, year,
//! title, language, passages, pages, file — sorted as the librarian asks.

use super::Exit;
use super::common::IndexArg;
use crate::index::KutipIndex;
use crate::output::{self, json, sanitize::clean_line as clean};
use serde::Serialize;

/// Sort orders of `sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// By first author's name.
    Author,
    /// By year, oldest first (undated last).
    Year,
    /// By title.
    Title,
    /// By file path.
    File,
}

/// Arguments of `kutip sources`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Sort order.
    #[arg(long, value_enum, default_value_t = Sort::Author)]
    pub sort: Sort,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::search::Format::Text)]
    pub format: super::search::Format,
}

#[derive(Serialize, Clone)]
struct Source {
    key: String,
    authors: Vec<String>,
    year: Option<i32>,
    title: Option<String>,
    lang: Option<&'static str>,
    passages: usize,
    /// First and last printed page, when the document has pages.
    pages: Option<(String, String)>,
    file: String,
    metadata: String,
}

/// Runs `kutip sources`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = KutipIndex::open(&args.index.index)?;
    let mut sources: Vec<Source> = Vec::new();
    let mut langs: Vec<(usize, usize)> = Vec::new();
    crate::search::each_passage(&index, |p| -> anyhow::Result<()> {
        if sources.last().is_none_or(|s| s.file != p.file) {
            sources.push(Source {
                key: p.key.clone(),
                authors: p.authors.clone(),
                year: p.year,
                title: p.title.clone(),
                lang: None,
                passages: 0,
                pages: None,
                file: p.file.clone(),
                metadata: p.origin.clone(),
            });
            langs.push((0, 0));
        }
        let (s, l) = (
            sources.last_mut().expect("pushed above"),
            langs.last_mut().expect("pushed above"),
        );
        s.passages += 1;
        match p.lang.map(|l| l.code()) {
            Some("id") => l.0 += 1,
            Some("en") => l.1 += 1,
            _ => {}
        }
        if let Some(page) = &p.page {
            let last = p.page_end.clone().unwrap_or_else(|| page.clone());
            s.pages = Some(match s.pages.take() {
                Some((first, _)) => (first, last),
                None => (page.clone(), last),
            });
        }
        Ok(())
    })?;
    for (s, (id, en)) in sources.iter_mut().zip(langs) {
        s.lang = match (id, en) {
            (0, 0) => None,
            (i, e) if i >= e => Some("id"),
            _ => Some("en"),
        };
    }
    let lower = |s: &Option<String>| s.clone().unwrap_or_default().to_lowercase();
    match args.sort {
        Sort::Author => sources.sort_by_key(|s| {
            (
                s.authors.first().map(|a| a.to_lowercase()),
                s.year,
                lower(&s.title),
            )
        }),
        Sort::Year => sources.sort_by_key(|s| {
            (
                s.year.is_none(),
                s.year,
                s.authors.first().map(|a| a.to_lowercase()),
            )
        }),
        Sort::Title => sources.sort_by_key(|s| lower(&s.title)),
        Sort::File => sources.sort_by(|a, b| a.file.cmp(&b.file)),
    }
    match args.format {
        super::search::Format::Json => output::emit(&json::line(&sources))?,
        _ => {
            let mut out = String::new();
            for s in &sources {
                let pages = s
                    .pages
                    .as_ref()
                    .map(|(a, b)| {
                        if a == b {
                            format!(", p. {a}")
                        } else {
                            format!(", pp. {a}–{b}")
                        }
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{}  {} ({}) {}\n    {} · {} passages{} · {}\n",
                    clean(&s.key),
                    clean(&if s.authors.is_empty() {
                        "[no author]".to_string()
                    } else {
                        s.authors.join("; ")
                    }),
                    s.year.map_or("n.d.".to_string(), |y| y.to_string()),
                    clean(s.title.as_deref().unwrap_or("[no title]")),
                    s.lang.unwrap_or("?"),
                    s.passages,
                    pages,
                    crate::output::sanitize::clean_line(&s.file)
                ));
            }
            output::emit(&out)?;
        }
    }
    Ok(if sources.is_empty() {
        Exit::NoResults
    } else {
        Exit::Ok
    })
}
