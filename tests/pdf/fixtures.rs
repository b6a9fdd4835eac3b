//! Test-only PDF writer: builds small PDFs whose text, layout, fonts and
//! structure are known, so the reader can be checked against them. No binary
//! fixtures are committed; every test PDF is made here.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126.
pub const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Width of one character in Helvetica (ligatures as the sum of their letters).
pub fn width(c: char) -> f32 {
    match c {
        ' '..='~' => HELVETICA[c as usize - 32] as f32,
        '\u{FB00}' => 556.0,
        '\u{FB01}' | '\u{FB02}' => 500.0,
        '\u{FB03}' | '\u{FB04}' => 778.0,
        _ => 556.0,
    }
}

/// Width of a string at `size` points.
pub fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(width).sum::<f32>() * size / 1000.0
}

/// How the page's fonts are written.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum FontKind {
    /// Standard Helvetica, WinAnsiEncoding, with /Widths.
    Helvetica,
    /// Standard Helvetica, WinAnsiEncoding, no /Widths (readers must know the metrics).
    HelveticaBare,
    /// A TeX-like simple font: /Differences put the ligatures ff fi fl ffi ffl at codes 11..15.
    TexLike,
    /// A Type0 font, Identity-H, two-byte codes, with a ToUnicode CMap (a glyph maps to U+FB01 for "ﬁ").
    Cid,
}

/// How text is put on the page.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Emit {
    /// One `Tj` per line, spaces as characters (word processors).
    Spaced,
    /// One `TJ` per line, no space characters: word gaps are positioning offsets (TeX).
    Kerned,
}

/// One line of text at a position (baseline origin, points).
#[derive(Clone, Debug)]
pub struct Line {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// One page: its lines in content-stream order, and an optional image.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub lines: Vec<Line>,
    pub image: bool,
}

/// Everything a generated document is made of.
#[derive(Clone, Debug)]
pub struct DocSpec {
    pub pages: Vec<Page>,
    pub font: FontKind,
    pub emit: Emit,
    pub compress: bool,
    /// Raw PDF source of the /PageLabels dictionary.
    pub page_labels: Option<String>,
    /// Raw PDF source of the Info dictionary.
    pub info: Option<String>,
    /// XMP packet.
    pub xmp: Option<String>,
    /// Add a /Encrypt dictionary whose user password is not empty.
    pub encrypt: bool,
    /// Encrypt for real (RC4, 40 bits) with an empty user password and an
    /// owner password, as publishers do to restrict printing or copying.
    pub encrypt_owner_only: bool,
    pub width: f32,
    pub height: f32,
}

impl Default for DocSpec {
    fn default() -> Self {
        DocSpec {
            pages: Vec::new(),
            font: FontKind::Helvetica,
            emit: Emit::Spaced,
            compress: false,
            page_labels: None,
            info: None,
            xmp: None,
            encrypt: false,
            encrypt_owner_only: false,
            width: 595.0,
            height: 842.0,
        }
    }
}

fn cp1252(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x20..0x7f).contains(&u) || (0xa0..=0xff).contains(&u) {
        return Some(u as u8);
    }
    let table: [(char, u8); 9] = [
        ('\u{20AC}', 0x80),
        ('\u{2018}', 0x91),
        ('\u{2019}', 0x92),
        ('\u{201C}', 0x93),
        ('\u{201D}', 0x94),
        ('\u{2022}', 0x95),
        ('\u{2013}', 0x96),
        ('\u{2014}', 0x97),
        ('\u{2026}', 0x85),
    ];
    table.iter().find(|(ch, _)| *ch == c).map(|(_, b)| *b)
}

/// Codes of a text in the document's font.
struct Encoder {
    kind: FontKind,
    cids: BTreeMap<char, u16>,
}

impl Encoder {
    fn new(kind: FontKind, spec: &DocSpec) -> Self {
        let mut cids = BTreeMap::new();
        if kind == FontKind::Cid {
            let mut chars: Vec<char> = spec
                .pages
                .iter()
                .flat_map(|p| p.lines.iter().flat_map(|l| l.text.chars()))
                .collect();
            chars.push(' ');
            chars.sort();
            chars.dedup();
            for (i, c) in chars.into_iter().enumerate() {
                cids.insert(c, i as u16 + 1);
            }
        }
        Encoder { kind, cids }
    }

    fn encode(&self, s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in s.chars() {
            match self.kind {
                FontKind::Cid => out.extend_from_slice(&self.cids[&c].to_be_bytes()),
                FontKind::TexLike => match c {
                    '\u{FB00}' => out.push(11),
                    '\u{FB01}' => out.push(12),
                    '\u{FB02}' => out.push(13),
                    '\u{FB03}' => out.push(14),
                    '\u{FB04}' => out.push(15),
                    _ => out.push(cp1252(c).unwrap_or(b'?')),
                },
                _ => match c {
                    '\u{FB00}' => out.extend_from_slice(b"ff"),
                    '\u{FB01}' => out.extend_from_slice(b"fi"),
                    '\u{FB02}' => out.extend_from_slice(b"fl"),
                    '\u{FB03}' => out.extend_from_slice(b"ffi"),
                    '\u{FB04}' => out.extend_from_slice(b"ffl"),
                    _ => out.push(cp1252(c).unwrap_or(b'?')),
                },
            }
        }
        out
    }

    /// A PDF string operand: hex for two-byte codes, literal otherwise.
    fn operand(&self, s: &str) -> String {
        let bytes = self.encode(s);
        if self.kind == FontKind::Cid {
            let mut h = String::from("<");
            for b in bytes {
                let _ = write!(h, "{b:02X}");
            }
            h.push('>');
            h
        } else {
            literal(&bytes)
        }
    }
}

/// A PDF literal string with the needed escapes.
pub fn literal(bytes: &[u8]) -> String {
    let mut s = String::from("(");
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                s.push('\\');
                s.push(b as char);
            }
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\{b:03o}");
            }
        }
    }
    s.push(')');
    s
}

fn line_ops(enc: &Encoder, emit: Emit, l: &Line) -> String {
    let mut s = String::new();
    match emit {
        Emit::Spaced => {
            let _ = writeln!(
                s,
                "BT /F1 {} Tf {:.2} {:.2} Td {} Tj ET",
                l.size,
                l.x,
                l.y,
                enc.operand(&l.text)
            );
        }
        Emit::Kerned => {
            let _ = write!(s, "BT /F1 {} Tf 1 0 0 1 {:.2} {:.2} Tm [", l.size, l.x, l.y);
            for (i, word) in l.text.split(' ').enumerate() {
                if i > 0 {
                    s.push_str(" -333 ");
                }
                // Kern after some capitals, as TeX does, to check that small
                // offsets do not split words.
                let mut part = String::new();
                for c in word.chars() {
                    part.push(c);
                    if matches!(c, 'T' | 'V' | 'W' | 'Y') {
                        let _ = write!(s, "{} 80 ", enc.operand(&part));
                        part.clear();
                    }
                }
                if !part.is_empty() {
                    s.push_str(&enc.operand(&part));
                }
            }
            s.push_str("] TJ ET\n");
        }
    }
    s
}

fn stream(dict_extra: &str, data: &[u8], compress: bool) -> Vec<u8> {
    let (data, filter) = if compress {
        use flate2::write::ZlibEncoder;
        use std::io::Write;
        let mut e = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        (e.finish().unwrap(), " /Filter /FlateDecode")
    } else {
        (data.to_vec(), "")
    };
    let mut out =
        format!("<< /Length {}{filter}{dict_extra} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn font_objects(enc: &Encoder, first: usize) -> Vec<Vec<u8>> {
    // Returns the font object (number `first`) and its helpers (first+1..).
    match enc.kind {
        FontKind::Helvetica => {
            let w: Vec<String> = (32..=255u32)
                .map(|c| {
                    char::from_u32(c)
                        .map(|c| width(c) as u32)
                        .unwrap_or(556)
                        .to_string()
                })
                .collect();
            vec![format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] >>",
                w.join(" ")
            )
            .into_bytes()]
        }
        FontKind::HelveticaBare => vec![
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        ],
        FontKind::TexLike => {
            let w: Vec<String> = (11..=255u32)
                .map(|c| match c {
                    11 => "556".to_string(),
                    12 | 13 => "500".to_string(),
                    14 | 15 => "778".to_string(),
                    16..=31 => "0".to_string(),
                    _ => char::from_u32(c)
                        .map(|c| width(c) as u32)
                        .unwrap_or(556)
                        .to_string(),
                })
                .collect();
            vec![
                format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+TeXGyreHeros /FirstChar 11 /LastChar 255 /Widths [{}] /Encoding {} 0 R >>",
                    w.join(" "),
                    first + 1
                )
                .into_bytes(),
                b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [11 /ff /fi /fl /ffi /ffl] >>".to_vec(),
            ]
        }
        FontKind::Cid => {
            let mut cmap = String::from(
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
            );
            let entries: Vec<(&char, &u16)> = enc.cids.iter().collect();
            for chunk in entries.chunks(100) {
                let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
                for (c, cid) in chunk {
                    let mut units = [0u16; 2];
                    let hex: String = c
                        .encode_utf16(&mut units)
                        .iter()
                        .map(|u| format!("{u:04X}"))
                        .collect();
                    let _ = writeln!(cmap, "<{cid:04X}> <{hex}>");
                }
                cmap.push_str("endbfchar\n");
            }
            cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            let w: Vec<String> = enc
                .cids
                .iter()
                .map(|(c, cid)| format!("{cid} [{}]", width(*c) as u32))
                .collect();
            vec![
                format!(
                    "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+NotoSans /Encoding /Identity-H /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>",
                    first + 1,
                    first + 2
                )
                .into_bytes(),
                format!(
                    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+NotoSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 556 /W [{}] /CIDToGIDMap /Identity >>",
                    w.join(" ")
                )
                .into_bytes(),
                stream("", cmap.as_bytes(), false),
            ]
        }
    }
}

/// Serialise the document.
pub fn build(spec: &DocSpec) -> Vec<u8> {
    let enc = Encoder::new(spec.font, spec);
    // Object numbers: 1 catalog, 2 pages, 3.. fonts, then image, then pages.
    let mut objs: Vec<Vec<u8>> = vec![Vec::new(), Vec::new()];
    let font_first = 3;
    for o in font_objects(&enc, font_first) {
        objs.push(o);
    }
    let image = objs.len() + 1;
    objs.push(stream(
        " /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
        &[0, 255, 255, 0],
        false,
    ));
    let mut kids = Vec::new();
    for page in &spec.pages {
        let mut content = String::new();
        if page.image {
            content.push_str("q 400 0 0 600 90 120 cm /Im1 Do Q\n");
        }
        for l in &page.lines {
            content.push_str(&line_ops(&enc, spec.emit, l));
        }
        let content_num = objs.len() + 1;
        objs.push(stream("", content.as_bytes(), spec.compress));
        let page_num = objs.len() + 1;
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Contents {content_num} 0 R /Resources << /Font << /F1 {font_first} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>",
                spec.width, spec.height
            )
            .into_bytes(),
        );
        kids.push(format!("{page_num} 0 R"));
    }
    let mut catalog = String::from("<< /Type /Catalog /Pages 2 0 R");
    if let Some(pl) = &spec.page_labels {
        let _ = write!(catalog, " /PageLabels {pl}");
    }
    if let Some(x) = &spec.xmp {
        let n = objs.len() + 1;
        objs.push(stream(
            " /Type /Metadata /Subtype /XML",
            x.as_bytes(),
            false,
        ));
        let _ = write!(catalog, " /Metadata {n} 0 R");
    }
    catalog.push_str(" >>");
    objs[0] = catalog.into_bytes();
    objs[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        kids.len()
    )
    .into_bytes();
    let mut trailer_extra = String::new();
    if let Some(info) = &spec.info {
        objs.push(info.clone().into_bytes());
        let _ = write!(trailer_extra, " /Info {} 0 R", objs.len());
    }
    if spec.encrypt {
        let o = "7A3F1C0B9E8D2A4C6B5E3F1D0C9B8A7F6E5D4C3B2A1F0E9D8C7B6A5F4E3D2C1B";
        let u = "1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E";
        objs.push(
            format!("<< /Filter /Standard /V 1 /R 2 /Length 40 /O <{o}> /U <{u}> /P -3904 >>")
                .into_bytes(),
        );
        let _ = write!(
            trailer_extra,
            " /Encrypt {} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
            objs.len()
        );
    }
    if spec.encrypt_owner_only {
        let (o, u, key) = rc4_40_keys();
        for (i, obj) in objs.iter_mut().enumerate() {
            encrypt_stream(obj, &key, i as u32 + 1);
        }
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
        objs.push(
            format!(
                "<< /Filter /Standard /V 1 /R 2 /Length 40 /O <{}> /U <{}> /P -3904 >>",
                hex(&o),
                hex(&u)
            )
            .into_bytes(),
        );
        let _ = write!(
            trailer_extra,
            " /Encrypt {} 0 R /ID [<{ID}> <{ID}>]",
            objs.len()
        );
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A column: left edge, width.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub x: f32,
    pub width: f32,
}

/// Wrap paragraphs into lines inside one column, from `y_top` down to
/// `y_bottom`; paragraphs are separated by `para_gap` extra points and their
/// first lines indented by `indent`. A `|` inside a word marks where it may be
/// hyphenated at a line end. Returns the lines of each page (a new page starts
/// when the column is full) and, for each page, the words that start on it.
pub struct Flow {
    pub size: f32,
    pub leading: f32,
    pub para_gap: f32,
    pub indent: f32,
    pub y_top: f32,
    pub y_bottom: f32,
    pub columns: Vec<Column>,
}

/// Lines laid out into pages and columns.
pub struct Flowed {
    /// Per page, per column, the lines top to bottom.
    pub pages: Vec<Vec<Vec<Line>>>,
    /// Per page, the words (hyphenation marks removed) set on it.
    pub words: Vec<Vec<String>>,
}

impl Flow {
    pub fn run(&self, paragraphs: &[String]) -> Flowed {
        let mut pages: Vec<Vec<Vec<Line>>> = vec![vec![Vec::new(); self.columns.len()]];
        let mut words: Vec<Vec<String>> = vec![Vec::new()];
        let (mut col, mut y) = (0usize, self.y_top);
        let advance = |col: &mut usize,
                       y: &mut f32,
                       pages: &mut Vec<Vec<Vec<Line>>>,
                       words: &mut Vec<Vec<String>>| {
            *y -= self.leading;
            if *y < self.y_bottom {
                *col += 1;
                *y = self.y_top;
                if *col == self.columns.len() {
                    *col = 0;
                    pages.push(vec![Vec::new(); self.columns.len()]);
                    words.push(Vec::new());
                }
            }
        };
        for para in paragraphs {
            let mut line = String::new();
            let mut first = true;
            let mut pending: Vec<String> = para.split_whitespace().map(str::to_string).collect();
            pending.reverse();
            while let Some(word) = pending.pop() {
                let c = self.columns[col];
                let x0 = if first { c.x + self.indent } else { c.x };
                let avail = c.width - (x0 - c.x);
                let plain = word.replace('|', "");
                let cand = if line.is_empty() {
                    plain.clone()
                } else {
                    format!("{line} {plain}")
                };
                if text_width(&cand, self.size) <= avail || line.is_empty() {
                    words.last_mut().unwrap().push(plain.clone());
                    line = cand;
                    continue;
                }
                // Hyphenate at a mark when the head fits, except on a column's last line.
                let last_line = y - self.leading < self.y_bottom;
                if let Some(pos) = word.find('|').filter(|_| !last_line) {
                    let head = format!("{line} {}-", &word[..pos].replace('|', ""));
                    if text_width(&head, self.size) <= avail {
                        words.last_mut().unwrap().push(plain.clone());
                        pages.last_mut().unwrap()[col].push(Line {
                            x: x0,
                            y,
                            size: self.size,
                            text: head,
                        });
                        advance(&mut col, &mut y, &mut pages, &mut words);
                        first = false;
                        // The tail is not a new word: mark it so it is not counted twice.
                        line = word[pos + 1..].replace('|', "");
                        continue;
                    }
                }
                pages.last_mut().unwrap()[col].push(Line {
                    x: x0,
                    y,
                    size: self.size,
                    text: line,
                });
                advance(&mut col, &mut y, &mut pages, &mut words);
                first = false;
                line = String::new();
                pending.push(word);
            }
            if !line.is_empty() {
                let c = self.columns[col];
                let x0 = if first { c.x + self.indent } else { c.x };
                pages.last_mut().unwrap()[col].push(Line {
                    x: x0,
                    y,
                    size: self.size,
                    text: line,
                });
                advance(&mut col, &mut y, &mut pages, &mut words);
            }
            y -= self.para_gap;
        }
        Flowed { pages, words }
    }
}

// ---------------------------------------------------------------------------
// The documents the tests read.

/// Lines of a page: paragraphs of explicit lines, with an optional running
/// header (top) and footer (bottom).
pub fn page(paras: &[&[&str]], header: Option<&str>, footer: Option<&str>) -> Page {
    let mut lines = Vec::new();
    if let Some(h) = header {
        lines.push(Line {
            x: 72.0,
            y: 800.0,
            size: 9.0,
            text: h.to_string(),
        });
    }
    let mut y = 760.0;
    for para in paras {
        for (i, l) in para.iter().enumerate() {
            let x = if i == 0 { 90.0 } else { 72.0 };
            lines.push(Line {
                x,
                y,
                size: 11.0,
                text: l.to_string(),
            });
            y -= 14.0;
        }
        y -= 8.0;
    }
    if let Some(f) = footer {
        let x = 297.5 - text_width(f, 9.0) / 2.0;
        lines.push(Line {
            x,
            y: 40.0,
            size: 9.0,
            text: f.to_string(),
        });
    }
    Page {
        lines,
        image: false,
    }
}

pub const HEADER: &str = "Jurnal Linguistik Terapan, Vol. 12 No. 3 (2024)";

/// Six pages, Indonesian and English, labels i, ii, 101..104, a running
/// header on every page but the first, the page label as footer.
pub fn article() -> DocSpec {
    let labels = ["i", "ii", "101", "102", "103", "104"];
    let bodies: [&[&[&str]]; 6] = [
        &[
            &["Temu Kembali Informasi untuk Teks Ilmiah"],
            &[
                "Abstrak: Penelitian ini membahas sistem temu kembali",
                "untuk korpus ilmiah berbahasa Indonesia.",
            ],
        ],
        // Soft hyphens: one inside a line, one at a line end.
        &[&[
            "Kata pengantar. Kami berterima ka\u{AD}sih kepada semua pi\u{AD}",
            "hak yang telah membantu penelitian ini.",
        ]],
        &[
            &[
                "Pendahuluan. Perpustakaan menyimpan banyak infor-",
                "masi yang sulit ditemukan oleh mahasiswa.",
            ],
            &[
                "Kota-kota besar seperti Bandung dan Surabaya memiliki",
                "perpustakaan kampus yang lengkap.",
            ],
        ],
        &[
            &[
                "The information retrieval literature treats infor-",
                "mation needs as queries over a collection.",
            ],
            &[
                "Our sister-city programme links Bandung with a partner",
                "city, and the Asia-",
                "Pacific network supports it.",
            ],
        ],
        &[
            &[
                "Banyak kota-",
                "kota kecil belum memiliki perpustakaan digital yang",
                "memadai.",
            ],
            &[
                "Hasil penelitian menunjukkan bahwa pengem-",
                "bangan sistem berjalan dengan baik.",
            ],
        ],
        &[&[
            "Kesimpulan. Sistem ini membantu peneliti menemukan",
            "kutipan dengan halaman yang tepat.",
        ]],
    ];
    let pages = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| page(b, (i > 0).then_some(HEADER), Some(labels[i])))
        .collect();
    DocSpec {
        pages,
        page_labels: Some("<< /Nums [0 << /S /r >> 2 << /S /D /St 101 >>] >>".into()),
        info: Some(
            "<< /Title (Temu Kembali Informasi untuk Teks Ilmiah) /Author (Siti Rahayu; Budi Santoso) /Subject (Temu kembali) /Keywords (temu kembali, korpus, kutipan) /CreationDate (D:20240115093000+07'00') >>"
                .into(),
        ),
        ..DocSpec::default()
    }
}

/// A TeX-like document: no space characters (word gaps are TJ offsets),
/// ligature glyphs from /Differences, two columns whose lines are written
/// alternately left and right, a running header and a "Page N of M" footer.
pub fn two_column() -> DocSpec {
    let left: [&[&str]; 3] = [
        &[
            "The first column opens with an",
            "efficient method for fluent",
            "reading of official records.",
            "Every line here stays left.",
            "Left column text ends here.",
        ],
        &[
            "Column one has a second page",
            "with more words about finding",
            "affluent offices and their staff.",
            "This left line is the fourth.",
            "Left column of page two ends.",
        ],
        &[
            "A third page starts the left",
            "column with words on reading",
            "order in scientific articles.",
            "Another line for the left side.",
            "Left column of page three ends.",
        ],
    ];
    let right: [&[&str]; 3] = [
        &[
            "The second column continues",
            "with another paragraph of text",
            "that belongs on the right side.",
            "Right lines follow each other.",
            "Right column text ends here.",
        ],
        &[
            "Column two on the second page",
            "describes Wavelet Transforms",
            "and Vectors in a short note.",
            "This right line is the fourth.",
            "Right column of page two ends.",
        ],
        &[
            "The right column of page three",
            "keeps to its own reading order",
            "even when lines interleave.",
            "One more line on the right.",
            "Right column of page three ends.",
        ],
    ];
    let fold = |s: &str| {
        s.replace("ffi", "\u{FB03}")
            .replace("ffl", "\u{FB04}")
            .replace("fi", "\u{FB01}")
            .replace("fl", "\u{FB02}")
            .replace("ff", "\u{FB00}")
    };
    let mut pages = Vec::new();
    for p in 0..3 {
        let mut lines = vec![Line {
            x: 72.0,
            y: 800.0,
            size: 9.0,
            text: "Proceedings of the Workshop on Scholarly Text".into(),
        }];
        for i in 0..5 {
            let y = 740.0 - 13.0 * i as f32;
            lines.push(Line {
                x: 72.0,
                y,
                size: 10.0,
                text: fold(left[p][i]),
            });
            lines.push(Line {
                x: 320.0,
                y,
                size: 10.0,
                text: fold(right[p][i]),
            });
        }
        lines.push(Line {
            x: 260.0,
            y: 40.0,
            size: 9.0,
            text: format!("Page {} of 3", p + 1),
        });
        pages.push(Page {
            lines,
            image: false,
        });
    }
    DocSpec {
        pages,
        font: FontKind::TexLike,
        emit: Emit::Kerned,
        ..DocSpec::default()
    }
}

/// A Type0 font with a ToUnicode CMap (one glyph maps to U+FB01), compressed
/// streams, and XMP metadata.
pub fn cid_doc() -> DocSpec {
    let pages = vec![
        page(
            &[&[
                "Klasi\u{FB01}kasi dokumen ilmiah memerlukan de\u{FB01}nisi yang jelas.",
                "Sistem ini dibuat untuk para peneliti.",
            ]],
            None,
            None,
        ),
        page(
            &[&["Halaman kedua berisi ringkasan hasil penelitian."]],
            None,
            None,
        ),
    ];
    DocSpec {
        pages,
        font: FontKind::Cid,
        compress: true,
        xmp: Some(
            r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmp:CreateDate="2023-11-20T08:15:00+07:00"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Klasifikasi Dokumen</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>Dewi Lestari</rdf:li><rdf:li>Andi Wijaya</rdf:li></rdf:Seq></dc:creator><pdf:Keywords>klasifikasi; dokumen</pdf:Keywords></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
                .into(),
        ),
        ..DocSpec::default()
    }
}

/// Pages with images and no text operators.
pub fn image_only() -> DocSpec {
    DocSpec {
        pages: vec![
            Page {
                lines: vec![],
                image: true,
            },
            Page {
                lines: vec![],
                image: true,
            },
        ],
        ..DocSpec::default()
    }
}

/// Sentences for longer generated documents.
pub const SENTENCES_ID: &[&str] = &[
    "Penelitian ini bertujuan untuk mengem|bangkan sistem temu kembali informasi bagi teks ilmiah.",
    "Data dikumpulkan dari perpustakaan universitas di Yogyakarta, Bandung, dan Makassar.",
    "Hasil analisis menunjukkan bahwa kutipan yang akurat mening|katkan kepercayaan pembaca.",
    "Metode yang digunakan adalah studi kasus dengan pendekatan kualitatif dan kuantitatif.",
    "Setiap dokumen dipecah menjadi paragraf agar pencarian dapat menun|jukkan halaman yang tepat.",
    "Kota-kota besar memiliki koleksi jurnal yang lebih lengkap daripada daerah terpencil.",
    "Pengujian dilakukan terhadap seribu dokumen berbahasa Indonesia dan Inggris.",
    "Temuan ini sejalan dengan penelitian sebelumnya mengenai perilaku pencarian mahasiswa.",
];

pub const SENTENCES_EN: &[&str] = &[
    "The retrieval system returns passages together with page-accurate citations.",
    "Scholarly documents often contain running headers that repeat on every page.",
    "Hyphenated words at the end of a line must be re|joined before indexing.",
    "An efficient index keeps the original text so that quotations remain exact.",
    "Two-column layouts are common in conference proceedings and journal articles.",
    "We measured recall against the known text of every generated document.",
    "Readers expect the cited page to match the printed page number of the source.",
    "The evaluation covers Indonesian and English texts from several disciplines.",
];

/// `count` paragraphs mixing the sentence lists deterministically.
pub fn paragraphs(count: usize, seed: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = seed;
    for p in 0..count {
        let mut para = Vec::new();
        for s in 0..(3 + (p + seed) % 4) {
            k = k.wrapping_mul(1103515245).wrapping_add(12345 + s);
            let list = if (k >> 8).is_multiple_of(2) {
                SENTENCES_ID
            } else {
                SENTENCES_EN
            };
            para.push(list[(k >> 12) % list.len()]);
        }
        out.push(para.join(" "));
    }
    out
}

/// A long generated document and, per page, the body words set on it.
pub fn long_doc(kind: &str, paras: usize) -> (DocSpec, Vec<Vec<String>>) {
    let two_col = kind == "twocol";
    let columns = if two_col {
        vec![
            Column {
                x: 56.0,
                width: 230.0,
            },
            Column {
                x: 310.0,
                width: 230.0,
            },
        ]
    } else {
        vec![Column {
            x: 72.0,
            width: 451.0,
        }]
    };
    let flow = Flow {
        size: 10.0,
        leading: 12.5,
        para_gap: 0.0,
        indent: 12.0,
        y_top: 770.0,
        y_bottom: 60.0,
        columns,
    };
    let flowed = flow.run(&paragraphs(paras, kind.len()));
    let n = flowed.pages.len();
    let mut pages = Vec::new();
    for (p, cols) in flowed.pages.into_iter().enumerate() {
        let mut lines = vec![Line {
            x: 72.0,
            y: 805.0,
            size: 8.0,
            text: "Jurnal Sistem Informasi Indonesia 7 (2)".into(),
        }];
        if two_col {
            // Interleave the columns line by line, as some producers do.
            let (l, r) = (&cols[0], &cols[1]);
            for i in 0..l.len().max(r.len()) {
                lines.extend(l.get(i).cloned());
                lines.extend(r.get(i).cloned());
            }
        } else {
            lines.extend(cols.into_iter().flatten());
        }
        lines.push(Line {
            x: 280.0,
            y: 30.0,
            size: 8.0,
            text: format!("Page {} of {n}", p + 1),
        });
        pages.push(Page {
            lines,
            image: false,
        });
    }
    let (font, emit, compress) = match kind {
        "twocol" => (FontKind::TexLike, Emit::Kerned, false),
        "cid" => (FontKind::Cid, Emit::Spaced, true),
        _ => (FontKind::Helvetica, Emit::Spaced, false),
    };
    (
        DocSpec {
            pages,
            font,
            emit,
            compress,
            ..DocSpec::default()
        },
        flowed.words,
    )
}

/// A PDF from raw object sources (object i+1 is `objects[i]`), with a correct
/// cross-reference table; `trailer` is added to the trailer dictionary.
pub fn raw_pdf(objects: &[&str], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A content stream object showing `text` in Helvetica (font /F1).
pub fn text_stream(ops: &str) -> String {
    format!("<< /Length {} >>\nstream\n{ops}\nendstream", ops.len())
}

pub const HELV_RES: &str = "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >>";

const ID: &str = "0123456789ABCDEF0123456789ABCDEF";
const PAD: [u8; 32] = [
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
    0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
];

fn rc4(key: &[u8], data: &mut [u8]) {
    let mut s: Vec<u8> = (0..=255).collect();
    let mut j = 0u8;
    for i in 0..256 {
        j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
        s.swap(i, j as usize);
    }
    let (mut i, mut j) = (0u8, 0u8);
    for b in data {
        i = i.wrapping_add(1);
        j = j.wrapping_add(s[i as usize]);
        s.swap(i as usize, j as usize);
        *b ^= s[s[i as usize].wrapping_add(s[j as usize]) as usize];
    }
}

fn md5(parts: &[&[u8]]) -> [u8; 16] {
    use md5::Digest;
    let mut h = md5::Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// O, U and the file key of the standard security handler, revision 2, with
/// an empty user password and the owner password "owner" (ISO 32000-1, 7.6.3).
fn rc4_40_keys() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut owner = b"owner".to_vec();
    owner.extend_from_slice(&PAD[..32 - owner.len()]);
    let okey = md5(&[&owner]);
    let mut o = PAD.to_vec();
    rc4(&okey[..5], &mut o);
    let id: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&ID[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let key = md5(&[&PAD, &o, &(-3904i32).to_le_bytes(), &id])[..5].to_vec();
    let mut u = PAD.to_vec();
    rc4(&key, &mut u);
    (o, u, key)
}

/// Encrypt the stream data of an object in place (RC4 keeps the length).
fn encrypt_stream(obj: &mut [u8], key: &[u8], num: u32) {
    let Some(start) = obj.windows(7).position(|w| w == b"stream\n").map(|p| p + 7) else {
        return;
    };
    let Some(end) = obj.windows(10).rposition(|w| w == b"\nendstream") else {
        return;
    };
    let mut k = key.to_vec();
    k.extend_from_slice(&num.to_le_bytes()[..3]);
    k.extend_from_slice(&[0, 0]);
    let okey = md5(&[&k]);
    rc4(&okey[..10], &mut obj[start..end]);
}
