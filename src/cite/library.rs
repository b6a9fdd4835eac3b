//! The library: bibliographic records read from BibTeX/BibLaTeX and CSL-JSON
//! files, or built from a document's own front matter. Model and IO only;
//! rendering lives in `render`.

use super::resolve::Work;
use crate::analysis::Lang;
use hayagriva::Entry;
use hayagriva::citationberg::json as csl;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One bibliographic record, kept in the form it was read in so that
/// hayagriva renders it without a lossy conversion.
#[derive(Debug, Clone)]
pub enum Record {
    /// Read from BibTeX/BibLaTeX (through hayagriva's converter), with the
    /// entry's source text: the index stores the source, not a re-serialisation.
    Bib {
        /// The converted entry.
        entry: Box<Entry>,
        /// BibTeX source of the entry (with the file's @string macros).
        source: String,
    },
    /// Read from CSL-JSON, or built from front matter (CSL variable names).
    Csl {
        /// The parsed item.
        item: csl::Item,
        /// The item as read.
        json: serde_json::Value,
    },
}

/// A record with where it came from.
#[derive(Debug, Clone)]
pub struct LibraryEntry {
    /// Citation key.
    pub key: String,
    /// The record.
    pub record: Record,
    /// File it was read from.
    pub origin: PathBuf,
    /// 1-based line of the record in `origin`, where known.
    pub line: Option<usize>,
    /// Attachment paths from a BibTeX `file` field, as written.
    pub files: Vec<String>,
}

/// A library entry as an index run holds it: what linking and resolving
/// need, and the record in its stored form, decoded only when a document
/// links to it. A parsed record takes several kilobytes; this, about one
/// (a 250,000-entry library is held in a few hundred megabytes).
#[derive(Debug, Clone)]
pub struct HeldEntry {
    /// Citation key.
    pub key: String,
    /// File it was read from.
    pub origin: PathBuf,
    /// 1-based line of the record in `origin`, where known.
    pub line: Option<usize>,
    /// Attachment paths from a BibTeX `file` field, as written.
    pub files: Vec<String>,
    /// The record as the index stores it ([`Record::to_stored`]).
    pub stored: String,
    /// What resolving citations needs of it, until a resolver takes it
    /// ([`Library::take_works`]).
    pub work: Option<Work>,
}

impl From<LibraryEntry> for HeldEntry {
    fn from(e: LibraryEntry) -> Self {
        HeldEntry {
            work: Some(Work::of(&e.key, &e.record)),
            stored: e.record.to_stored(),
            key: e.key,
            origin: e.origin,
            line: e.line,
            files: e.files,
        }
    }
}

impl HeldEntry {
    /// The record, decoded from its stored form.
    pub fn record(&self) -> Option<Record> {
        Record::from_stored(&self.stored)
    }
}

/// A problem found while reading a library file; never fatal.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// File concerned.
    pub path: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Stored form of a record in the index.
#[derive(Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "kebab-case")]
enum Stored {
    Bibtex { source: String },
    CslJson { item: serde_json::Value },
}

fn csl_str(item: &csl::Item, name: &str) -> Option<String> {
    item.0
        .get(name)
        .and_then(|v| v.to_str())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn csl_names(item: &csl::Item, var: &str) -> Vec<String> {
    let Some(csl::Value::Names(names)) = item.0.get(var) else {
        return Vec::new();
    };
    names
        .iter()
        .map(|n| match n {
            csl::NameValue::Item(p) => {
                let family = match &p.non_dropping_particle {
                    Some(part) => format!("{part} {}", p.family),
                    None => p.family.clone(),
                };
                match &p.given {
                    Some(g) => format!("{family}, {g}"),
                    None => family,
                }
            }
            csl::NameValue::Literal(l) => l.literal.clone(),
        })
        .collect()
}

fn csl_year(json: &serde_json::Value) -> Option<i32> {
    // Dates come as `date-parts`, `raw` or `literal` (or a bare string).
    let issued = json.get("issued")?;
    if let Some(y) = issued.pointer("/date-parts/0/0") {
        return y
            .as_i64()
            .map(|y| y as i32)
            .or_else(|| y.as_str().and_then(leading_year));
    }
    ["raw", "literal"]
        .iter()
        .find_map(|k| {
            issued
                .get(k)
                .and_then(|v| v.as_str())
                .and_then(leading_year)
        })
        .or_else(|| issued.as_str().and_then(leading_year))
        .or_else(|| issued.as_i64().map(|y| y as i32))
}

fn leading_year(s: &str) -> Option<i32> {
    let digits: String = s
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

fn person_name(p: &hayagriva::types::Person) -> String {
    let family = match &p.prefix {
        Some(prefix) => format!("{prefix} {}", p.name),
        None => p.name.clone(),
    };
    match &p.given_name {
        Some(g) => format!("{family}, {g}"),
        None => family,
    }
}

impl Record {
    /// The record's title, where it has one.
    pub fn title(&self) -> Option<String> {
        match self {
            Record::Bib { entry: e, .. } => e.title().map(|t| t.value.to_string()),
            Record::Csl { item: i, .. } => csl_str(i, "title"),
        }
    }

    /// Authors as `Family, Given` (or a literal name); editors when there is no author.
    pub fn authors(&self) -> Vec<String> {
        match self {
            Record::Bib { entry: e, .. } => {
                let people = e.authors().or_else(|| e.editors()).unwrap_or(&[]);
                people.iter().map(person_name).collect()
            }
            Record::Csl { item: i, .. } => {
                let a = csl_names(i, "author");
                if a.is_empty() {
                    csl_names(i, "editor")
                } else {
                    a
                }
            }
        }
    }

    /// Year of publication.
    pub fn year(&self) -> Option<i32> {
        match self {
            Record::Bib { entry: e, .. } => e.date_any().map(|d| d.year),
            Record::Csl { json, .. } => csl_year(json),
        }
    }

    /// The printed number of the work's first page (`pages = {101--118}` → 101).
    pub fn first_page(&self) -> Option<i32> {
        match self {
            Record::Bib { entry: e, .. } => e
                .page_range()
                .and_then(|r| r.as_typed())
                .and_then(|r| r.first())
                .and_then(|n| n.single_number()),
            Record::Csl { item: i, .. } => csl_str(i, "page").and_then(|p| {
                let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
                digits.parse().ok()
            }),
        }
    }

    /// The first and last printed pages of the work, when its record gives
    /// a range of numbers (`pages = {115--25}` → 115, 125: an abbreviated
    /// end takes the start's leading digits).
    pub fn page_span(&self) -> Option<(u64, u64)> {
        let text = match self {
            Record::Bib { entry: e, .. } => e.page_range().map(|r| r.to_string())?,
            Record::Csl { item: i, .. } => csl_str(i, "page")?,
        };
        let numbers: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .collect();
        let first: u64 = numbers.first()?.parse().ok()?;
        let end = numbers.last()?;
        let mut last: u64 = end.parse().ok()?;
        if last < first && end.len() < numbers[0].len() {
            let head = &numbers[0][..numbers[0].len() - end.len()];
            last = format!("{head}{end}").parse().ok()?;
        }
        (last >= first).then_some((first, last))
    }

    /// The record's declared language, when it is one kutip indexes.
    pub fn language(&self) -> Option<Lang> {
        match self {
            Record::Bib { entry: e, .. } => {
                e.language().and_then(|l| Lang::parse(l.language.as_str()))
            }
            Record::Csl { item: i, .. } => csl_str(i, "language").and_then(|l| Lang::parse(&l)),
        }
    }

    /// Builds a CSL record from its JSON form.
    pub fn from_csl_json(json: serde_json::Value) -> Result<Record, String> {
        let item = serde_json::from_value::<csl::Item>(json.clone()).map_err(|e| e.to_string())?;
        Ok(Record::Csl { item, json })
    }

    /// Parses one BibTeX entry's source.
    pub fn from_bibtex(source: &str) -> Result<Record, String> {
        if let Some(why) = macro_loop(source) {
            return Err(why);
        }
        let bib = biblatex::Bibliography::parse(source).map_err(|e| e.kind.to_string())?;
        let tex = bib.iter().next().ok_or("no entry")?;
        let entry = convert(tex).map_err(|e| e.to_string())?;
        Ok(Record::Bib {
            entry: Box::new(entry),
            source: source.to_string(),
        })
    }

    /// Serialises the record for the index.
    pub fn to_stored(&self) -> String {
        let stored = match self {
            Record::Bib { source, .. } => Stored::Bibtex {
                source: source.clone(),
            },
            Record::Csl { json, .. } => Stored::CslJson { item: json.clone() },
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads a record written by [`Record::to_stored`].
    pub fn from_stored(s: &str) -> Option<Record> {
        match serde_json::from_str::<Stored>(s).ok()? {
            Stored::Bibtex { source } => Record::from_bibtex(&source).ok(),
            Stored::CslJson { item } => Record::from_csl_json(item).ok(),
        }
    }
}

/// hayagriva's conversion of a BibTeX entry, mended (see [`mend`]).
fn convert(tex: &biblatex::Entry) -> Result<Entry, biblatex::TypeError> {
    let entry = Entry::try_from(tex)?;
    let language = tex
        .get("langid")
        .or_else(|| tex.get("language"))
        .map(verbatim)
        .and_then(|l| language_code(&l));
    let series_volume =
        tex.get("series").is_some() && tex.get("volume").is_some() && tex.get("number").is_none();
    // A book's `number` in its `series` (no volume): its number in the
    // series, which hayagriva made the book's issue (APA's "(Issue 4)").
    let series_number = tex.get("series").is_some()
        && tex.get("number").is_some()
        && tex.get("volume").is_none()
        && tex.entry_type != biblatex::EntryType::Article;
    let mut entry = mend(entry, language, series_volume, series_number);
    // `howpublished` names where the work appeared (`Kompasiana`, a
    // publisher): the publisher where none is named, as citation.js reads
    // it; a link written there (`\url{…}`) is no publisher.
    if entry.publisher().and_then(|p| p.name()).is_none()
        && let Some(how) = tex.get("howpublished").map(verbatim)
        && !how.trim().is_empty()
        && !names_a_link(&how)
    {
        let place = entry.publisher().and_then(|p| p.location()).cloned();
        entry.set_publisher(hayagriva::types::Publisher::new(
            Some(hayagriva::types::FormatString::with_value(how.trim())),
            place,
        ));
    }
    Ok(entry)
}

/// Whether a field's text is (or holds) a link rather than a name:
/// `\url{…}`, `https://…`, `www.…`, a DOI address.
pub(crate) fn names_a_link(text: &str) -> bool {
    let l = text.to_lowercase();
    ["http", "www.", "\\url", "doi.org"]
        .iter()
        .any(|u| l.contains(u))
}

/// A name particle (`de`, `van der`) kept with the family name: hayagriva
/// treats it as a dropping particle, so APA printed "Villiers, J. C. de" and
/// cited "(Villiers, 2005)" for de Villiers.
fn keep_particles(people: &[hayagriva::types::Person]) -> Option<Vec<hayagriva::types::Person>> {
    if !people
        .iter()
        .any(|p| p.prefix.as_deref().is_some_and(|x| !x.trim().is_empty()))
    {
        return None;
    }
    Some(
        people
            .iter()
            .map(|p| {
                let mut p = p.clone();
                if let Some(prefix) = p.prefix.take().filter(|x| !x.trim().is_empty()) {
                    p.name = format!("{} {}", prefix.trim(), p.name).trim().to_string();
                }
                p
            })
            .collect(),
    )
}

/// BCP 47 code for a BibTeX `language`/`langid` name (`indonesian` → `id`).
/// hayagriva drops names it cannot parse, and CSL then treats the work as
/// English and title-cases it ("Histori Dan Esensi"); a code keeps it as it is.
pub(crate) fn language_code(name: &str) -> Option<&'static str> {
    Some(match name.trim().to_lowercase().as_str() {
        "english" | "american" | "british" | "en" | "eng" => "en",
        "indonesian" | "bahasa indonesia" | "bahasa" | "id" | "ind" => "id",
        "malay" | "bahasa melayu" | "ms" | "msa" => "ms",
        "dutch" | "nl" => "nl",
        "german" | "ngerman" | "de" => "de",
        "french" | "fr" => "fr",
        "spanish" | "es" => "es",
        "portuguese" | "pt" => "pt",
        "japanese" | "ja" => "ja",
        "chinese" | "zh" => "zh",
        "arabic" | "ar" => "ar",
        _ => return None,
    })
}

/// Repairs what hayagriva's BibTeX conversion gets wrong, through its own
/// YAML form so no field is touched by hand:
/// - `@incollection` becomes an anthos in an anthology, which prints the book
///   title twice in APA, Chicago and MLA (hayagriva issues 309 and 437); a
///   chapter in a book carries the same data and renders correctly;
/// - a `language` name it could not parse is set as a code;
/// - a book's `volume` or `number` in a series becomes its number in the
///   series (see [`to_series`]);
/// - the body that published it is its publisher (see
///   [`publisher_from_organization`]), TeX quotes in its title are typeset.
fn mend(
    mut entry: Entry,
    language: Option<&str>,
    series_volume: bool,
    series_number: bool,
) -> Entry {
    publisher_from_organization(&mut entry);
    if let Some(title) = entry.title()
        && title.value.0.iter().any(|c| c.value.contains('`'))
    {
        let mut title = title.clone();
        latex_quotes(&mut title.value);
        entry.set_title(title);
    }
    let mut parents = entry.parents().to_vec();
    if !parents.is_empty() {
        parents.iter_mut().for_each(publisher_from_organization);
        entry.set_parents(parents);
    }
    if let Some(a) = entry.authors().and_then(keep_particles) {
        entry.set_authors(a);
    }
    if let Some(e) = entry.editors().and_then(keep_particles) {
        entry.set_editors(e);
    }
    let anthos = *entry.entry_type() == hayagriva::types::EntryType::Anthos
        && entry
            .parents()
            .iter()
            .any(|p| *p.entry_type() == hayagriva::types::EntryType::Anthology);
    let set_language = language.filter(|_| entry.language().is_none());
    if !anthos && set_language.is_none() && !series_volume && !series_number {
        return entry;
    }
    let mut lib = hayagriva::Library::new();
    lib.push(&entry);
    let Ok(mut yaml) = hayagriva::io::to_yaml_str(&lib) else {
        return entry;
    };
    if anthos {
        yaml = yaml
            .replacen("\n  type: anthos\n", "\n  type: chapter\n", 1)
            .replacen("\n    type: anthology\n", "\n    type: book\n", 1);
    }
    if let Some(code) = set_language {
        yaml = yaml.replacen('\n', &format!("\n  language: {code}\n"), 1);
    }
    if series_volume {
        yaml = to_series(&yaml, "volume").unwrap_or(yaml);
    }
    if series_number {
        yaml = to_series(&yaml, "issue").unwrap_or(yaml);
    }
    let Some(mut mended) = hayagriva::io::from_yaml_str(&yaml)
        .ok()
        .and_then(|l| l.iter().next().cloned())
    else {
        return entry;
    };
    // Names do not survive the YAML form intact (a braced `{{kutip project}}`
    // comes back split), so the entry's own people are carried over as they were.
    if let Some(a) = entry.authors() {
        mended.set_authors(a.to_vec());
    }
    if let Some(e) = entry.editors() {
        mended.set_editors(e.to_vec());
    }
    mended
}

/// TeX's quotation marks as typeset: ``` ``…'' ``` → “…”, `` `…' `` →
/// ‘…’ (hayagriva printed `` `Spaces of Neoliberalism' ``). An apostrophe
/// inside a word stays one.
fn latex_quotes(s: &mut hayagriva::types::ChunkedString) {
    let mut open = false;
    for chunk in &mut s.0 {
        let v = chunk.value.replace("``", "“").replace("''", "”");
        let chars: Vec<char> = v.chars().collect();
        let mut out = String::with_capacity(v.len());
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '`' => {
                    open = true;
                    out.push('‘');
                }
                '\'' if open && !chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) => {
                    open = false;
                    out.push('’');
                }
                _ => out.push(c),
            }
        }
        chunk.value = out;
    }
}

/// A thesis's `school`, a report's `institution`, a web page's or a
/// conference's `organization` is the body that published the work: where
/// the entry names no publisher, it is its publisher, as Zotero and
/// citation.js read BibTeX. hayagriva keeps it as the `organization`, which
/// it gives CSL as `authority`, a variable the styles print for laws and
/// courts alone: `Ogawa, A. (2012). Sister City as a Preservation Strategy
/// [Master's thesis].` lost Columbia University.
fn publisher_from_organization(entry: &mut Entry) {
    let named = entry.publisher().and_then(|p| p.name()).is_some();
    if !named && let Some(org) = entry.organization() {
        // An `address` alone made a publisher with a place and no name.
        let place = entry.publisher().and_then(|p| p.location()).cloned();
        let org = org.clone();
        entry.set_publisher(hayagriva::types::Publisher::new(Some(org), place));
    }
}

/// BibTeX writers put a book's number in its series in `volume` (or in
/// `number`); hayagriva then prints it as the book's own volume, part and
/// chapter ("Vol. 4, Pt. 4, Chapter 4"), or its issue ("(Issue 4)"). Moves
/// the item's `field` to the series (the parent hayagriva made) as its
/// volume, which CSL calls the collection number.
fn to_series(yaml: &str, field: &str) -> Option<String> {
    let key = format!("\n  {field}: ");
    let start = yaml.find(&key)?;
    let end = start + 1 + yaml[start + 1..].find('\n')?;
    let value = yaml[start + key.len()..end].to_string();
    let without = format!("{}{}", &yaml[..start], &yaml[end..]);
    let parent = without.find("\n  parent:\n")?;
    let title = parent + without[parent..].find("\n    title: ")?;
    let title_end = title + 1 + without[title + 1..].find('\n')?;
    Some(format!(
        "{}\n    volume: {value}{}",
        &without[..title_end],
        &without[title_end..]
    ))
}

/// All records known to an index run, by key.
#[derive(Debug, Default, Clone)]
pub struct Library {
    entries: BTreeMap<String, HeldEntry>,
}

impl Library {
    /// Adds `entry`; a key seen before keeps its first record and the
    /// duplicate is reported.
    pub fn insert(&mut self, entry: HeldEntry) -> Option<Diagnostic> {
        if let Some(first) = self.entries.get(&entry.key) {
            let at = match first.line {
                Some(l) => format!("{}:{}", first.origin.display(), l),
                None => first.origin.display().to_string(),
            };
            return Some(Diagnostic {
                path: entry.origin.clone(),
                line: entry.line,
                message: format!(
                    "duplicate key '{}' (first defined at {at}); this one is ignored — rename one of them",
                    entry.key
                ),
            });
        }
        self.entries.insert(entry.key.clone(), entry);
        None
    }

    /// The entry under `key`.
    pub fn get(&self, key: &str) -> Option<&HeldEntry> {
        self.entries.get(key)
    }

    /// Whether `key` is taken.
    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = &HeldEntry> {
        self.entries.values()
    }

    /// Moves the entries' resolving summaries out, in key order: a
    /// resolver built from them needs no second copy.
    pub fn take_works(&mut self) -> Vec<Work> {
        self.entries
            .values_mut()
            .filter_map(|e| e.work.take())
            .collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the library is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One `@type{...}` block of a BibTeX file with its first line.
struct Chunk<'a> {
    kind: String,
    text: &'a str,
    line: usize,
}

/// Splits BibTeX source into entry blocks. A line that starts with `@word{`
/// always starts a new block, so one entry with unbalanced braces cannot
/// swallow the entries after it.
fn chunks(text: &str) -> Vec<Chunk<'_>> {
    // (start, kind, line): lines are counted as the text is walked once, so
    // a library of 100,000 entries is read in linear time.
    let mut starts = Vec::new();
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('@') {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let after = rest[word.len()..].trim_start();
            if !word.is_empty() && (after.starts_with('{') || after.starts_with('(')) {
                starts.push((
                    offset + (line.len() - t.len()),
                    word.to_lowercase(),
                    number + 1,
                ));
            }
        }
        offset += line.len();
    }
    let mut out = Vec::new();
    for (i, (start, kind, line)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
        out.push(Chunk {
            kind: kind.clone(),
            text: &text[*start..end],
            line: *line,
        });
    }
    out
}

/// How deep @string macros may refer to one another. biblatex resolves a
/// macro by recursing into the macros its value uses, so a chain as deep as
/// the file allows would overflow the stack; real libraries nest two or three.
const MACRO_DEPTH: usize = 32;

/// What happens to a macro left out, before the fix in a diagnostic.
const SKIPPED: &str = "; skipped, with the entries that use it —";

/// One macro of an `@string` block.
struct Macro {
    /// Its name, lower case (BibTeX macro names ignore case).
    name: String,
    /// The macro names its value uses, lower case.
    uses: Vec<String>,
    /// Its definition as BibTeX source.
    source: String,
    /// 1-based line of its name.
    line: usize,
}

/// The macro names (lower case) a macro's value uses.
fn uses_of(value: &[biblatex::Spanned<biblatex::RawChunk>]) -> Vec<String> {
    value
        .iter()
        .filter_map(|chunk| match chunk.v {
            biblatex::RawChunk::Abbreviation(n) => Some(n.to_ascii_lowercase()),
            biblatex::RawChunk::Normal(_) => None,
        })
        .collect()
}

/// The macros an `@string` block defines (one block may define several).
fn macros_of(c: &Chunk<'_>) -> Result<Vec<Macro>, biblatex::ParseError> {
    let raw = biblatex::RawBibliography::parse(c.text)?;
    Ok(raw
        .abbreviations
        .iter()
        .map(|pair| {
            let start = pair.key.span.start;
            // Each macro becomes a block of its own, its definition as
            // written and nothing else: handed to every entry that uses it,
            // it must neither bring along an entry written after it in the
            // same block (which then stood first in that entry's stored form,
            // and was read back in its place), nor be left out with another.
            let source = format!("@string{{{}}}", &c.text[start..pair.value.span.end]);
            Macro {
                name: pair.key.v.to_ascii_lowercase(),
                uses: uses_of(&pair.value.v),
                source,
                line: c.line + c.text[..start].matches('\n').count(),
            }
        })
        .collect())
}

/// Why biblatex must not be given `source`, if it defines @string macros
/// that loop or nest too deep — wherever they stand, even on an entry's
/// own line, where the file's split into blocks does not see them
/// (`@book{x, title = a} @string{a = a}`). biblatex resolves macros by
/// recursion: such a source would overflow the stack.
fn macro_loop(source: &str) -> Option<String> {
    let defines = source
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"@string"));
    if !defines {
        return None;
    }
    // A source that does not parse is reported by the parse itself.
    let raw = biblatex::RawBibliography::parse(source).ok()?;
    let defs = raw
        .abbreviations
        .iter()
        .map(|pair| Macro {
            name: pair.key.v.to_ascii_lowercase(),
            uses: uses_of(&pair.value.v),
            source: String::new(),
            line: 0,
        })
        .collect();
    let macros = Macros::new(defs);
    let mut why: Vec<&String> = macros.dropped.values().collect();
    why.sort();
    why.first().map(|w| w.to_string())
}

/// The macros in effect (a name defined twice means its last definition, as
/// in biblatex), each with the indices of the macros its value uses.
struct Macros {
    defs: Vec<Macro>,
    by_name: HashMap<String, usize>,
    /// Per definition, the definitions its value uses.
    edges: Vec<Vec<usize>>,
    /// Definitions left out, with why.
    dropped: HashMap<usize, String>,
}

impl Macros {
    fn new(defs: Vec<Macro>) -> Self {
        let by_name: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i))
            .collect();
        let edges = defs
            .iter()
            .map(|m| {
                m.uses
                    .iter()
                    .filter_map(|n| by_name.get(n).copied())
                    .collect()
            })
            .collect();
        let mut macros = Macros {
            defs,
            by_name,
            edges,
            dropped: HashMap::new(),
        };
        macros.dropped = macros.unresolvable();
        macros
    }

    /// The macros in effect that refer back to themselves, alone or through
    /// others, or that nest deeper than [`MACRO_DEPTH`]: biblatex would
    /// recurse on them without end (or past the stack). Tarjan's strongly
    /// connected components, run with an explicit stack so that the depth of
    /// this search is not the input's either.
    fn unresolvable(&self) -> HashMap<usize, String> {
        const UNSEEN: usize = usize::MAX;
        let n = self.defs.len();
        let mut order = vec![UNSEEN; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut depth = vec![0usize; n];
        let mut component: Vec<usize> = Vec::new();
        let mut calls: Vec<(usize, usize)> = Vec::new();
        let mut dropped = HashMap::new();
        let mut counter = 0;
        let mut roots: Vec<usize> = self.by_name.values().copied().collect();
        roots.sort_unstable();
        for root in roots {
            if order[root] != UNSEEN {
                continue;
            }
            order[root] = counter;
            low[root] = counter;
            counter += 1;
            component.push(root);
            on_stack[root] = true;
            calls.push((root, 0));
            while let Some((v, next)) = calls.last_mut() {
                let v = *v;
                if let Some(&w) = self.edges[v].get(*next) {
                    *next += 1;
                    if order[w] == UNSEEN {
                        order[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        component.push(w);
                        on_stack[w] = true;
                        calls.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(order[w]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(u, _)) = calls.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] != order[v] {
                    continue;
                }
                let at = component
                    .iter()
                    .rposition(|&x| x == v)
                    .expect("v is on the component stack");
                let members = component.split_off(at);
                for &m in &members {
                    on_stack[m] = false;
                }
                if members.len() > 1 || self.edges[v].contains(&v) {
                    let names: Vec<&str> = members
                        .iter()
                        .map(|&m| self.defs[m].name.as_str())
                        .collect();
                    let why = if members.len() == 1 {
                        format!(
                            "@string '{}' is defined by itself{SKIPPED} give it a plain value",
                            names[0]
                        )
                    } else {
                        format!(
                            "@string macros {} are defined by one another{SKIPPED} give one of them a plain value",
                            names.join(", ")
                        )
                    };
                    for &m in &members {
                        dropped.insert(m, why.clone());
                    }
                    continue;
                }
                // Every macro this one uses is settled: deeper in the search,
                // or dropped (resolving stops there, one level down).
                depth[v] = 1 + self.edges[v]
                    .iter()
                    .map(|&w| {
                        if dropped.contains_key(&w) {
                            0
                        } else {
                            depth[w]
                        }
                    })
                    .max()
                    .unwrap_or(0);
                if depth[v] > MACRO_DEPTH {
                    dropped.insert(
                        v,
                        format!(
                            "@string '{}' nests more than {MACRO_DEPTH} macros deep{SKIPPED} write part of its value out",
                            self.defs[v].name
                        ),
                    );
                    depth[v] = 0;
                }
            }
        }
        dropped
    }

    /// The definitions an entry needs, as BibTeX source in file order: the
    /// macros it mentions and those their values use, transitively. Only
    /// these: one broken macro then spoils only its users, and large files
    /// stay linear.
    fn needed_by(&self, entry: &str) -> String {
        if self.by_name.is_empty() {
            return String::new();
        }
        let lower = entry.to_ascii_lowercase();
        let mut seen: HashSet<usize> = HashSet::new();
        let mut todo: Vec<usize> = self
            .by_name
            .iter()
            .filter(|(name, _)| mentions(&lower, name))
            .map(|(_, &i)| i)
            .collect();
        while let Some(i) = todo.pop() {
            if self.dropped.contains_key(&i) || !seen.insert(i) {
                continue;
            }
            todo.extend(&self.edges[i]);
        }
        let mut needed: Vec<usize> = seen.into_iter().collect();
        needed.sort_unstable();
        needed
            .iter()
            .map(|&i| &*self.defs[i].source)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The dropped definition named `name`, if it is one.
    fn dropped_named(&self, name: &str) -> Option<&Macro> {
        let i = *self.by_name.get(&name.to_ascii_lowercase())?;
        self.dropped.contains_key(&i).then(|| &self.defs[i])
    }
}

/// Whether `name` appears in `lower` (an entry in ASCII lower case) as a
/// whole word (a macro use).
fn mentions(lower: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    lower.match_indices(name).any(|(i, _)| {
        let before = lower[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let after = lower[i + name.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        before && after
    })
}

/// The entry without `crossref`/`xdata` fields. Entries are read one at a
/// time, so a parent named there is never resolved anyway, and resolving a
/// field that names its own entry recurses without end in the parser.
fn without_cross_references(text: &str) -> String {
    // ASCII case folding keeps byte offsets equal in both strings.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let at_field = ["crossref", "xdata"].iter().find(|f| {
            lower[i..].starts_with(*f)
                && lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c == ',' || c.is_whitespace())
                && lower[i + f.len()..].trim_start().starts_with('=')
        });
        let Some(f) = at_field else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        // Skip `name = value` up to the comma or closing brace after it.
        let mut j = i + f.len();
        j += text[j..].find('=').map_or(0, |k| k + 1);
        let mut depth = 0i32;
        let mut quoted = false;
        while j < text.len() {
            let c = text[j..].chars().next().expect("j is on a char boundary");
            match c {
                '{' => depth += 1,
                '}' if depth > 0 => depth -= 1,
                '}' if depth == 0 => break,
                '"' if depth == 0 => quoted = !quoted,
                ',' if depth == 0 && !quoted => {
                    j += 1;
                    break;
                }
                _ => {}
            }
            j += c.len_utf8();
        }
        i = j;
    }
    out
}

fn verbatim(chunks: &[biblatex::Spanned<biblatex::Chunk>]) -> String {
    use biblatex::ChunksExt;
    chunks.format_verbatim()
}

/// Splits a BibTeX `file` field into attachment paths. Zotero writes
/// `Description:path:mime;…`; a plain path is taken as it is.
pub fn file_field_paths(field: &str) -> Vec<String> {
    field
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|part| {
            let pieces: Vec<&str> = part.split(':').collect();
            if pieces.len() >= 3 {
                pieces[1..pieces.len() - 1].join(":")
            } else if pieces.len() == 2 && pieces[1].contains('/') && !pieces[0].contains('/') {
                pieces[1].to_string()
            } else {
                part.to_string()
            }
        })
        .map(|p| p.replace("\\:", ":").replace('\\', "/"))
        .collect()
}

/// Entries read from a library file, and the problems met.
pub type Read = (Vec<LibraryEntry>, Vec<Diagnostic>);

/// Reads a BibTeX/BibLaTeX file. Entries that do not parse are reported with
/// their line and skipped; the others are kept.
pub fn read_bibtex(path: &Path, text: &str) -> Read {
    let mut entries = Vec::new();
    let diags = read_bibtex_each(path, text, &mut |e| entries.push(e));
    (entries, diags)
}

/// Reads a BibTeX/BibLaTeX file as [`read_bibtex`] does, handing each entry
/// to `each` as it is read instead of holding them all; returns the problems.
pub fn read_bibtex_each(
    path: &Path,
    text: &str,
    each: &mut dyn FnMut(LibraryEntry),
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let all = chunks(text);
    let mut defs = Vec::new();
    for c in all.iter().filter(|c| c.kind == "string") {
        match macros_of(c) {
            Ok(found) => defs.extend(found),
            Err(e) => diags.push(Diagnostic {
                path: path.to_path_buf(),
                line: Some(c.line),
                message: format!(
                    "malformed @string skipped ({}); check its braces and quotes",
                    e.kind
                ),
            }),
        }
    }
    let macros = Macros::new(defs);
    let mut dropped: Vec<(usize, &String)> = macros.dropped.iter().map(|(&i, w)| (i, w)).collect();
    dropped.sort_unstable();
    for (i, why) in dropped {
        diags.push(Diagnostic {
            path: path.to_path_buf(),
            line: Some(macros.defs[i].line),
            message: why.clone(),
        });
    }
    // A block starting with @string holds entries too when one is written on
    // the macro's line (`@string{j = {Jurnal}} @article{...}`).
    let holds_entries = |c: &Chunk| match c.kind.as_str() {
        "comment" | "preamble" => false,
        "string" => biblatex::RawBibliography::parse(c.text).is_ok_and(|r| !r.entries.is_empty()),
        _ => true,
    };
    for chunk in all.iter().filter(|c| holds_entries(c)) {
        let text = without_cross_references(chunk.text);
        let prelude = macros.needed_by(&text);
        let source = format!("{prelude}\n{text}");
        let diag = |message: String| Diagnostic {
            path: path.to_path_buf(),
            line: Some(chunk.line),
            message,
        };
        if let Some(why) = macro_loop(&source) {
            diags.push(diag(format!("@{} entry skipped: {why}", chunk.kind)));
            continue;
        }
        let bib = match biblatex::Bibliography::parse(&source) {
            Ok(b) => b,
            Err(e) => {
                let dropped = match &e.kind {
                    biblatex::ParseErrorKind::UnknownAbbreviation(name) => {
                        macros.dropped_named(name)
                    }
                    _ => None,
                };
                diags.push(diag(match dropped {
                    Some(m) => format!(
                        "@{} entry skipped: it uses @string '{}', skipped at line {}; fix that macro",
                        chunk.kind, m.name, m.line
                    ),
                    None => format!(
                        "malformed @{} entry skipped ({}); check its braces, commas and quotes",
                        chunk.kind, e.kind
                    ),
                }));
                continue;
            }
        };
        // An entry sharing its block with others, or with a macro's
        // definition, is stored as its own text.
        let several = bib.len() > 1 || chunk.kind == "string";
        // Entries sharing a line share a chunk: each keeps its own text, as
        // written (biblatex's re-serialisation turns `~` before a letter into
        // an accent command), with the macros it uses.
        let spans: HashMap<String, std::ops::Range<usize>> = if several {
            biblatex::RawBibliography::parse(&source)
                .map(|raw| {
                    raw.entries
                        .iter()
                        .map(|e| {
                            // The span stops before the entry's closing delimiter.
                            let end = e.span.end
                                + usize::from(matches!(
                                    source.as_bytes().get(e.span.end),
                                    Some(b'}' | b')')
                                ));
                            (e.v.key.v.to_string(), e.span.start..end)
                        })
                        .collect()
                })
                .unwrap_or_default()
        } else {
            HashMap::new()
        };
        for tex in bib.iter() {
            let span = spans
                .get(&tex.key)
                .filter(|r| source.get((*r).clone()).is_some());
            let own = match span {
                Some(r) if several => {
                    let text = &source[r.clone()];
                    let own = format!("{}\n{text}", macros.needed_by(text));
                    // A macro defined inside the block, where the file's
                    // split into blocks does not see it, is not handed over:
                    // such an entry is stored as biblatex writes it out.
                    if reads_back(&own, tex) {
                        own
                    } else {
                        tex.to_biblatex_string()
                    }
                }
                _ if several => tex.to_biblatex_string(),
                _ => source.clone(),
            };
            // The entry's own line, where it does not start its block.
            let line = span
                .and_then(|r| source.get(prelude.len() + 1..r.start))
                .map_or(chunk.line, |before| {
                    chunk.line + before.matches('\n').count()
                });
            match convert(tex) {
                Ok(entry) => each(LibraryEntry {
                    key: tex.key.clone(),
                    files: tex
                        .get("file")
                        .map(verbatim)
                        .map(|f| file_field_paths(&f))
                        .unwrap_or_default(),
                    record: Record::Bib {
                        entry: Box::new(entry),
                        source: own,
                    },
                    origin: path.to_path_buf(),
                    line: Some(line),
                }),
                Err(e) => diags.push(diag(format!(
                    "entry '{}' skipped: {e}; fix the field or its type",
                    tex.key
                ))),
            }
        }
    }
    diags
}

/// Whether `source` reads back as `entry`, as the index will read it: the
/// same key and fields, macros resolved (a macro redefined inside the block
/// would otherwise resolve to its first definition).
fn reads_back(source: &str, entry: &biblatex::Entry) -> bool {
    macro_loop(source).is_none()
        && biblatex::Bibliography::parse(source).is_ok_and(|b| {
            b.iter().next().is_some_and(|e| {
                e.key == entry.key && e.to_biblatex_string() == entry.to_biblatex_string()
            })
        })
}

/// Hands each element of a JSON array to `each`, one at a time.
struct EachItem<'a>(&'a mut dyn FnMut(serde_json::Value));

impl<'de> serde::de::Visitor<'de> for EachItem<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of CSL-JSON items")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<serde_json::Value>()? {
            (self.0)(item);
        }
        Ok(())
    }
}

/// Reads a CSL-JSON file. `Ok(None)` when the file is JSON of another kind.
pub fn read_csl_json(path: &Path, text: &str) -> Result<Option<Read>, Diagnostic> {
    let mut entries = Vec::new();
    let diags = read_csl_json_each(path, text, &mut |e| entries.push(e))?;
    Ok(diags.map(|d| (entries, d)))
}

/// Finds the line each element of a top-level JSON array starts on, in
/// order, as the elements are handed over: serde_json does not say where a
/// value began. A scan of bytes that only counts nesting, so any depth costs
/// the same.
struct ItemLines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Just after the array's `[` or a `,` between its elements.
    awaiting: bool,
}

impl<'a> ItemLines<'a> {
    fn new(text: &'a str) -> Self {
        ItemLines {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            depth: 0,
            in_string: false,
            escaped: false,
            awaiting: false,
        }
    }

    /// The 1-based line of the next element.
    fn next_line(&mut self) -> usize {
        while let Some(&c) = self.bytes.get(self.pos) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_string = false;
                }
            } else if self.awaiting && self.depth == 1 && !c.is_ascii_whitespace() && c != b']' {
                // Left unread: the next call goes on from this byte.
                self.awaiting = false;
                return self.line;
            } else {
                match c {
                    b'"' => self.in_string = true,
                    b'[' | b'{' => {
                        self.depth += 1;
                        self.awaiting = self.depth == 1;
                    }
                    b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                    b',' if self.depth == 1 => self.awaiting = true,
                    _ => {}
                }
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        self.line
    }
}

/// Why a CSL-JSON item cannot be read, if it cannot.
fn csl_item_problem(raw: &serde_json::Value) -> Option<&'static str> {
    if !raw.is_object() {
        Some("is not an object; remove it or write it as {\"id\": …, \"type\": …}")
    } else if raw.get("id").is_none() {
        Some("has no \"id\"; give it one")
    } else if !raw.get("type").is_some_and(|t| t.is_string()) {
        Some("has no string \"type\"; add one such as \"type\": \"book\"")
    } else {
        None
    }
}

/// Reads a CSL-JSON file as [`read_csl_json`] does, handing each entry to
/// `each` as it is read: the items are parsed one at a time, never held as
/// one JSON tree. An item that cannot be read is reported with its number
/// and line, and the others kept. Returns the problems, or `Ok(None)` when
/// the file is JSON of another kind: an array whose first item, and most of
/// the others, are not objects with an `id` (or not an array at all). That
/// is found out only at its end, so the caller then drops the entries it was
/// given.
pub fn read_csl_json_each(
    path: &Path,
    text: &str,
    each: &mut dyn FnMut(LibraryEntry),
) -> Result<Option<Vec<Diagnostic>>, Diagnostic> {
    let invalid = |e: serde_json::Error| Diagnostic {
        path: path.to_path_buf(),
        line: Some(e.line()),
        message: format!("not valid JSON ({e}); skipped"),
    };
    let mut diags = Vec::new();
    let mut items = 0;
    let mut with_id = 0;
    let mut first_with_id = false;
    let mut lines = ItemLines::new(text);
    let mut item = |raw: serde_json::Value| {
        items += 1;
        let line = lines.next_line();
        if raw.is_object() && raw.get("id").is_some() {
            with_id += 1;
            first_with_id |= items == 1;
        }
        let diag = |why: String| Diagnostic {
            path: path.to_path_buf(),
            line: Some(line),
            message: format!("CSL-JSON item #{items} skipped: {why}"),
        };
        if let Some(why) = csl_item_problem(&raw) {
            diags.push(diag(format!("it {why}")));
            return;
        }
        let key = match &raw["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match Record::from_csl_json(raw) {
            Ok(record) => each(LibraryEntry {
                key,
                record,
                origin: path.to_path_buf(),
                line: Some(line),
                files: Vec::new(),
            }),
            Err(e) => diags.push(diag(format!("{e}; fix that field"))),
        }
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let read =
        serde::Deserializer::deserialize_seq(&mut de, EachItem(&mut item)).and_then(|()| de.end());
    match read {
        Ok(()) if first_with_id || 2 * with_id > items => Ok(Some(diags)),
        Ok(()) => Ok(None),
        // Valid JSON of another shape (an object, a string…).
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map(|_| None)
                .map_err(invalid)
        }
        Err(e) => Err(invalid(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_that_published_a_work_is_its_publisher() {
        let publisher = |bib: &str| match Record::from_bibtex(bib).unwrap() {
            Record::Bib { entry, .. } => entry
                .publisher()
                .and_then(|p| p.name())
                .map(|n| n.value.to_string()),
            Record::Csl { .. } => None,
        };
        assert_eq!(
            publisher("@phdthesis{a, author={A, B}, title={T}, school={Universitas Gadjah Mada}, year={2020}}").as_deref(),
            Some("Universitas Gadjah Mada")
        );
        assert_eq!(
            publisher("@techreport{a, author={A, B}, title={T}, institution={SMERU Research Institute}, number={15-03}, year={2015}}").as_deref(),
            Some("SMERU Research Institute")
        );
        assert_eq!(
            publisher("@online{a, author={A, B}, title={T}, organization={Kompasiana}, url={https://kompasiana.com/x}, year={2021}}").as_deref(),
            Some("Kompasiana")
        );
        assert_eq!(
            publisher("@misc{a, author={A, B}, title={T}, howpublished={Kompasiana}, year={2021}}")
                .as_deref(),
            Some("Kompasiana")
        );
        // A link in `howpublished` is no publisher; a named one is kept.
        assert_eq!(
            publisher(
                "@misc{a, author={A, B}, title={T}, howpublished={\\url{https://example.org}}, year={2021}}"
            ),
            None
        );
        assert_eq!(
            publisher("@phdthesis{a, author={A, B}, title={T}, school={U}, publisher={ProQuest}, year={2020}}").as_deref(),
            Some("ProQuest")
        );
    }

    #[test]
    fn a_works_page_span_reads_an_abbreviated_end() {
        let span = |p: &str| {
            Record::from_csl_json(serde_json::json!({
                "id": "k", "type": "article-journal", "title": "T", "page": p
            }))
            .unwrap()
            .page_span()
        };
        assert_eq!(span("115-125"), Some((115, 125)));
        assert_eq!(span("115–25"), Some((115, 125)));
        assert_eq!(span("7"), Some((7, 7)));
        assert_eq!(span("xii"), None);
        assert_eq!(span("30-5"), Some((30, 35)));
    }

    const BIB: &str = r#"@string{ag = {Annals of the Association of American Geographers}}
@article{zelinsky1991,
  author  = {Zelinsky, Wilbur},
  title   = {The Twinning of the World},
  journal = ag,
  year    = {1991},
  pages   = {1--31}
}

@article{broken,
  author = {Nobody,
  title = {Unbalanced

@book{tavares2016,
  author    = {Tavares, Rodrigo},
  title     = {Paradiplomacy: Cities and States as Global Players},
  publisher = {Oxford University Press},
  year      = {2016},
  file      = {Full Text:files/12/tavares.pdf:application/pdf}
}
"#;

    #[test]
    fn malformed_entry_is_reported_with_line_and_others_kept() {
        let (entries, diags) = read_bibtex(Path::new("lib.bib"), BIB);
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["zelinsky1991", "tavares2016"]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(10));
        assert_eq!(entries[0].record.first_page(), Some(1));
        assert_eq!(entries[0].record.year(), Some(1991));
        assert_eq!(entries[1].files, ["files/12/tavares.pdf"]);
    }

    #[test]
    fn case_folding_that_changes_byte_lengths_does_not_split_a_character() {
        // Found by the property tests: 'Ȿ' lower-cases to a shorter 'ɀ'.
        let bib = "@article{x, title = {ȾȿȾ}, crossref = {y}, year = {2001}}\n@string{Ⱥb = {z}}\n@book{k, title = ⱥb # {ⱥ}, year = {2000}}\n";
        let _ = read_bibtex(Path::new("x.bib"), bib);
    }

    #[test]
    fn self_referencing_crossrefs_do_not_recurse() {
        let bib = "@book{a, title = {A}, year = {2000}, crossref = {a}}\n@book{b, xdata = {b}, title = {B}, year = {2001}}\n";
        let (entries, _) = read_bibtex(Path::new("x.bib"), bib);
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn a_broken_string_macro_spoils_only_its_users() {
        let bib = "@string{ok = {Fine Journal}}\n@string{bad = {Broken}\n@article{x, title = {X}, journal = ok, year = {2000}}\n@article{y, title = {Y}, journal = bad, year = {2001}}\n";
        let (entries, diags) = read_bibtex(Path::new("x.bib"), bib);
        assert!(entries.iter().any(|e| e.key == "x"), "{diags:?}");
    }

    #[test]
    fn circular_string_macros_are_reported_and_the_other_entries_kept() {
        // Each of these overflowed the stack in biblatex's macro resolution.
        for (bib, names) in [
            (
                "@string{a = a}\n@book{x, title = a, year = 2000}\n",
                &["a"][..],
            ),
            (
                "@string{a = b}\n@string{b = a # {x}}\n@book{x, title = a, year = 2000}\n",
                &["a", "b"][..],
            ),
            (
                "@string{a = {A}, b = c, c = {C} # b}\n@book{x, title = b, year = 2000}\n",
                &["b", "c"][..],
            ),
        ] {
            let text = format!(
                "{bib}@string{{ok = {{Fine}}}}\n@book{{y, title = ok # {}, year = 2001}}\n@book{{z, title = ok, year = 2002}}\n",
                names[0]
            );
            let (entries, diags) = read_bibtex(Path::new("x.bib"), &text);
            let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
            assert_eq!(keys, ["z"], "{bib}: {diags:?}");
            let named: Vec<&str> = diags
                .iter()
                .filter(|d| d.message.starts_with("@string"))
                .flat_map(|d| d.message.split(';').next().unwrap().split([' ', ',', '\'']))
                .filter(|w| w.len() == 1)
                .collect();
            assert_eq!(named.len(), names.len() * names.len(), "{diags:?}");
            assert!(names.iter().all(|n| named.contains(n)), "{diags:?}");
            let x = diags
                .iter()
                .find(|d| d.message.starts_with("@book entry skipped"))
                .expect("x reported");
            assert_eq!(x.line, Some(bib.lines().count()), "{x}");
        }
    }

    #[test]
    fn a_macro_line_is_its_own_within_a_block() {
        let bib = "@string{a = {A},\n  b = b}\n@book{x, title = a, year = 2000}\n";
        let (entries, diags) = read_bibtex(Path::new("x.bib"), bib);
        assert_eq!(entries.len(), 1, "{diags:?}");
        assert_eq!(entries[0].record.title().as_deref(), Some("A"));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, Some(2), "{}", diags[0]);
        assert_eq!(
            diags[0].message,
            "@string 'b' is defined by itself; skipped, with the entries that use it — give it a plain value"
        );
    }

    #[test]
    fn macro_chains_deeper_than_the_limit_are_cut_not_followed() {
        let mut bib = String::from("@string{m0 = {zero}}\n");
        for i in 1..20_000 {
            bib.push_str(&format!("@string{{m{i} = m{} # {{.}}}}\n", i - 1));
        }
        bib.push_str(
            "@book{deep, title = m19999, year = 2000}\n@book{shallow, title = m5, year = 2001}\n",
        );
        let (entries, diags) = read_bibtex(Path::new("x.bib"), &bib);
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["shallow"]);
        assert_eq!(entries[0].record.title().as_deref(), Some("zero....."));
        assert!(
            diags[0].message.contains("nests more than 32 macros deep"),
            "{}",
            diags[0]
        );
        assert_eq!(diags[0].line, Some(33), "{}", diags[0]);
    }

    #[test]
    fn macros_used_by_macros_are_handed_over_in_file_order() {
        let bib = "@string{pub = \"Penerbit\"}\n@string{unused = {U}}\n@string{pubfull = pub # \" Jakarta\"}\n@book{x, title = {Buku}, publisher = pubfull, year = 2000}\n";
        let (entries, diags) = read_bibtex(Path::new("x.bib"), bib);
        assert!(diags.is_empty(), "{diags:?}");
        let Record::Bib { entry, source } = &entries[0].record else {
            panic!("a BibTeX record")
        };
        assert_eq!(
            entry
                .publisher()
                .and_then(|p| p.name())
                .map(|n| n.value.to_string())
                .as_deref(),
            Some("Penerbit Jakarta")
        );
        // Only the macros needed, in file order.
        assert!(!source.contains("unused"), "{source}");
        assert!(
            source.find("@string{pub =") < source.find("@string{pubfull ="),
            "{source}"
        );
        let back = Record::from_stored(&entries[0].record.to_stored()).unwrap();
        assert_eq!(back.title().as_deref(), Some("Buku"));
    }

    #[test]
    fn records_round_trip_through_storage() {
        let (entries, _) = read_bibtex(Path::new("lib.bib"), BIB);
        let stored = entries[0].record.to_stored();
        let back = Record::from_stored(&stored).unwrap();
        assert_eq!(back.title().as_deref(), Some("The Twinning of the World"));
        assert_eq!(back.authors(), ["Zelinsky, Wilbur"]);
    }

    /// Found by the `bibtex` fuzz target: entries sharing a line were stored
    /// as biblatex re-wrote them, which read back `pa~ges` as `pag̃es`.
    #[test]
    fn entries_sharing_a_line_are_stored_as_written() {
        let bib = "@string{k = {Jurnal}}\n@book{z1, title = {Jilid {2} pa~ges}, journal = k, year = {2001}} @article{z2, title = {Kota~Kembar}, journal = k, year = 2019}\n";
        let (entries, diags) = read_bibtex(Path::new("lib.bib"), bib);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(entries.len(), 2);
        for e in &entries {
            let stored = e.record.to_stored();
            let back = Record::from_stored(&stored).unwrap_or_else(|| panic!("{stored}"));
            assert_eq!(back.title(), e.record.title(), "{}", e.key);
            assert!(
                e.record.title().unwrap().contains('~'),
                "{:?}",
                e.record.title()
            );
        }
    }

    #[test]
    fn a_macro_hands_over_its_definition_only() {
        // Found by the bibtex fuzz target: the macro's block ran on into an
        // entry of its own, which then stood first in the stored form of
        // every entry using the macro, and was read back in its place.
        let bib = "@string{a = ao}\nk@bo{x, tit= 1000}a}}}}}}}}\u{18}}}\n@article{a, year = \n@sDDDDDDDDDDDDtring{bl = btittrin Kota}}\n@article{a, author = {S\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}label-versio+ pa\u{1}\u{0}\u{0}\u{0}. trin Kota}}\n@article{a, author = {rin Kotbtit\u{8}\u{0}= le =\u{1}~, year = 1000bl = btit\u{8}\u{0}= ng{bl = a 2002002}\n";
        let (entries, _) = read_bibtex(Path::new("lib.bib"), bib);
        // `x` stands after the macro (on its second line), `a` on line 5.
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.key.as_str(), e.line))
                .collect::<Vec<_>>(),
            [("x", Some(2)), ("a", Some(5))]
        );
        for e in &entries {
            let back = Record::from_stored(&e.record.to_stored()).unwrap();
            assert_eq!(back.authors(), e.record.authors(), "{}", e.key);
        }
        assert_eq!(entries[1].record.authors().len(), 1);

        let bib = "@string{j = {Jurnal Kota}}\n@article{z, author = {Ogawa, Akira}, title = {T}, journal = j, year = 2012}\n@book{y, author = {Lee, Ann}, title = {U}, year = 2001}\n";
        let (entries, diags) = read_bibtex(Path::new("lib.bib"), bib);
        assert!(diags.is_empty(), "{diags:?}");
        for e in &entries {
            let back = Record::from_stored(&e.record.to_stored()).unwrap();
            assert_eq!(back.authors(), e.record.authors(), "{}", e.key);
            assert_eq!(back.title(), e.record.title(), "{}", e.key);
        }
    }

    #[test]
    fn an_entry_using_a_macro_defined_inside_its_block_reads_back() {
        // Found by the bibtex fuzz target: the @string stands mid-line in
        // another entry's block, so it is not handed over with the macros.
        let bib = "@book{x, title = {A}}\n\u{0}b@string{j = {Jurnal}, k = j # { Kota}}\n@[article{y, journal = k, year = {2001}, title = {B}}\n";
        let (entries, _) = read_bibtex(Path::new("lib.bib"), bib);
        assert!(!entries.is_empty());
        for e in &entries {
            let back = Record::from_stored(&e.record.to_stored())
                .unwrap_or_else(|| panic!("{} does not read back", e.key));
            assert_eq!(back.title(), e.record.title(), "{}", e.key);
        }
    }

    #[test]
    fn an_entry_using_a_macro_redefined_inside_its_block_reads_back() {
        // Found by the bibtex fuzz target: `j` is defined again mid-line,
        // where the file's split into blocks does not see it.
        let bib = "@string{j = {Jurnal A}}\n@article{a, author = j # { Kota}, title = {T}}\n*@book{b, title = {U}} @string{j = {Jurnal B}}\n";
        let (entries, _) = read_bibtex(Path::new("lib.bib"), bib);
        assert!(!entries.is_empty());
        for e in &entries {
            let back = Record::from_stored(&e.record.to_stored()).unwrap();
            assert_eq!(back.authors(), e.record.authors(), "{}", e.key);
            assert_eq!(back.title(), e.record.title(), "{}", e.key);
        }
    }

    #[test]
    fn an_entry_on_the_line_of_a_macro_is_read() {
        let bib = "@string{j = {Jurnal Kota}} @article{z, author = {Ogawa, Akira}, title = {Kota}, journal = j, year = 2012}\n@book{y, title = {U}, journal = j, year = 2001}\n";
        let (entries, diags) = read_bibtex(Path::new("lib.bib"), bib);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            entries
                .iter()
                .map(|e| (e.key.as_str(), e.line))
                .collect::<Vec<_>>(),
            [("z", Some(1)), ("y", Some(2))]
        );
        let back = Record::from_stored(&entries[0].record.to_stored()).unwrap();
        assert_eq!(back.authors(), entries[0].record.authors());
        assert_eq!(back.title().as_deref(), Some("Kota"));
    }

    #[test]
    fn file_fields_in_zotero_and_plain_form() {
        assert_eq!(
            file_field_paths(
                "Full Text:files/1/a.pdf:application/pdf;Snapshot:files/1/b.html:text/html"
            ),
            ["files/1/a.pdf", "files/1/b.html"]
        );
        assert_eq!(file_field_paths("papers/a.txt"), ["papers/a.txt"]);
    }

    #[test]
    fn a_bad_csl_json_item_is_reported_with_its_place_and_the_others_kept() {
        let text = "[\n  {\"id\": \"a\", \"type\": \"book\", \"title\": \"A [x], {y}\"},\n  {\"id\": \"b\", \"title\": \"No type\"},\n  7,\n  {\"title\": \"No id\"\n  },\n  {\"id\": \"c\", \"type\": 3},\n  {\"id\": \"d\",\n   \"type\": \"book\", \"title\": \"D \\\" ,{\"}\n]\n";
        let (entries, diags) = read_csl_json(Path::new("l.json"), text).unwrap().unwrap();
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "d"]);
        assert_eq!(entries[1].line, Some(8));
        let places: Vec<String> = diags.iter().map(|d| format!("{}", d)).collect();
        assert_eq!(
            places,
            [
                "l.json:3: CSL-JSON item #2 skipped: it has no string \"type\"; add one such as \"type\": \"book\"",
                "l.json:4: CSL-JSON item #3 skipped: it is not an object; remove it or write it as {\"id\": …, \"type\": …}",
                "l.json:5: CSL-JSON item #4 skipped: it has no \"id\"; give it one",
                "l.json:7: CSL-JSON item #5 skipped: it has no string \"type\"; add one such as \"type\": \"book\"",
            ]
        );
        // Decided by most items when the first is not one.
        let (entries, diags) = read_csl_json(
            Path::new("m.json"),
            r#"[{"title":"x"}, {"id":"a","type":"book"}, {"id":"b","type":"book"}]"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn csl_json_is_read_and_other_json_ignored() {
        let csl = r#"[{"id":"sarbini2021","type":"post-weblog","title":"Histori","author":[{"family":"Sarbini","given":"Roihan"}],"issued":{"date-parts":[[2021,1,20]]}}]"#;
        let (entries, _) = read_csl_json(Path::new("a.json"), csl).unwrap().unwrap();
        assert_eq!(entries[0].key, "sarbini2021");
        assert_eq!(entries[0].record.year(), Some(2021));
        assert_eq!(entries[0].record.authors(), ["Sarbini, Roihan"]);
        // Other JSON, whatever its shape, is not a library; broken JSON is
        // reported with its line.
        for other in [
            r#"{"name":"x"}"#,
            "[]",
            "[1, 2]",
            r#"[[1, "book"]]"#,
            r#"[{"name":"x"}, {"id":"a","type":"book"}, {"name":"y"}]"#,
            r#""text""#,
        ] {
            assert!(
                read_csl_json(Path::new("b.json"), other).unwrap().is_none(),
                "{other}"
            );
        }
        let broken = read_csl_json(Path::new("c.json"), "[\n{\"id\":\"a\",\n").unwrap_err();
        assert_eq!(broken.line, Some(3), "{broken}");
        assert!(broken.message.starts_with("not valid JSON"), "{broken}");
        // Items are read one at a time, in order.
        let (entries, diags) = read_csl_json(
            Path::new("d.json"),
            r#"[{"id":"a","type":"book","title":"A"}, {"id":7,"type":"book","title":"B"}]"#,
        )
        .unwrap()
        .unwrap();
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "7"]);
        assert!(diags.is_empty(), "{diags:?}");
    }
}
