//! `kutip export`: every passage as one JSON object per line, in file and
//! reading order, with the same fields as a search hit but rank and score.

use super::Exit;
use super::common::{CiteArgs, Citer, IndexArg};
use crate::index::{KutipIndex, StoredPassage};
use crate::output::{self, json};

/// Passages cited together.
const BATCH: usize = 256;

/// Works whose renderings an export keeps: documents come one after the
/// other, so a document's own work is needed only while it is exported.
const WORKS_KEPT: usize = 4096;

/// Arguments of `kutip export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub cite: CiteArgs,
}

/// Runs `kutip export`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let index = KutipIndex::open(&args.index.index)?;
    let mut citer = Citer::new(&index, &args.cite)?;
    let mut out = String::new();
    // Passages are cited a few hundred at a time, the works new among them
    // rendered together on every core.
    let mut batch: Vec<StoredPassage> = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<StoredPassage>, out: &mut String| -> anyhow::Result<()> {
        citer.forget_beyond(WORKS_KEPT);
        citer.prepare(batch.iter())?;
        for p in batch.drain(..) {
            let c = citer.cite(&p)?;
            out.push_str(&json::line(&json::hit(&c)));
        }
        if out.len() > 1 << 20 {
            output::emit(out)?;
            out.clear();
        }
        Ok(())
    };
    crate::search::each_passage(&index, |p| -> anyhow::Result<()> {
        batch.push(p);
        if batch.len() == BATCH {
            flush(&mut batch, &mut out)?;
        }
        Ok(())
    })?;
    flush(&mut batch, &mut out)?;
    output::emit(&out)?;
    Ok(Exit::Ok)
}
