//! Pieces shared by subcommands: where the index is, and citing a passage.

use crate::cite::render::{LocaleName, Prerendered, Rendered, is_plain_page};
use crate::cite::{Record, Renderer, StyleName};
use crate::index::{KutipIndex, StoredPassage};
use crate::output::Cited;
use rayon::prelude::*;
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
    /// Reference entries by key: the same for every hit of a work.
    references: HashMap<String, String>,
    /// In-text citations by key and page.
    citations: HashMap<(String, Option<String>), String>,
    /// Citation templates by key, for plain-number pages.
    templates: HashMap<String, Option<String>>,
    /// In a numeric style (IEEE), each work's number in this output, by
    /// first appearance: a work rendered alone is always `[1]`.
    numbers: HashMap<String, usize>,
}

impl<'a> Citer<'a> {
    /// A citer in the chosen style and locale.
    pub fn new(index: &'a KutipIndex, args: &CiteArgs) -> anyhow::Result<Self> {
        Ok(Self::with_renderer(
            index,
            Renderer::new(args.style, args.locale)?,
        ))
    }

    /// A citer with a renderer already loaded.
    pub fn with_renderer(index: &'a KutipIndex, renderer: Renderer) -> Self {
        Citer {
            index,
            renderer,
            records: HashMap::new(),
            references: HashMap::new(),
            citations: HashMap::new(),
            templates: HashMap::new(),
            numbers: HashMap::new(),
        }
    }

    /// Starts a new output (a query in the shell): a numeric style numbers
    /// its works from 1 again.
    pub fn start_output(&mut self) {
        self.numbers.clear();
    }

    fn record(&mut self, key: &str) -> anyhow::Result<Option<&Record>> {
        if !self.records.contains_key(key) {
            let r = self.index.record_rendered(key)?;
            self.keep(key, r);
        }
        Ok(self.records.get(key).and_then(|r| r.as_ref()))
    }

    /// Holds a record fetched from the index, and its reference, citation
    /// template and page-less citation when the index has them rendered in
    /// this style (see [`Prerendered`]).
    fn keep(&mut self, key: &str, fetched: Option<(Record, Option<String>)>) {
        let (record, rendered) = match fetched {
            Some((r, rendered)) => (Some(r), rendered),
            None => (None, None),
        };
        if let Some(p) = rendered
            .and_then(|s| Prerendered::from_stored(&s))
            .and_then(|p| self.renderer.prerendered(p))
        {
            self.templates.insert(key.to_string(), p.template);
            self.references.insert(key.to_string(), p.reference);
            self.citations.insert((key.to_string(), None), p.citation);
        }
        self.records.insert(key.to_string(), record);
    }

    /// Forgets what was rendered once more than `works` works are known: a
    /// long run (an export of a million documents) keeps its memory bounded,
    /// at the price of rendering again a work met after the cut.
    pub fn forget_beyond(&mut self, works: usize) {
        if self.records.len() > works {
            self.records.clear();
            self.references.clear();
            self.citations.clear();
            self.templates.clear();
        }
    }

    /// Renders on every core what citing `passages` needs of works not met
    /// before (each one's reference entry and citation template), so that
    /// [`Citer::cite`] then finds them ready: a session's first searches,
    /// and a cold `kutip search`, meet ten new works at once, and hayagriva
    /// takes a quarter of a millisecond for each.
    pub fn prepare<'p>(
        &mut self,
        passages: impl IntoIterator<Item = &'p StoredPassage>,
    ) -> anyhow::Result<()> {
        let mut keys: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in passages {
            let cited = p.cites.iter().filter_map(|c| c.key.as_deref());
            for k in std::iter::once(p.key.as_str()).chain(cited) {
                if !self.references.contains_key(k) && seen.insert(k) {
                    keys.push(k);
                }
            }
        }
        // Records are fetched and decoded on every core too.
        let index = self.index;
        type Fetched = Option<(Record, Option<String>)>;
        let fetched: Vec<(&str, Fetched)> = keys
            .par_iter()
            .filter(|k| !self.records.contains_key(**k))
            .map(|k| Ok((*k, index.record_rendered(k)?)))
            .collect::<crate::Result<_>>()?;
        for (k, r) in fetched {
            self.keep(k, r);
        }
        // What the index had rendered is ready; the rest is rendered here.
        let todo: Vec<(&str, &Record)> = keys
            .iter()
            .filter(|k| !self.references.contains_key(**k))
            .filter_map(|k| Some((*k, self.records.get(*k)?.as_ref()?)))
            .collect();
        if todo.len() < 2 {
            return Ok(());
        }
        let renderer = &self.renderer;
        let rendered: Vec<(String, (Option<String>, String))> = todo
            .par_iter()
            .map(|(k, r)| (k.to_string(), renderer.template_and_reference(r)))
            .collect();
        for (k, (t, r)) in rendered {
            self.templates.insert(k.clone(), t);
            self.references.insert(k, r);
        }
        Ok(())
    }

    /// The citation of the work `key` with an optional page, and its
    /// reference entry; in a numeric style, with the work's number in this
    /// output.
    pub fn cite_key(&mut self, key: &str, page: Option<&str>) -> anyhow::Result<Option<Rendered>> {
        let Some(mut r) = self.rendered(key, page)? else {
            return Ok(None);
        };
        // A numeric style: the work's number in this output, in the
        // citation (`[1]`, `[1, p. 5]`) and at the head of its entry.
        if r.citation.starts_with("[1")
            && matches!(r.citation.as_bytes().get(2), Some(b']' | b','))
            && r.reference.starts_with("[1] ")
        {
            let next = self.numbers.len() + 1;
            let n = *self.numbers.entry(key.to_string()).or_insert(next);
            if n != 1 {
                r.citation = format!("[{n}{}", &r.citation[2..]);
                r.reference = format!("[{n}]{}", &r.reference[3..]);
            }
        }
        Ok(Some(r))
    }

    /// The work's citation and reference as rendered alone.
    fn rendered(&mut self, key: &str, page: Option<&str>) -> anyhow::Result<Option<Rendered>> {
        if self.record(key)?.is_none() {
            return Ok(None);
        }
        let Some(Some(record)) = self.records.get(key) else {
            return Ok(None);
        };
        let renderer = &self.renderer;
        // A work met for the first time: its reference and its citation
        // template come from one rendering.
        if !self.references.contains_key(key) {
            let (t, r) = renderer.template_and_reference(record);
            self.templates.insert(key.to_string(), t);
            self.references.insert(key.to_string(), r);
        }
        let ck = (key.to_string(), page.map(str::to_string));
        if !self.citations.contains_key(&ck) {
            let template = match page.filter(|p| is_plain_page(p)) {
                Some(_) => self.templates.get(key).and_then(Option::as_deref),
                None => None,
            };
            let c = match (template, page) {
                (Some(t), Some(p)) => Renderer::fill(t, p),
                _ => renderer.citation(record, page),
            };
            self.citations.insert(ck.clone(), c);
        }
        Ok(Some(Rendered {
            citation: self.citations[&ck].clone(),
            reference: self.references[key].clone(),
        }))
    }

    /// The passage ready for output: its citation (with its page), reference
    /// entry, and a secondary citation for each citation it makes.
    pub fn cite<'p>(&mut self, p: &'p StoredPassage) -> anyhow::Result<Cited<'p>> {
        let page = match (&p.page, &p.page_end) {
            (Some(a), Some(b)) => Some(format!("{a}–{b}")),
            (Some(a), None) => Some(a.clone()),
            _ => None,
        };
        let own = self.cite_key(&p.key, page.as_deref())?.unwrap_or(Rendered {
            citation: String::new(),
            reference: String::new(),
        });
        let mut secondary = Vec::with_capacity(p.cites.len());
        for c in &p.cites {
            let cited_page = c
                .locator
                .as_ref()
                .filter(|l| l.label.starts_with("page"))
                .map(|l| l.value.as_str());
            // The cited work's part is its own citation at the cited page
            // (cached like any citation), or, for a work the library does
            // not have, the names and year the citing text gives.
            // Named, not numbered: the reader of a secondary citation is
            // not given the cited work's entry.
            let citation = match &c.key {
                Some(k) => self.rendered(k, cited_page)?.map(|r| r.citation),
                None => None,
            };
            let part =
                self.renderer
                    .cited_part_from(citation.as_deref(), &c.authors, c.et_al, &c.year);
            secondary.push(self.renderer.secondary(&part, &own.citation));
        }
        Ok(Cited {
            rank: None,
            score: None,
            passage: p,
            highlights: Vec::new(),
            citation: own.citation,
            reference: own.reference,
            secondary,
        })
    }
}

/// The error for a key the index does not know, with the closest keys.
pub fn unknown_key(index: &KutipIndex, key: &str) -> anyhow::Error {
    let wanted = key.to_lowercase();
    let mut close: Vec<String> = index
        .record_keys()
        .unwrap_or_default()
        .into_iter()
        .filter(|k| {
            let k = k.to_lowercase();
            let stem: String = wanted.chars().take_while(|c| c.is_alphabetic()).collect();
            (!stem.is_empty() && k.starts_with(&stem)) || k.contains(&wanted)
        })
        .collect();
    close.truncate(5);
    if close.is_empty() {
        anyhow::anyhow!("no work with key '{key}' in the index; check the key in your .bib file")
    } else {
        anyhow::anyhow!(
            "no work with key '{key}' in the index; did you mean {}?",
            close.join(", ")
        )
    }
}

/// What a command prints: text for stdout, a note for stderr, and whether it
/// found anything — so the shell can run the same commands as the CLI.
pub struct Answer {
    /// For standard output.
    pub stdout: String,
    /// For standard error (e.g. "nothing found").
    pub note: Option<String>,
    /// Whether anything was found.
    pub found: bool,
}
