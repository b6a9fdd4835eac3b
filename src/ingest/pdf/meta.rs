//! Document metadata from the Info dictionary and the XMP packet: only what
//! the file states, never guessed from the text.

use super::objects::Objects;

/// Title, authors, subject, keywords and creation date as the file gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfMeta {
    pub title: Option<String>,
    /// In the file's order; from XMP `dc:creator`, else the Info /Author split at `;`.
    pub authors: Vec<String>,
    pub subject: Option<String>,
    /// From XMP `pdf:Keywords`/`dc:subject`, else Info /Keywords, split at `;` or `,`.
    pub keywords: Vec<String>,
    /// ISO 8601, as precise as the file is: "2023-02-04T11:59:00+01:00", "2023-02-04", "2023".
    pub created: Option<String>,
}

fn clean(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

/// A PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`) as ISO 8601, keeping only the parts present.
pub fn pdf_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 4 {
        return None;
    }
    let part = |a: usize, b: usize| digits.get(a..b);
    let mut out = part(0, 4)?.to_string();
    if let Some(m) = part(4, 6) {
        out.push('-');
        out.push_str(m);
        if let Some(d) = part(6, 8) {
            out.push('-');
            out.push_str(d);
            if let (Some(h), Some(mi)) = (part(8, 10), part(10, 12)) {
                out.push_str(&format!("T{h}:{mi}"));
                out.push(':');
                out.push_str(part(12, 14).unwrap_or("00"));
                let rest = &s[digits.len()..];
                if rest.starts_with('Z') {
                    out.push('Z');
                } else if let Some(sign) = rest.chars().next().filter(|c| *c == '+' || *c == '-') {
                    let tz: String = rest[1..].chars().filter(|c| c.is_ascii_digit()).collect();
                    if tz.len() >= 2 {
                        out.push(sign);
                        out.push_str(&tz[..2]);
                        out.push(':');
                        out.push_str(tz.get(2..4).unwrap_or("00"));
                    }
                }
            }
        }
    }
    Some(out)
}

fn xml_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The inner text of the first `<tag ...>...</tag>` element, or the value of a `tag="..."` attribute.
fn xmp_element<'a>(xmp: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    while let Some(i) = xmp[from..].find(&open) {
        let start = from + i;
        let after = &xmp[start + open.len()..];
        if after.starts_with(['>', ' ', '\n', '\r', '\t']) {
            let gt = after.find('>')?;
            if after[..gt].ends_with('/') {
                from = start + open.len();
                continue;
            }
            let body = &after[gt + 1..];
            let close = format!("</{tag}>");
            let end = body.find(&close)?;
            return Some(&body[..end]);
        }
        from = start + open.len();
    }
    let attr = format!("{tag}=\"");
    let i = xmp.find(&attr)?;
    let v = &xmp[i + attr.len()..];
    Some(&v[..v.find('"')?])
}

/// `<rdf:li>` items inside an element, or its plain text when it has none.
fn xmp_items(xmp: &str, tag: &str) -> Vec<String> {
    let Some(body) = xmp_element(xmp, tag) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("<rdf:li") {
        let after = &rest[i + 7..];
        let Some(gt) = after.find('>') else { break };
        let inner = &after[gt + 1..];
        let Some(end) = inner.find("</rdf:li>") else {
            break;
        };
        if let Some(t) = clean(&xml_unescape(&inner[..end])) {
            items.push(t);
        }
        rest = &inner[end..];
    }
    if items.is_empty() && !body.contains('<') {
        items.extend(clean(&xml_unescape(body)));
    }
    items
}

fn split_list(s: &str, seps: &[char]) -> Vec<String> {
    s.split(seps).filter_map(clean).collect()
}

/// Read the Info dictionary and XMP metadata.
pub fn read_meta(objs: &Objects) -> PdfMeta {
    let doc = objs.doc;
    let info = objs.dict(doc.trailer.get(b"Info").ok());
    let field = |k: &[u8]| {
        info.and_then(|d| objs.text(d.get(k).ok()))
            .and_then(|s| clean(&s))
    };
    let xmp = doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| objs.dict(Some(r)))
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|m| {
            let s = objs.stream(m)?;
            // Bounded: XMP packets are small; a huge one is not read.
            s.decompressed_content_with_limit(4 << 20).ok()
        })
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let x_title = xmp_items(&xmp, "dc:title").into_iter().next();
    let x_creators = xmp_items(&xmp, "dc:creator");
    let x_desc = xmp_items(&xmp, "dc:description").into_iter().next();
    let mut x_keywords = xmp_element(&xmp, "pdf:Keywords")
        .map(|k| split_list(&xml_unescape(k), &[';', ',']))
        .unwrap_or_default();
    if x_keywords.is_empty() {
        x_keywords = xmp_items(&xmp, "dc:subject");
    }
    let x_created = xmp_element(&xmp, "xmp:CreateDate").and_then(|d| clean(&xml_unescape(d)));
    PdfMeta {
        title: x_title.or_else(|| field(b"Title")),
        authors: if x_creators.is_empty() {
            field(b"Author")
                .map(|a| split_list(&a, &[';']))
                .unwrap_or_default()
        } else {
            x_creators
        },
        subject: x_desc.or_else(|| field(b"Subject")),
        keywords: if x_keywords.is_empty() {
            field(b"Keywords")
                .map(|k| split_list(&k, &[';', ',']))
                .unwrap_or_default()
        } else {
            x_keywords
        },
        created: x_created.or_else(|| field(b"CreationDate").and_then(|d| pdf_date(&d))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            pdf_date("D:20230204115900+01'00'").as_deref(),
            Some("2023-02-04T11:59:00+01:00")
        );
        assert_eq!(
            pdf_date("D:20230204115900Z").as_deref(),
            Some("2023-02-04T11:59:00Z")
        );
        assert_eq!(pdf_date("D:202302").as_deref(), Some("2023-02"));
        assert_eq!(pdf_date("D:2023").as_deref(), Some("2023"));
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn xmp_fields() {
        let x = r#"<x:xmpmeta><rdf:RDF><rdf:Description xmp:CreateDate="2024-05-01T10:00:00+07:00">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Analisis &amp; Sintesis</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Siti Rahayu</rdf:li><rdf:li>Budi Santoso</rdf:li></rdf:Seq></dc:creator>
<pdf:Keywords>temu kembali; korpus</pdf:Keywords></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        assert_eq!(xmp_items(x, "dc:title"), vec!["Analisis & Sintesis"]);
        assert_eq!(
            xmp_items(x, "dc:creator"),
            vec!["Siti Rahayu", "Budi Santoso"]
        );
        assert_eq!(
            xmp_element(x, "xmp:CreateDate"),
            Some("2024-05-01T10:00:00+07:00")
        );
        assert_eq!(xmp_element(x, "pdf:Keywords"), Some("temu kembali; korpus"));
    }
}
