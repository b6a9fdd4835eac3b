//! `kutip cited KEY`: every passage that cites a work, grouped by the
//! document that cites it — "what does my corpus say about Zelinsky (1991)?"

use super::Exit;
use super::common::{CiteArgs, Citer, IndexArg, unknown_key};
use crate::index::KutipIndex;
use crate::output::{self, Cited, json, terminal};
use serde::Serialize;

/// Arguments of `kutip cited`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Library key of the cited work.
    pub key: String,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub cite: CiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::search::Format::Text)]
    pub format: super::search::Format,
}

#[derive(Serialize)]
struct Group<'a> {
    source: json::Source<'a>,
    citation: String,
    reference: String,
    passages: Vec<json::HitOut<'a>>,
}

#[derive(Serialize)]
struct CitedOutput<'a> {
    key: &'a str,
    citation: String,
    reference: String,
    total: usize,
    documents: Vec<Group<'a>>,
}

/// Runs `kutip cited`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = KutipIndex::open(&args.index.index)?;
    let mut citer = Citer::new(&index, &args.cite)?;
    let Some(work) = citer.cite_key(&args.key, None)? else {
        return Err(unknown_key(&index, &args.key));
    };
    let passages = crate::search::citing(&index, &args.key)?;
    let mut cited: Vec<Cited> = Vec::with_capacity(passages.len());
    for p in &passages {
        let mut c = citer.cite(p)?;
        // Highlight the citations of this work in the passage.
        c.highlights = p
            .cites
            .iter()
            .filter(|x| x.key.as_deref() == Some(args.key.as_str()))
            .map(|x| x.span.0..x.span.1)
            .collect();
        cited.push(c);
    }
    let mut groups: Vec<Vec<&Cited>> = Vec::new();
    for c in &cited {
        match groups.last_mut() {
            Some(g) if g[0].passage.path == c.passage.path => g.push(c),
            _ => groups.push(vec![c]),
        }
    }
    match args.format {
        super::search::Format::Json => {
            let out = CitedOutput {
                key: &args.key,
                citation: work.citation.clone(),
                reference: work.reference.clone(),
                total: cited.len(),
                documents: groups
                    .iter()
                    .map(|g| {
                        let doc = citer.cite_key(&g[0].passage.key, None).ok().flatten();
                        Group {
                            source: json::hit(g[0]).source,
                            citation: doc.as_ref().map(|d| d.citation.clone()).unwrap_or_default(),
                            reference: g[0].reference.clone(),
                            passages: g.iter().map(|c| json::hit(c)).collect(),
                        }
                    })
                    .collect(),
            };
            output::emit(&json::line(&out))?;
        }
        _ => {
            if cited.is_empty() {
                eprintln!(
                    "kutip: no passage cites {} {}",
                    args.key,
                    output::sanitize::clean(&work.citation)
                );
            } else {
                let style = output::Style::detect();
                let mut text = format!(
                    "{} passages in {} documents cite {}\n{}\n\n",
                    cited.len(),
                    groups.len(),
                    output::sanitize::clean(&work.citation),
                    output::sanitize::clean(&work.reference)
                );
                for g in &groups {
                    text.push_str(&terminal::group_header(g[0], style));
                    for c in g {
                        text.push_str(&terminal::cited_passage(c, &args.key, style));
                    }
                    text.push('\n');
                }
                output::emit(&text)?;
            }
        }
    }
    Ok(if cited.is_empty() {
        Exit::NoResults
    } else {
        Exit::Ok
    })
}
