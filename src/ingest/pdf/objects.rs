//! Bounded access to the object graph: every reference is followed a fixed
//! number of hops at most, and every stream is decoded within a size limit,
//! so cyclic or oversized object graphs cannot hang or exhaust memory.

use lopdf::{Dictionary, Document, Object, Stream};

/// References followed in a row before giving up (a cycle such as `1 0 R` → `1 0 R`).
const MAX_HOPS: usize = 16;

/// The document's objects with bounded helpers.
pub struct Objects<'a> {
    pub doc: &'a Document,
    /// Largest decoded size of one stream.
    pub stream_limit: usize,
}

static NULL: Object = Object::Null;

impl<'a> Objects<'a> {
    /// Follow references to the object they name (Null when missing or cyclic).
    pub fn resolve(&self, mut o: &'a Object) -> &'a Object {
        for _ in 0..MAX_HOPS {
            match o {
                Object::Reference(id) => match self.doc.objects.get(id) {
                    Some(next) => o = next,
                    None => return &NULL,
                },
                _ => return o,
            }
        }
        &NULL
    }

    pub fn dict(&self, o: Option<&'a Object>) -> Option<&'a Dictionary> {
        match self.resolve(o?) {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub fn array(&self, o: Option<&'a Object>) -> Option<&'a Vec<Object>> {
        match self.resolve(o?) {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn name(&self, o: Option<&'a Object>) -> Option<Vec<u8>> {
        match self.resolve(o?) {
            Object::Name(n) => Some(n.clone()),
            _ => None,
        }
    }

    pub fn number(&self, o: &'a Object) -> Option<f64> {
        match self.resolve(o) {
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) if r.is_finite() => Some(*r as f64),
            _ => None,
        }
    }

    pub fn stream(&self, o: &'a Object) -> Option<&'a Stream> {
        match self.resolve(o) {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }

    /// A stream's decoded bytes, or None when it cannot be decoded within the limit.
    pub fn stream_data(&self, o: &'a Object) -> Option<Vec<u8>> {
        self.stream(o)?
            .decompressed_content_with_limit(self.stream_limit)
            .ok()
    }

    /// Text of a string object (PDFDocEncoding, UTF-16BE or UTF-8).
    pub fn text(&self, o: Option<&'a Object>) -> Option<String> {
        let o = self.resolve(o?);
        match o {
            Object::String(..) => lopdf::decode_text_string(o).ok().or_else(|| {
                o.as_str()
                    .ok()
                    .map(|b| b.iter().map(|&c| c as char).collect())
            }),
            Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        }
    }
}
