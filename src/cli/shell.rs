//! `kutip shell`: an interactive search session. The index, library, style
//! and glossary are loaded once; each line is answered without a process
//! start. Line editing, history and Tab completion on a terminal; plain
//! line-by-line reading when standard input is piped.

use super::Exit;
use super::common::{CiteArgs, Citer, IndexArg};
use crate::analysis::Lang;
use crate::analysis::glossary::Glossary;
use crate::cite::StyleName;
use crate::cite::export::{self, Exchange};
use crate::cite::render::LocaleName;
use crate::index::KutipIndex;
use crate::output::{
    self, Cited,
    sanitize::{clean, clean_line},
};
use crate::search::{self, Request};
use clap::ValueEnum;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::{Helper, Highlighter, Hinter, Validator};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

/// Arguments of `kutip shell`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub cite: CiteArgs,
}

const COMMANDS: &[(&str, &str)] = &[
    (
        ":show",
        ":show N       the passage of hit N in context, with its page",
    ),
    (
        ":cite",
        ":cite N [S]   citation and reference of hit N (optionally in style S)",
    ),
    (":quote", ":quote TEXT   find where a quotation comes from"),
    (":cited", ":cited KEY    every passage that cites a work"),
    (":more", ":more         the next page of hits"),
    (":lang", ":lang id|en|any  only passages in a language"),
    (":style", ":style apa|chicago|mla|ieee|harvard"),
    (":locale", ":locale en|id"),
    (":limit", ":limit N      hits per page"),
    (":collect", ":collect N    keep hit N for :export"),
    (
        ":export",
        ":export FILE  write the collected citations and their BibTeX",
    ),
    (":help", ":help         this list"),
    (":quit", ":quit         leave (also Ctrl-D)"),
];

/// Tab completion of commands and library keys.
#[derive(Helper, Hinter, Highlighter, Validator)]
struct KutipHelper {
    keys: Vec<String>,
}

impl Completer for KutipHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let line = &line[..pos];
        if line.starts_with(':') && !line.contains(' ') {
            let c = COMMANDS
                .iter()
                .map(|(c, _)| c.to_string())
                .filter(|c| c.starts_with(line))
                .collect();
            return Ok((0, c));
        }
        if let Some(rest) = line.strip_prefix(":cited ") {
            let start = pos - rest.len();
            let c = self
                .keys
                .iter()
                .filter(|k| k.starts_with(rest))
                .cloned()
                .collect();
            return Ok((start, c));
        }
        Ok((pos, Vec::new()))
    }
}

/// A kept hit: enough to cite it and export its record.
struct Collected {
    key: String,
    citation: String,
    reference: String,
}

struct Session<'a> {
    index: &'a KutipIndex,
    glossary: Glossary,
    cite: CiteArgs,
    citer: Citer<'a>,
    lang: Option<Lang>,
    limit: usize,
    query: Option<String>,
    offset: usize,
    hits: Vec<crate::index::StoredPassage>,
    collected: Vec<Collected>,
    style: output::Style,
}

impl<'a> Session<'a> {
    fn search(&mut self, query: &str, offset: usize) -> anyhow::Result<String> {
        let req = Request {
            query: query.to_string(),
            limit: self.limit,
            offset,
            lang: self.lang,
            ..Request::default()
        };
        let results = search::search(self.index, &req, Some(&self.glossary))?;
        self.query = Some(query.to_string());
        self.offset = offset;
        self.hits = results.hits.iter().map(|h| h.passage.clone()).collect();
        if results.hits.is_empty() {
            return Ok(if offset == 0 {
                format!("no passages match '{}'\n", clean(query))
            } else {
                "no more passages\n".to_string()
            });
        }
        self.citer.start_output();
        self.citer
            .prepare(results.hits.iter().map(|h| &h.passage))?;
        let mut cited: Vec<Cited> = Vec::with_capacity(results.hits.len());
        for h in &results.hits {
            let mut c = self.citer.cite(&h.passage)?;
            c.rank = Some(h.rank);
            c.score = Some(h.score);
            c.highlights = h.highlights.clone();
            cited.push(c);
        }
        let mut out = String::new();
        if let Some(note) = super::search::phrase_note(&results, query) {
            out.push_str(&format!("({})\n", note.trim_start_matches("kutip: ")));
        }
        out.push_str(&super::search::hits_text(
            &cited,
            offset,
            results.total,
            self.style,
        ));
        Ok(out)
    }

    /// Hit N (1-based, as numbered on screen).
    fn hit(&self, arg: &str) -> anyhow::Result<&crate::index::StoredPassage> {
        let n: usize = arg
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("give the number of a hit, e.g. :show 2"))?;
        let first = self.offset + 1;
        n.checked_sub(first)
            .and_then(|i| self.hits.get(i))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no hit {n} on this page (hits {first}–{})",
                    self.offset + self.hits.len()
                )
            })
    }

    fn show(&self, arg: &str) -> anyhow::Result<String> {
        let p = self.hit(arg)?;
        let all = self.index.passages_of(&p.path)?;
        let mut out = format!(
            "{} — {}\n",
            clean(p.title.as_deref().unwrap_or(&p.key)),
            clean(&p.file)
        );
        for q in all
            .iter()
            .filter(|q| q.ordinal + 1 >= p.ordinal && q.ordinal <= p.ordinal + 1)
        {
            let page = q
                .page
                .as_ref()
                .map(|x| format!("p. {} · ", clean(x)))
                .unwrap_or_default();
            let marker = if q.ordinal == p.ordinal { ">" } else { " " };
            out.push_str(&format!("{marker} [{page}¶{}]\n", q.paragraph));
            let text = clean(&q.text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("  {text}\n"));
        }
        Ok(out)
    }

    fn cite(&mut self, arg: &str) -> anyhow::Result<String> {
        let mut parts = arg.split_whitespace();
        let n = parts.next().unwrap_or("");
        let p = self.hit(n)?.clone();
        let rendered = match parts.next() {
            Some(style) => {
                let style = StyleName::from_str(style, true).map_err(|_| {
                    anyhow::anyhow!(
                        "unknown style '{style}'; use apa, chicago, mla, ieee or harvard"
                    )
                })?;
                let args = CiteArgs {
                    style,
                    locale: self.cite.locale,
                };
                Citer::new(self.index, &args)?.cite(&p)?
            }
            None => self.citer.cite(&p)?,
        };
        Ok(format!(
            "{}\n{}\n",
            clean(&rendered.citation),
            clean(&rendered.reference)
        ))
    }

    fn collect(&mut self, arg: &str) -> anyhow::Result<String> {
        let p = self.hit(arg)?.clone();
        let c = self.citer.cite(&p)?;
        self.collected.push(Collected {
            key: p.key.clone(),
            citation: c.citation.clone(),
            reference: c.reference.clone(),
        });
        Ok(format!(
            "collected {} ({} in all)\n",
            clean(&c.citation),
            self.collected.len()
        ))
    }

    fn export(&self, arg: &str) -> anyhow::Result<String> {
        let path = PathBuf::from(arg.trim());
        if arg.trim().is_empty() {
            anyhow::bail!("give a file name, e.g. :export bab2.bib");
        }
        if self.collected.is_empty() {
            anyhow::bail!("nothing collected yet; use :collect N after a search");
        }
        let mut out = String::from("% Citations collected with kutip\n");
        for c in &self.collected {
            out.push_str(&format!("% {}\n%   {}\n", c.citation, c.reference));
        }
        out.push('\n');
        let mut keys: Vec<&str> = Vec::new();
        for c in &self.collected {
            if !keys.contains(&c.key.as_str()) {
                keys.push(&c.key);
            }
        }
        let mut records = Vec::new();
        for k in keys {
            if let Some(r) = self.index.record(k)? {
                records.push((k, r));
            }
        }
        out.push_str(&export::write_all(
            records.iter().map(|(k, r)| (*k, r)),
            Exchange::Bibtex,
        ));
        std::fs::write(&path, out).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(format!(
            "wrote {} citations and {} records to {}\n",
            self.collected.len(),
            records.len(),
            clean(&path.display().to_string())
        ))
    }

    /// Answers one line; an error is explained and the session goes on.
    fn line(&mut self, line: &str) -> Result<Option<String>, String> {
        let line = line.trim();
        if line.is_empty() {
            return Ok(Some(String::new()));
        }
        let (cmd, arg) = match line.split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (line, ""),
        };
        let result: anyhow::Result<String> = if !line.starts_with(':') {
            self.search(line, 0)
        } else {
            match cmd {
                ":quit" | ":q" | ":exit" => return Ok(None),
                ":help" | ":h" => Ok(COMMANDS
                    .iter()
                    .map(|(_, h)| format!("{h}\n"))
                    .collect::<String>()
                    + "anything else is a query\n"),
                ":more" => match self.query.clone() {
                    Some(q) => {
                        let next = self.offset + self.hits.len().max(self.limit);
                        self.search(&q, next)
                    }
                    None => Err(anyhow::anyhow!("no query yet; type words to search")),
                },
                ":show" => self.show(arg),
                ":cite" => self.cite(arg),
                ":collect" => self.collect(arg),
                ":export" => self.export(arg),
                ":quote" => {
                    self.citer.start_output();
                    super::quote::answer(self.index, &mut self.citer, arg, 3, false)
                        .map(|a| a.note.map(|n| clean(&n) + "\n").unwrap_or_default() + &a.stdout)
                }
                ":cited" => {
                    self.citer.start_output();
                    super::cited::answer(self.index, &mut self.citer, arg, false, self.style)
                        .map(|a| a.note.map(|n| clean(&n) + "\n").unwrap_or_default() + &a.stdout)
                }
                ":lang" => match arg {
                    "any" | "" => {
                        self.lang = None;
                        Ok("searching both languages\n".into())
                    }
                    l => match Lang::parse(l) {
                        Some(lang) => {
                            self.lang = Some(lang);
                            Ok(format!("only {} passages\n", lang.code()))
                        }
                        None => Err(anyhow::anyhow!("'{l}' is not id, en or any")),
                    },
                },
                ":style" => StyleName::from_str(arg, true)
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "unknown style '{arg}'; use apa, chicago, mla, ieee or harvard"
                        )
                    })
                    .and_then(|s| {
                        self.cite.style = s;
                        self.citer = Citer::new(self.index, &self.cite)?;
                        Ok(format!("style {arg}\n"))
                    }),
                ":locale" => LocaleName::from_str(arg, true)
                    .map_err(|_| anyhow::anyhow!("unknown locale '{arg}'; use en or id"))
                    .and_then(|l| {
                        self.cite.locale = l;
                        self.citer = Citer::new(self.index, &self.cite)?;
                        Ok(format!("locale {arg}\n"))
                    }),
                ":limit" => match arg.parse::<usize>() {
                    Ok(n) if (1..=200).contains(&n) => {
                        self.limit = n;
                        Ok(format!("{n} hits per page\n"))
                    }
                    _ => Err(anyhow::anyhow!("give a number from 1 to 200")),
                },
                other => Err(anyhow::anyhow!("unknown command {other}; :help lists them")),
            }
        };
        // Errors quote what was typed (`:lang`, `:style`, a key, a command);
        // a pasted escape or bidi override must not reach the terminal raw.
        result
            .map(Some)
            .map_err(|e| format!("error: {}", clean_line(&super::one_line(&e))))
    }
}

fn history_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("kutip").join("history"))
}

/// Runs `kutip shell`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = super::search::open_or_build(&args.index)?;
    let mut session = Session {
        index: &index,
        glossary: Glossary::built_in(),
        citer: Citer::new(&index, &args.cite)?,
        cite: args.cite.clone(),
        lang: None,
        limit: 5,
        query: None,
        offset: 0,
        hits: Vec::new(),
        collected: Vec::new(),
        style: output::Style::detect(),
    };
    if !std::io::stdin().is_terminal() {
        for line in std::io::stdin().lock().lines() {
            let line = line.map_err(|e| anyhow::anyhow!("standard input: {e}"))?;
            match session.line(&line) {
                Ok(Some(out)) => output::emit(&out)?,
                Ok(None) => break,
                Err(e) => eprintln!("{e}"),
            }
        }
        return Ok(Exit::Ok);
    }
    let mut rl: rustyline::Editor<KutipHelper, rustyline::history::DefaultHistory> =
        rustyline::Editor::new()?;
    rl.set_helper(Some(KutipHelper {
        keys: index.record_keys()?,
    }));
    let history = history_file();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    output::emit("kutip shell — type words to search, :help for commands, :quit to leave\n")?;
    loop {
        match rl.readline("kutip> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = rl.add_history_entry(line.as_str());
                }
                match session.line(&line) {
                    Ok(Some(out)) => output::emit(&out)?,
                    Ok(None) => break,
                    Err(e) => eprintln!("{e}"),
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.save_history(h);
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_commands_and_library_keys() {
        let h = KutipHelper {
            keys: vec![
                "zelinsky1991".into(),
                "clarke2009".into(),
                "clarke2011".into(),
            ],
        };
        let history = rustyline::history::DefaultHistory::new();
        let ctx = rustyline::Context::new(&history);
        let (start, c) = h.complete(":ci", 3, &ctx).unwrap();
        assert_eq!(
            (start, c),
            (0, vec![":cite".to_string(), ":cited".to_string()])
        );
        let (start, c) = h.complete(":cited cla", 10, &ctx).unwrap();
        assert_eq!(
            (start, c),
            (7, vec!["clarke2009".to_string(), "clarke2011".to_string()])
        );
        assert!(h.complete("kota", 4, &ctx).unwrap().1.is_empty());
    }
}
