//! `kutip cite KEY`: the in-text citation and reference entry of one work,
//! or its record in an exchange format for a reference manager.

use super::Exit;
use super::common::{CiteArgs, Citer, IndexArg, unknown_key};
use crate::cite::export::{self, Exchange};
use crate::index::KutipIndex;
use crate::output;

/// Output formats of `cite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The citation and the reference entry.
    Text,
    /// BibTeX.
    Bibtex,
    /// RIS.
    Ris,
    /// CSL-JSON.
    CslJson,
}

/// Arguments of `kutip cite`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Library key of the work.
    pub key: String,
    /// Page (or range, `12-14`) for the in-text citation.
    #[arg(long, short)]
    pub page: Option<String>,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub cite: CiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--page` as cited: a page (`12`, `xii`, `S12`, `12a`), a range of two
/// (`12-14`, `12--14`, `12–14`, written with an en dash), or a list of
/// them (`3, 5-7`); anything else (`abc`, `0`) is a usage error.
fn page_of(given: &str) -> anyhow::Result<String> {
    let one = |p: &str| {
        let p = p.trim();
        let roman = !p.is_empty()
            && p.chars().all(|c| "ivxlcdmIVXLCDM".contains(c))
            && (p == p.to_lowercase() || p == p.to_uppercase());
        let label = p.chars().any(|c| c.is_ascii_digit())
            && p.chars().all(char::is_alphanumeric)
            && p.chars().any(|c| c != '0' && c.is_ascii_digit())
            && p.chars().count() <= 12;
        roman || label
    };
    let normal = given.trim().replace("--", "–").replace(['-', '—'], "–");
    let items: Vec<Vec<&str>> = normal
        .split(',')
        .map(|item| item.split('–').map(str::trim).collect())
        .collect();
    if items
        .iter()
        .all(|parts| parts.len() <= 2 && parts.iter().all(|p| one(p)))
    {
        return Ok(items
            .iter()
            .map(|parts| parts.join("–"))
            .collect::<Vec<_>>()
            .join(", "));
    }
    Err(anyhow::anyhow!(
        "--page {}: not a page; give a page number or range, such as 12, xii or 12-15",
        output::sanitize::clean(given)
    ))
}

/// Runs `kutip cite`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = KutipIndex::open(&args.index.index)?;
    let Some(record) = index.record(&args.key)? else {
        return Err(unknown_key(&index, &args.key));
    };
    let exchange = match args.format {
        Format::Text => None,
        Format::Bibtex => Some(Exchange::Bibtex),
        Format::Ris => Some(Exchange::Ris),
        Format::CslJson => Some(Exchange::CslJson),
    };
    let text = match exchange {
        Some(f) => {
            let mut s = super::search::safe_exchange(&export::write(&args.key, &record, f), f);
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        None => {
            let page = match args.page.as_deref() {
                Some(p) => Some(page_of(p)?),
                None => None,
            };
            if let (Some(p), Some((first, last))) = (&page, record.page_span()) {
                let outside = p
                    .split(['–', ','])
                    .map(str::trim)
                    .filter_map(|n| n.parse::<u64>().ok())
                    .any(|n| n < first || n > last);
                if outside {
                    eprintln!(
                        "kutip: warning: page {p} is outside the pages of {} ({first}–{last}); cited as given",
                        output::sanitize::clean(&args.key)
                    );
                }
            }
            let mut citer = Citer::new(&index, &args.cite)?;
            let r = citer
                .cite_key(&args.key, page.as_deref())?
                .ok_or_else(|| unknown_key(&index, &args.key))?;
            format!(
                "{}\n{}\n",
                output::sanitize::clean(&r.citation),
                output::sanitize::clean(&r.reference)
            )
        }
    };
    output::emit(&text)?;
    Ok(Exit::Ok)
}
