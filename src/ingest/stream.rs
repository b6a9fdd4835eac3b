//! Ingest of plain-text and Markdown files too big to hold whole: read,
//! hashed, decoded and split into passages a block at a time, so memory
//! stays bounded whatever the file's size. Same passages as
//! [`super::parse_document`] except where a paragraph is longer than a block
//! (it is cut between sentences), and what is decided before the end is read:
//! the encoding and title come from the first block, and passages before the
//! first form feed have no page.

use super::blocks::Splitter;
use super::{Document, Passage, Skip, frontmatter, garbled, not_text, walk::Kind};
use crate::analysis::Lang;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Text files bigger than this are streamed instead of read whole. A file
/// read whole is held with all its passages, up to 150 times its size for
/// one-letter paragraphs (a passage every three bytes): 1 MiB keeps a run
/// within about 200 MB.
pub const STREAM_ABOVE: u64 = 1 << 20;
/// Bytes read at a time (and so split into passages held together): for a
/// file of one-letter paragraphs, 87,000 passages.
const BLOCK: usize = 256 << 10;
/// A paragraph held back longer than this is cut between sentences.
const CUT_ABOVE: usize = 4 << 20;

/// Whether a file of this kind and size is streamed.
pub fn streams(kind: Kind, size: u64) -> bool {
    matches!(kind, Kind::Text | Kind::Markdown) && size > STREAM_ABOVE
}

/// A text file being read a block at a time.
pub struct TextStream<R> {
    source: R,
    path: PathBuf,
    decoder: encoding_rs::Decoder,
    encoding: &'static encoding_rs::Encoding,
    splitter: Splitter,
    /// Decoded text not yet split (the start of a block that may go on).
    pending: String,
    raw: Vec<u8>,
    hasher: xxhash_rust::xxh3::Xxh3,
    read: u64,
    eof: bool,
    done: bool,
    /// Where bytes that are not valid in the encoding were first met.
    replaced_at: Option<u64>,
}

impl<R: Read> TextStream<R> {
    /// Starts reading `source` (the file at `path`, of kind `kind`): reads
    /// its first block, decides its encoding, reads its front matter, and
    /// returns the document as far as it is known — title, front matter,
    /// language, encoding and the first passages — with the stream for the
    /// rest. I/O errors come back as they are; content errors as a [`Skip`].
    pub fn open(
        source: R,
        path: &Path,
        kind: Kind,
    ) -> std::io::Result<Result<(Document, Self), Skip>> {
        let skip = |reason: String| Skip {
            path: path.to_path_buf(),
            reason,
        };
        let mut stream = TextStream {
            source,
            path: path.to_path_buf(),
            decoder: encoding_rs::UTF_8.new_decoder_with_bom_removal(),
            encoding: encoding_rs::UTF_8,
            splitter: Splitter::new(kind == Kind::Markdown, None),
            pending: String::new(),
            raw: Vec::with_capacity(BLOCK),
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            read: 0,
            eof: false,
            done: false,
            replaced_at: None,
        };
        stream.fill()?;
        let first = &stream.raw;
        if first.iter().take(8192).any(|&b| b == 0) {
            return Ok(Err(skip(
                "binary content (NUL bytes); not a text file, skipped".into(),
            )));
        }
        // UTF-8 unless the first block says otherwise (a sequence cut by the
        // block's end is no evidence either way).
        if let Err(e) = std::str::from_utf8(first)
            && (e.error_len().is_some() || stream.eof)
        {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(first, stream.eof);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
            let (text, _, had_errors) = encoding.decode(first);
            if had_errors || garbled(&text) {
                return Ok(Err(skip(not_text(first, e.valid_up_to()))));
            }
            stream.encoding = encoding;
            stream.decoder = encoding.new_decoder_with_bom_removal();
        }
        stream.decode();
        let front = if kind == Kind::Markdown {
            match frontmatter::split(&stream.pending) {
                Ok(Some((fm, end))) => {
                    stream.splitter.skip(&stream.pending[..end]);
                    stream.pending.drain(..end);
                    Some(fm)
                }
                Ok(None) => None,
                Err(e) => return Ok(Err(skip(e))),
            }
        } else {
            None
        };
        let mut passages = Vec::new();
        stream.split(&mut passages);
        // The title and language come from the first passages.
        passages.extend(stream.next_passages()?);
        let title = stream.splitter.fix_title();
        let lang: Option<Lang> = front.as_ref().and_then(|f| f.lang);
        let doc = Document {
            path: path.to_path_buf(),
            front,
            title_hint: title,
            passages,
            paged: false,
            lang,
            encoding: (stream.encoding != encoding_rs::UTF_8).then(|| stream.encoding.name()),
            embedded: None,
            page_labels: Vec::new(),
        };
        Ok(Ok((doc, stream)))
    }

    /// The next passages, empty at the end of the file.
    pub fn next_passages(&mut self) -> std::io::Result<Vec<Passage>> {
        let mut passages = Vec::new();
        while passages.is_empty() && !self.done {
            self.fill()?;
            self.decode();
            self.split(&mut passages);
        }
        Ok(passages)
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The hash of the bytes read so far (of the whole file at the end).
    pub fn hash(&self) -> u64 {
        self.hasher.digest()
    }

    /// What the reader has to say of the file once read: bytes that were
    /// not valid in its encoding.
    pub fn warning(&self) -> Option<String> {
        self.replaced_at.map(|at| {
            format!(
                "{}: bytes not valid {} from byte {at} on were read as U+FFFD; convert the file to UTF-8 and index again",
                self.path.display(),
                self.encoding.name()
            )
        })
    }

    /// Reads the next block into `raw`, whole unless the file ends.
    fn fill(&mut self) -> std::io::Result<()> {
        self.raw.clear();
        self.raw.resize(BLOCK, 0);
        let mut len = 0;
        while len < BLOCK {
            match self.source.read(&mut self.raw[len..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.raw.truncate(len);
        self.hasher.update(&self.raw);
        self.read += len as u64;
        Ok(())
    }

    /// Decodes `raw` onto the end of `pending`.
    fn decode(&mut self) {
        let start = self.read - self.raw.len() as u64;
        let mut src: &[u8] = &self.raw;
        loop {
            let room = self
                .decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16);
            self.pending.reserve(room);
            let (result, used, replaced) =
                self.decoder
                    .decode_to_string(src, &mut self.pending, self.eof);
            if replaced && self.replaced_at.is_none() {
                self.replaced_at = Some(start);
            }
            src = &src[used..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
    }

    /// Splits what is pending into passages, keeping back a block that may
    /// go on in the next one.
    fn split(&mut self, out: &mut Vec<Passage>) {
        let used = self.splitter.feed(&self.pending, self.eof, CUT_ABOVE, out);
        self.pending.drain(..used);
        self.done = self.eof;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::blocks;

    fn streamed(text: &str, kind: Kind) -> Document {
        let (mut doc, mut s) = TextStream::open(text.as_bytes(), Path::new("t.md"), kind)
            .unwrap()
            .unwrap();
        loop {
            let more = s.next_passages().unwrap();
            if more.is_empty() {
                break;
            }
            doc.passages.extend(more);
        }
        assert_eq!(s.bytes_read(), text.len() as u64);
        assert_eq!(s.hash(), xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
        doc
    }

    /// Words in all passages of `doc`.
    fn words(doc: &Document) -> usize {
        doc.passages
            .iter()
            .map(|p| p.text.split_whitespace().count())
            .sum()
    }

    #[test]
    fn a_streamed_file_gives_the_passages_of_a_whole_read() {
        // Paragraphs of varied length, headings and form feeds, far longer
        // than a block.
        let mut text = String::from("---\ntitle: Panjang\nlang: id\n---\n# Judul\n\n");
        let mut i = 0u64;
        while text.len() < 3 * BLOCK + 12345 {
            i += 1;
            let words = 5 + (i * 7919 % 400) as usize;
            for w in 0..words {
                text.push_str(
                    ["kota ", "kembar ", "ialah ", "kerja. ", "sama "][(w + i as usize) % 5],
                );
            }
            text.push_str(if i.is_multiple_of(97) {
                "\n\u{c}"
            } else {
                "\n\n"
            });
            if i.is_multiple_of(50) {
                text.push_str(&format!("## Bagian {i}\n\n"));
            }
        }
        let doc = streamed(&text, Kind::Markdown);
        let (_, body) = frontmatter::split(&text).unwrap().unwrap();
        let whole = blocks::parse(&text, body, true);
        assert_eq!(doc.title_hint, whole.title);
        assert_eq!(doc.lang, Some(Lang::Id));
        assert_eq!(doc.passages.len(), whole.passages.len());
        assert!(doc.passages == whole.passages);
    }

    #[test]
    fn one_endless_line_is_cut_and_loses_no_word() {
        let text = "kata lain ".repeat(BLOCK / 4);
        let doc = streamed(&text, Kind::Text);
        assert_eq!(words(&doc), text.split_whitespace().count());
        for p in &doc.passages {
            assert_eq!(&text[p.start..p.end], p.text);
            assert!(p.text.split_whitespace().count() <= blocks::PASSAGE_WORDS);
            assert_eq!(p.paragraph, 1);
        }
        assert!(doc.passages.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn an_endless_heading_line_is_cut_like_a_paragraph() {
        let text = format!("# {}", "judul panjang ".repeat(CUT_ABOVE / 5));
        let doc = streamed(&text, Kind::Markdown);
        assert_eq!(words(&doc), text.split_whitespace().count());
    }

    #[test]
    fn a_word_longer_than_a_block_is_cut_at_a_character() {
        let text = "é".repeat(CUT_ABOVE);
        let doc = streamed(&text, Kind::Text);
        assert!(doc.passages.len() >= 2);
        let joined: String = doc.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn windows_1252_is_detected_from_the_first_block() {
        let mut bytes = b"Caf\xe9 di kota kembar.\n\n".repeat(BLOCK / 20);
        bytes.extend_from_slice(b"Akhir caf\xe9.");
        let (doc, mut s) = TextStream::open(&bytes[..], Path::new("t.txt"), Kind::Text)
            .unwrap()
            .unwrap();
        assert_eq!(doc.encoding, Some("windows-1252"));
        assert!(doc.passages[0].text.starts_with("Café"));
        let mut last = doc.passages.last().cloned();
        loop {
            let more = s.next_passages().unwrap();
            if more.is_empty() {
                break;
            }
            last = more.last().cloned();
        }
        assert_eq!(last.unwrap().text, "Akhir café.");
        assert!(s.warning().is_none());
    }

    #[test]
    fn invalid_bytes_after_the_first_block_are_replaced_and_reported() {
        let mut bytes = "Kota kembar.\n\n".repeat(BLOCK / 10).into_bytes();
        bytes.extend_from_slice(b"Rusak \xff\xfe di sini.\n");
        let doc = TextStream::open(&bytes[..], Path::new("t.txt"), Kind::Text)
            .unwrap()
            .unwrap();
        let (_, mut s) = doc;
        while !s.next_passages().unwrap().is_empty() {}
        let w = s.warning().expect("a warning");
        assert!(w.contains("t.txt") && w.contains("UTF-8"), "{w}");
    }

    #[test]
    fn binary_content_is_refused() {
        let mut bytes = vec![0u8; 100];
        bytes.extend(b"text".repeat(BLOCK));
        let r = TextStream::open(&bytes[..], Path::new("b.txt"), Kind::Text).unwrap();
        assert!(r.err().unwrap().reason.contains("binary"));
    }
}
