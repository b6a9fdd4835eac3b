//! `kutip quote TEXT`: where a quotation comes from, whether it was copied
//! right, and the citation to paste with it.

use super::Exit;
use super::common::{Answer, CiteArgs, Citer, IndexArg};
use crate::output::{self, json, sanitize::clean};
use crate::search::quote::{self, Diff, QuoteMatch};
use serde::Serialize;
use std::io::Read;

/// Arguments of `kutip quote`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The quotation; read from standard input when absent.
    pub text: Vec<String>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Most matches to show.
    #[arg(long, short = 'n', default_value_t = 3)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::search::Format::Text)]
    pub format: super::search::Format,
    #[command(flatten)]
    pub cite: CiteArgs,
}

#[derive(Serialize)]
struct MatchOut<'a> {
    similarity: f64,
    exact: bool,
    text: &'a str,
    source: json::Source<'a>,
    locator: json::Locator<'a>,
    citation: String,
    diff: &'a [Diff],
    file: &'a str,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    query: &'a str,
    matches: Vec<MatchOut<'a>>,
}

/// Printed pages the quoted words cover: the passage's first page moved on
/// by the form feeds before the quotation (numeric labels only).
fn pages(m: &QuoteMatch) -> (Option<String>, Option<String>) {
    let p = &m.passage;
    let Some(first) = p.page.clone() else {
        return (None, None);
    };
    let start_offset = p.text.find(m.text.as_str()).unwrap_or(0);
    let feeds_before = p.text[..start_offset].matches('\u{c}').count() as i64;
    let feeds_inside = m.text.matches('\u{c}').count() as i64;
    match first.parse::<i64>() {
        Ok(n) => {
            let start = n + feeds_before;
            let end = match &m.page_end {
                Some(e) => e.parse::<i64>().unwrap_or(start + feeds_inside),
                None => start + feeds_inside,
            };
            (
                Some(start.to_string()),
                (end != start).then(|| end.to_string()),
            )
        }
        Err(_) => (Some(first), m.page_end.clone()),
    }
}

/// Runs `kutip quote`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let text = if args.text.is_empty() {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            anyhow::anyhow!("standard input: {e}; give the quotation as UTF-8 text")
        })?;
        s
    } else {
        args.text.join(" ")
    };
    let index = super::search::open_or_build(&args.index)?;
    let mut citer = Citer::new(&index, &args.cite)?;
    let json = args.format == super::search::Format::Json;
    let a = answer(&index, &mut citer, &text, args.limit, json)?;
    if let Some(n) = &a.note {
        eprintln!("{}", output::sanitize::clean_line(n));
    }
    output::emit(&a.stdout)?;
    Ok(if a.found { Exit::Ok } else { Exit::NoResults })
}

/// Looks a quotation up and renders the matches as text or JSON.
pub fn answer(
    index: &crate::index::KutipIndex,
    citer: &mut Citer,
    text: &str,
    limit: usize,
    json: bool,
) -> anyhow::Result<Answer> {
    let matches = quote::find(index, text, limit.max(1))?;
    let mut outs = Vec::new();
    for m in &matches {
        let (page, page_end) = pages(m);
        let locator = match (&page, &page_end) {
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            (Some(a), None) => Some(a.clone()),
            _ => None,
        };
        let cite = citer
            .cite_key(&m.passage.key, locator.as_deref())?
            .map(|r| r.citation)
            .unwrap_or_default();
        let quoted = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
        outs.push((format!("\u{201c}{quoted}\u{201d} {cite}"), page, page_end));
    }
    let query = text.trim();
    let mut note = None;
    let mut stdout = String::new();
    match json {
        true => {
            let out = QuoteOut {
                query,
                matches: matches
                    .iter()
                    .zip(&outs)
                    .map(|(m, (citation, page, page_end))| {
                        let p = &m.passage;
                        MatchOut {
                            similarity: (m.similarity * 1000.0).round() / 1000.0,
                            exact: m.exact,
                            text: &m.text,
                            source: json::Source {
                                key: &p.key,
                                title: p.title.as_deref(),
                                authors: &p.authors,
                                year: p.year,
                                metadata: &p.origin,
                            },
                            locator: json::Locator {
                                page: page.as_deref(),
                                page_end: page_end.as_deref(),
                                paragraph: p.paragraph,
                                section: p.section.as_deref(),
                            },
                            citation: citation.clone(),
                            diff: &m.diff,
                            file: &p.file,
                        }
                    })
                    .collect(),
            };
            stdout = json::line(&out);
        }
        false => {
            if matches.is_empty() {
                note = Some(format!(
                    "kutip: no passage matches this quotation (nothing reaches {:.0}% of its words)",
                    quote::THRESHOLD * 100.0
                ));
            } else {
                let mut out = String::new();
                for (i, (m, (citation, page, page_end))) in matches.iter().zip(&outs).enumerate() {
                    let p = &m.passage;
                    let verdict = if m.exact {
                        "exact".to_string()
                    } else {
                        "differs".to_string()
                    };
                    let at = match (page, page_end) {
                        (Some(a), Some(b)) => format!("pp. {}–{} · ", clean(a), clean(b)),
                        (Some(a), None) => format!("p. {} · ", clean(a)),
                        _ => String::new(),
                    };
                    out.push_str(&format!(
                        "{}. {:.2} {verdict} — {} [{at}¶{}]\n   {}\n",
                        i + 1,
                        m.similarity,
                        clean(p.title.as_deref().unwrap_or(&p.key)),
                        p.paragraph,
                        clean(citation)
                    ));
                    if !m.exact {
                        let changes: Vec<String> = m
                            .diff
                            .iter()
                            .filter_map(|d| match d {
                                Diff::Changed { quote, source } => {
                                    Some(format!("\"{}\" for \"{}\"", clean(quote), clean(source)))
                                }
                                Diff::Added { quote } => {
                                    Some(format!("added \"{}\"", clean(quote)))
                                }
                                Diff::Omitted { source } => {
                                    Some(format!("left out \"{}\"", clean(source)))
                                }
                                _ => None,
                            })
                            .collect();
                        out.push_str(&format!("   Differences: {}\n", changes.join("; ")));
                    }
                    out.push_str(&format!("   {}\n", clean(&p.file)));
                }
                stdout = out;
            }
        }
    }
    Ok(Answer {
        stdout,
        note,
        found: !matches.is_empty(),
    })
}
