//! YAML front matter of Markdown documents: either `key:` (the library entry
//! this document is) or the document's own metadata under CSL variable names.

use crate::analysis::Lang;
use hayagriva::citationberg::json as csl;
use serde_json::{Map, Value, json};
use yaml_rust2::{Yaml, YamlLoader};

/// Front matter larger than this is refused: metadata is small, and a huge
/// block is a mistake or an attack.
const MAX_FRONT_MATTER: usize = 64 * 1024;

/// What the front matter says about its document.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `key:`: the library entry this document is.
    pub key: Option<String>,
    /// Declared language.
    pub lang: Option<Lang>,
    /// Inline metadata as a CSL-JSON object (without `id`), when a title is given.
    pub item: Option<Value>,
    /// A problem with the front matter (reported, the document is still indexed).
    pub problem: Option<String>,
}

/// Finds front matter at the start of `text`. Returns it with the byte offset
/// where the body starts, or `None` when the file has none.
pub fn split(text: &str) -> Result<Option<(FrontMatter, usize)>, String> {
    let first_len = match text.split_inclusive('\n').next() {
        Some(l) if l.trim_end() == "---" => l.len(),
        _ => return Ok(None),
    };
    let mut offset = first_len;
    for line in text[first_len..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let yaml = &text[first_len..offset];
            return Ok(Some((parse(yaml), offset + line.len())));
        }
        offset += line.len();
        if offset > MAX_FRONT_MATTER {
            return Err(format!(
                "front matter longer than {} KiB or never closed with '---'; close it or shorten it",
                MAX_FRONT_MATTER / 1024
            ));
        }
    }
    Err(
        "front matter opened with '---' on line 1 is never closed; add a '---' line after it"
            .into(),
    )
}

/// Parses the YAML between the fences; problems are recorded, never fatal.
/// Whether YAML text uses an anchor (`&name`) or alias (`*name`): the YAML
/// reader copies every alias, so a few nested ones grow into gigabytes.
fn has_anchors(yaml: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => {
                // A comment runs to the end of the line.
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            None if (c == '&' || c == '*')
                && (prev.is_whitespace() || matches!(prev, '[' | ',' | ':' | '-' | '{'))
                && chars
                    .peek()
                    .is_some_and(|n| n.is_alphanumeric() || *n == '_') =>
            {
                return true;
            }
            None => {}
        }
        prev = c;
    }
    false
}

pub fn parse(yaml: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    if has_anchors(yaml) {
        fm.problem = Some(
            "front matter uses YAML anchors or aliases (&name, *name), which kutip does not expand; write the values out (metadata ignored)"
                .into(),
        );
        return fm;
    }
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(d) => d,
        Err(e) => {
            fm.problem = Some(format!(
                "front matter line {}: {}; fix the YAML (metadata ignored)",
                e.marker().line() + 1,
                e.info()
            ));
            return fm;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return fm;
    };
    let mut item = Map::new();
    for (k, v) in &map {
        let Some(k) = k.as_str() else { continue };
        let key = k.to_ascii_lowercase();
        match key.as_str() {
            "key" | "id" | "citekey" => fm.key = scalar(v),
            "lang" | "language" => {
                if let Some(l) = scalar(v) {
                    fm.lang = Lang::parse(&l);
                    item.insert("language".into(), json!(l));
                }
            }
            "author" | "authors" | "editor" | "editors" => {
                let names = names(v);
                if !names.is_empty() {
                    let var = if key.starts_with("editor") {
                        "editor"
                    } else {
                        "author"
                    };
                    item.insert(var.into(), Value::Array(names));
                }
            }
            "year" | "date" | "issued" => {
                if let Some(d) = scalar(v).and_then(|d| date_parts(&d)) {
                    item.insert("issued".into(), d);
                }
            }
            "type" => {
                if let Some(t) = scalar(v) {
                    item.insert("type".into(), json!(csl_type(&t)));
                }
            }
            _ => {
                if let Some(var) = csl_variable(&key)
                    && let Some(s) = scalar(v)
                {
                    item.insert(var.into(), json!(s));
                }
            }
        }
    }
    if item.contains_key("title") {
        item.entry("type").or_insert_with(|| json!("document"));
        let item = Value::Object(item);
        match serde_json::from_value::<csl::Item>(item.clone()) {
            Ok(_) => fm.item = Some(item),
            Err(e) => fm.problem = Some(format!("front matter metadata not usable ({e})")),
        }
    }
    fm
}

fn scalar(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.trim().to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// Names as CSL name objects: `{family, given}` or `{literal}` as written,
/// a name written out read as [`super::names::csl_name`] reads it (`Budi
/// Santoso` is Santoso, B.; `Badan Pusat Statistik` stays whole).
fn names(v: &Yaml) -> Vec<Value> {
    let one = |v: &Yaml| -> Option<Value> {
        match v {
            Yaml::Hash(h) => {
                let get = |k: &str| h.get(&Yaml::String(k.into())).and_then(scalar);
                if let Some(l) = get("literal") {
                    return Some(json!({ "literal": l }));
                }
                let family = get("family")?;
                let mut o = Map::new();
                o.insert("family".into(), json!(family));
                if let Some(g) = get("given") {
                    o.insert("given".into(), json!(g));
                }
                Some(Value::Object(o))
            }
            _ => super::names::csl_name(&scalar(v)?),
        }
    };
    match v {
        Yaml::Array(a) => a.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn date_parts(d: &str) -> Option<Value> {
    let parts: Vec<i64> = d
        .split(['-', '/'])
        .map_while(|p| p.trim().parse::<i64>().ok())
        .take(3)
        .collect();
    match parts.first() {
        Some(y) if (1000..=9999).contains(y) => Some(json!({ "date-parts": [parts] })),
        _ => Some(json!({ "literal": d })),
    }
}

fn csl_type(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "article" | "journal-article" | "journal" => "article-journal",
        "chapter" | "incollection" | "inbook" => "chapter",
        "thesis" | "phdthesis" | "mastersthesis" | "dissertation" => "thesis",
        "web" | "webpage" | "website" | "online" => "webpage",
        "blog" | "blog-post" | "post" => "post-weblog",
        "conference" | "inproceedings" => "paper-conference",
        "techreport" => "report",
        other => return other.to_string(),
    }
    .to_string()
}

fn csl_variable(key: &str) -> Option<&'static str> {
    Some(match key {
        "title" => "title",
        "container-title" | "container_title" | "journal" | "booktitle" => "container-title",
        "publisher" => "publisher",
        "publisher-place" | "address" | "location" => "publisher-place",
        "url" => "URL",
        "doi" => "DOI",
        "isbn" => "ISBN",
        "note" => "note",
        "volume" => "volume",
        "issue" | "number" => "issue",
        "page" | "pages" => "page",
        "abstract" => "abstract",
        "genre" => "genre",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_metadata_becomes_a_csl_item() {
        let text = "---\ntitle: \"Kota Kembar\"\nauthor: [\"Proyek kutip\", \"Zelinsky, Wilbur\"]\ndate: 2026-11-28\nlang: id\n---\n# Body\n";
        let (fm, start) = split(text).unwrap().unwrap();
        assert_eq!(&text[start..], "# Body\n");
        assert_eq!(fm.lang, Some(Lang::Id));
        let item = fm.item.unwrap();
        assert_eq!(item["author"][0]["literal"], "Proyek kutip");
        assert_eq!(item["author"][1]["family"], "Zelinsky");
        assert_eq!(item["issued"]["date-parts"][0][0], 2026);
        assert_eq!(item["type"], "document");
    }

    #[test]
    fn anchors_and_aliases_are_refused_not_expanded() {
        let bomb = "a: &a [\"x\",\"x\"]\nb: &b [*a,*a]\nc: &c [*b,*b]\ntitle: T\n";
        let fm = parse(bomb);
        assert!(fm.problem.unwrap().contains("anchors or aliases"));
        assert!(fm.item.is_none());
        let fine = parse("title: \"Tom & Jerry *and* more\"\nauthor: [\"A & B\"]\n");
        assert!(fine.problem.is_none(), "{:?}", fine.problem);
        assert!(fine.item.is_some());
    }

    #[test]
    fn key_only_and_bad_yaml() {
        let (fm, _) = split("---\nkey: clarke2011\n---\ntext").unwrap().unwrap();
        assert_eq!(fm.key.as_deref(), Some("clarke2011"));
        assert!(fm.item.is_none());
        let (fm, _) = split("---\ntitle: [unclosed\n---\ntext").unwrap().unwrap();
        assert!(fm.problem.unwrap().contains("line"));
        assert!(split("---\ntitle: x\nno end").is_err());
        assert!(split("no front matter").unwrap().is_none());
    }
}
