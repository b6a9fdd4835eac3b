//! `kutip cited KEY`: every passage that cites a work, grouped by the
//! document that cites it — "what does my corpus say about Zelinsky (1991)?"

use super::Exit;
use super::common::{Answer, CiteArgs, Citer, IndexArg, unknown_key};
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
    let json = args.format == super::search::Format::Json;
    let a = answer(&index, &mut citer, &args.key, json, output::Style::detect())?;
    if let Some(n) = &a.note {
        eprintln!("{}", output::sanitize::clean_line(n));
    }
    output::emit(&a.stdout)?;
    Ok(if a.found { Exit::Ok } else { Exit::NoResults })
}

/// Every passage citing `key`, grouped by citing document, as text or JSON.
pub fn answer(
    index: &KutipIndex,
    citer: &mut Citer,
    key: &str,
    as_json: bool,
    style: output::Style,
) -> anyhow::Result<Answer> {
    let Some(work) = citer.cite_key(key, None)? else {
        return Err(unknown_key(index, key));
    };
    let passages = crate::search::citing(index, key)?;
    citer.prepare(&passages)?;
    let mut cited: Vec<Cited> = Vec::with_capacity(passages.len());
    for p in &passages {
        let mut c = citer.cite(p)?;
        // Highlight the citations of this work in the passage.
        c.highlights = p
            .cites
            .iter()
            .filter(|x| x.key.as_deref() == Some(key))
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
    let clean = output::sanitize::clean;
    let mut answer = Answer {
        stdout: String::new(),
        note: None,
        found: !cited.is_empty(),
    };
    if as_json {
        let out = CitedOutput {
            key,
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
        answer.stdout = json::line(&out);
    } else if cited.is_empty() {
        answer.note = Some(format!(
            "kutip: no passage cites {key} {}",
            clean(&work.citation)
        ));
    } else {
        let mut text = format!(
            "{} passages in {} documents cite {}\n{}\n\n",
            cited.len(),
            groups.len(),
            clean(&work.citation),
            clean(&work.reference)
        );
        for g in &groups {
            text.push_str(&terminal::group_header(g[0], style));
            for c in g {
                text.push_str(&terminal::cited_passage(c, key, style));
            }
            text.push('\n');
        }
        answer.stdout = text;
    }
    Ok(answer)
}
