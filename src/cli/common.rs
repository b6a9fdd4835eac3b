//! Pieces shared by subcommands: where the index is, and citing a passage.

use crate::cite::render::{LocaleName, Rendered};
use crate::cite::{Record, Renderer, StyleName};
use crate::index::{KutipIndex, StoredPassage};
use std::collections::HashMap;
use std::path::PathBuf;

/// Default index folder, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";

/// Options shared by commands that print citations.
#[derive(clap::Args, Debug, Clone)]
pub struct CiteArgs {
    /// Citation style.
    #[arg(long, value_enum, default_value_t = StyleName::Apa)]
    pub style: StyleName,
    /// Language of citation terms (`p.`/`hlm.`, `and`/`dan`).
    #[arg(long, value_enum, default_value_t = LocaleName::En)]
    pub locale: LocaleName,
}

/// The `--index` option.
#[derive(clap::Args, Debug, Clone)]
pub struct IndexArg {
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
}

/// Renders citations for passages, loading each record once.
pub struct Citer<'a> {
    index: &'a KutipIndex,
    renderer: Renderer,
    records: HashMap<String, Option<Record>>,
}

impl<'a> Citer<'a> {
    /// A citer in the chosen style and locale.
    pub fn new(index: &'a KutipIndex, args: &CiteArgs) -> anyhow::Result<Self> {
        Ok(Citer {
            index,
            renderer: Renderer::new(args.style, args.locale)?,
            records: HashMap::new(),
        })
    }

    /// The citation (with the passage's page) and reference entry of `p`.
    pub fn cite(&mut self, p: &StoredPassage) -> anyhow::Result<Rendered> {
        if !self.records.contains_key(&p.key) {
            let r = self.index.record(&p.key)?;
            self.records.insert(p.key.clone(), r);
        }
        let page = match (&p.page, &p.page_end) {
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            (Some(a), None) => Some(a.clone()),
            _ => None,
        };
        Ok(match self.records.get(&p.key).and_then(|r| r.as_ref()) {
            Some(record) => self.renderer.render(record, page.as_deref()),
            None => Rendered {
                citation: String::new(),
                reference: String::new(),
            },
        })
    }
}
