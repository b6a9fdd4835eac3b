//! `kutip index PATH...`: read new and changed files, match documents to their
//! records, and commit passages, records and the manifest of files read.
//! Re-running it reads only what changed; an interrupted run leaves the index
//! at its last commit and the next run completes it.

use super::Exit;
use super::common::IndexArg;
use crate::analysis::{ANALYZER_VERSION, detect_lang};
use crate::cite::library::{Diagnostic, HeldEntry, read_bibtex_each, read_csl_json_each};
use crate::cite::render::Prerendered;
use crate::cite::resolve::{Resolver, Work};
use crate::cite::{Library, cites_of};
use crate::index::{FileEntry, KutipIndex, Lock, StoredPassage};
use crate::ingest::catalog::{self, Resolved};
use crate::ingest::stream::{self, TextStream};
use crate::ingest::walk::{self, Kind};
use crate::ingest::{Document, Passage, decode, parse_document};
use anyhow::Context;
use rayon::prelude::*;
use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};

/// Arguments of `kutip index`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folders and files to index (.md, .txt, .bib, CSL-JSON .json).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Start the index from scratch.
    #[arg(long)]
    pub rebuild: bool,
    /// Print only errors (skipped files).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list every file as it is indexed.
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Memory budget of the index writer, in MB.
    #[arg(long, value_name = "MB", default_value_t = 200)]
    pub memory: usize,
}

/// How an index run behaves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Start from scratch.
    pub rebuild: bool,
    /// Writer memory budget in MB.
    pub memory_mb: usize,
    /// List every file.
    pub verbose: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
}

/// What an index run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files read for the first time.
    pub new: usize,
    /// Files read again because they changed.
    pub changed: usize,
    /// Unchanged documents read again because the library changed.
    pub relinked: usize,
    /// Files unchanged since the last run, not read.
    pub unchanged: usize,
    /// Files that disappeared; their passages were removed.
    pub removed: usize,
    /// Passages indexed in this run.
    pub passages: usize,
    /// Library records stored in this run.
    pub records: usize,
    /// Files skipped, with the reason.
    pub skipped: Vec<String>,
    /// Warnings that did not stop a file.
    pub warnings: Vec<String>,
}

/// The hash recorded for a library file while the documents are being
/// linked against a changed library (see `build`).
const RELINKING: u64 = 0;

/// Documents between two commits, so an interrupted run keeps its work.
const CHECKPOINT_EVERY: usize = 2000;

/// Documents read and analysed together (in parallel) before indexing, at
/// most so many files and so many bytes.
const CHUNK: usize = 64;
const CHUNK_BYTES: u64 = 64 << 20;

/// Library records rendered together (see [`Prerendered`]).
const RENDER_BATCH: usize = 1024;

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// A file's identity: its canonical path, with bytes that are not UTF-8
/// written as `\xNN` so two such names never share an identity.
fn id_of(p: &Path) -> String {
    let c = canonical(p);
    match c.to_str() {
        Some(s) => s.to_string(),
        None => {
            use std::os::unix::ffi::OsStrExt;
            let mut out = String::new();
            for chunk in c.as_os_str().as_bytes().utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            out
        }
    }
}

/// A file found by the walk, with what `stat` says of it.
#[derive(Clone)]
struct Found {
    path: PathBuf,
    kind: Kind,
    id: String,
    size: u64,
    mtime: u64,
    /// Device and inode: one file reached by two paths (`docs` and
    /// `./docs`, a link, a bind mount) is read once.
    inode: (u64, u64),
}

fn stat(path: &Path, kind: Kind) -> Option<Found> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Some(Found {
        id: id_of(path),
        path: path.to_path_buf(),
        kind,
        size: meta.len(),
        mtime,
        inode: (meta.dev(), meta.ino()),
    })
}

/// A file as read: its `stat` at the time, its bytes and their hash.
type Whole = (Found, Vec<u8>, u64);

/// Why a file's bytes could not be had.
enum Unread {
    /// It was deleted after the walk found it.
    Gone,
    /// It kept changing while being read (a file still being written).
    Changing,
    /// Any other failure, as a one-line reason naming the file.
    Failed(String),
}

impl Unread {
    fn reason(&self, path: &Path) -> String {
        match self {
            Unread::Gone => format!("{}: disappeared while indexing", path.display()),
            Unread::Changing => format!(
                "{}: changed while being read; its previous passages are kept — run `kutip index` again once it is written",
                path.display()
            ),
            Unread::Failed(why) => why.clone(),
        }
    }
}

/// Whether `path` no longer exists. A file kutip may not see (a folder
/// without permission) is not gone: its passages must not be dropped.
fn is_gone(path: &Path) -> bool {
    matches!(std::fs::metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
}

/// Reads a file with `read` — which returns what it made of the bytes and
/// how many there were — and the file's `stat` as of the read. A file being
/// written as it is read gives torn bytes, so the size and time are taken
/// before and after: they must agree with each other and with the bytes, or
/// the file is read again (three tries).
fn read_stable<T>(
    f: &Found,
    read: impl Fn(&Path) -> std::io::Result<(T, u64)>,
) -> Result<(Found, T), Unread> {
    for _ in 0..3 {
        let before = stat(&f.path, f.kind).ok_or(Unread::Gone)?;
        let (got, len) = read(&f.path).map_err(|e| unread(f, e))?;
        let after = stat(&f.path, f.kind).ok_or(Unread::Gone)?;
        if before.size == after.size && before.mtime == after.mtime && after.size == len {
            return Ok((after, got));
        }
    }
    Err(Unread::Changing)
}

fn unread(f: &Found, e: std::io::Error) -> Unread {
    use std::io::ErrorKind;
    if crate::file::is_not_regular(&e) {
        return Unread::Failed(format!("{}: {e}", f.path.display()));
    }
    // The fix depends on the cause: only a refusal is about permissions.
    let fix = match e.kind() {
        ErrorKind::NotFound => return Unread::Gone,
        ErrorKind::PermissionDenied => "; check its permissions",
        ErrorKind::OutOfMemory => {
            "; not enough memory to read it: close other programs or give a smaller --memory"
        }
        ErrorKind::StorageFull => "; no space left on the device; free space",
        _ => "",
    };
    Unread::Failed(format!("{}: cannot read ({e}){fix}", f.path.display()))
}

/// Reads a file whole, with its hash and its `stat` as of the read.
fn read_whole(f: &Found) -> Result<Whole, Unread> {
    if let Some(why) = crate::ingest::too_large(f.kind, f.size) {
        return Err(Unread::Failed(format!("{}: {why}", f.path.display())));
    }
    let (found, bytes) = read_stable(f, |p| {
        let limit = crate::ingest::whole_limit(f.kind).map_or(u64::MAX, |(l, _)| l);
        let bytes = crate::file::read_regular(p, limit)?;
        let len = bytes.len() as u64;
        Ok((bytes, len))
    })?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    Ok((found, bytes, hash))
}

/// Hashes a file without holding it, with its `stat` as of the read.
fn hash_file(f: &Found) -> Result<(Found, u64), Unread> {
    /// Bytes written to it go into the hash.
    struct Hashing(xxhash_rust::xxh3::Xxh3);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    read_stable(f, |p| {
        let mut hashing = Hashing(xxhash_rust::xxh3::Xxh3::new());
        let (file, size) = crate::file::open_regular(p)?;
        let len = std::io::copy(&mut std::io::Read::take(file, size), &mut hashing)?;
        Ok((hashing.0.digest(), len))
    })
}

/// A file modified this recently may be modified again within the same
/// tick of the file system's clock, keeping its size and time.
const RACY_NANOS: u64 = 2_000_000_000;

/// The manifest entry of a file as read. A file modified within
/// [`RACY_NANOS`] of being read is "racy" (as git calls it): a rewrite of the
/// same size in the same clock tick would leave size and time unchanged, so
/// its time is recorded as unknown and the next run compares its content.
fn entry(f: &Found, hash: u64, key: &str) -> FileEntry {
    let now = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let racy = f.mtime.saturating_add(RACY_NANOS) > now;
    FileEntry {
        path: f.id.clone(),
        file: f.path.display().to_string(),
        size: f.size,
        mtime: if racy { 0 } else { f.mtime },
        hash,
        key: key.to_string(),
        analyzer: ANALYZER_VERSION.to_string(),
    }
}

/// Whether the manifest says `f` is as it was, judged by size and time.
fn same_stat(m: Option<&FileEntry>, f: &Found) -> bool {
    m.is_some_and(|m| m.size == f.size && m.mtime == f.mtime && m.analyzer == ANALYZER_VERSION)
}

/// A library file as read: its keys, its problems and its hash (keys and
/// problems stay empty for an unchanged file the run had no need to parse).
struct LibraryFile {
    found: Found,
    keys: Vec<String>,
    problems: Vec<String>,
    hash: u64,
}

/// The library files: the library parsed from them and, per file, its keys,
/// problems and hash.
#[derive(Default)]
struct LibraryRead {
    library: Library,
    files: Vec<LibraryFile>,
    changed: bool,
    /// Unchanged files left unparsed, in the order found: parsed if a
    /// document turns out to need linking.
    pending: Vec<LibrarySource>,
    /// Files the index held as library files that are now JSON of another
    /// kind: their records, problems and manifest entries go.
    dropped: Vec<String>,
}

/// A library file read and hashed, not yet parsed.
struct LibrarySource {
    found: Found,
    text: String,
    hash: u64,
    /// Its content is the one the index recorded (and read with this analyzer).
    same: bool,
}

/// Reads and hashes the library files. Parsing is left to [`parse_library`]:
/// a library of 100,000 entries costs seconds to parse, and a run where it
/// and the documents are unchanged has no need of it.
fn read_library_files(
    found: &[Found],
    manifest: &HashMap<String, FileEntry>,
    summary: &mut Summary,
) -> Vec<LibrarySource> {
    let mut out = Vec::new();
    for f in found
        .iter()
        .filter(|f| matches!(f.kind, Kind::Bib | Kind::Json))
    {
        let (now, bytes, hash) = match read_whole(f) {
            Ok(r) => r,
            Err(e) => {
                summary.skipped.push(e.reason(&f.path));
                continue;
            }
        };
        let text = match decode(&bytes) {
            Ok(d) => {
                if let Some(enc) = d.encoding {
                    summary.warnings.push(format!(
                        "{}: not UTF-8; decoded as {enc} (detected) — convert it to UTF-8 if names look wrong",
                        f.path.display()
                    ));
                }
                d.text
            }
            Err(reason) => {
                summary
                    .skipped
                    .push(format!("{}: {reason}", f.path.display()));
                continue;
            }
        };
        let same = manifest
            .get(&f.id)
            .is_some_and(|m| m.hash == hash && m.analyzer == ANALYZER_VERSION);
        out.push(LibrarySource {
            found: now,
            text,
            hash,
            same,
        });
    }
    out
}

/// A library file parsed, or why not.
enum Parsed {
    /// Unchanged, and nothing needed it parsed.
    Not,
    /// Unreadable as a library (reported): not part of it this run, and
    /// what the index held of it is kept, as for any unreadable file.
    Ignored,
    /// JSON that is not CSL-JSON: not a library file (any more).
    NotLibrary,
    /// Its entries, held compactly, and its problems.
    Read(Vec<HeldEntry>, Vec<Diagnostic>),
}

fn parse_source(s: &LibrarySource, summary: &mut Summary, verbose: bool) -> Parsed {
    let f = &s.found;
    // Each entry is made compact as it is read: the parsed entries of a
    // large file are never held together.
    let mut held: Vec<HeldEntry> = Vec::new();
    match f.kind {
        Kind::Bib => {
            let diags = read_bibtex_each(&f.path, &s.text, &mut |e| held.push(e.into()));
            Parsed::Read(held, diags)
        }
        _ => match read_csl_json_each(&f.path, &s.text, &mut |e| held.push(e.into())) {
            Ok(Some(diags)) => Parsed::Read(held, diags),
            Ok(None) => {
                if verbose {
                    eprintln!(
                        "{}: JSON but not CSL-JSON; ignored",
                        crate::output::sanitize::clean_line(&f.path.display().to_string())
                    );
                }
                Parsed::NotLibrary
            }
            Err(d) => {
                summary.skipped.push(d.to_string());
                Parsed::Ignored
            }
        },
    }
}

/// Parses the library files whose content changed and, if any did or `all`
/// is set, the others too (the library is rebuilt whole); otherwise the
/// unchanged ones are counted and left pending.
fn parse_library(
    sources: Vec<LibrarySource>,
    all: bool,
    manifest: &HashMap<String, FileEntry>,
    summary: &mut Summary,
    verbose: bool,
) -> LibraryRead {
    let mut parsed: Vec<Parsed> = sources
        .iter()
        .map(|s| {
            if s.same {
                Parsed::Not
            } else {
                parse_source(s, summary, verbose)
            }
        })
        .collect();
    // A file the index held as a library that is now JSON of another kind
    // takes its records away: the library changed.
    let was_library = |s: &LibrarySource| manifest.contains_key(&s.found.id);
    let changed = parsed.iter().zip(&sources).any(|(p, s)| match p {
        Parsed::Read(..) => true,
        Parsed::NotLibrary => was_library(s),
        _ => false,
    });
    if changed || all {
        for (s, p) in sources.iter().zip(parsed.iter_mut()) {
            if matches!(p, Parsed::Not) {
                *p = parse_source(s, summary, verbose);
            }
        }
    }
    // Files go into the library in the order they were found: a key in two
    // files keeps the first one's record, whatever was parsed first.
    let mut out = LibraryRead {
        changed,
        ..LibraryRead::default()
    };
    for (s, p) in sources.into_iter().zip(parsed) {
        if s.same {
            summary.unchanged += 1;
        } else if !matches!(p, Parsed::Ignored | Parsed::NotLibrary) {
            if manifest.contains_key(&s.found.id) {
                summary.changed += 1;
            } else {
                summary.new += 1;
            }
        }
        let (entries, diags) = match p {
            Parsed::Ignored => continue,
            Parsed::NotLibrary => {
                if was_library(&s) {
                    summary.changed += 1;
                    out.dropped.push(s.found.id.clone());
                }
                continue;
            }
            Parsed::Not => {
                out.files.push(LibraryFile {
                    found: s.found.clone(),
                    keys: Vec::new(),
                    problems: Vec::new(),
                    hash: s.hash,
                });
                out.pending.push(s);
                continue;
            }
            Parsed::Read(entries, diags) => (entries, diags),
        };
        let (keys, problems) = insert_entries(&mut out.library, entries, &diags);
        summary.warnings.extend(problems.iter().cloned());
        out.files.push(LibraryFile {
            found: s.found,
            keys,
            problems,
            hash: s.hash,
        });
    }
    out
}

/// Adds a file's entries to the library; returns the keys it took and the
/// file's problems (its own, then duplicate keys).
fn insert_entries(
    library: &mut Library,
    entries: Vec<HeldEntry>,
    diags: &[Diagnostic],
) -> (Vec<String>, Vec<String>) {
    let mut problems: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let mut keys = Vec::new();
    for e in entries {
        let key = e.key.clone();
        match library.insert(e) {
            Some(dup) => problems.push(dup.to_string()),
            None => keys.push(key),
        }
    }
    (keys, problems)
}

/// What linking a document needs: the whole library, its attachments and
/// the citation resolver.
struct Linked {
    library: Library,
    attached: HashMap<PathBuf, String>,
    resolver: Resolver,
}

impl Linked {
    /// Completes the library with its pending files and builds the rest.
    /// Citations resolve against the library (this run's files and the
    /// records earlier runs stored from library files not read this run),
    /// never against documents' own records: so a citation resolves the
    /// same whatever order documents are read in, and documents can be
    /// streamed. The resolver keeps a few hundred bytes of each record.
    fn load(
        mut library: Library,
        pending: Vec<LibrarySource>,
        read: &HashSet<String>,
        index: &KutipIndex,
        summary: &mut Summary,
        verbose: bool,
    ) -> anyhow::Result<Linked> {
        for s in &pending {
            if let Parsed::Read(entries, diags) = parse_source(s, summary, verbose) {
                let (_, problems) = insert_entries(&mut library, entries, &diags);
                summary.warnings.extend(problems);
            }
        }
        missing_attachments(&library, summary);
        let attached = catalog::attachments(&library);
        let mut works = library.take_works();
        index.each_library_record(
            |path| read.contains(path),
            |r| {
                if !library.contains(&r.key) {
                    works.push(Work::of(&r.key, &r.record));
                }
            },
        )?;
        // Key order, one work per key, as the library is kept.
        works.sort_by(|a, b| a.key().cmp(b.key()));
        works.dedup_by(|a, b| a.key() == b.key());
        Ok(Linked {
            library,
            attached,
            resolver: Resolver::from_works(works),
        })
    }
}

/// Warns about attachments a library entry names that do not exist.
fn missing_attachments(library: &Library, summary: &mut Summary) {
    for e in library.iter() {
        let base = e.origin.parent().unwrap_or(Path::new("."));
        for f in &e.files {
            if !base.join(f).exists() {
                let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
                summary.warnings.push(format!(
                    "{}{at}: entry '{}' names the attachment {f}, which is not there",
                    e.origin.display(),
                    e.key
                ));
            }
        }
    }
}

/// Builds or updates the index at `dir` from `paths`.
pub fn build(paths: &[PathBuf], dir: &Path, opts: Options) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    let walked = walk::walk(paths);
    for (path, why) in &walked.problems {
        summary.skipped.push(format!("{}: {why}", path.display()));
    }
    if walked.files.is_empty() && paths.iter().all(|p| !p.exists()) {
        anyhow::bail!(
            "nothing to index: {} not found; give existing folders or files",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (_lock, note) = Lock::acquire(dir)?;
    summary.warnings.extend(note);
    let mut index = KutipIndex::create_or_open(dir, opts.rebuild)?;
    let manifest = index.manifest()?;
    let found: Vec<Found> = walked
        .files
        .iter()
        .filter_map(|(p, k)| {
            let f = stat(p, *k);
            if f.is_none() {
                summary
                    .skipped
                    .push(format!("{}: disappeared while indexing", p.display()));
            }
            f
        })
        .collect();
    // One file named twice (`kutip index docs ./docs`, a link, a bind
    // mount) is one document with one key: the first name found is kept.
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let found: Vec<Found> = found
        .into_iter()
        .filter(|f| seen.insert(f.inode) & ids.insert(f.id.clone()))
        .collect();

    // Files under the indexed folders that are gone: forgotten below. A
    // library file that disappeared changes the library.
    let present: HashSet<&str> = found.iter().map(|f| f.id.as_str()).collect();
    let roots: Vec<String> = paths
        .iter()
        .filter(|r| r.is_dir())
        .map(|r| {
            let mut s = id_of(r);
            if !s.ends_with(std::path::MAIN_SEPARATOR) {
                s.push(std::path::MAIN_SEPARATOR);
            }
            s
        })
        .collect();
    let gone: Vec<(&String, &FileEntry)> = manifest
        .iter()
        .filter(|(path, _)| {
            roots.iter().any(|r| path.starts_with(r.as_str()))
                && !present.contains(path.as_str())
                && is_gone(Path::new(path))
        })
        .collect();
    let docs: Vec<&Found> = found.iter().filter(|f| f.kind.is_document()).collect();
    let sources = read_library_files(&found, &manifest, &mut summary);
    // The library is rebuilt whole when a library file changed or went
    // away; otherwise it is parsed only if a document has to be linked.
    let library_gone = gone.iter().any(|(_, m)| m.key.is_empty());
    let lib = parse_library(
        sources,
        opts.rebuild || library_gone,
        &manifest,
        &mut summary,
        opts.verbose,
    );
    let mut writer = index
        .writer(opts.memory_mb.saturating_mul(1_000_000))
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;

    let library_changed = lib.changed || opts.rebuild || library_gone;
    for (path, _) in &gone {
        writer.forget_file(path);
        summary.removed += 1;
    }
    for id in &lib.dropped {
        writer.forget_file(id);
    }
    // Documents are linked against the library as this run reads it and
    // committed at checkpoints, but the library's own entries go last. So
    // that a run killed in between, then given the old library back, does
    // not take it for unchanged (leaving documents linked to records it
    // no longer has), the first checkpoint records the library as being
    // relinked: a hash no content has.
    if library_changed {
        for l in &lib.files {
            writer.set_file(&entry(&l.found, RELINKING, ""))?;
        }
    }

    // Documents indexed from other folders stay, and count in their groups.
    let gone_ids: HashSet<&str> = gone.iter().map(|(p, _)| p.as_str()).collect();
    let kept: Vec<&FileEntry> = manifest
        .values()
        .filter(|m| !m.key.is_empty())
        .filter(|m| !present.contains(m.path.as_str()) && !gone_ids.contains(m.path.as_str()))
        .collect();
    let (ranks, regroup) = stem_ranks(&docs, &kept, &manifest);
    // Which documents to read: new or changed files, every document when
    // the library changed (its records and citations may link anew), and
    // those whose file stem another file now shares or no longer does.
    let (streamed, to_read): (Vec<&Found>, Vec<&Found>) = docs
        .iter()
        .copied()
        .filter(|f| {
            library_changed || !same_stat(manifest.get(&f.id), f) || regroup.contains(&f.id)
        })
        .partition(|f| stream::streams(f.kind, f.size));
    summary.unchanged += docs.len() - to_read.len() - streamed.len();

    let progress = progress_bar(opts.progress, to_read.len() + streamed.len());
    let LibraryRead {
        library,
        files: library_files,
        pending,
        dropped,
        ..
    } = lib;
    // Keys of files that are gone are free again: a file moved from one
    // folder to another keeps its key.
    // So are those of documents whose stem group changed: they are keyed
    // again, by rank.
    let gone_paths: HashSet<&str> = gone.iter().map(|(p, _)| p.as_str()).collect();
    let mut taken: HashSet<String> = manifest
        .values()
        .filter(|m| !m.key.is_empty() && !gone_paths.contains(m.path.as_str()))
        .filter(|m| !regroup.contains(&m.path))
        .map(|m| m.key.clone())
        .collect();
    let verbose = opts.verbose.then_some(&progress);
    let link = Linking {
        ranks,
        regroup,
        manifest: &manifest,
        library_changed,
        linked: OnceCell::new(),
        to_load: Cell::new(Some((library, pending))),
        // The records the index holds of these files are superseded (or,
        // for a dropped one, gone): citations never resolve to them.
        read: library_files
            .iter()
            .map(|l| l.found.id.clone())
            .chain(dropped)
            .collect(),
        index: &index,
        verbose,
    };
    // The library works a search can show, whose records are rendered
    // ahead when the library is written (see `write_library`).
    let mut shown: HashSet<String> = HashSet::new();
    let mut since_checkpoint = 0;
    // Documents are read, parsed and analysed in parallel, a chunk at a
    // time, so memory stays bounded whatever the corpus size.
    for chunk in chunks(&to_read) {
        let read: Vec<(&Found, Result<Whole, Unread>)> =
            chunk.par_iter().map(|f| (*f, read_whole(f))).collect();
        let mut fresh: Vec<(Found, Vec<u8>, u64)> = Vec::new();
        for (f, r) in read {
            progress.inc(1);
            let (f, bytes, hash) = match r {
                Ok(x) => x,
                Err(e) => {
                    link.unreadable(f, e, &mut writer, &mut summary);
                    continue;
                }
            };
            if !library_changed && link.touched_only(&f, hash, &mut writer, &mut summary)? {
                continue;
            }
            fresh.push((f, bytes, hash));
        }
        let parsed: Vec<(Found, Result<Document, String>, u64)> = fresh
            .into_par_iter()
            .map(|(f, bytes, hash)| {
                let doc = parse_document(&f.path, f.kind, &bytes).map_err(|s| s.to_string());
                (f, doc, hash)
            })
            .collect();
        let mut docs: Vec<(Found, Document, Resolved, u64)> = Vec::new();
        for (f, doc, hash) in parsed {
            let doc = match doc {
                Ok(d) => d,
                Err(reason) => {
                    summary.skipped.push(reason);
                    continue;
                }
            };
            let resolved = link.resolve(&f, &doc, &mut taken, &mut summary)?;
            link.indexed(&f, hash, doc.passages.len(), &resolved, &mut summary);
            docs.push((f, doc, resolved, hash));
        }
        if !docs.is_empty() {
            since_checkpoint += docs.len();
            let resolver = &link.linked(&mut summary)?.resolver;
            write_documents(docs, resolver, &mut writer, &mut shown, &mut summary)?;
        }
        progress.set_message(format!("{} passages", summary.passages));
        if since_checkpoint >= CHECKPOINT_EVERY {
            writer
                .checkpoint()
                .with_context(|| format!("committing the index at {}", dir.display()))?;
            since_checkpoint = 0;
        }
    }
    // Files too big to hold whole go one at a time, each read as it is indexed.
    for f in streamed {
        progress.inc(1);
        index_streamed(f, &link, &mut taken, &mut shown, &mut writer, &mut summary)
            .with_context(|| format!("committing the index at {}", dir.display()))?;
        progress.set_message(format!("{} passages", summary.passages));
    }
    if library_changed {
        let library = link.into_library();
        write_library(&mut writer, &library_files, &library, &shown, &mut summary)?;
    }
    // The library files' manifest entries go last: a run interrupted before
    // this point sees the library as changed and links every document again.
    for l in &library_files {
        writer.set_file(&entry(&l.found, l.hash, ""))?;
    }
    progress.finish_and_clear();
    writer
        .commit()
        .with_context(|| format!("committing the index at {}", dir.display()))?;
    // A rebuild, written beside the index, replaces it only now.
    index.publish()?;
    Ok(summary)
}

/// The stem a document's own key is made from, as `catalog` makes it,
/// from the file's name as the manifest records it (`FileEntry::file`), so
/// that a name that is not UTF-8 falls in the same group every run.
fn stem_of(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// Each document's rank among the documents of its file stem, by identity
/// (`a/smith.md` is 0, `b/smith.md` 1: keys `smith` and `smith-2`), and the
/// documents whose group is not what the manifest recorded (a file of that
/// stem added, removed or moved): those are keyed again, so that keys
/// depend on which files there are, never on the order runs met them in.
fn stem_ranks(
    docs: &[&Found],
    kept: &[&FileEntry],
    manifest: &HashMap<String, FileEntry>,
) -> (HashMap<String, usize>, HashSet<String>) {
    let mut now: HashMap<String, Vec<&str>> = HashMap::new();
    for f in docs {
        let file = f.path.display().to_string();
        now.entry(stem_of(&file)).or_default().push(&f.id);
    }
    for m in kept {
        now.entry(stem_of(&m.file)).or_default().push(&m.path);
    }
    // Library files have no key in the manifest.
    let mut before: HashMap<String, Vec<&str>> = HashMap::new();
    for m in manifest.values().filter(|m| !m.key.is_empty()) {
        before.entry(stem_of(&m.file)).or_default().push(&m.path);
    }
    for ids in now.values_mut().chain(before.values_mut()) {
        ids.sort_unstable();
    }
    // Only documents this run walked can be read, and so keyed, again.
    let walked: HashSet<&str> = docs.iter().map(|f| f.id.as_str()).collect();
    let mut ranks = HashMap::new();
    let mut regroup = HashSet::new();
    for (stem, ids) in &now {
        let changed = before.get(stem) != Some(ids);
        for (rank, id) in ids.iter().enumerate() {
            ranks.insert(id.to_string(), rank);
            if changed && walked.contains(id) {
                regroup.insert(id.to_string());
            }
        }
    }
    (ranks, regroup)
}

/// Passages analysed together on every core before they are written: a
/// bound on what is held at once, however many passages a file has (a
/// file of one-word paragraphs has a passage every three bytes).
const PASSAGE_BATCH: usize = 8192;

/// Writes parsed documents in order: each one's record and manifest entry,
/// and its passages, analysed (language, citations, pages) on every core
/// a batch of [`PASSAGE_BATCH`] at a time across documents, so that many
/// small documents fill a batch and a huge one takes several.
fn write_documents(
    docs: Vec<(Found, Document, Resolved, u64)>,
    resolver: &Resolver,
    writer: &mut crate::index::Writer,
    shown: &mut HashSet<String>,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    let mut heads = Vec::with_capacity(docs.len());
    let mut bodies = Vec::with_capacity(docs.len());
    for (f, doc, resolved, hash) in docs {
        let Document {
            passages,
            page_labels,
            ..
        } = doc;
        heads.push((f, resolved, hash, page_labels));
        bodies.push(passages);
    }
    // A document's language and its own record's rendering (a quarter of
    // a millisecond each) are found on every core too.
    let stamps: Vec<(Stamp, Option<String>)> = heads
        .par_iter()
        .zip(bodies.par_iter())
        .map(|((f, resolved, _, labels), passages)| {
            let stamp = Stamp::new(f, resolved, resolver, passages, labels.clone());
            (stamp, own_rendering(resolved))
        })
        .collect();
    let mut batch: Vec<(&Stamp, usize, Passage)> = Vec::new();
    let flush = |batch: &mut Vec<(&Stamp, usize, Passage)>,
                 writer: &mut crate::index::Writer,
                 shown: &mut HashSet<String>|
     -> anyhow::Result<()> {
        let stored: Vec<(&Stamp, StoredPassage)> = batch
            .par_drain(..)
            .map(|(stamp, ordinal, p)| (stamp, stamp.stored(ordinal, p)))
            .collect();
        for (stamp, p) in &stored {
            note_shown(stamp.resolved, std::slice::from_ref(p), shown);
            writer.add_passage(p)?;
        }
        Ok(())
    };
    for (((f, resolved, hash, _), passages), (stamp, rendered)) in
        heads.iter().zip(bodies).zip(&stamps)
    {
        // The document's old passages go before its new ones are added.
        start_document(writer, f, resolved, rendered.as_deref())?;
        writer.set_file(&entry(f, *hash, &resolved.key))?;
        summary.passages += passages.len();
        for (i, p) in passages.into_iter().enumerate() {
            batch.push((stamp, i + 1, p));
            if batch.len() == PASSAGE_BATCH {
                flush(&mut batch, writer, shown)?;
            }
        }
    }
    flush(&mut batch, writer, shown)
}

/// Splits the files to read into groups read and analysed together: at
/// most [`CHUNK`] files or [`CHUNK_BYTES`] bytes, so that memory stays
/// bounded whatever the corpus and its files' sizes.
fn chunks<'a, 'b>(files: &'b [&'a Found]) -> Vec<&'b [&'a Found]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0u64;
    for (i, f) in files.iter().enumerate() {
        if i > start && (i - start == CHUNK || bytes + f.size > CHUNK_BYTES) {
            out.push(&files[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += f.size;
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// What documents are linked against: the library, its attachments, the
/// citation resolver and what earlier runs recorded.
struct Linking<'a> {
    /// Each document's place among the documents of its file stem.
    ranks: HashMap<String, usize>,
    /// Documents keyed again because their stem group changed.
    regroup: HashSet<String>,
    manifest: &'a HashMap<String, FileEntry>,
    library_changed: bool,
    /// Loaded when the first document is linked: a run that links none
    /// never parses an unchanged library.
    linked: OnceCell<Linked>,
    /// The library as parsed so far and its pending files, until loaded.
    to_load: Cell<Option<(Library, Vec<LibrarySource>)>>,
    /// Library files this run read (their stored records are superseded).
    read: HashSet<String>,
    index: &'a KutipIndex,
    /// With `--verbose`, the progress bar to print around.
    verbose: Option<&'a indicatif::ProgressBar>,
}

impl Linking<'_> {
    /// The library as this run read it, once the documents are done.
    fn into_library(self) -> Library {
        match self.linked.into_inner() {
            Some(l) => l.library,
            None => self.to_load.take().map(|(l, _)| l).unwrap_or_default(),
        }
    }

    /// The library, its attachments and the resolver, loaded on first use.
    fn linked(&self, summary: &mut Summary) -> anyhow::Result<&Linked> {
        if let Some(l) = self.linked.get() {
            return Ok(l);
        }
        let (library, pending) = self.to_load.take().unwrap_or_default();
        let l = Linked::load(
            library,
            pending,
            &self.read,
            self.index,
            summary,
            self.verbose.is_some(),
        )?;
        Ok(self.linked.get_or_init(|| l))
    }

    /// Reports a file that could not be read. A file deleted under us goes
    /// the way of any deleted file; one that cannot be read keeps what it had.
    fn unreadable(
        &self,
        f: &Found,
        e: Unread,
        writer: &mut crate::index::Writer,
        summary: &mut Summary,
    ) {
        summary.skipped.push(e.reason(&f.path));
        if matches!(e, Unread::Gone) && self.manifest.contains_key(&f.id) {
            writer.forget_file(&f.id);
            summary.removed += 1;
        }
    }

    /// Whether a file whose time changed has the content it had: then its
    /// new time is remembered and nothing is read again.
    fn touched_only(
        &self,
        f: &Found,
        hash: u64,
        writer: &mut crate::index::Writer,
        summary: &mut Summary,
    ) -> anyhow::Result<bool> {
        match self.manifest.get(&f.id) {
            Some(m)
                if m.hash == hash
                    && m.analyzer == ANALYZER_VERSION
                    && !self.regroup.contains(&f.id) =>
            {
                writer.set_file(&entry(f, hash, &m.key))?;
                summary.unchanged += 1;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Finds a document's record, reporting what there is to say of it.
    fn resolve(
        &self,
        f: &Found,
        doc: &Document,
        taken: &mut HashSet<String>,
        summary: &mut Summary,
    ) -> anyhow::Result<Resolved> {
        if let Some(enc) = doc.encoding {
            summary.warnings.push(format!(
                "{}: not UTF-8; decoded as {enc} (detected) — convert it to UTF-8 if the text looks wrong",
                f.path.display()
            ));
        }
        let before = self.manifest.get(&f.id);
        // A document keeps its own key across runs.
        if let Some(m) = before {
            taken.remove(&m.key);
        }
        let linked = self.linked(summary)?;
        let rank = self.ranks.get(&f.id).copied().unwrap_or(0);
        let resolved = catalog::resolve(doc, &linked.library, &linked.attached, taken, rank);
        for w in &resolved.warnings {
            summary.warnings.push(format!("{}: {w}", f.path.display()));
        }
        Ok(resolved)
    }

    /// Counts an indexed document as new, changed or re-linked, and says so
    /// with `--verbose`.
    fn indexed(
        &self,
        f: &Found,
        hash: u64,
        passages: usize,
        resolved: &Resolved,
        summary: &mut Summary,
    ) {
        match self.manifest.get(&f.id) {
            None => summary.new += 1,
            Some(m) if m.hash != hash || m.analyzer != ANALYZER_VERSION => summary.changed += 1,
            Some(_) => summary.relinked += 1,
        }
        if let Some(progress) = self.verbose {
            progress.suspend(|| {
                // A file's name and its front matter's key are anyone's
                // text: escapes in them must not drive the terminal.
                let clean = crate::output::sanitize::clean_line;
                eprintln!(
                    "{}: {passages} passages, record '{}' ({})",
                    clean(&f.path.display().to_string()),
                    clean(&resolved.key),
                    resolved.origin.as_str()
                )
            });
        }
    }
}

/// Adds to `shown` the library works a search can show of a document: its
/// own work when that is a library record, and the works its `passages`
/// cite (see [`write_library`]).
fn note_shown(resolved: &Resolved, passages: &[StoredPassage], shown: &mut HashSet<String>) {
    let cited = passages
        .iter()
        .flat_map(|p| &p.cites)
        .filter_map(|c| c.key.as_ref());
    let own = (!resolved.own_record).then_some(&resolved.key);
    for k in own.into_iter().chain(cited) {
        if !shown.contains(k) {
            shown.insert(k.clone());
        }
    }
}

/// Stores the library files' records, replacing what the index held of
/// those files, and their problems. Written after the documents: a run
/// interrupted before keeps the records it had, and by then it is known
/// which works a search can show (`shown`: a document's, or one a passage
/// cites), whose default rendering is stored with them (see
/// [`Prerendered`]) — made on every core, a batch at a time, and for those
/// works only, so a library of a hundred thousand entries costs nothing
/// for the ones no document uses.
fn write_library(
    writer: &mut crate::index::Writer,
    files: &[LibraryFile],
    library: &Library,
    shown: &HashSet<String>,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    for LibraryFile {
        found: f,
        keys,
        problems,
        ..
    } in files
    {
        writer.delete_path(&f.id);
        let file = f.path.display().to_string();
        for batch in keys.chunks(RENDER_BATCH) {
            let entries: Vec<(&String, &HeldEntry, Option<String>)> = batch
                .par_iter()
                .filter_map(|key| Some((key, library.get(key)?)))
                .map(|(key, e)| {
                    let rendered = shown
                        .contains(key)
                        .then(|| e.record())
                        .flatten()
                        .and_then(|r| Prerendered::of(&r))
                        .map(|p| p.to_stored());
                    (key, e, rendered)
                })
                .collect();
            for (key, e, rendered) in entries {
                writer.add_record(key, &e.stored, rendered.as_deref(), &f.id, &file, e.line)?;
                summary.records += 1;
            }
        }
        for p in problems {
            writer.add_problem(&f.id, p)?;
        }
    }
    Ok(())
}

/// The default rendering of a document's own record (its front matter or
/// what was gathered from the file), when it has one.
fn own_rendering(resolved: &Resolved) -> Option<String> {
    resolved
        .own_record
        .then(|| Prerendered::of(&resolved.record))
        .flatten()
        .map(|p| p.to_stored())
}

/// Drops what the index holds of a document's file and stores its own
/// record, if it has one, with its `rendered` form, before its passages.
fn start_document(
    writer: &mut crate::index::Writer,
    f: &Found,
    resolved: &Resolved,
    rendered: Option<&str>,
) -> anyhow::Result<()> {
    writer.delete_path(&f.id);
    if resolved.own_record {
        writer.add_record(
            &resolved.key,
            &resolved.record.to_stored(),
            rendered,
            &f.id,
            &f.path.display().to_string(),
            None,
        )?;
    }
    Ok(())
}

/// Indexes a file too big to hold whole, a block at a time. The changes so
/// far are committed first, so that if the file changes while it is read
/// this file's passages alone are rolled back: its previous ones are kept.
fn index_streamed(
    f: &Found,
    link: &Linking,
    taken: &mut HashSet<String>,
    shown: &mut HashSet<String>,
    writer: &mut crate::index::Writer,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    let before = link.manifest.get(&f.id);
    if !link.library_changed && before.is_some_and(|m| m.analyzer == ANALYZER_VERSION) {
        // Touched but maybe not changed: hashing is far cheaper than indexing.
        match hash_file(f) {
            Ok((f, hash)) => {
                if link.touched_only(&f, hash, writer, summary)? {
                    return Ok(());
                }
            }
            Err(e) => {
                link.unreadable(f, e, writer, summary);
                return Ok(());
            }
        }
    }
    writer.checkpoint()?;
    let Some(start) = stat(&f.path, f.kind) else {
        link.unreadable(f, Unread::Gone, writer, summary);
        return Ok(());
    };
    // Read no further than the size at open: a file replaced by a link to
    // an endless device, or still growing, is not followed.
    let opened = crate::file::open_regular(&f.path).and_then(|(file, size)| {
        let file = std::io::Read::take(file, size);
        TextStream::open(std::io::BufReader::new(file), &f.path, f.kind)
    });
    let (head, mut stream) = match opened {
        Ok(Ok(x)) => x,
        Ok(Err(skip)) => {
            summary.skipped.push(skip.to_string());
            return Ok(());
        }
        Err(e) => {
            link.unreadable(f, unread(f, e), writer, summary);
            return Ok(());
        }
    };
    let resolved = link.resolve(f, &head, taken, summary)?;
    start_document(writer, f, &resolved, own_rendering(&resolved).as_deref())?;
    let resolver = &link.linked(summary)?.resolver;
    let stamp = Stamp::new(f, &resolved, resolver, &head.passages, Vec::new());
    let mut batch = head.passages;
    let mut count = 0;
    let mut failed = None;
    while !batch.is_empty() {
        // A block of one-word paragraphs holds hundreds of thousands.
        while !batch.is_empty() {
            let rest = batch.split_off(batch.len().min(PASSAGE_BATCH));
            let stored: Vec<StoredPassage> = batch
                .into_par_iter()
                .enumerate()
                .map(|(i, p)| stamp.stored(count + i + 1, p))
                .collect();
            count += stored.len();
            note_shown(&resolved, &stored, shown);
            for p in &stored {
                writer.add_passage(p)?;
            }
            batch = rest;
        }
        batch = match stream.next_passages() {
            Ok(b) => b,
            Err(e) => {
                failed = Some(unread(f, e));
                break;
            }
        };
    }
    let end = stat(&f.path, f.kind);
    let failed = failed.or(match &end {
        None => Some(Unread::Gone),
        Some(end)
            if end.size != start.size
                || end.mtime != start.mtime
                || end.size != stream.bytes_read() =>
        {
            Some(Unread::Changing)
        }
        Some(_) => None,
    });
    if let Some(e) = failed {
        writer.rollback()?;
        link.unreadable(f, e, writer, summary);
        return Ok(());
    }
    if let Some(w) = stream.warning() {
        summary.warnings.push(w);
    }
    summary.passages += count;
    let end = end.expect("checked above");
    link.indexed(f, stream.hash(), count, &resolved, summary);
    writer.set_file(&entry(&end, stream.hash(), &resolved.key))?;
    Ok(())
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show || !std::io::stderr().is_terminal() || len == 0 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files · {msg} · {per_sec} · {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// What every passage of a document shares — file, record, language,
/// page labels — to stamp on each as it is stored.
struct Stamp<'a> {
    f: &'a Found,
    file: String,
    resolved: &'a Resolved,
    resolver: &'a Resolver,
    doc_lang: Option<crate::analysis::Lang>,
    title: Option<String>,
    authors: Vec<String>,
    year: Option<i32>,
    page_labels: Vec<String>,
}

impl<'a> Stamp<'a> {
    /// The stamp of a document, from its first passages (to detect its
    /// language when nothing declares it) and printed page labels.
    fn new(
        f: &'a Found,
        resolved: &'a Resolved,
        resolver: &'a Resolver,
        first: &[Passage],
        page_labels: Vec<String>,
    ) -> Self {
        let doc_lang = resolved.lang.or_else(|| {
            let all: String = first
                .iter()
                .take(8)
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            detect_lang(&all)
        });
        Stamp {
            f,
            file: f.path.display().to_string(),
            resolved,
            resolver,
            doc_lang,
            title: resolved.record.title(),
            authors: resolved.record.authors(),
            year: resolved.record.year(),
            page_labels,
        }
    }

    /// The page's printed label where the file has one, else the record's
    /// page range (first page = first printed page), else the physical page.
    fn label(&self, physical: u32) -> String {
        if let Some(l) = self.page_labels.get(physical as usize - 1) {
            return l.clone();
        }
        match self.resolved.first_page {
            Some(first) => (first as i64 + physical as i64 - 1).to_string(),
            None => physical.to_string(),
        }
    }

    /// Passage `ordinal` (1-based) as the index stores it: language
    /// detected, printed pages, citations extracted and resolved.
    fn stored(&self, ordinal: usize, p: Passage) -> StoredPassage {
        StoredPassage {
            key: self.resolved.key.clone(),
            path: self.f.id.clone(),
            file: self.file.clone(),
            lang: detect_lang(&p.text).or(self.doc_lang),
            cites: cites_of(&p.text, self.resolver),
            title: self.title.clone(),
            authors: self.authors.clone(),
            year: self.year,
            section: p.section.clone(),
            page: p.page.map(|n| self.label(n)),
            page_end: p.page_end.map(|n| self.label(n)),
            paragraph: p.paragraph,
            ordinal: ordinal as u32,
            start: p.start as u64,
            end: p.end as u64,
            origin: self.resolved.origin.as_str().to_string(),
            line: p.line,
            text: p.text,
        }
    }
}

/// Prints the end-of-run summary on stderr.
pub fn report(summary: &Summary, started: Instant, quiet: bool) {
    if !quiet {
        for w in &summary.warnings {
            eprintln!("warning: {}", crate::output::sanitize::clean_line(w));
        }
    }
    for s in &summary.skipped {
        eprintln!("skipped: {}", crate::output::sanitize::clean_line(s));
    }
    if !quiet {
        let mut parts = vec![
            format!("{} new", summary.new),
            format!("{} changed", summary.changed),
        ];
        if summary.relinked > 0 {
            parts.push(format!("{} re-linked", summary.relinked));
        }
        parts.push(format!("{} unchanged", summary.unchanged));
        parts.push(format!("{} removed", summary.removed));
        parts.push(format!("{} skipped", summary.skipped.len()));
        eprintln!(
            "indexed {} passages and {} library records in {:.2} s; files: {}",
            summary.passages,
            summary.records,
            started.elapsed().as_secs_f64(),
            parts.join(", ")
        );
    }
}

/// Runs `kutip index`.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let opts = Options {
        rebuild: args.rebuild,
        memory_mb: args.memory,
        verbose: args.verbose,
        progress: !args.quiet,
    };
    let summary =
        build(&args.paths, &args.index.index, opts).map_err(|e| full_disk(e, &args.index.index))?;
    report(&summary, started, args.quiet);
    Ok(Exit::Ok)
}

/// Free space below which a failed index write is put down to a full disk:
/// less than one small segment.
const FULL_DISK_BYTES: u64 = 16 << 20;

/// `e`, said as a full disk when that is its cause. Tantivy's writer threads
/// report an `ENOSPC` only as "An index writer was killed" (the I/O error
/// stays in the thread), so besides an I/O error of that kind in the chain,
/// an engine error while the index's filesystem has next to nothing free is
/// taken as one.
pub fn full_disk(e: anyhow::Error, dir: &Path) -> anyhow::Error {
    use std::io::ErrorKind;
    let io_full = e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(io.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
        })
    });
    let engine = e.chain().any(|c| {
        matches!(
            c.downcast_ref::<crate::Error>(),
            Some(crate::Error::Tantivy(_))
        )
    });
    let free = free_space(dir);
    let low = free.is_some_and(|f| f < FULL_DISK_BYTES);
    if !(io_full || engine && low) {
        return e;
    }
    let free = free.map_or(String::new(), |f| format!(" ({} KiB free)", f >> 10));
    anyhow::anyhow!(
        "no space left on the device of the index at {}{free}; free space or use another --index (the index keeps its last commit)",
        dir.display()
    )
}

/// Bytes free to this user on the filesystem of `dir`, or of its nearest
/// existing parent (the index folder may not exist yet).
fn free_space(dir: &Path) -> Option<u64> {
    dir.ancestors()
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find_map(|a| rustix::fs::statvfs(a).ok())
        .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_file_is_told_the_fix_for_its_cause() {
        use std::io::{Error, ErrorKind};
        let f = found(1);
        let said = |kind: ErrorKind| match unread(&f, Error::from(kind)) {
            Unread::Failed(m) => m,
            _ => panic!("{kind:?} is a failure"),
        };
        assert!(said(ErrorKind::PermissionDenied).ends_with("check its permissions"));
        let full = said(ErrorKind::StorageFull);
        assert!(
            full.contains("no space left") && !full.contains("permissions"),
            "{full}"
        );
        let memory = said(ErrorKind::OutOfMemory);
        assert!(
            memory.contains("not enough memory") && !memory.contains("permissions"),
            "{memory}"
        );
        let other = said(ErrorKind::InvalidData);
        assert!(
            other.ends_with(')') && !other.contains("permissions"),
            "{other}"
        );
        assert!(matches!(
            unread(&f, Error::from(ErrorKind::NotFound)),
            Unread::Gone
        ));
    }

    #[test]
    fn an_engine_error_on_a_roomy_disk_is_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let killed = || {
            anyhow::Error::from(crate::Error::Tantivy(tantivy::TantivyError::ErrorInThread(
                "An index writer was killed.".into(),
            )))
        };
        // The test machine's temporary folder has more than a segment free.
        if free_space(dir.path()).is_some_and(|f| f >= FULL_DISK_BYTES) {
            assert!(
                full_disk(killed(), dir.path())
                    .to_string()
                    .contains("killed")
            );
        }
        let full = anyhow::Error::from(crate::Error::io(
            dir.path(),
            std::io::Error::from(std::io::ErrorKind::StorageFull),
        ));
        let said = full_disk(full, dir.path()).to_string();
        assert!(said.starts_with("no space left on the device"), "{said}");
    }

    fn found(size: u64) -> Found {
        Found {
            path: PathBuf::from("f.txt"),
            kind: Kind::Text,
            id: "f.txt".into(),
            size,
            mtime: 0,
            inode: (0, 0),
        }
    }

    #[test]
    fn files_are_read_in_groups_bounded_in_count_and_bytes() {
        let small: Vec<Found> = (0..200).map(|_| found(1000)).collect();
        let refs: Vec<&Found> = small.iter().collect();
        let sizes: Vec<usize> = chunks(&refs).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [64, 64, 64, 8]);

        let big: Vec<Found> = (0..20).map(|i| found((10 + i % 7) << 20)).collect();
        let refs: Vec<&Found> = big.iter().collect();
        let groups = chunks(&refs);
        assert_eq!(groups.iter().map(|c| c.len()).sum::<usize>(), 20);
        for g in &groups {
            let bytes: u64 = g.iter().map(|f| f.size).sum();
            assert!(bytes <= CHUNK_BYTES, "{bytes}");
        }
        // A file bigger than the budget is a group of its own.
        let huge = [found(CHUNK_BYTES * 2), found(1)];
        let refs: Vec<&Found> = huge.iter().collect();
        assert_eq!(chunks(&refs).len(), 2);
    }
}
