//! EPUB reader (EPUB 2 and 3): `META-INF/container.xml` → package (OPF) →
//! spine order; each XHTML chapter read whole through the HTML reader's text
//! extraction (headings kept, no boilerplate removal); chapter titles from
//! the EPUB 3 navigation document, else the EPUB 2 NCX, else the chapter's
//! first heading; metadata from the OPF.

use super::archive::{self, Archive, Limits, attr, local};
use super::extracted::{
    Block, Extracted, Meta, ReadError, bare_doi, clean_line, non_empty, render,
};
use super::html;
use quick_xml::events::Event;
use std::collections::HashMap;

/// Reads an EPUB file with the default [`Limits`].
pub fn read_epub(bytes: &[u8]) -> Result<Extracted, ReadError> {
    read_epub_with(bytes, Limits::default())
}

/// Reads an EPUB file under the given limits.
pub fn read_epub_with(bytes: &[u8], limits: Limits) -> Result<Extracted, ReadError> {
    let mut zip = Archive::open(bytes, limits)?;
    let Some(container) = zip.read_text("META-INF/container.xml")? else {
        return Err(ReadError::MissingPart(
            "META-INF/container.xml (not an EPUB?)".into(),
        ));
    };
    let opf_path = rootfile(&container).ok_or_else(|| {
        ReadError::MissingPart("package document (no rootfile in container.xml)".into())
    })?;
    let Some(opf_xml) = zip.read_text(&opf_path)? else {
        return Err(ReadError::MissingPart(opf_path));
    };
    let pkg = Package::parse(&opf_xml, &opf_path)
        .map_err(|e| ReadError::BadXml(format!("{opf_path}: {e}")))?;
    let encrypted = match zip.read_text("META-INF/encryption.xml")? {
        Some(x) => encrypted_paths(&x),
        None => Vec::new(),
    };

    // Table of contents: path → first label.
    let mut toc: HashMap<String, String> = HashMap::new();
    let mut nav_path = None;
    if let Some(nav) = pkg
        .items
        .values()
        .find(|i| i.properties.split_whitespace().any(|p| p == "nav"))
    {
        nav_path = Some(nav.path.clone());
        if let Some(x) = zip.read_text(&nav.path)? {
            for (href, label) in html::nav_toc(&x) {
                toc.entry(archive::resolve_path(&nav.path, &href))
                    .or_insert(label);
            }
        }
    }
    if toc.is_empty() {
        let ncx = pkg
            .spine_toc
            .as_ref()
            .and_then(|id| pkg.items.get(id))
            .or_else(|| {
                pkg.items
                    .values()
                    .find(|i| i.media_type == "application/x-dtbncx+xml")
            });
        if let Some(ncx) = ncx {
            let ncx_path = ncx.path.clone();
            if let Some(x) = zip.read_text(&ncx_path)? {
                for (src, label) in ncx_toc(&x) {
                    toc.entry(archive::resolve_path(&ncx_path, &src))
                        .or_insert(label);
                }
            }
        }
    }

    let mut blocks: Vec<Block> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in &pkg.spine {
        let Some(item) = pkg.items.get(id) else {
            continue;
        };
        if !seen.insert(item.path.clone()) || Some(&item.path) == nav_path.as_ref() {
            continue;
        }
        let mt = item.media_type.to_ascii_lowercase();
        let lower = item.path.to_ascii_lowercase();
        let is_html = mt.contains("html")
            || (mt.is_empty()
                && (lower.ends_with(".xhtml")
                    || lower.ends_with(".html")
                    || lower.ends_with(".htm")));
        if !is_html {
            continue;
        }
        if encrypted.contains(&item.path) {
            return Err(ReadError::Encrypted(format!(
                "{} is encrypted (DRM)",
                item.path
            )));
        }
        let Some(x) = zip.read_text(&item.path)? else {
            continue; // listed in the manifest but absent
        };
        let chapter = html::document_blocks(&x);
        if chapter.is_empty() {
            continue;
        }
        blocks.extend(with_title(chapter, toc.get(&item.path).map(String::as_str)));
    }

    Ok(Extracted {
        text: render(&blocks),
        meta: pkg.meta,
    })
}

/// Makes a chapter start with a heading: its TOC label (unless its first
/// heading already says it), else its first heading.
fn with_title(mut chapter: Vec<Block>, label: Option<&str>) -> Vec<Block> {
    let same = |a: &str, b: &str| clean_line(a).to_lowercase() == clean_line(b).to_lowercase();
    match (label, chapter.first()) {
        (Some(l), Some(Block::Heading(_, h))) if same(l, h) => {}
        (Some(l), _) => chapter.insert(0, Block::Heading(1, clean_line(l))),
        (None, Some(Block::Heading(..))) => {}
        (None, _) => {
            // Move the first heading to the top (the section it opens is the
            // same either way).
            if let Some(pos) = chapter.iter().position(|b| matches!(b, Block::Heading(..))) {
                let h = chapter.remove(pos);
                chapter.insert(0, h);
            }
        }
    }
    chapter
}

fn rootfile(container: &str) -> Option<String> {
    let mut r = quick_xml::Reader::from_str(container);
    let mut first = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "rootfile" => {
                let Some(path) = attr(&e, "full-path") else {
                    continue;
                };
                let mt = attr(&e, "media-type").unwrap_or_default();
                let path = archive::resolve_path("", &path);
                if mt == "application/oebps-package+xml" {
                    return Some(path);
                }
                first.get_or_insert(path);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    first
}

/// Resources encrypted with something other than font obfuscation.
fn encrypted_paths(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut algorithm = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match local(&e).as_str() {
                "EncryptedData" => algorithm.clear(),
                "EncryptionMethod" => algorithm = attr(&e, "Algorithm").unwrap_or_default(),
                "CipherReference" => {
                    let font = algorithm == "http://www.idpf.org/2008/embedding"
                        || algorithm == "http://ns.adobe.com/pdf/enc#RC";
                    if !font && let Some(uri) = attr(&e, "URI") {
                        out.push(archive::resolve_path("", &uri));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// (src, label) of every NCX navPoint, in document order.
fn ncx_toc(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(xml);
    // Labels waiting for their content src, one per open navPoint.
    let mut pending: Vec<Option<String>> = Vec::new();
    let mut in_label = false;
    let mut in_text = false;
    let mut buf = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if local(&e) != "content" => match local(&e).as_str() {
                "navPoint" => pending.push(None),
                "navLabel" => in_label = true,
                "text" if in_label => {
                    in_text = true;
                    buf.clear();
                }
                _ => {}
            },
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if local(&e) == "content"
                    && let Some(src) = attr(&e, "src")
                    && let Some(Some(label)) = pending.last()
                {
                    out.push((src, label.clone()));
                }
            }
            Ok(Event::Text(t)) if in_text => buf.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(g)) if in_text => buf.push_str(&archive::resolve_ref(&g)),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "text" if in_text => {
                    in_text = false;
                    if let Some(slot) = pending.last_mut()
                        && slot.is_none()
                    {
                        *slot = non_empty(&buf);
                    }
                }
                "navLabel" => in_label = false,
                "navPoint" => {
                    pending.pop();
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Package document.

struct Item {
    path: String,
    media_type: String,
    properties: String,
}

struct Package {
    items: HashMap<String, Item>,
    spine: Vec<String>,
    spine_toc: Option<String>,
    meta: Meta,
}

/// A Dublin Core element of the OPF metadata.
struct Dc {
    name: String,
    id: Option<String>,
    /// opf:scheme, opf:role, opf:event (EPUB 2).
    scheme: Option<String>,
    role: Option<String>,
    event: Option<String>,
    /// opf:file-as (EPUB 2): the name as a catalogue files it, `Aoki, Osamu`.
    file_as: Option<String>,
    text: String,
}

impl Package {
    fn parse(xml: &str, opf_path: &str) -> Result<Package, String> {
        let mut r = quick_xml::Reader::from_str(xml);
        r.config_mut().check_end_names = false;
        let mut items = HashMap::new();
        let mut spine = Vec::new();
        let mut spine_toc = None;
        let mut dcs: Vec<Dc> = Vec::new();
        // EPUB 3 refinements: (refined id, property, text)
        let mut refines: Vec<(String, String, String)> = Vec::new();
        let mut in_metadata = false;
        let mut cur_dc: Option<Dc> = None;
        let mut cur_refine: Option<(String, String)> = None;
        let mut buf = String::new();
        loop {
            let ev = r.read_event().map_err(|e| e.to_string())?;
            match &ev {
                Event::Start(e) | Event::Empty(e) => {
                    let name = local(e);
                    let is_dc = e.name().0.starts_with("dc:")
                        || (in_metadata
                            && matches!(
                                name.as_str(),
                                "title"
                                    | "creator"
                                    | "date"
                                    | "publisher"
                                    | "language"
                                    | "identifier"
                                    | "type"
                            ));
                    match name.as_str() {
                        "metadata" => in_metadata = true,
                        "item" => {
                            if let (Some(id), Some(href)) = (attr(e, "id"), attr(e, "href")) {
                                items.insert(
                                    id,
                                    Item {
                                        path: archive::resolve_path(opf_path, &href),
                                        media_type: attr(e, "media-type").unwrap_or_default(),
                                        properties: attr(e, "properties").unwrap_or_default(),
                                    },
                                );
                            }
                        }
                        "spine" => spine_toc = attr(e, "toc"),
                        "itemref" => {
                            if let Some(id) = attr(e, "idref") {
                                spine.push(id);
                            }
                        }
                        "meta" if in_metadata && matches!(ev, Event::Start(_)) => {
                            if let (Some(target), Some(prop)) =
                                (attr(e, "refines"), attr(e, "property"))
                            {
                                cur_refine =
                                    Some((target.trim_start_matches('#').to_string(), prop));
                                buf.clear();
                            }
                        }
                        _ if is_dc && in_metadata && matches!(ev, Event::Start(_)) => {
                            cur_dc = Some(Dc {
                                name,
                                id: attr(e, "id"),
                                scheme: archive::attr_q(e, "opf:scheme")
                                    .or_else(|| attr(e, "scheme")),
                                role: archive::attr_q(e, "opf:role"),
                                event: archive::attr_q(e, "opf:event"),
                                file_as: archive::attr_q(e, "opf:file-as"),
                                text: String::new(),
                            });
                            buf.clear();
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => buf.push_str(&t.xml10_content()),
                Event::GeneralRef(g) => buf.push_str(&archive::resolve_ref(g)),
                Event::CData(c) => buf.push_str(c.as_ref()),
                Event::End(e) => {
                    let name = e.local_name().as_ref().to_string();
                    if name == "metadata" {
                        in_metadata = false;
                    } else if name == "meta" {
                        if let Some((target, prop)) = cur_refine.take() {
                            refines.push((target, prop, clean_line(&buf)));
                        }
                    } else if let Some(mut dc) = cur_dc.take() {
                        if dc.name == name {
                            dc.text = clean_line(&buf);
                            dcs.push(dc);
                        } else {
                            cur_dc = Some(dc);
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let refined = |id: &Option<String>, prop: &str| -> Option<String> {
            let id = id.as_ref()?;
            refines
                .iter()
                .find(|(t, p, _)| t == id && p == prop)
                .map(|(_, _, v)| v.clone())
        };
        let mut m = Meta::default();
        let of = |n: &'static str| {
            dcs.iter()
                .filter(move |d| d.name == n && !d.text.is_empty())
        };
        m.title = of("title")
            .find(|d| refined(&d.id, "title-type").is_some_and(|t| t == "main"))
            .or_else(|| of("title").next())
            .map(|d| d.text.clone());
        m.authors = of("creator")
            .filter(|d| {
                let role = d.role.clone().or_else(|| refined(&d.id, "role"));
                role.is_none_or(|r| r.eq_ignore_ascii_case("aut"))
            })
            // The catalogue's form of the name (`Aoki, Osamu`) where the
            // package gives it: it says which part is the family name.
            .map(|d| {
                d.file_as
                    .clone()
                    .or_else(|| refined(&d.id, "file-as"))
                    .filter(|f| f.contains(','))
                    .unwrap_or_else(|| d.text.clone())
            })
            .collect();
        m.date = of("date")
            .find(|d| {
                d.event.as_deref().is_some_and(|e| {
                    e.eq_ignore_ascii_case("publication")
                        || e.eq_ignore_ascii_case("original-publication")
                })
            })
            .or_else(|| {
                of("date").find(|d| {
                    d.event
                        .as_deref()
                        .is_none_or(|e| !e.eq_ignore_ascii_case("modification"))
                })
            })
            .map(|d| d.text.clone());
        m.publisher = of("publisher").next().map(|d| d.text.clone());
        m.lang = of("language").next().map(|d| d.text.clone());
        for d in of("identifier") {
            let scheme = d
                .scheme
                .clone()
                .or_else(|| refined(&d.id, "identifier-type"))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let v = &d.text;
            let lv = v.to_ascii_lowercase();
            let is_doi = scheme == "doi"
                || scheme == "06"
                || lv.starts_with("doi:")
                || lv.starts_with("urn:doi:")
                || lv.contains("doi.org/10.");
            let is_isbn = scheme.contains("isbn")
                || scheme == "15"
                || scheme == "02"
                || lv.starts_with("urn:isbn:")
                || lv.starts_with("isbn:");
            if is_doi || (scheme.is_empty() && lv.starts_with("10.")) {
                if m.doi.is_none() {
                    m.doi = bare_doi(v);
                }
            } else if is_isbn {
                if m.isbn.is_none() {
                    let bare = v.rsplit(':').next().unwrap_or(v).trim();
                    m.isbn = non_empty(bare);
                }
            } else if (lv.starts_with("http://") || lv.starts_with("https://")) && m.url.is_none() {
                m.url = Some(v.clone());
            }
        }
        m.kind = of("type").find_map(|d| {
            let t = d.text.to_ascii_lowercase();
            if t.contains("book") {
                Some("book".to_string())
            } else if t.contains("article") || t.contains("journal") {
                Some("article-journal".to_string())
            } else if t.contains("thesis") || t.contains("dissertation") {
                Some("thesis".to_string())
            } else {
                None
            }
        });
        Ok(Package {
            items,
            spine,
            spine_toc,
            meta: m,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncx_labels() {
        let x = r#"<ncx><navMap><navPoint id="a"><navLabel><text>One &amp; Two</text></navLabel><content src="ch1.xhtml#s"/>
            <navPoint id="b"><navLabel><text>Sub</text></navLabel><content src="ch1b.xhtml"/></navPoint></navPoint></navMap></ncx>"#;
        assert_eq!(
            ncx_toc(x),
            vec![
                ("ch1.xhtml#s".to_string(), "One & Two".to_string()),
                ("ch1b.xhtml".to_string(), "Sub".to_string())
            ]
        );
    }
}
