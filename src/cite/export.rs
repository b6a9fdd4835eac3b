//! Exchange formats for reference managers: BibTeX, RIS and CSL-JSON.
//! A record is written from the fields it was read with (its BibTeX source
//! or its CSL-JSON); a field the record lacks is left out, never guessed.

use super::library::Record;
use serde_json::{Map, Value, json};

/// A reference-manager exchange format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Exchange {
    /// BibTeX (the record's own source when it came from BibTeX).
    Bibtex,
    /// RIS (Zotero, EndNote, Mendeley).
    Ris,
    /// CSL-JSON (Zotero, pandoc).
    CslJson,
}

#[derive(Debug, Default, Clone)]
struct Name {
    family: String,
    given: Option<String>,
    literal: bool,
}

/// The fields of a record, neutral between formats.
#[derive(Debug, Default, Clone)]
struct Fields {
    /// CSL type name.
    kind: String,
    title: Option<String>,
    authors: Vec<Name>,
    editors: Vec<Name>,
    year: Option<String>,
    month: Option<String>,
    container: Option<String>,
    publisher: Option<String>,
    place: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
    doi: Option<String>,
    url: Option<String>,
    isbn: Option<String>,
    issn: Option<String>,
    language: Option<String>,
    note: Option<String>,
    genre: Option<String>,
    series: Option<String>,
}

fn tex_fields(source: &str) -> Option<Fields> {
    use biblatex::ChunksExt;
    let bib = biblatex::Bibliography::parse(source).ok()?;
    let tex = bib.iter().next()?;
    let get = |k: &str| {
        tex.get(k)
            .map(|c| c.format_verbatim())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let names = |people: Vec<biblatex::Person>| -> Vec<Name> {
        people
            .into_iter()
            .map(|p| {
                let family = [p.prefix.trim(), p.name.trim()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let given = Some(p.given_name.trim().to_string()).filter(|s| !s.is_empty());
                Name {
                    literal: given.is_none() && family.contains(' '),
                    family,
                    given,
                }
            })
            .collect()
    };
    let kind = match tex.entry_type.to_string().to_lowercase().as_str() {
        "article" => "article-journal",
        "book" | "mvbook" => "book",
        "incollection" | "inbook" => "chapter",
        "inproceedings" => "paper-conference",
        "phdthesis" | "mastersthesis" | "thesis" => "thesis",
        "report" | "techreport" => "report",
        "online" => "webpage",
        _ => "document",
    }
    .to_string();
    let year = get("year").or_else(|| get("date").map(|d| d.chars().take(4).collect()));
    Some(Fields {
        kind,
        title: get("title"),
        authors: tex.author().map(names).unwrap_or_default(),
        editors: tex
            .editors()
            .ok()
            .into_iter()
            .flatten()
            .flat_map(|(p, _)| names(p))
            .collect(),
        year,
        month: get("month"),
        container: get("journal")
            .or_else(|| get("journaltitle"))
            .or_else(|| get("booktitle")),
        publisher: get("publisher")
            .or_else(|| get("school"))
            .or_else(|| get("institution")),
        place: get("address").or_else(|| get("location")),
        volume: get("volume"),
        issue: get("number").or_else(|| get("issue")),
        pages: get("pages").map(|p| p.replace("--", "–")),
        doi: get("doi"),
        url: get("url"),
        isbn: get("isbn"),
        issn: get("issn"),
        language: get("language").or_else(|| get("langid")),
        note: get("note").or_else(|| get("howpublished")),
        genre: get("type"),
        series: get("series"),
    })
}

fn csl_fields(json: &Value) -> Fields {
    let s = |k: &str| {
        json.get(k)
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.trim().is_empty())
    };
    let names = |k: &str| -> Vec<Name> {
        json.get(k)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|n| {
                if let Some(l) = n.get("literal").and_then(|l| l.as_str()) {
                    return Some(Name {
                        family: l.to_string(),
                        given: None,
                        literal: true,
                    });
                }
                let family = n.get("family")?.as_str()?;
                let family = match n.get("non-dropping-particle").and_then(|p| p.as_str()) {
                    Some(p) => format!("{p} {family}"),
                    None => family.to_string(),
                };
                Some(Name {
                    family,
                    given: n.get("given").and_then(|g| g.as_str()).map(str::to_string),
                    literal: false,
                })
            })
            .collect()
    };
    let issued = json.get("issued");
    let part = |i: usize| {
        issued
            .and_then(|d| d.pointer(&format!("/date-parts/0/{i}")))
            .and_then(|v| {
                v.as_i64()
                    .map(|n| n.to_string())
                    .or_else(|| v.as_str().map(str::to_string))
            })
    };
    Fields {
        kind: s("type").unwrap_or_else(|| "document".into()),
        title: s("title"),
        authors: names("author"),
        editors: names("editor"),
        year: part(0).or_else(|| {
            issued
                .and_then(|d| d.get("raw").or(d.get("literal")))
                .and_then(|v| v.as_str())
                .map(|r| r.chars().take(4).collect())
        }),
        month: part(1),
        container: s("container-title"),
        publisher: s("publisher"),
        place: s("publisher-place"),
        volume: s("volume"),
        issue: s("issue"),
        pages: s("page"),
        doi: s("DOI"),
        url: s("URL"),
        isbn: s("ISBN"),
        issn: s("ISSN"),
        language: s("language"),
        note: s("note"),
        genre: s("genre"),
        series: s("collection-title"),
    }
}

fn fields(record: &Record) -> Fields {
    match record {
        Record::Bib { source, .. } => tex_fields(source).unwrap_or_default(),
        Record::Csl { json, .. } => csl_fields(json),
    }
}

fn bib_name(n: &Name) -> String {
    let n = Name {
        family: n.family.replace(['{', '}'], ""),
        given: n.given.as_ref().map(|g| g.replace(['{', '}'], "")),
        literal: n.literal,
    };
    match (&n.given, n.literal) {
        (_, true) => format!("{{{}}}", n.family),
        (Some(g), _) => format!("{}, {g}", n.family),
        (None, _) => n.family.clone(),
    }
}

/// The record in `format`, under `key`.
pub fn write(key: &str, record: &Record, format: Exchange) -> String {
    match (format, record) {
        (Exchange::Bibtex, Record::Bib { source, .. }) => bibtex_source(source),
        (Exchange::Bibtex, _) => bibtex(key, &fields(record)),
        (Exchange::Ris, _) => ris(&fields(record)),
        (Exchange::CslJson, Record::Csl { json, .. }) => {
            serde_json::to_string_pretty(json).unwrap_or_default()
        }
        (Exchange::CslJson, _) => {
            serde_json::to_string_pretty(&csl_json(key, &fields(record))).unwrap_or_default()
        }
    }
}

/// Several records in `format`: BibTeX and RIS concatenated, CSL-JSON as one array.
pub fn write_all<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a Record)>,
    format: Exchange,
) -> String {
    let records: Vec<_> = records.into_iter().collect();
    if format == Exchange::CslJson {
        let items: Vec<Value> = records
            .iter()
            .map(|(k, r)| match r {
                Record::Csl { json, .. } => json.clone(),
                _ => csl_json(k, &fields(r)),
            })
            .collect();
        return serde_json::to_string_pretty(&items).unwrap_or_default() + "\n";
    }
    records
        .iter()
        .map(|(k, r)| write(k, r, format))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The entry itself from its stored source (the file's `@string` macros
/// used to parse it are left out: the entry is written resolved when it uses them).
fn bibtex_source(source: &str) -> String {
    let entries: Vec<&str> = source.split("\n@").collect();
    let last = entries.last().copied().unwrap_or(source);
    let entry = if entries.len() > 1 {
        format!("@{last}")
    } else {
        last.trim_start().to_string()
    };
    if source.contains("@string") || source.contains("@STRING") {
        // Resolve macros by re-writing from fields rather than leaving dangling names.
        if let Some(f) = tex_fields(source) {
            let key = entry
                .split(['{', ','])
                .nth(1)
                .unwrap_or("")
                .trim()
                .to_string();
            return bibtex(&key, &f);
        }
    }
    let mut e = entry.trim_end().to_string();
    e.push('\n');
    e
}

fn bibtex(key: &str, f: &Fields) -> String {
    let kind = match f.kind.as_str() {
        "article-journal" | "article" | "article-magazine" | "article-newspaper" => "article",
        "book" => "book",
        "chapter" => "incollection",
        "paper-conference" => "inproceedings",
        "thesis" => "phdthesis",
        "report" => "techreport",
        "webpage" | "post-weblog" | "post" => "online",
        _ => "misc",
    };
    let mut out = format!("@{kind}{{{key},\n");
    // Names carry their own braces (an institution is `{kutip project}`);
    // in other fields braces are dropped so the value cannot break the entry.
    let join = |names: &[Name]| names.iter().map(bib_name).collect::<Vec<_>>().join(" and ");
    for (name, people) in [("author", &f.authors), ("editor", &f.editors)] {
        if !people.is_empty() {
            out.push_str(&format!("  {name} = {{{}}},\n", join(people)));
        }
    }
    let mut field = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.push_str(&format!("  {name} = {{{}}},\n", v.replace(['{', '}'], "")));
        }
    };
    field("title", &f.title);
    let container = match kind {
        "article" => "journal",
        "incollection" | "inproceedings" => "booktitle",
        _ => "howpublished",
    };
    field(container, &f.container);
    let publisher = match kind {
        "phdthesis" => "school",
        "techreport" => "institution",
        _ => "publisher",
    };
    field(publisher, &f.publisher);
    field("address", &f.place);
    field("year", &f.year);
    field("month", &f.month);
    field("volume", &f.volume);
    field("number", &f.issue);
    field("pages", &f.pages.as_ref().map(|p| p.replace('–', "--")));
    field("series", &f.series);
    field("type", &f.genre);
    field("doi", &f.doi);
    field("url", &f.url);
    field("isbn", &f.isbn);
    field("issn", &f.issn);
    field("language", &f.language);
    field("note", &f.note);
    out.push_str("}\n");
    out
}

fn ris(f: &Fields) -> String {
    let ty = match f.kind.as_str() {
        "article-journal" | "article" => "JOUR",
        "book" => "BOOK",
        "chapter" => "CHAP",
        "paper-conference" => "CPAPER",
        "thesis" => "THES",
        "report" => "RPRT",
        "webpage" => "ELEC",
        "post-weblog" | "post" => "BLOG",
        _ => "GEN",
    };
    let mut out = format!("TY  - {ty}\n");
    let mut line = |tag: &str, v: &str| out.push_str(&format!("{tag}  - {v}\n"));
    for a in &f.authors {
        line("AU", &ris_name(a));
    }
    for e in &f.editors {
        line("ED", &ris_name(e));
    }
    let pairs = [
        ("TI", &f.title),
        ("T2", &f.container),
        ("T3", &f.series),
        ("PY", &f.year),
        ("PB", &f.publisher),
        ("CY", &f.place),
        ("VL", &f.volume),
        ("IS", &f.issue),
        ("DO", &f.doi),
        ("UR", &f.url),
        ("SN", &f.isbn.clone().or_else(|| f.issn.clone())),
        ("LA", &f.language),
        ("M3", &f.genre),
        ("N1", &f.note),
    ];
    for (tag, v) in pairs {
        if let Some(v) = v {
            line(tag, v);
        }
    }
    if let Some(p) = &f.pages {
        let mut it = p.split(['–', '-']).filter(|s| !s.is_empty());
        if let Some(sp) = it.next() {
            line("SP", sp);
        }
        if let Some(ep) = it.next() {
            line("EP", ep);
        }
    }
    out.push_str("ER  - \n");
    out
}

fn ris_name(n: &Name) -> String {
    match &n.given {
        Some(g) => format!("{}, {g}", n.family),
        None => n.family.clone(),
    }
}

fn csl_json(key: &str, f: &Fields) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(key));
    m.insert("type".into(), json!(f.kind));
    let names = |v: &[Name]| -> Value {
        Value::Array(
            v.iter()
                .map(|n| match (&n.given, n.literal) {
                    (_, true) | (None, _) => json!({ "literal": n.family }),
                    (Some(g), _) => json!({ "family": n.family, "given": g }),
                })
                .collect(),
        )
    };
    if !f.authors.is_empty() {
        m.insert("author".into(), names(&f.authors));
    }
    if !f.editors.is_empty() {
        m.insert("editor".into(), names(&f.editors));
    }
    if let Some(y) = f.year.as_ref().and_then(|y| y.parse::<i64>().ok()) {
        m.insert("issued".into(), json!({ "date-parts": [[y]] }));
    }
    let pairs = [
        ("title", &f.title),
        ("container-title", &f.container),
        ("collection-title", &f.series),
        ("publisher", &f.publisher),
        ("publisher-place", &f.place),
        ("volume", &f.volume),
        ("issue", &f.issue),
        ("page", &f.pages),
        ("DOI", &f.doi),
        ("URL", &f.url),
        ("ISBN", &f.isbn),
        ("ISSN", &f.issn),
        ("language", &f.language),
        ("genre", &f.genre),
        ("note", &f.note),
    ];
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::library::read_bibtex;
    use std::path::Path;

    const BIB: &str = "@string{ag = {Annals of the Association of American Geographers}}\n@article{zelinsky1991,\n  author  = {Zelinsky, Wilbur},\n  title   = {The Twinning of the World},\n  journal = ag,\n  year    = {1991},\n  volume  = {81},\n  pages   = {1--31},\n  doi     = {10.1111/j.1467-8306.1991.tb01676.x}\n}\n@phdthesis{devilliers2005,\n  author = {de Villiers, Jacobus Christiaan},\n  title  = {Strategic Alliances},\n  school = {University of Stellenbosch},\n  year   = {2005}\n}\n";

    fn rec(key: &str) -> Record {
        read_bibtex(Path::new("t.bib"), BIB)
            .0
            .into_iter()
            .find(|e| e.key == key)
            .unwrap()
            .record
    }

    #[test]
    fn bibtex_keeps_the_source_and_resolves_macros() {
        let out = write("devilliers2005", &rec("devilliers2005"), Exchange::Bibtex);
        assert!(out.starts_with("@phdthesis{devilliers2005,"), "{out}");
        assert!(out.contains("school = {University of Stellenbosch}"));
        let out = write("zelinsky1991", &rec("zelinsky1991"), Exchange::Bibtex);
        assert!(
            out.contains("journal = {Annals of the Association of American Geographers}"),
            "{out}"
        );
    }

    #[test]
    fn institutional_authors_stay_one_name_in_bibtex() {
        let json = serde_json::json!({"id": "x", "type": "report", "title": "T", "author": [{"literal": "kutip project"}], "issued": {"date-parts": [[2026]]}});
        let r = Record::from_csl_json(json).unwrap();
        let b = write("x", &r, Exchange::Bibtex);
        assert!(b.contains("author = {{kutip project}},"), "{b}");
        let (back, diags) = read_bibtex(Path::new("x.bib"), &b);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(back[0].record.authors(), ["kutip project"]);
    }

    #[test]
    fn ris_and_csl_json_carry_only_known_fields() {
        let r = write("zelinsky1991", &rec("zelinsky1991"), Exchange::Ris);
        assert!(r.starts_with("TY  - JOUR\nAU  - Zelinsky, Wilbur\n"), "{r}");
        assert!(
            r.contains("SP  - 1\nEP  - 31\n") && r.ends_with("ER  - \n"),
            "{r}"
        );
        assert!(!r.contains("IS  -"), "no issue number was given: {r}");
        let j: Value = serde_json::from_str(&write(
            "devilliers2005",
            &rec("devilliers2005"),
            Exchange::CslJson,
        ))
        .unwrap();
        assert_eq!(j["author"][0]["family"], "de Villiers");
        assert_eq!(j["type"], "thesis");
        assert_eq!(j["issued"]["date-parts"][0][0], 2005);
        assert!(j.get("DOI").is_none());
    }
}
