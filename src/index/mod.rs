//! The index: the only module that touches Tantivy's schema and writer.
//! Stores passages and library records; `search` reads through it.

mod faults;
mod readonly;
pub mod schema;

use crate::analysis::{self, Lang};
use crate::cite::Record;
use crate::{Error, Result};
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::schema::{OwnedValue, TantivyDocument, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

/// Version of the on-disk layout; bumped when the schema changes.
pub const FORMAT_VERSION: u32 = 6;

/// Segments with more passages than this are not merged again (see
/// [`BoundedMerge`]).
const MAX_DOCS_BEFORE_MERGE: usize = 100_000;
const META_FILE: &str = "kutip.json";
const LOCK_FILE: &str = "kutip.lock";
const ENGINE_DIR: &str = "tantivy";
/// The file Tantivy writes last when it creates an index.
const TANTIVY_META: &str = "meta.json";

/// The engine folder a rebuild of the engine `current` writes:
/// `tantivy.1`, `tantivy.2`, … (never the current one's name).
fn next_engine(current: &str) -> String {
    let n: u64 = current
        .strip_prefix(ENGINE_DIR)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    format!("{ENGINE_DIR}.{}", n + 1)
}

/// Removes the engine folders `kutip.json` does not name: a rebuild killed
/// before it was published, or an old engine a search still held open.
/// Only called with the index's [`Lock`] held, in a folder known to be an index.
fn remove_stale_engines(dir: &Path, current: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let engine_like = name == ENGINE_DIR || name.starts_with(&format!("{ENGINE_DIR}."));
        if engine_like && name != current && e.path().is_dir() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Refuses an index built with another layout or analyzer.
fn check_version(dir: &Path, meta: &Meta) -> Result<()> {
    if meta.format == FORMAT_VERSION && meta.analyzer == analysis::ANALYZER_VERSION {
        return Ok(());
    }
    Err(Error::Index(format!(
        "index at {} was built by kutip {} with analyzer '{}' (format {}); this kutip uses '{}' (format {}): rebuild it with `kutip index --rebuild DIR --index {}`",
        dir.display(),
        meta.kutip,
        meta.analyzer,
        meta.format,
        analysis::ANALYZER_VERSION,
        FORMAT_VERSION,
        dir.display()
    )))
}

/// What the index records about how it was built.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// On-disk layout version.
    pub format: u32,
    /// Analyzer chain and lexicon it was built with.
    pub analyzer: String,
    /// kutip version that built it.
    pub kutip: String,
    /// The folder, inside the index folder, of the engine's files: a
    /// rebuild writes a new one beside the old and switches by rewriting
    /// this file (see [`KutipIndex::publish`]). Indexes that predate the
    /// field use `tantivy`.
    #[serde(default = "default_engine")]
    pub engine: String,
}

fn default_engine() -> String {
    ENGINE_DIR.to_string()
}

impl Meta {
    fn current(engine: &str) -> Self {
        Meta {
            format: FORMAT_VERSION,
            analyzer: analysis::ANALYZER_VERSION.to_string(),
            kutip: env!("CARGO_PKG_VERSION").to_string(),
            engine: engine.to_string(),
        }
    }

    /// Writes it as the folder's `kutip.json`, atomically: a reader sees
    /// the old file or the new one, and a kill leaves one of them.
    fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(META_FILE);
        let tmp = dir.join(format!("{META_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        let written = (|| {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)?;
            std::fs::File::open(dir)?.sync_all()
        })();
        written.map_err(|e| Error::io(path, e))
    }
}

/// What a folder named as an index holds.
enum Folder {
    /// Nothing there yet.
    Absent,
    /// An empty folder (or one with nothing but kutip's lock or a
    /// half-written `kutip.json`).
    Empty,
    /// A kutip index.
    Index(Meta),
    /// Something else, which kutip must not touch: why, for the message.
    Other(&'static str),
}

/// Looks at `dir` without changing anything in it.
fn inspect(dir: &Path) -> Result<Folder> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Folder::Absent),
        Err(e) => return Err(Error::io(dir, e)),
        Ok(m) if !m.is_dir() => return Ok(Folder::Other("it is a file, not a folder")),
        Ok(_) => {}
    }
    if let Some(meta) = read_meta(dir)? {
        return Ok(Folder::Index(meta));
    }
    // kutip's own lock and half-written `kutip.json` (a creation killed
    // before its rename) do not make a folder someone else's.
    let tmp = format!("{META_FILE}.tmp");
    let other = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .any(|e| e.file_name() != LOCK_FILE && e.file_name() != tmp.as_str());
    Ok(if other {
        Folder::Other("it holds other files")
    } else {
        Folder::Empty
    })
}

/// The error for a folder that is not an index, which kutip leaves alone.
fn not_an_index(dir: &Path, why: &str) -> Error {
    Error::Index(format!(
        "{} is not a kutip index ({why}); nothing was changed there — give a new or empty folder, or an index, with --index",
        dir.display()
    ))
}

/// A passage as stored in the index: what a hit and an export carry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoredPassage {
    /// Key of the document's record.
    pub key: String,
    /// Canonical path (identity of the file).
    pub path: String,
    /// Display path.
    pub file: String,
    /// Original text.
    pub text: String,
    /// Language.
    pub lang: Option<Lang>,
    /// Document title.
    pub title: Option<String>,
    /// Document authors.
    pub authors: Vec<String>,
    /// Year.
    pub year: Option<i32>,
    /// Section heading.
    pub section: Option<String>,
    /// Printed page where the passage starts.
    pub page: Option<String>,
    /// Printed page where it ends, when different.
    pub page_end: Option<String>,
    /// Paragraph number.
    pub paragraph: u32,
    /// Passage number in the document.
    pub ordinal: u32,
    /// Byte offsets in the file.
    pub start: u64,
    /// End byte offset.
    pub end: u64,
    /// How the document's record was found.
    pub origin: String,
    /// 1-based line of the passage start in its file.
    pub line: u32,
    /// Citations the passage makes.
    pub cites: Vec<crate::cite::PassageCite>,
}

/// An opened kutip index.
pub struct KutipIndex {
    dir: PathBuf,
    /// The engine's folder (see [`Meta::engine`]).
    engine: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// For a rebuild written beside the index: what `kutip.json` becomes
    /// when it is published, and the engine folder it replaces.
    pending: Option<(Meta, PathBuf)>,
}

fn read_meta(dir: &Path) -> Result<Option<Meta>> {
    let path = dir.join(META_FILE);
    match std::fs::read_to_string(&path) {
        Ok(s) => serde_json::from_str(&s).map(Some).map_err(|_| {
            Error::Index(format!(
                "{}: not a kutip index file; remove the folder or pick another --index",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

impl KutipIndex {
    /// Whether `dir` holds a kutip index.
    pub fn exists(dir: &Path) -> bool {
        dir.join(META_FILE).is_file()
    }

    /// Opens an existing index; a missing or incompatible one is an error
    /// that says how to build it.
    pub fn open(dir: &Path) -> Result<Self> {
        let meta = match inspect(dir)? {
            Folder::Index(meta) => meta,
            Folder::Other(why) => return Err(not_an_index(dir, why)),
            Folder::Absent | Folder::Empty => {
                return Err(Error::Index(format!(
                    "no index at {}; build one with `kutip index DIR --index {}`",
                    dir.display(),
                    dir.display()
                )));
            }
        };
        check_version(dir, &meta)?;
        match Self::open_engine(dir, &meta.engine) {
            // A rebuild may have switched engines between reading
            // `kutip.json` and opening the files it named: read it again.
            Err(e) => match read_meta(dir)? {
                Some(now) if now.engine != meta.engine => Self::open_engine(dir, &now.engine),
                _ if !dir.join(&meta.engine).join(TANTIVY_META).is_file() => {
                    Err(Error::Index(format!(
                        "the index at {} has no commit yet: `kutip index` is making it, or was stopped before its first commit (run it again)",
                        dir.display()
                    )))
                }
                _ => Err(e),
            },
            ok => ok,
        }
    }

    /// Opens the index in `dir` for writing, creating it when the folder is
    /// absent or empty; `rebuild` writes a new engine beside the old one,
    /// which searches keep using until [`KutipIndex::publish`]. A folder that
    /// is not a kutip index is refused untouched. Call with the [`Lock`] held.
    pub fn create_or_open(dir: &Path, rebuild: bool) -> Result<Self> {
        let meta = match inspect(dir)? {
            Folder::Other(why) => return Err(not_an_index(dir, why)),
            Folder::Absent | Folder::Empty => {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                // `kutip.json` first: a kill before the engine is made
                // leaves a folder that is recognisably an index.
                let meta = Meta::current(ENGINE_DIR);
                meta.write(dir)?;
                meta
            }
            Folder::Index(meta) => meta,
        };
        remove_stale_engines(dir, &meta.engine);
        if rebuild {
            let name = next_engine(&meta.engine);
            let mut index = Self::create_engine(dir, &name)?;
            index.pending = Some((Meta::current(&name), dir.join(&meta.engine)));
            return Ok(index);
        }
        // A run killed while it made the index left `kutip.json` and no
        // engine (or one Tantivy never finished): make it now.
        if !dir.join(&meta.engine).join(TANTIVY_META).is_file() {
            return Self::create_engine(dir, &meta.engine);
        }
        Self::open(dir)
    }

    /// Makes a rebuild written beside the index the index: `kutip.json`
    /// names its engine (one atomic rename, so a search opens the old
    /// engine or the new one, never neither), then the old engine is
    /// removed. Nothing to do for an index opened in place.
    pub fn publish(&mut self) -> Result<()> {
        let Some((meta, old)) = self.pending.take() else {
            return Ok(());
        };
        meta.write(&self.dir)?;
        // A search that opened the old engine keeps its files open (they
        // are memory-mapped); what cannot be removed now goes next run.
        let _ = std::fs::remove_dir_all(old);
        Ok(())
    }

    fn open_engine(dir: &Path, name: &str) -> Result<Self> {
        let engine = dir.join(name);
        let cannot = |e: &dyn std::fmt::Display| {
            Error::Index(format!(
                "index at {} cannot be opened ({e}); rebuild it with `kutip index --rebuild`",
                dir.display()
            ))
        };
        let mut index = match faults::armed() {
            Some(suffix) => faults::AbortingDirectory::open(&engine, suffix).and_then(Index::open),
            None => Index::open_in_dir(&engine),
        }
        .map_err(|e| cannot(&e))?;
        search_in_parallel(&mut index);
        analysis::register(index.tokenizers());
        let reader = match index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
        {
            Ok(r) => r,
            // Reading takes a lock file, which a read-only filesystem refuses.
            Err(e) if e.to_string().contains("Read-only file system") => {
                let ro = readonly::ReadOnlyDirectory::open(&engine).map_err(|e| cannot(&e))?;
                index = Index::open(ro).map_err(|e| cannot(&e))?;
                search_in_parallel(&mut index);
                analysis::register(index.tokenizers());
                index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::Manual)
                    .try_into()?
            }
            Err(e) => return Err(e.into()),
        };
        let (_, fields) = schema::build();
        Ok(KutipIndex {
            dir: dir.to_path_buf(),
            engine,
            index,
            fields,
            reader,
            pending: None,
        })
    }

    /// Makes a new, empty engine in the folder `name` of `dir` (replacing
    /// whatever a killed run left there) and opens it.
    fn create_engine(dir: &Path, name: &str) -> Result<Self> {
        let engine = dir.join(name);
        if engine.exists() {
            std::fs::remove_dir_all(&engine).map_err(|e| Error::io(&engine, e))?;
        }
        std::fs::create_dir_all(&engine).map_err(|e| Error::io(&engine, e))?;
        let (schema, _) = schema::build();
        drop(Index::create_in_dir(&engine, schema)?);
        Self::open_engine(dir, name)
    }

    /// The folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Tantivy index (for `search`).
    pub fn engine(&self) -> &Index {
        &self.index
    }

    /// Field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the last commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Starts a writer with a memory budget in bytes.
    pub fn writer(&self, budget: usize) -> Result<Writer> {
        let budget = budget.max(MIN_BUDGET);
        // One indexing thread per core, at most eight, each with at least
        // Tantivy's minimum share of the budget.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = cores.min(8).min(budget / MIN_BUDGET).max(1);
        let writer: tantivy::IndexWriter = self.index.writer_with_num_threads(threads, budget)?;
        let policy = BoundedMerge::new(self.engine.clone(), budget / threads);
        writer.set_merge_policy(Box::new(policy.clone()));
        // Files no commit refers to — a delete file a kill cut short, whose
        // name the next run's first checkpoint would otherwise collide
        // with — are removed before anything is written, as Tantivy does
        // after each commit.
        writer.garbage_collect_files().wait()?;
        Ok(Writer {
            writer,
            fields: self.fields.clone(),
            policy,
            checkpoints: 0,
        })
    }

    /// Reads one stored passage.
    pub fn passage(&self, doc: &TantivyDocument) -> StoredPassage {
        let f = &self.fields;
        let s = |field| first_str(doc, field);
        let u = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        StoredPassage {
            key: s(f.key).unwrap_or_default(),
            path: s(f.path).unwrap_or_default(),
            file: s(f.file).unwrap_or_default(),
            text: s(f.text).unwrap_or_default(),
            lang: s(f.lang).and_then(|l| Lang::parse(&l)),
            title: s(f.title),
            authors: doc
                .get_all(f.author)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            year: doc
                .get_first(f.year)
                .and_then(|v| v.as_i64())
                .map(|y| y as i32),
            section: s(f.section),
            page: s(f.page),
            page_end: s(f.page_end),
            paragraph: u(f.paragraph) as u32,
            ordinal: u(f.ordinal) as u32,
            start: u(f.start),
            end: u(f.end),
            origin: s(f.origin).unwrap_or_default(),
            line: u(f.line) as u32,
            cites: s(f.cites)
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default(),
        }
    }

    /// The record stored under `key`.
    pub fn record(&self, key: &str) -> Result<Option<Record>> {
        Ok(self.record_rendered(key)?.map(|(r, _)| r))
    }

    /// The record stored under `key`, and its rendering made when it was
    /// indexed (see [`crate::cite::render::Prerendered`]), if any.
    pub fn record_rendered(&self, key: &str) -> Result<Option<(Record, Option<String>)>> {
        use tantivy::query::{BooleanQuery, Occur, TermQuery};
        use tantivy::schema::IndexRecordOption;
        let f = &self.fields;
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, "record"),
                    IndexRecordOption::Basic,
                )),
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.key, key),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let searcher = self.searcher();
        // On the calling thread, not the search pool: callers fetch records
        // from rayon workers (`Citer::prepare`), and a worker that waits on
        // another pool steals work meanwhile — another fetch, which waits in
        // turn — so the waits nest on one stack as deep as there are works.
        let top = searcher.search_with_executor(
            &q,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            &tantivy::Executor::single_thread(),
            tantivy::query::EnableScoring::enabled_from_searcher(&searcher),
        )?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr)?;
        Ok(first_str(&doc, f.record)
            .and_then(|s| Record::from_stored(&s))
            .map(|r| (r, first_str(&doc, f.rendered))))
    }
}

fn first_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Adds and removes documents; nothing is visible until [`Writer::commit`].
pub struct Writer {
    writer: tantivy::IndexWriter,
    fields: Fields,
    policy: BoundedMerge,
    /// Checkpoints committed so far.
    checkpoints: usize,
}

impl Writer {
    /// Removes every passage and record that came from `path`.
    pub fn delete_path(&mut self, path: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.path, path));
    }

    /// Stores a library record; `line` is where it starts in `file`, and
    /// `rendered` its rendering made ahead of searches, if any.
    pub fn add_record(
        &mut self,
        key: &str,
        stored: &str,
        rendered: Option<&str>,
        path: &str,
        file: &str,
        line: Option<usize>,
    ) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.kind, "record");
        doc.add_text(f.key, key);
        doc.add_text(f.path, path);
        doc.add_text(f.file, file);
        if let Some(l) = line {
            doc.add_u64(f.line, l as u64);
        }
        doc.add_text(f.record, stored);
        if let Some(r) = rendered {
            doc.add_text(f.rendered, r);
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Indexes a passage.
    pub fn add_passage(&mut self, p: &StoredPassage) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.kind, "passage");
        doc.add_text(f.key, &p.key);
        doc.add_text(f.path, &p.path);
        doc.add_text(f.file, &p.file);
        doc.add_text(f.text, &p.text);
        match p.lang {
            Some(Lang::Id) => doc.add_text(f.body_id, &p.text),
            Some(Lang::En) => doc.add_text(f.body_en, &p.text),
            None => {
                doc.add_text(f.body_id, &p.text);
                doc.add_text(f.body_en, &p.text);
            }
        }
        if let Some(l) = p.lang {
            doc.add_text(f.lang, l.code());
        }
        let mut opt = |field, v: &Option<String>| {
            if let Some(v) = v {
                doc.add_field_value(field, &OwnedValue::Str(v.clone()));
            }
        };
        opt(f.title, &p.title);
        opt(f.section, &p.section);
        opt(f.page, &p.page);
        opt(f.page_end, &p.page_end);
        for a in &p.authors {
            doc.add_text(f.author, a);
        }
        if let Some(y) = p.year {
            doc.add_i64(f.year, y as i64);
        }
        doc.add_u64(f.paragraph, p.paragraph as u64);
        doc.add_u64(f.ordinal, p.ordinal as u64);
        doc.add_u64(f.start, p.start);
        doc.add_u64(f.end, p.end);
        doc.add_text(f.origin, &p.origin);
        doc.add_u64(f.line, p.line as u64);
        if !p.cites.is_empty() {
            doc.add_text(f.cites, serde_json::to_string(&p.cites).unwrap_or_default());
        }
        for c in &p.cites {
            match &c.key {
                Some(k) => doc.add_text(f.cites_key, k),
                None => doc.add_text(f.unresolved, "1"),
            }
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Stores a problem found in a file (malformed or duplicate library
    /// entries), so that `kutip check` can report it until the file changes.
    pub fn add_problem(&mut self, path: &str, message: &str) -> Result<()> {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.kind, "problem");
        doc.add_text(f.path, path);
        // Stored, not indexed: no query reaches a problem (see `schema::Fields::text`).
        doc.add_text(f.record, message);
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Makes every change since the last commit visible, atomically.
    pub fn commit(mut self) -> Result<()> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

impl KutipIndex {
    /// Every path the index has seen (from the term dictionary; may include
    /// paths whose documents were deleted, see [`KutipIndex::has_path`]).
    pub fn indexed_paths(&self) -> Result<Vec<String>> {
        let mut out = std::collections::BTreeSet::new();
        for segment in self.searcher().segment_readers() {
            let inverted = segment.inverted_index(self.fields.path)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| Error::io(&self.dir, e))?;
            while let Some((term, _)) = terms.next() {
                if let Ok(s) = std::str::from_utf8(term) {
                    out.insert(s.to_string());
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Whether any live passage or record came from `path`.
    pub fn has_path(&self, path: &str) -> Result<bool> {
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.path, path),
            tantivy::schema::IndexRecordOption::Basic,
        );
        Ok(self.searcher().search(&q, &tantivy::collector::Count)? > 0)
    }
}

/// A stored library record with where it came from.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    /// Key.
    pub key: String,
    /// The record.
    pub record: Record,
    /// Canonical path of the file it was read from (or the document it belongs to).
    pub path: String,
    /// Display path.
    pub file: String,
    /// Line in the file, where known.
    pub line: Option<u32>,
}

/// By its name, whether a file is a document (`Some(true)`) or a library
/// file, .bib or CSL-JSON (`Some(false)`).
fn is_document_file(file: &str) -> Option<bool> {
    crate::ingest::walk::Kind::of(Path::new(file)).map(|k| k.is_document())
}

impl KutipIndex {
    fn docs_of_kind(&self, kind: &str) -> Result<Vec<TantivyDocument>> {
        let mut out = Vec::new();
        self.each_of_kind(kind, |d| {
            out.push(d);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `each` with every document of `kind`, one at a time.
    fn each_of_kind(
        &self,
        kind: &str,
        mut each: impl FnMut(TantivyDocument) -> Result<()>,
    ) -> Result<()> {
        let searcher = self.searcher();
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let mut addrs: Vec<_> = searcher
            .search(&q, &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        addrs.sort();
        for a in addrs {
            each(searcher.doc(a)?)?;
        }
        Ok(())
    }

    /// Calls `each` with the records stored from library files (.bib,
    /// CSL-JSON), one at a time, in index order, but those whose file's
    /// canonical path `skip` names (files a run reads anew): those are not
    /// even decoded.
    pub fn each_library_record(
        &self,
        skip: impl Fn(&str) -> bool,
        mut each: impl FnMut(StoredRecord),
    ) -> Result<()> {
        let f = &self.fields;
        self.each_of_kind("record", |d| {
            let path = first_str(&d, f.path).unwrap_or_default();
            let file = first_str(&d, f.file).unwrap_or_default();
            if skip(&path) || is_document_file(&file) != Some(false) {
                return Ok(());
            }
            let record = first_str(&d, f.record).and_then(|r| Record::from_stored(&r));
            if let (Some(key), Some(record)) = (first_str(&d, f.key), record) {
                each(StoredRecord {
                    key,
                    record,
                    path,
                    file,
                    line: d
                        .get_first(f.line)
                        .and_then(|v| v.as_u64())
                        .map(|l| l as u32),
                });
            }
            Ok(())
        })
    }

    /// Every record's key, in key order, without decoding the records.
    pub fn record_keys(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        self.each_of_kind("record", |d| {
            out.extend(first_str(&d, self.fields.key));
            Ok(())
        })?;
        out.sort();
        Ok(out)
    }

    /// Problems stored for library files (malformed entries, duplicate keys).
    pub fn problems(&self) -> Result<Vec<String>> {
        let mut out: Vec<String> = self
            .docs_of_kind("problem")?
            .iter()
            .filter_map(|d| first_str(d, self.fields.record))
            .collect();
        out.sort();
        Ok(out)
    }
}

/// What the index knows of one file it has read: enough to tell, without
/// reading it again, whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Canonical path.
    pub path: String,
    /// Display path.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    /// Content hash (xxh3).
    pub hash: u64,
    /// Key of the document's record (empty for library files).
    pub key: String,
    /// Analyzer it was indexed with.
    pub analyzer: String,
}

impl KutipIndex {
    /// Canonical paths of the documents (not library files) the index
    /// holds, in the order of their display paths.
    pub fn document_paths(&self) -> Result<Vec<String>> {
        let mut docs: Vec<(String, String)> = self
            .manifest()?
            .into_values()
            .filter(|e| is_document_file(&e.path) == Some(true))
            .map(|e| (e.file, e.path))
            .collect();
        docs.sort();
        Ok(docs.into_iter().map(|(_, path)| path).collect())
    }

    /// The manifest: every file the index has read, by canonical path.
    pub fn manifest(&self) -> Result<std::collections::HashMap<String, FileEntry>> {
        let f = &self.fields;
        let u =
            |d: &TantivyDocument, field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        Ok(self
            .docs_of_kind("file")?
            .iter()
            .filter_map(|d| {
                let path = first_str(d, f.file_path)?;
                Some((
                    path.clone(),
                    FileEntry {
                        path,
                        file: first_str(d, f.file).unwrap_or_default(),
                        size: u(d, f.size),
                        mtime: u(d, f.mtime),
                        hash: u(d, f.hash),
                        key: first_str(d, f.key).unwrap_or_default(),
                        analyzer: first_str(d, f.analyzer).unwrap_or_default(),
                    },
                ))
            })
            .collect())
    }
}

impl Writer {
    /// Records (or replaces) the manifest entry of a file.
    pub fn set_file(&mut self, e: &FileEntry) -> Result<()> {
        let f = &self.fields;
        self.writer
            .delete_term(Term::from_field_text(f.file_path, &e.path));
        let mut doc = TantivyDocument::new();
        doc.add_text(f.kind, "file");
        doc.add_text(f.file_path, &e.path);
        doc.add_text(f.file, &e.file);
        doc.add_u64(f.size, e.size);
        doc.add_u64(f.mtime, e.mtime);
        doc.add_u64(f.hash, e.hash);
        doc.add_text(f.key, &e.key);
        doc.add_text(f.analyzer, &e.analyzer);
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Forgets a file: its passages, records, problems and manifest entry.
    pub fn forget_file(&mut self, path: &str) {
        self.delete_path(path);
        self.writer
            .delete_term(Term::from_field_text(self.fields.file_path, path));
    }

    /// Makes the changes so far visible and keeps the writer for more.
    pub fn checkpoint(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.checkpoints += 1;
        faults::after_checkpoint(self.checkpoints);
        Ok(())
    }

    /// Drops every change since the last checkpoint (or the start).
    pub fn rollback(&mut self) -> Result<()> {
        self.writer.rollback()?;
        // Tantivy starts a new writer, with the default policy.
        self.writer.set_merge_policy(Box::new(self.policy.clone()));
        Ok(())
    }
}

/// Lets a search run over the index's segments on every core: a query's
/// slowest part (long posting lists, phrase positions) is per segment, and
/// a large index has several (see [`MAX_DOCS_BEFORE_MERGE`]). Without a
/// pool (one core, or threads refused) segments are searched one by one.
fn search_in_parallel(index: &mut Index) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        let _ = index.set_multithread_executor(cores.min(SEARCH_THREADS));
    }
}

/// At most this many search threads: every process that opens the index
/// starts them, and an index of under a million passages has about as many
/// segments.
const SEARCH_THREADS: usize = 8;

/// The smallest budget Tantivy gives an indexing thread.
const MIN_BUDGET: usize = 15_000_000;

/// Tantivy's merge policy, given only the small segments (checkpoints,
/// incremental runs): a segment of more than [`MAX_DOCS_BEFORE_MERGE`]
/// passages, or of more bytes on disk than a quarter of what one indexing
/// thread holds before it writes a segment, is left alone. A merge thus
/// never reads the segments a run writes at full budget, so memory stays
/// bounded by the budget and indexing time grows linearly, however long the
/// passages: counting passages alone let eight full segments of long
/// passages (about 43,000 passages, 66 MB each at the default budget) be
/// merged into one, which took a run to a 994 MB peak.
#[derive(Debug, Clone)]
struct BoundedMerge {
    inner: tantivy::indexer::LogMergePolicy,
    engine: PathBuf,
    max_bytes: u64,
}

impl BoundedMerge {
    /// For a writer whose threads each hold `per_thread` bytes.
    fn new(engine: PathBuf, per_thread: usize) -> Self {
        let mut inner = tantivy::indexer::LogMergePolicy::default();
        inner.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        BoundedMerge {
            inner,
            engine,
            max_bytes: per_thread as u64 / 4,
        }
    }

    /// A segment's size on disk (the files of its parts).
    fn bytes(&self, segment: &tantivy::index::SegmentMeta) -> u64 {
        use tantivy::index::SegmentComponent as C;
        [
            C::Postings,
            C::Positions,
            C::Terms,
            C::Store,
            C::FastFields,
            C::FieldNorms,
        ]
        .into_iter()
        .filter_map(|c| std::fs::metadata(self.engine.join(segment.relative_path(c))).ok())
        .map(|m| m.len())
        .sum()
    }
}

impl tantivy::indexer::MergePolicy for BoundedMerge {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::indexer::MergeCandidate> {
        let small: Vec<tantivy::index::SegmentMeta> = segments
            .iter()
            .filter(|s| self.bytes(s) <= self.max_bytes)
            .cloned()
            .collect();
        self.inner.compute_merge_candidates(&small)
    }
}

/// An exclusive claim on an index folder for one indexing process; released
/// when dropped or when the process ends, however it ends.
pub struct Lock {
    _file: std::fs::File,
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Lock {
    /// Takes the lock of `dir`, or says which process holds it. A lock left
    /// by a process that died is taken over, and said so in the returned note.
    pub fn acquire(dir: &Path) -> Result<(Lock, Option<String>)> {
        use std::io::{Read, Seek, Write};
        // Not even a lock file goes into a folder that is not an index.
        if let Folder::Other(why) = inspect(dir)? {
            return Err(not_an_index(dir, why));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let previous: Option<u32> = previous.trim().parse().ok();
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let who =
                    previous.map_or("another process".to_string(), |p| format!("process {p}"));
                return Err(Error::Index(format!(
                    "index at {} is locked by {who} (another kutip index); wait for it to finish",
                    dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let note = previous
            .filter(|&p| p != std::process::id() && !process_alive(p))
            .map(|p| format!("a previous kutip index (process {p}) stopped before it finished; continuing from its last commit"));
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(|e| Error::io(&path, e))?;
        // The pid only names the holder in messages; the lock is the
        // file's. On a full disk it is not written: the run that would
        // collect what failed runs left there must not fail first.
        let written = write!(file, "{}", std::process::id()).and_then(|()| file.flush());
        match written {
            Err(e) if e.kind() != std::io::ErrorKind::StorageFull => {
                return Err(Error::io(&path, e));
            }
            _ => {}
        }
        Ok((Lock { _file: file }, note))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // A clean finish leaves no pid behind, so the next run does not
        // mistake it for a crash.
        let _ = self._file.set_len(0);
    }
}

impl KutipIndex {
    /// The passage of a file at a reading-order position (1-based).
    pub fn passage_at(&self, path: &str, ordinal: u32) -> Result<Option<StoredPassage>> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        let f = &self.fields;
        let basic = tantivy::schema::IndexRecordOption::Basic;
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_text(f.path, path), basic))
                    as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.ordinal, ordinal as u64),
                    basic,
                )),
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, "passage"),
                    basic,
                )),
            ),
        ]);
        let searcher = self.searcher();
        let top = searcher.search(
            &q,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.passage(&searcher.doc(*addr)?))),
            None => Ok(None),
        }
    }

    /// The passages of one file, in reading order.
    pub fn passages_of(&self, path: &str) -> Result<Vec<StoredPassage>> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        let f = &self.fields;
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.path, path),
                    tantivy::schema::IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, "passage"),
                    tantivy::schema::IndexRecordOption::Basic,
                )),
            ),
        ]);
        let searcher = self.searcher();
        let addrs = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
        let mut out = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            out.push(self.passage(&doc));
        }
        out.sort_by_key(|p| p.ordinal);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::{SegmentId, SegmentMeta};
    use tantivy::indexer::MergePolicy;

    #[test]
    fn a_folder_is_ours_only_when_empty_of_anything_but_our_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("idx");
        assert!(matches!(inspect(&d).unwrap(), Folder::Absent));
        std::fs::create_dir(&d).unwrap();
        // What a creation killed before its `kutip.json` rename leaves.
        std::fs::write(d.join(LOCK_FILE), "").unwrap();
        std::fs::write(d.join("kutip.json.tmp"), "{").unwrap();
        assert!(matches!(inspect(&d).unwrap(), Folder::Empty));
        std::fs::create_dir(d.join(ENGINE_DIR)).unwrap();
        assert!(matches!(inspect(&d).unwrap(), Folder::Other(_)));
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(inspect(&file).unwrap(), Folder::Other(_)));
        // A created index is recognised, and a rebuild's engine is the next one.
        let index = KutipIndex::create_or_open(&dir.path().join("new"), false).unwrap();
        assert!(matches!(inspect(index.dir()).unwrap(), Folder::Index(m) if m.engine == "tantivy"));
        assert_eq!(next_engine("tantivy"), "tantivy.1");
        assert_eq!(next_engine("tantivy.9"), "tantivy.10");
    }

    /// Segments of `docs` passages, each with a postings file of `bytes`.
    fn segments(index: &Index, engine: &Path, n: usize, docs: u32, bytes: u64) -> Vec<SegmentMeta> {
        (0..n)
            .map(|_| {
                let meta = index.new_segment_meta(SegmentId::generate_random(), docs);
                let path =
                    engine.join(meta.relative_path(tantivy::index::SegmentComponent::Postings));
                std::fs::File::create(path).unwrap().set_len(bytes).unwrap();
                meta
            })
            .collect()
    }

    #[test]
    fn segments_written_at_full_budget_are_never_merged_however_few_their_passages() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::create_in_ram(schema::build().0);
        let policy = BoundedMerge::new(dir.path().to_path_buf(), 100_000_000);
        // Long passages: eight full segments of a few thousand passages.
        let full = segments(&index, dir.path(), 8, 5_000, policy.max_bytes + 1);
        assert!(
            !policy.inner.compute_merge_candidates(&full).is_empty(),
            "counting passages alone would merge them"
        );
        assert!(policy.compute_merge_candidates(&full).is_empty());
        // Checkpoints' small segments are still merged, without the full ones.
        let small = segments(&index, dir.path(), 8, 5_000, policy.max_bytes / 100);
        let all: Vec<SegmentMeta> = full.iter().chain(&small).cloned().collect();
        let merged: Vec<Vec<SegmentId>> = policy
            .compute_merge_candidates(&all)
            .into_iter()
            .map(|c| c.0)
            .collect();
        let mut small_ids: Vec<SegmentId> = small.iter().map(|s| s.id()).collect();
        small_ids.sort();
        let mut got: Vec<SegmentId> = merged.concat();
        got.sort();
        assert_eq!(got, small_ids);
    }
}
