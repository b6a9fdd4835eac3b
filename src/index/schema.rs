//! The single list of index fields. Passages and library records live in one
//! index (`kind` tells them apart) so that one commit updates both atomically.

use crate::analysis;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// Handles to every field.
#[derive(Clone)]
pub struct Fields {
    /// `passage`, `record` (a library entry), `problem` (one found in a
    /// library file) or `file` (the manifest).
    pub kind: Field,
    /// Record key (a passage's document key).
    pub key: Field,
    /// Canonical path of the file a passage or record came from.
    pub path: Field,
    /// Path as given to `kutip index`, for display.
    pub file: Field,
    /// Original passage text, stored; indexed unstemmed for phrases (`text:`).
    /// Only passages carry it, as they alone carry the user fields other
    /// than `key` ([`only_on_passages`]): a query on them needs no filter on
    /// `kind`, which would keep the engine from skipping passages that
    /// cannot reach the top hits.
    pub text: Field,
    /// Indonesian stemmed text.
    pub body_id: Field,
    /// English stemmed text.
    pub body_en: Field,
    /// Passage language code.
    pub lang: Field,
    /// Document title.
    pub title: Field,
    /// Document authors, one value each.
    pub author: Field,
    /// Publication year.
    pub year: Field,
    /// Section heading.
    pub section: Field,
    /// Printed page label where the passage starts.
    pub page: Field,
    /// Printed page label where it ends, when different.
    pub page_end: Field,
    /// Paragraph number in the document.
    pub paragraph: Field,
    /// Passage number in the document (reading order).
    pub ordinal: Field,
    /// Byte offsets of the passage in its file.
    pub start: Field,
    /// End byte offset.
    pub end: Field,
    /// How the document's record was found.
    pub origin: Field,
    /// A stored record (kind = record), or a problem's message (kind = problem).
    pub record: Field,
    /// The record's reference entry, citation without a page and citation
    /// template, rendered in the default style when it was indexed
    /// (kind = record; see `cite::render::Prerendered`).
    pub rendered: Field,
    /// 1-based line in the file where a passage or record starts.
    pub line: Field,
    /// Citations the passage makes (JSON).
    pub cites: Field,
    /// Keys of the works a passage cites.
    pub cites_key: Field,
    /// Marks passages with a citation the library cannot resolve.
    pub unresolved: Field,
    /// Manifest entries (kind = file): the file's canonical path. A field
    /// of its own, so that replacing a manifest entry leaves passages alone.
    pub file_path: Field,
    /// Manifest: file size in bytes.
    pub size: Field,
    /// Manifest: modification time, nanoseconds since the epoch.
    pub mtime: Field,
    /// Manifest: content hash (xxh3).
    pub hash: Field,
    /// Manifest: analyzer the file was indexed with.
    pub analyzer: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { o.set_stored() } else { o }
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let u64_stored = NumericOptions::default().set_stored().set_fast();
    let f = Fields {
        kind: b.add_text_field("kind", STRING),
        key: b.add_text_field("key", STRING | STORED | FAST),
        path: b.add_text_field("path", STRING | STORED),
        file: b.add_text_field("file", STORED),
        text: b.add_text_field("text", text(analysis::EXACT, true)),
        body_id: b.add_text_field("body_id", text(analysis::ID, false)),
        body_en: b.add_text_field("body_en", text(analysis::EN, false)),
        lang: b.add_text_field("lang", STRING | STORED),
        title: b.add_text_field("title", text(analysis::EXACT, true)),
        author: b.add_text_field("author", text(analysis::EXACT, true)),
        year: b.add_i64_field(
            "year",
            NumericOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast(),
        ),
        section: b.add_text_field("section", text(analysis::EXACT, true)),
        page: b.add_text_field("page", STORED),
        page_end: b.add_text_field("page_end", STORED),
        paragraph: b.add_u64_field("paragraph", u64_stored.clone()),
        ordinal: b.add_u64_field("ordinal", u64_stored.clone().set_indexed()),
        start: b.add_u64_field("start", NumericOptions::default().set_stored()),
        end: b.add_u64_field("end", NumericOptions::default().set_stored()),
        origin: b.add_text_field("origin", STORED),
        record: b.add_text_field("record", STORED),
        rendered: b.add_text_field("rendered", STORED),
        line: b.add_u64_field("line", NumericOptions::default().set_stored()),
        cites: b.add_text_field("cites", STORED),
        cites_key: b.add_text_field("cites_key", STRING),
        unresolved: b.add_text_field("unresolved", STRING),
        file_path: b.add_text_field("file_path", STRING | STORED),
        size: b.add_u64_field("size", NumericOptions::default().set_stored()),
        mtime: b.add_u64_field("mtime", NumericOptions::default().set_stored()),
        hash: b.add_u64_field("hash", NumericOptions::default().set_stored()),
        analyzer: b.add_text_field("analyzer", STORED),
    };
    (b.build(), f)
}

/// Fields a user may name in a query (`author:clarke`), in the order the
/// error message lists them.
pub const USER_FIELDS: &[&str] = &[
    "text",
    "title",
    "author",
    "year",
    "section",
    "lang",
    "key",
    "cites_key",
];

/// Whether only passages carry the user field `name`: all of them but `key`,
/// which library records and manifest entries have too.
pub fn only_on_passages(name: &str) -> bool {
    name != "key" && USER_FIELDS.contains(&name)
}
