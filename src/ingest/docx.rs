//! DOCX reader: paragraphs and headings of `word/document.xml`, footnotes
//! and endnotes appended at the end, metadata from `docProps/core.xml`.
//!
//! Headings: paragraph styles whose name (from `word/styles.xml`, following
//! `w:basedOn`) is "heading N" or "Title", or that carry an outline level;
//! localized style ids such as `Judul1` resolve through their names. Without
//! `styles.xml`, ids like `Heading2`, `Judul2`, `Title`, `Judul` are used.
//!
//! Footnotes and endnotes: appended after the body under a level-1 heading
//! "Notes" ([`NOTES_HEADING`]), in the order they are first referenced, each
//! note's first paragraph starting with its number ("1 …"). The reference
//! marks in the body are dropped (they would glue digits onto words).
//!
//! Skipped: deleted text (tracked changes), field instructions (Zotero or
//! Mendeley citation JSON; the rendered citation text is kept), `mc:Fallback`
//! duplicates of text boxes, tables of contents (TOC styles or a "Table of
//! Contents" content control).

use super::archive::{self, Archive, Limits, attr, local};
use super::extracted::{Block, Extracted, Meta, ReadError, TextOut, bare_doi, non_empty, render};
use quick_xml::events::Event;
use std::collections::HashMap;

/// The heading placed above appended footnotes and endnotes.
pub const NOTES_HEADING: &str = "Notes";

/// Reads a DOCX file with the default [`Limits`].
pub fn read_docx(bytes: &[u8]) -> Result<Extracted, ReadError> {
    read_docx_with(bytes, Limits::default())
}

/// Reads a DOCX file under the given limits.
pub fn read_docx_with(bytes: &[u8], limits: Limits) -> Result<Extracted, ReadError> {
    let mut zip = Archive::open(bytes, limits)?;
    let main = office_document_path(&mut zip)?;
    let Some(doc_xml) = zip.read_text(&main)? else {
        return Err(ReadError::MissingPart(main));
    };
    let rels = part_rels(&mut zip, &main)?;
    let part = |kind: &str, fallback: &str| -> String {
        rels.get(kind)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    };
    let styles = match zip.read_text(&part("styles", "word/styles.xml"))? {
        Some(x) => Styles::parse(&x),
        None => Styles::default(),
    };
    let body = parse_paragraphs(&doc_xml, &styles)
        .map_err(|e| ReadError::BadXml(format!("{main}: {e}")))?;

    let mut notes: HashMap<(NoteKind, String), Vec<Para>> = HashMap::new();
    if !body.refs.is_empty() {
        for (kind, name, fallback) in [
            (NoteKind::Foot, "footnotes", "word/footnotes.xml"),
            (NoteKind::End, "endnotes", "word/endnotes.xml"),
        ] {
            if !body.refs.iter().any(|(k, _)| *k == kind) {
                continue;
            }
            if let Some(x) = zip.read_text(&part(name, fallback))?
                && let Ok(parsed) = parse_paragraphs(&x, &styles)
            {
                for p in parsed.paras {
                    if let Some(id) = p.note.clone() {
                        notes.entry((kind, id)).or_default().push(p);
                    }
                }
            }
        }
    }

    let mut out = TextOut::new(false);
    for p in &body.paras {
        emit(&mut out, p, None);
    }
    let mut seen = std::collections::HashSet::new();
    let mut number = 0;
    let mut heading_done = false;
    for r in &body.refs {
        if !seen.insert(r.clone()) {
            continue;
        }
        let Some(paras) = notes.get(r) else { continue };
        if paras.iter().all(|p| p.text.trim().is_empty()) {
            continue;
        }
        if !heading_done {
            out.heading(1, NOTES_HEADING);
            heading_done = true;
        }
        number += 1;
        let mut first = true;
        for p in paras {
            if p.text.trim().is_empty() {
                continue;
            }
            emit(&mut out, p, first.then_some(number));
            first = false;
        }
    }
    let blocks: Vec<Block> = out.finish();

    let meta = match zip.read_text("docProps/core.xml")? {
        Some(x) => core_meta(&x),
        None => Meta::default(),
    };
    Ok(Extracted {
        text: render(&blocks),
        meta,
    })
}

fn emit(out: &mut TextOut, p: &Para, number: Option<usize>) {
    if p.skip {
        return;
    }
    match p.level {
        Some(level) if number.is_none() => out.heading(level, &p.text),
        _ => {
            if let Some(n) = number {
                out.text(&format!("{n} "));
            }
            let mut first = true;
            for line in p.text.split('\n') {
                if !first {
                    out.line_break();
                }
                out.text(line);
                first = false;
            }
            out.end_block();
        }
    }
}

/// The main document part named by `_rels/.rels`, else `word/document.xml`.
fn office_document_path(zip: &mut Archive<'_>) -> Result<String, ReadError> {
    if let Some(x) = zip.read_text("_rels/.rels")? {
        for (ty, target) in relationships(&x) {
            if ty.ends_with("/officeDocument") {
                return Ok(archive::resolve_path("", &target));
            }
        }
    }
    if zip.has("word/document.xml") {
        Ok("word/document.xml".into())
    } else {
        Err(ReadError::MissingPart(
            "word/document.xml (not a Word document?)".into(),
        ))
    }
}

/// Relationship targets of a part, by the last segment of their type
/// ("styles", "footnotes", "endnotes"), resolved to archive paths.
fn part_rels(zip: &mut Archive<'_>, part: &str) -> Result<HashMap<String, String>, ReadError> {
    let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
    let rels_path = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let mut map = HashMap::new();
    if let Some(x) = zip.read_text(&rels_path)? {
        for (ty, target) in relationships(&x) {
            let kind = ty.rsplit('/').next().unwrap_or("").to_string();
            map.entry(kind)
                .or_insert_with(|| archive::resolve_path(part, &target));
        }
    }
    Ok(map)
}

fn relationships(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "Relationship" => {
                if attr(&e, "TargetMode").is_some_and(|m| m == "External") {
                    continue;
                }
                if let (Some(t), Some(target)) = (attr(&e, "Type"), attr(&e, "Target")) {
                    out.push((t, target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Styles.

#[derive(Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

impl Styles {
    fn parse(xml: &str) -> Styles {
        let mut s = Styles::default();
        let mut r = quick_xml::Reader::from_str(xml);
        let mut cur: Option<(String, Style)> = None;
        loop {
            let ev = r.read_event();
            match &ev {
                Ok(Event::Start(e) | Event::Empty(e)) => match local(e).as_str() {
                    "style" => {
                        let is_para = attr(e, "type").is_none_or(|t| t == "paragraph");
                        if let Some(id) = attr(e, "styleId").filter(|_| is_para) {
                            cur = Some((id, Style::default()));
                        }
                        if matches!(ev, Ok(Event::Empty(_))) {
                            cur = None;
                        }
                    }
                    "name" => {
                        if let Some((_, st)) = &mut cur {
                            st.name = attr(e, "val").unwrap_or_default().to_lowercase();
                        }
                    }
                    "basedOn" => {
                        if let Some((_, st)) = &mut cur {
                            st.based_on = attr(e, "val");
                        }
                    }
                    "outlineLvl" => {
                        if let Some((_, st)) = &mut cur {
                            st.outline = attr(e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                    if let Some((id, st)) = cur.take() {
                        s.by_id.insert(id, st);
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        s
    }

    /// Heading level of a paragraph style id, following `basedOn`.
    fn level(&self, id: &str) -> Option<u8> {
        if self.by_id.is_empty() {
            return level_from_id(id);
        }
        let mut cur = id.to_string();
        for _ in 0..20 {
            let Some(st) = self.by_id.get(&cur) else {
                return level_from_id(&cur);
            };
            if let Some(l) = level_from_name(&st.name) {
                return l;
            }
            if let Some(o) = st.outline {
                return (o < 9).then_some(o.saturating_add(1));
            }
            cur = st.based_on.clone()?;
        }
        None
    }

    /// Whether a style is a table-of-contents entry style ("toc 1").
    fn is_toc(&self, id: &str) -> bool {
        match self.by_id.get(id) {
            Some(st) => st.name.starts_with("toc ") || st.name == "table of figures",
            None => {
                let l = id.to_ascii_lowercase();
                l.starts_with("toc") && l[3..].chars().all(|c| c.is_ascii_digit()) && l.len() > 3
            }
        }
    }
}

/// `Some(level)` for heading/title names; `Some(None)` for names that are
/// known not to be headings.
fn level_from_name(name: &str) -> Option<Option<u8>> {
    let n = name.trim();
    if n == "title" {
        return Some(Some(1));
    }
    if let Some(rest) = n.strip_prefix("heading ") {
        return rest.trim().parse::<u8>().ok().map(|l| Some(l.clamp(1, 9)));
    }
    if n == "subtitle" || n == "normal" || n.starts_with("toc ") {
        return Some(None);
    }
    None
}

/// Level from a style id alone (when `styles.xml` is missing): `Heading1`,
/// `Judul1` (Indonesian), `berschrift1`, `Titre1`, `Ttulo1`, `Kop1`, `Title`,
/// `Judul`.
fn level_from_id(id: &str) -> Option<u8> {
    let l = id.to_lowercase();
    if l == "title" || l == "judul" {
        return Some(1);
    }
    let digits_at = l.find(|c: char| c.is_ascii_digit())?;
    let (stem, num) = l.split_at(digits_at);
    let stem = stem.trim_end_matches([' ', '-', '_']);
    let level: u8 = num.parse().ok()?;
    matches!(
        stem,
        "heading"
            | "judul"
            | "berschrift"
            | "überschrift"
            | "titre"
            | "ttulo"
            | "título"
            | "titolo"
            | "kop"
            | "rubrik"
            | "nagwek"
            | "nagłówek"
    )
    .then_some(level.clamp(1, 9))
}

// ---------------------------------------------------------------------------
// Paragraphs.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NoteKind {
    Foot,
    End,
}

#[derive(Debug, Default, Clone)]
struct Para {
    /// Heading level (1…9), `None` for body text.
    level: Option<u8>,
    /// Text; '\n' for line breaks, '\t' for tabs.
    text: String,
    /// The footnote/endnote id this paragraph belongs to.
    note: Option<String>,
    /// A table-of-contents line.
    skip: bool,
}

struct Parsed {
    paras: Vec<Para>,
    refs: Vec<(NoteKind, String)>,
}

#[derive(Default)]
struct ParaState {
    style: Option<String>,
    outline: Option<u8>,
    text: String,
}

/// Paragraphs of a WordprocessingML part (document, footnotes, endnotes),
/// in reading order. A paragraph nested in a text box comes before the
/// paragraph that holds it.
fn parse_paragraphs(xml: &str, styles: &Styles) -> Result<Parsed, String> {
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = false;
    let mut paras = Vec::new();
    let mut refs = Vec::new();
    let mut stack: Vec<ParaState> = Vec::new();
    let mut depth = 0usize;
    // Depth of the element whose subtree is being skipped.
    let mut skip_at: Option<usize> = None;
    let mut in_text: usize = 0; // inside w:t
    let mut in_run: usize = 0;
    let mut in_ppr: usize = 0;
    let mut note: Option<String> = None;
    // Content controls: whether the current one is a table of contents.
    let mut sdt_toc: Vec<bool> = Vec::new();
    loop {
        let ev = r.read_event().map_err(|e| e.to_string())?;
        let (start, empty) = match &ev {
            Event::Start(_) => (true, false),
            Event::Empty(_) => (true, true),
            _ => (false, false),
        };
        if let Event::Start(e) | Event::Empty(e) = &ev {
            depth += 1;
            if skip_at.is_none() {
                let name = local(e);
                let prefix_mc = e.name().0.starts_with("mc:");
                match name.as_str() {
                    "delText" | "instrText" | "delInstrText" => skip_at = Some(depth),
                    "Fallback" if prefix_mc => skip_at = Some(depth),
                    "sdt" => sdt_toc.push(false),
                    "docPartGallery" => {
                        if attr(e, "val")
                            .is_some_and(|v| v.to_ascii_lowercase().contains("table of contents"))
                            && let Some(t) = sdt_toc.last_mut()
                        {
                            *t = true;
                        }
                    }
                    "sdtContent" if sdt_toc.last() == Some(&true) => {
                        skip_at = Some(depth);
                    }
                    "footnote" | "endnote" => {
                        let special = attr(e, "type").is_some_and(|t| t != "normal");
                        note = attr(e, "id");
                        if special {
                            skip_at = Some(depth);
                        }
                    }
                    "p" => stack.push(ParaState::default()),
                    "pPr" => in_ppr += 1,
                    "pStyle" if in_ppr > 0 && in_run == 0 => {
                        if let Some(p) = stack.last_mut() {
                            p.style = attr(e, "val");
                        }
                    }
                    "outlineLvl" if in_ppr > 0 && in_run == 0 => {
                        if let Some(p) = stack.last_mut() {
                            p.outline = attr(e, "val").and_then(|v| v.parse().ok());
                        }
                    }
                    "r" => in_run += 1,
                    "t" if in_run > 0 => in_text += 1,
                    "tab" if in_run > 0 && in_ppr == 0 => push(&mut stack, "\t"),
                    "br" if in_run > 0 => {
                        let ty = attr(e, "type");
                        push(
                            &mut stack,
                            if ty.is_none_or(|t| t == "textWrapping") {
                                "\n"
                            } else {
                                " "
                            },
                        );
                    }
                    "cr" if in_run > 0 => push(&mut stack, "\n"),
                    "noBreakHyphen" if in_run > 0 => push(&mut stack, "-"),
                    "footnoteReference" => {
                        if let Some(id) = attr(e, "id") {
                            refs.push((NoteKind::Foot, id));
                        }
                    }
                    "endnoteReference" => {
                        if let Some(id) = attr(e, "id") {
                            refs.push((NoteKind::End, id));
                        }
                    }
                    _ => {}
                }
            }
        }
        let end_name = match &ev {
            Event::End(e) => Some(e.local_name().as_ref().to_string()),
            Event::Empty(e) if start && empty => Some(local(e)),
            _ => None,
        };
        match &ev {
            Event::Text(t) if skip_at.is_none() && in_text > 0 => {
                push(&mut stack, &t.xml10_content());
            }
            Event::GeneralRef(g) if skip_at.is_none() && in_text > 0 => {
                push(&mut stack, &archive::resolve_ref(g));
            }
            Event::CData(c) if skip_at.is_none() && in_text > 0 => {
                push(&mut stack, c.as_ref());
            }
            Event::Eof => break,
            _ => {}
        }
        if let Some(name) = end_name {
            if depth == 0 {
                continue; // stray end tag
            }
            if let Some(d) = skip_at {
                if d == depth {
                    skip_at = None;
                    if name == "footnote" || name == "endnote" {
                        note = None;
                    }
                    if name == "sdtContent" {
                        // the toc content control's content ends here
                    }
                }
                depth -= 1;
                continue;
            }
            match name.as_str() {
                "p" => {
                    if let Some(p) = stack.pop() {
                        let toc = p.style.as_deref().is_some_and(|s| styles.is_toc(s));
                        let level = p
                            .style
                            .as_deref()
                            .and_then(|s| styles.level(s))
                            .or(p.outline.filter(|&o| o < 9).map(|o| o + 1));
                        paras.push(Para {
                            level,
                            text: p.text,
                            note: note.clone(),
                            skip: toc,
                        });
                    }
                }
                "pPr" => in_ppr = in_ppr.saturating_sub(1),
                "r" => in_run = in_run.saturating_sub(1),
                "t" => in_text = in_text.saturating_sub(1),
                "sdt" => {
                    sdt_toc.pop();
                }
                "footnote" | "endnote" => note = None,
                _ => {}
            }
            depth -= 1;
        }
    }
    // Unclosed paragraphs at end of a truncated file.
    while let Some(p) = stack.pop() {
        paras.push(Para {
            level: None,
            text: p.text,
            note: None,
            skip: false,
        });
    }
    Ok(Parsed { paras, refs })
}

fn push(stack: &mut [ParaState], s: &str) {
    if let Some(p) = stack.last_mut() {
        p.text.push_str(s);
    }
}

// ---------------------------------------------------------------------------
// Core properties.

fn core_meta(xml: &str) -> Meta {
    let mut m = Meta::default();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut cur: Option<String> = None;
    let mut buf = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                cur = Some(local(&e));
                buf.clear();
            }
            Ok(Event::Text(t)) if cur.is_some() => buf.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(g)) if cur.is_some() => buf.push_str(&archive::resolve_ref(&g)),
            Ok(Event::End(_)) => {
                if let Some(name) = cur.take() {
                    let v = non_empty(&buf);
                    match name.as_str() {
                        "title" => m.title = m.title.take().or(v),
                        "creator" => {
                            if let Some(v) = v {
                                m.authors.extend(v.split(';').filter_map(non_empty));
                            }
                        }
                        // `created` is when the file was made, not when
                        // the work was published: never a publication date.
                        "language" => m.lang = m.lang.take().or(v),
                        "publisher" => m.publisher = m.publisher.take().or(v),
                        "identifier" => {
                            if let Some(v) = v {
                                m.doi = m.doi.take().or_else(|| bare_doi(&v));
                            }
                        }
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(level_from_id("Heading2"), Some(2));
        assert_eq!(level_from_id("Judul1"), Some(1));
        assert_eq!(level_from_id("Title"), Some(1));
        assert_eq!(level_from_id("Normal"), None);
        assert_eq!(level_from_id("ListParagraph1"), None);
    }
}
