//! ZIP access with limits against zip bombs, and small XML helpers, shared
//! by the DOCX and EPUB readers.

use super::extracted::ReadError;
use quick_xml::events::BytesStart;
use std::io::{Cursor, Read};

/// Limits on what is read from an archive. Sizes count the bytes actually
/// inflated, never the sizes the archive declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest compressed input accepted.
    pub max_input: u64,
    /// Most bytes inflated from one part.
    pub max_part: u64,
    /// Most bytes inflated from all parts together.
    pub max_total: u64,
    /// Most entries an archive may list.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input: 512 << 20,
            max_part: 100 << 20,
            max_total: 200 << 20,
            max_entries: 10_000,
        }
    }
}

const MB: u64 = 1 << 20;

fn size_text(n: u64) -> String {
    if n >= MB {
        format!("{} MB", n / MB)
    } else {
        format!("{n} bytes")
    }
}

/// A ZIP archive in memory, read part by part under [`Limits`].
pub(crate) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    inflated: u64,
}

impl<'a> Archive<'a> {
    pub(crate) fn open(bytes: &'a [u8], limits: Limits) -> Result<Self, ReadError> {
        if bytes.len() as u64 > limits.max_input {
            return Err(ReadError::TooLarge(format!(
                "archive is {}, limit {}",
                size_text(bytes.len() as u64),
                size_text(limits.max_input)
            )));
        }
        if !bytes.starts_with(b"PK") {
            return Err(ReadError::BadZip("no ZIP signature".into()));
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::BadZip(e.to_string()))?;
        if zip.len() > limits.max_entries {
            return Err(ReadError::TooLarge(format!(
                "{} entries, limit {}",
                zip.len(),
                limits.max_entries
            )));
        }
        Ok(Archive {
            zip,
            limits,
            inflated: 0,
        })
    }

    /// Whether an entry of exactly this name exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Reads a part; `Ok(None)` when there is no such entry.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let mut file = self.zip.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m)
                if m == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                ReadError::Encrypted(format!("{name} is password-protected"))
            }
            e => ReadError::BadZip(format!("{name}: {e}")),
        })?;
        if file.encrypted() {
            return Err(ReadError::Encrypted(format!(
                "{name} is password-protected"
            )));
        }
        let remaining = self.limits.max_total.saturating_sub(self.inflated);
        let cap = self.limits.max_part.min(remaining);
        let declared = file.size();
        if declared > cap {
            return Err(too_large(&self.limits, name, declared));
        }
        // Never trust the declared size: allocate modestly, count what comes.
        let mut buf = Vec::with_capacity(declared.min(8 * MB) as usize);
        (&mut file)
            .take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                // The zip crate stops an entry at its declared size.
                if e.to_string().contains("declared") {
                    ReadError::TooLarge(format!(
                        "{name} inflates past its declared size ({declared} bytes)"
                    ))
                } else {
                    ReadError::BadZip(format!("{name}: {e}"))
                }
            })?;
        if buf.len() as u64 > cap {
            return Err(too_large(&self.limits, name, buf.len() as u64));
        }
        self.inflated += buf.len() as u64;
        Ok(Some(buf))
    }

    /// Reads a part as text (UTF-8; a UTF-16 BOM is honoured; BOM removed).
    pub(crate) fn read_text(&mut self, name: &str) -> Result<Option<String>, ReadError> {
        Ok(self.read(name)?.map(|b| decode_text(&b)))
    }
}

fn too_large(limits: &Limits, name: &str, size: u64) -> ReadError {
    let part_limit = limits.max_part;
    if size > part_limit {
        ReadError::TooLarge(format!(
            "{name} inflates past {} (limit per part)",
            size_text(part_limit)
        ))
    } else {
        ReadError::TooLarge(format!(
            "archive inflates past {} in total (at {name})",
            size_text(limits.max_total)
        ))
    }
}

impl Archive<'_> {
    /// Exact name, else a case-insensitive match (some producers differ in
    /// case between references and entries).
    fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim_start_matches('/');
        if let Some(i) = self.zip.index_for_name(name) {
            return Some(i);
        }
        let lower = name.to_lowercase();
        let wanted = self
            .zip
            .file_names()
            .flatten()
            .find(|n| n.to_lowercase() == lower)?
            .into_owned();
        self.zip.index_for_name(&wanted)
    }
}

/// Bytes to text: UTF-8 (lossy), or UTF-16 with a BOM. Strips the BOM.
pub(crate) fn decode_text(b: &[u8]) -> String {
    if b.len() >= 2 && (b[..2] == [0xFF, 0xFE] || b[..2] == [0xFE, 0xFF]) {
        let le = b[0] == 0xFF;
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let s = String::from_utf8_lossy(b);
    s.strip_prefix('\u{FEFF}').unwrap_or(&s).to_string()
}

/// The value of the attribute whose local name is `local` (any prefix).
pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.0;
        let key_local = key.rsplit(':').next().unwrap_or(key);
        if key_local == local {
            return Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.into_owned()),
            );
        }
    }
    None
}

/// The value of the attribute with this exact qualified name.
pub(crate) fn attr_q(e: &BytesStart<'_>, qname: &str) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.0 == qname {
            return Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.into_owned()),
            );
        }
    }
    None
}

/// Local name of an element (prefix removed).
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// Text of an entity or character reference (`&amp;`, `&#160;`).
pub(crate) fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.clone().into_inner();
    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
        return s.to_string();
    }
    String::new()
}

/// Resolves `href` (percent-encoded, relative to the part `base`) to an
/// archive path; fragment and query removed.
pub(crate) fn resolve_path(base: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let href = percent_decode(href);
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = base.split('/').collect();
        p.pop(); // the base file's own name
        p
    };
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.retain(|s| !s.is_empty());
    parts.join("/")
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            resolve_path("OEBPS/content.opf", "text/ch%201.xhtml#x"),
            "OEBPS/text/ch 1.xhtml"
        );
        assert_eq!(
            resolve_path("OEBPS/text/nav.xhtml", "../ch1.xhtml"),
            "OEBPS/ch1.xhtml"
        );
        assert_eq!(resolve_path("content.opf", "ch1.xhtml"), "ch1.xhtml");
        assert_eq!(resolve_path("a/b.opf", "/c/d.xhtml"), "c/d.xhtml");
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
