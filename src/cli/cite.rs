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
            let page = args
                .page
                .as_deref()
                .map(|p| p.replace("--", "–").replace('-', "–"));
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
