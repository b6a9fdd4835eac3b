//! `kutip search QUERY`: ranked passages with their citations, as terminal
//! text or JSON. Builds the sample index on first use.

use super::Exit;
use super::common::{CiteArgs, Citer, DEFAULT_INDEX, IndexArg};
use crate::analysis::Lang;
use crate::analysis::glossary::Glossary;
use crate::cite::Renderer;
use crate::cite::export::{self, Exchange};
use crate::index::KutipIndex;
use crate::output::{self, json, terminal};
use crate::search::{self, Request};
use std::path::{Path, PathBuf};

/// Output formats of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Numbered passages for reading.
    Text,
    /// The JSON wire format.
    Json,
    /// The works behind the hits, as BibTeX.
    Bibtex,
    /// The works behind the hits, as RIS.
    Ris,
    /// The works behind the hits, as CSL-JSON.
    CslJson,
}

/// Arguments of `kutip search`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Words, "phrases", AND/OR/NOT, +required, -excluded, field:value.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Number of passages to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many passages (next pages).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only passages in this language.
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Only works by this author (every word must match a name).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Only passages that cite this work (a library key).
    #[arg(long, value_name = "KEY")]
    pub cites: Option<String>,
    /// Only works from this year or range (1991, 1990..2000, 2010.., ..1999).
    #[arg(long, value_name = "Y|Y1..Y2", value_parser = parse_years)]
    pub year: Option<(i32, i32)>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also use this glossary (`english<TAB>indonesian` per line); repeatable.
    #[arg(long, value_name = "FILE")]
    pub glossary: Vec<PathBuf>,
    /// Search only the query's own words, not their equivalents in the other language.
    #[arg(long)]
    pub no_translate: bool,
    #[command(flatten)]
    pub cite: CiteArgs,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "id" => Ok(Lang::Id),
        "en" => Ok(Lang::En),
        _ => Err(format!(
            "'{s}' is not a language kutip indexes; use id or en"
        )),
    }
}

/// Parses `1991`, `1990..2000`, `1990..`, `..2000`.
pub fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let year = |t: &str| -> Result<i32, String> {
        t.trim()
            .parse::<i32>()
            .map_err(|_| format!("'{s}' is not a year or range; write 1991 or 1990..2000"))
    };
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (
            if a.trim().is_empty() {
                i32::MIN
            } else {
                year(a)?
            },
            if b.trim().is_empty() {
                i32::MAX
            } else {
                year(b)?
            },
        ),
        None => {
            let y = year(s)?;
            (y, y)
        }
    };
    if a > b {
        return Err(format!("'{s}': the first year is after the second"));
    }
    Ok((a, b))
}

/// Finds the sample corpus: `corpus/` here, or beside the source tree.
fn sample_corpus() -> Option<PathBuf> {
    [
        PathBuf::from("corpus"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
}

/// Opens the index; with the default location and no index yet, builds it
/// from the sample corpus first and says so.
pub fn open_or_build(arg: &IndexArg) -> anyhow::Result<KutipIndex> {
    let dir = &arg.index;
    if !KutipIndex::exists(dir)
        && dir == Path::new(DEFAULT_INDEX)
        && let Some(corpus) = sample_corpus()
    {
        build_sample(dir, &corpus)?;
    }
    Ok(KutipIndex::open(dir)?)
}

/// Builds the sample index at `dir` unless another process has, so that
/// first searches started together all answer from the same whole index.
///
/// The index is built beside `dir` and renamed into place when finished:
/// `dir` holds a whole index or none, so a search that finds one never reads
/// one half built. Builders queue on a lock of the folder being built
/// (`flock` on the directory itself, which leaves no file behind), and each
/// looks again for `dir` once it has the lock: the first builds, the others
/// wait and then open what it built, instead of failing on the index lock.
/// A build that was killed leaves its folder, which the next one continues.
fn build_sample(dir: &Path, corpus: &Path) -> anyhow::Result<()> {
    let name = dir.file_name().map_or_else(
        || DEFAULT_INDEX.into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let building = dir.with_file_name(format!(".{name}.building"));
    let cannot = |what: &str, e: std::io::Error| {
        anyhow::anyhow!(
            "cannot build the sample index: {what} {}: {e}; give an index you built with --index",
            building.display()
        )
    };
    loop {
        std::fs::create_dir_all(&building).map_err(|e| cannot("creating", e))?;
        let gate = match std::fs::File::open(&building) {
            Ok(f) => f,
            // Renamed into place between the two calls: look again.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(cannot("opening", e)),
        };
        gate.lock().map_err(|e| cannot("locking", e))?;
        if KutipIndex::exists(dir) {
            // Another process built it while this one waited; the folder
            // this one made meanwhile is empty, and is removed only if so.
            let _ = std::fs::remove_dir(&building);
            return Ok(());
        }
        eprintln!(
            "kutip: no index at {}; building it first from the sample corpus in {}",
            dir.display(),
            corpus.display()
        );
        let opts = super::index::Options {
            rebuild: false,
            memory_mb: 200,
            verbose: false,
            progress: false,
        };
        let summary = super::index::build(&[corpus.to_path_buf()], &building, opts)
            .map_err(|e| super::index::full_disk(e, &building))?;
        for s in &summary.skipped {
            eprintln!("skipped: {}", crate::output::sanitize::clean_line(s));
        }
        // rename(2) replaces an empty `dir`; one with anything in it is the
        // user's and stays, and the error says so.
        return std::fs::rename(&building, dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot move the sample index from {} to {}: {e}; remove {} or give another --index",
                building.display(),
                dir.display(),
                dir.display()
            )
        });
    }
}

/// Numbered hits for the terminal, under a line saying which of how many.
pub fn hits_text(
    cited: &[crate::output::Cited],
    offset: usize,
    total: usize,
    style: output::Style,
) -> String {
    let mut text = format!(
        "{}–{} of {} passages\n\n",
        offset + 1,
        offset + cited.len(),
        total
    );
    for c in cited {
        text.push_str(&terminal::hit(c, style));
        text.push('\n');
    }
    text
}

/// Exchange-format text made safe for a terminal: JSON escapes, others cleaned.
pub fn safe_exchange(text: &str, format: Exchange) -> String {
    match format {
        Exchange::CslJson => output::sanitize::escape_json(text),
        _ => output::sanitize::clean(text),
    }
}

/// Writes the records of the works behind `hits`, each once, in rank order.
fn emit_records(index: &KutipIndex, hits: &[search::Hit], format: Exchange) -> anyhow::Result<()> {
    let mut keys: Vec<&str> = Vec::new();
    for h in hits {
        if !keys.contains(&h.passage.key.as_str()) {
            keys.push(&h.passage.key);
        }
    }
    let mut records = Vec::new();
    for k in keys {
        if let Some(r) = index.record(k)? {
            records.push((k, r));
        }
    }
    let text = export::write_all(records.iter().map(|(k, r)| (*k, r)), format);
    output::emit(&safe_exchange(&text, format))?;
    Ok(())
}

/// Runs `kutip search`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let query = args.query.join(" ");
    if args.limit > 10_000 || args.offset > 1_000_000 {
        anyhow::bail!(
            "--limit goes up to 10000 and --offset up to 1000000; page through larger result sets"
        );
    }
    // The citation style and locales are decoded on the other core while
    // the index opens, the query is analysed and the search runs: a cold
    // process pays for the slower of the two, not their sum.
    let (index, renderer, results) = std::thread::scope(|s| {
        let renderer = s.spawn(|| Renderer::new(args.cite.style, args.cite.locale));
        let searched = open_and_search(&args, &query);
        let renderer = renderer
            .join()
            .map_err(|_| anyhow::anyhow!("loading the citation style failed"))?;
        searched.and_then(|(index, results)| Ok((index, renderer?, results)))
    })?;
    let mut citer = Citer::with_renderer(&index, renderer);
    citer.prepare(results.hits.iter().map(|h| &h.passage))?;
    let mut cited = Vec::with_capacity(results.hits.len());
    for h in &results.hits {
        let mut c = citer.cite(&h.passage)?;
        c.rank = Some(h.rank);
        c.score = Some(h.score);
        c.highlights = h.highlights.clone();
        cited.push(c);
    }
    match args.format {
        Format::Bibtex => emit_records(&index, &results.hits, Exchange::Bibtex)?,
        Format::Ris => emit_records(&index, &results.hits, Exchange::Ris)?,
        Format::CslJson => emit_records(&index, &results.hits, Exchange::CslJson)?,
        Format::Json => {
            let out = json::SearchOutput {
                query: &query,
                total: results.total,
                phrase_total: results.phrase_total,
                hits: cited.iter().map(json::hit).collect(),
            };
            output::emit(&json::line(&out))?;
        }
        Format::Text => {
            let style = output::Style::detect();
            if let Some(note) = phrase_note(&results, &query) {
                eprintln!("{note}");
            }
            // One line either way: the note on a word that looks like a
            // field joins the "no passages" line when there is one.
            let field_note = search::query::unknown_field(&query).map(|name| {
                format!(
                    "'{}:' is not a field (fields are {}); searched as words",
                    output::sanitize::clean(name),
                    crate::index::schema::USER_FIELDS.join(", ")
                )
            });
            if results.hits.is_empty() {
                eprintln!(
                    "kutip: no passages match '{}'{}",
                    output::sanitize::clean(&query),
                    field_note.map(|n| format!("; {n}")).unwrap_or_default()
                );
            } else {
                if let Some(n) = field_note {
                    eprintln!("kutip: {n}");
                }
                output::emit(&hits_text(&cited, args.offset, results.total, style))?;
            }
        }
    }
    Ok(if results.hits.is_empty() {
        Exit::NoResults
    } else {
        Exit::Ok
    })
}

/// What the terminal is told when a phrase's words fill the page after the
/// passages holding the phrase itself.
pub fn phrase_note(results: &search::Results, query: &str) -> Option<String> {
    let n = results.phrase_total?;
    if results.hits.is_empty() || results.total <= n {
        return None;
    }
    let q = output::sanitize::clean(query);
    Some(match n {
        0 => format!("kutip: no passage has the phrase {q}; showing passages with its words"),
        1 => format!("kutip: 1 passage has the phrase {q}; the others hold its words"),
        n => format!("kutip: {n} passages have the phrase {q}; the others hold its words"),
    })
}

/// Opens the index (building it on first use) and runs the query, with the
/// glossary and dictionary unless `--no-translate`.
fn open_and_search(
    args: &Args,
    query: &str,
) -> anyhow::Result<(crate::index::KutipIndex, search::Results)> {
    // The glossary and dictionary (some 24,000 terms to analyse) are read
    // while the index opens: a cold process pays for the slower of the two.
    let (index, glossary) = std::thread::scope(|s| {
        let glossary = s.spawn(|| -> anyhow::Result<Option<Glossary>> {
            if args.no_translate {
                return Ok(None);
            }
            let mut g = Glossary::built_in();
            for file in &args.glossary {
                g.add_file(file)?;
            }
            Ok(Some(g))
        });
        let index = open_or_build(&args.index);
        let glossary = glossary
            .join()
            .map_err(|_| anyhow::anyhow!("reading the glossary failed"))?;
        anyhow::Ok((index?, glossary?))
    })?;
    let req = Request {
        query: query.to_string(),
        limit: args.limit,
        offset: args.offset,
        lang: args.lang,
        author: args.author.clone(),
        years: args.year,
        cites: args.cites.clone(),
    };
    let results = search::search(&index, &req, glossary.as_ref())?;
    Ok((index, results))
}

#[cfg(test)]
mod tests {
    use super::parse_years;

    #[test]
    fn year_ranges() {
        assert_eq!(parse_years("1991"), Ok((1991, 1991)));
        assert_eq!(parse_years("1990..2000"), Ok((1990, 2000)));
        assert_eq!(parse_years("2010..").unwrap().0, 2010);
        assert!(parse_years("2000..1990").is_err());
        assert!(parse_years("abc").is_err());
    }
}
