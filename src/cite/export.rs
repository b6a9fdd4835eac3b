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
    /// `Jr.`, `III`.
    suffix: Option<String>,
}

/// The fields of a record, neutral between formats.
#[derive(Debug, Default, Clone)]
struct Fields {
    /// CSL type name.
    kind: String,
    title: Option<String>,
    authors: Vec<Name>,
    editors: Vec<Name>,
    translators: Vec<Name>,
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
    /// When a web page was read (`urldate`), as `YYYY-MM-DD`.
    accessed: Option<String>,
    edition: Option<String>,
    container: Option<String>,
    publisher: Option<String>,
    place: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    /// A report's or a patent's number (CSL `number`).
    number: Option<String>,
    /// A book's number in its series (CSL `collection-number`).
    series_number: Option<String>,
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
                    suffix: Some(p.suffix.trim().to_string()).filter(|s| !s.is_empty()),
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
    // `date = {2021-01-20}` (BibLaTeX) gives the whole date; `year` and
    // `month` (BibTeX) what they say.
    let date: Vec<String> = get("date")
        .map(|d| {
            d.split(['-', '/'])
                .take(3)
                .map_while(|p| p.trim().parse::<u32>().ok().map(|n| n.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let year = get("year").or_else(|| date.first().cloned());
    let month = get("month")
        .and_then(|m| month_number(&m))
        .or_else(|| date.get(1).cloned());
    let day = date.get(2).cloned().filter(|_| month.is_some());
    let has_series = get("series").is_some();
    let number = get("number");
    let (issue, report_number, series_number) = match kind.as_str() {
        "report" => (get("issue"), number, None),
        "article-journal" => (number.or_else(|| get("issue")), None, None),
        _ if has_series && get("volume").is_none() => (get("issue"), None, number),
        _ => (number.or_else(|| get("issue")), None, None),
    };
    let translators = tex
        .get_as::<Vec<biblatex::Person>>("translator")
        .map(names)
        .unwrap_or_default();
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
        translators,
        year,
        month,
        day,
        accessed: get("urldate"),
        edition: get("edition"),
        container: get("journal")
            .or_else(|| get("journaltitle"))
            .or_else(|| get("booktitle")),
        // The body that published the work, as the citations name it (see
        // `library::publisher_from_organization`).
        publisher: get("publisher")
            .or_else(|| get("school"))
            .or_else(|| get("institution"))
            .or_else(|| get("organization"))
            .or_else(|| get("howpublished").filter(|h| !super::library::names_a_link(h))),
        place: get("address").or_else(|| get("location")),
        volume: get("volume"),
        issue,
        number: report_number,
        series_number,
        pages: get("pages").map(|p| p.replace("--", "–")),
        doi: get("doi"),
        url: get("url"),
        isbn: get("isbn"),
        issn: get("issn"),
        // As a code (`id`), which CSL and RIS readers expect, where kutip
        // knows the name (`indonesian`).
        language: get("langid").or_else(|| get("language")).map(|l| {
            super::library::language_code(&l)
                .map(str::to_string)
                .unwrap_or(l)
        }),
        note: get("note")
            .or_else(|| get("howpublished").filter(|h| super::library::names_a_link(h))),
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
                        suffix: None,
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
                    suffix: n.get("suffix").and_then(|g| g.as_str()).map(str::to_string),
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
    let accessed = json.get("accessed").and_then(|d| {
        let parts: Vec<String> = d
            .pointer("/date-parts/0")?
            .as_array()?
            .iter()
            .filter_map(|v| v.as_i64().map(|n| format!("{n:02}")))
            .collect();
        (!parts.is_empty()).then(|| parts.join("-"))
    });
    Fields {
        kind: s("type").unwrap_or_else(|| "document".into()),
        title: s("title"),
        authors: names("author"),
        editors: names("editor"),
        translators: names("translator"),
        day: part(2),
        accessed,
        edition: s("edition"),
        number: s("number"),
        series_number: s("collection-number"),
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
        suffix: n.suffix.as_ref().map(|g| g.replace(['{', '}'], "")),
    };
    match (&n.given, n.literal, &n.suffix) {
        (_, true, _) => format!("{{{}}}", n.family),
        (Some(g), _, Some(s)) => format!("{}, {s}, {g}", n.family),
        (Some(g), _, None) => format!("{}, {g}", n.family),
        (None, _, _) => n.family.clone(),
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
    for (name, people) in [
        ("author", &f.authors),
        ("editor", &f.editors),
        ("translator", &f.translators),
    ] {
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
    field("edition", &f.edition);
    field("urldate", &f.accessed);
    field("volume", &f.volume);
    field(
        "number",
        &f.issue
            .clone()
            .or(f.number.clone())
            .or(f.series_number.clone()),
    );
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
        ("DA", &ris_date(f)),
        ("Y2", &f.accessed.as_ref().map(|d| d.replace('-', "/"))),
        ("ET", &f.edition),
        ("PB", &f.publisher),
        ("CY", &f.place),
        ("VL", &f.volume.clone().or(f.series_number.clone())),
        ("IS", &f.issue.clone().or(f.number.clone())),
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
    match (&n.given, &n.suffix) {
        (Some(g), Some(s)) => format!("{}, {g}, {s}", n.family),
        (Some(g), None) => format!("{}, {g}", n.family),
        (None, _) => n.family.clone(),
    }
}

/// RIS's `DA`: `YYYY/MM/DD/`, when more than the year is known.
fn ris_date(f: &Fields) -> Option<String> {
    let (y, m) = (f.year.as_ref()?, f.month.as_ref()?);
    let two = |s: &str| format!("{:0>2}", s);
    Some(match &f.day {
        Some(d) => format!("{y}/{}/{}/", two(m), two(d)),
        None => format!("{y}/{}/", two(m)),
    })
}

/// A BibTeX month (`jan`, `January`, `1`) as its number.
fn month_number(m: &str) -> Option<String> {
    let m = m.trim().to_lowercase();
    if let Ok(n) = m.parse::<u32>() {
        return (1..=12).contains(&n).then(|| n.to_string());
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|n| m.starts_with(n))
        .map(|i| (i + 1).to_string())
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
                    (Some(g), _) => {
                        let mut o = json!({ "family": n.family, "given": g });
                        if let Some(s) = &n.suffix {
                            o["suffix"] = json!(s);
                        }
                        o
                    }
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
    if !f.translators.is_empty() {
        m.insert("translator".into(), names(&f.translators));
    }
    if let Some(y) = f.year.as_ref().and_then(|y| y.parse::<i64>().ok()) {
        // As much of the date as is known: year, month, day.
        let mut parts = vec![y];
        if let Some(mo) = f.month.as_ref().and_then(|m| m.parse::<i64>().ok()) {
            parts.push(mo);
            parts.extend(f.day.as_ref().and_then(|d| d.parse::<i64>().ok()));
        }
        m.insert("issued".into(), json!({ "date-parts": [parts] }));
    }
    if let Some(a) = &f.accessed {
        let parts: Vec<i64> = a
            .split('-')
            .map_while(|p| p.parse::<i64>().ok())
            .take(3)
            .collect();
        if !parts.is_empty() {
            m.insert("accessed".into(), json!({ "date-parts": [parts] }));
        }
    }
    let pairs = [
        ("title", &f.title),
        ("container-title", &f.container),
        ("collection-title", &f.series),
        ("publisher", &f.publisher),
        ("publisher-place", &f.place),
        ("volume", &f.volume),
        ("issue", &f.issue),
        ("number", &f.number),
        ("collection-number", &f.series_number),
        ("edition", &f.edition),
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
    fn csl_json_and_ris_carry_every_field_the_bibtex_has() {
        let bib = "@online{w, author = {King, Jr., Martin Luther}, title = {Kota}, organization = {Kompasiana}, date = {2021-01-20}, urldate = {2021-02-01}, url = {https://example.org/k}, langid = {indonesian}}\n\
                   @book{b, author = {Toer, Pramoedya Ananta}, translator = {Lane, Max}, title = {Bumi Manusia}, edition = {2}, publisher = {Penguin}, series = {Classics}, number = {4}, year = {2010}, month = may}\n\
                   @techreport{r, author = {Suryahadi, Asep}, title = {Kemiskinan}, institution = {SMERU}, number = {15-03}, year = {2015}}\n\
                   @misc{m, author = {Sarbini, Roihan}, title = {Histori}, howpublished = {Kompasiana}, year = {2021}}\n";
        let lib = read_bibtex(Path::new("t.bib"), bib).0;
        let csl = |key: &str| -> Value {
            let e = lib.iter().find(|e| e.key == key).unwrap();
            serde_json::from_str(&write(key, &e.record, Exchange::CslJson)).unwrap()
        };
        let w = csl("w");
        assert_eq!(w["issued"], json!({"date-parts": [[2021, 1, 20]]}));
        assert_eq!(w["accessed"], json!({"date-parts": [[2021, 2, 1]]}));
        assert_eq!(w["author"][0]["suffix"], "Jr.");
        assert_eq!(w["publisher"], "Kompasiana");
        assert_eq!(w["language"], "id");
        let b = csl("b");
        assert_eq!(b["translator"][0]["family"], "Lane");
        assert_eq!(b["edition"], "2");
        assert_eq!(b["collection-number"], "4");
        assert!(b.get("issue").is_none(), "{b}");
        assert_eq!(b["issued"], json!({"date-parts": [[2010, 5]]}));
        let r = csl("r");
        assert_eq!(r["number"], "15-03");
        assert_eq!(r["publisher"], "SMERU");
        assert_eq!(csl("m")["publisher"], "Kompasiana");
        let e = lib.iter().find(|e| e.key == "w").unwrap();
        let ris = write("w", &e.record, Exchange::Ris);
        for line in [
            "AU  - King, Martin Luther, Jr.",
            "DA  - 2021/01/20/",
            "Y2  - 2021/02/01",
            "LA  - id",
        ] {
            assert!(ris.contains(line), "{line}: {ris}");
        }
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
