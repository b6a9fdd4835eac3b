//! Tests for the HTML, DOCX and EPUB readers. HTML fixtures live in
//! tests/fixtures/; DOCX and EPUB archives are built here with `zip`.

use kutip::ingest::archive::Limits;
use kutip::ingest::docx::{read_docx, read_docx_with};
use kutip::ingest::epub::{read_epub, read_epub_with};
use kutip::ingest::extracted::ReadError;
use kutip::ingest::html::read_html;
use std::io::{Cursor, Write};
use std::time::Instant;

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A ZIP archive of `entries`; "mimetype" is stored, the rest deflated.
pub fn zip_bytes<B: AsRef<[u8]>>(entries: &[(&str, B)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(body.as_ref()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

// ---------------------------------------------------------------------------
// HTML

const KOMPASIANA_ARTICLE: &str = "\
Migrasi penduduk dari desa ke kota di Indonesia terus meningkat dalam dua dekade terakhir. Fenomena ini sejalan dengan teori transisi mobilitas, yang menyatakan bahwa pola mobilitas penduduk berubah seiring modernisasi (Zelinsky, 1991).

Menurut data Badan Pusat Statistik, proporsi penduduk perkotaan telah melampaui separuh dari total populasi. Kota-kota seperti Jakarta, Surabaya, dan Medan menjadi tujuan utama para pendatang yang mencari pekerjaan dan pendidikan.

## Dampak terhadap Desa

Di sisi lain, desa kehilangan tenaga kerja produktif. Lahan pertanian sering dibiarkan tidur karena generasi muda memilih bekerja di sektor informal perkotaan, seperti yang juga dibahas dalam kajian lain.

Oleh karena itu, kebijakan pembangunan perlu menyeimbangkan antara desa & kota agar arus migrasi tidak menimbulkan ketimpangan baru.
";

#[test]
fn html_blog_post_indexes_as_its_article_only() {
    let e = read_html(&fixture("kompasiana_post.html")).unwrap();
    assert_eq!(e.text, KOMPASIANA_ARTICLE);
    for furniture in [
        "Laporkan",
        "Komentar",
        "Siti Aminah",
        "Terpopuler",
        "Bagikan",
        "cookie",
        "Beranda",
        "Artikel Terkait",
        "Baca juga",
        "Hak cipta",
        "leak?",
        "dataLayer",
        "Iklan",
        "Tentang Kompasiana",
    ] {
        assert!(!e.text.contains(furniture), "{furniture} leaked");
    }
    let m = &e.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Migrasi Desa-Kota dan Transisi Mobilitas")
    );
    assert_eq!(m.authors, vec!["Budi Santoso"]); // article:author is a URL: ignored
    assert_eq!(m.date.as_deref(), Some("2021-01-20T10:15:00+07:00"));
    assert_eq!(m.container_title.as_deref(), Some("KOMPASIANA"));
    assert_eq!(m.lang.as_deref(), Some("id"));
    assert_eq!(m.kind.as_deref(), Some("webpage"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.kompasiana.com/budisantoso/60081234d541df3b5a1e2f92/migrasi-desa-kota")
    );
    assert_eq!(m.doi, None);
}

#[test]
fn html_wordpress_post_with_comments_and_widgets() {
    let e = read_html(&fixture("wordpress_post.html")).unwrap();
    assert_eq!(
        e.text,
        "\
Masyarakat adat di berbagai daerah di Indonesia memiliki aturan sendiri dalam mengelola hutan. Aturan tersebut diwariskan secara lisan dan ditegakkan melalui sanksi adat.

Hutan adalah ibu yang memberi makan, bukan harta yang boleh dihabiskan.

Penelitian menunjukkan bahwa kawasan yang dikelola secara adat cenderung memiliki tingkat deforestasi lebih rendah.
Hal ini terlihat di Kalimantan dan Papua.

Larangan menebang pohon di hulu sungai.

Pembagian zona hutan untuk berburu dan berladang.
"
    );
    let m = &e.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Kearifan Lokal dalam Pengelolaan Hutan")
    );
    assert_eq!(m.authors, vec!["Dewi Lestari Hutapea"]); // from JSON-LD @id reference
    assert_eq!(m.date.as_deref(), Some("2020-11-03T08:00:00+00:00"));
    assert_eq!(m.container_title.as_deref(), Some("Catatan Rimba"));
    assert_eq!(m.lang.as_deref(), Some("id-ID"));
    assert_eq!(m.kind.as_deref(), Some("webpage")); // JSON-LD "Article"
}

#[test]
fn html_journal_article_citation_tags() {
    let e = read_html(&fixture("journal_article.html")).unwrap();
    let m = &e.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Pola Migrasi Sirkuler di Jawa Tengah")
    );
    assert_eq!(
        m.authors,
        vec!["Rahmawati, Siti", "Nugroho, Agus", "van der Berg, Jan"]
    );
    assert_eq!(m.date.as_deref(), Some("2021/01/20"));
    assert_eq!(
        m.container_title.as_deref(),
        Some("Jurnal Kependudukan Indonesia")
    );
    assert_eq!(
        m.publisher.as_deref(),
        Some("Pusat Penelitian Kependudukan LIPI")
    );
    assert_eq!(m.doi.as_deref(), Some("10.14203/jki.v16i1.512"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://ejurnal.kependudukan.lipi.go.id/index.php/jki/article/view/512")
    );
    assert_eq!(m.first_page.as_deref(), Some("45"));
    assert_eq!(m.last_page.as_deref(), Some("62"));
    assert_eq!(m.volume.as_deref(), Some("16"));
    assert_eq!(m.issue.as_deref(), Some("1"));
    assert_eq!(m.lang.as_deref(), Some("id"));
    assert_eq!(m.kind.as_deref(), Some("article-journal"));
    assert_eq!(m.isbn, None);
    // The abstract is there; site furniture is not; the repeated title is dropped.
    assert!(
        e.text.contains("## Abstract\n\nCircular migration remains"),
        "{}",
        e.text
    );
    assert!(e.text.contains("(Zelinsky, 1991)."));
    assert!(e.text.ends_with("education and housing.\n"));
    for furniture in [
        "Archives",
        "Make a Submission",
        "Platform",
        "Vol. 16 No. 1",
        "# Pola Migrasi",
    ] {
        assert!(
            !e.text.contains(furniture),
            "{furniture} leaked:\n{}",
            e.text
        );
    }
}

#[test]
fn html_dublin_core_only() {
    let e = read_html(&fixture("dublin_core.html")).unwrap();
    let m = &e.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Laporan Tahunan Perpustakaan Daerah 2019")
    );
    assert_eq!(m.authors, vec!["Hartono, Bambang", "Lestari, Ayu"]);
    assert_eq!(m.date.as_deref(), Some("2020-03-15"));
    assert_eq!(
        m.publisher.as_deref(),
        Some("Perpustakaan Daerah Jawa Barat")
    );
    assert_eq!(m.doi.as_deref(), Some("10.5555/perpusda.2019.01"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://perpustakaan.example.go.id/laporan/2019")
    );
    assert_eq!(m.lang.as_deref(), Some("id"));
    assert_eq!(
        m.container_title.as_deref(),
        Some("Seri Laporan Perpustakaan")
    );
    assert_eq!(m.kind, None);
    assert_eq!(
        (m.volume.as_ref(), m.issue.as_ref(), m.first_page.as_ref()),
        (None, None, None)
    );
    assert_eq!(
        e.text,
        "Sepanjang tahun 2019, jumlah kunjungan ke perpustakaan daerah meningkat sebesar dua belas persen dibandingkan tahun sebelumnya, terutama dari kalangan pelajar.\n\n\
         Program literasi keliling menjangkau 45 desa di enam kabupaten, dengan total peminjaman lebih dari delapan ribu buku.\n"
    );
}

#[test]
fn html_title_heading_kept_when_not_identical() {
    let e = read_html(
        "<html><head><title>Judul - Situs</title></head><body><article><h1>Judul</h1>\
         <p>Isi paragraf pertama yang cukup panjang untuk dihitung sebagai paragraf.</p></article></body></html>",
    )
    .unwrap();
    assert_eq!(
        e.text,
        "# Judul\n\nIsi paragraf pertama yang cukup panjang untuk dihitung sebagai paragraf.\n"
    );
}

#[test]
fn html_breaks_entities_and_whitespace() {
    let e = read_html(
        "<body><div>Baris satu<br>baris dua<br><br>Paragraf baru&nbsp;&amp;\u{a0} spasi\u{200b}</div>\
         <p>A&#160;B &lt;tag&gt; &eacute;</p><pre>kode  x\n  y</pre><style>p{}</style><noscript>JS!</noscript></body>",
    )
    .unwrap();
    assert_eq!(
        e.text,
        "Baris satu\nbaris dua\n\nParagraf baru & spasi\n\nA B <tag> é\n\nkode  x\n  y\n"
    );
}

#[test]
fn html_malformed_markup() {
    let e = read_html("<p>Satu <b>tebal <i>miring</b> lanjut</i><p>Dua <table><tr><td>sel A<td>sel B</table><div>Tiga").unwrap();
    assert_eq!(
        e.text,
        "Satu tebal miring lanjut\n\nDua\n\nsel A sel B\n\nTiga\n"
    );
}

#[test]
fn html_deep_nesting_does_not_overflow() {
    for tag in ["div", "span", "b", "a", "table", "p", "ul", "blockquote"] {
        let n = 10_000;
        let mut s = String::with_capacity(n * 12);
        s.push_str("<html><body>");
        for _ in 0..n {
            s.push_str(&format!("<{tag}>"));
        }
        s.push_str("dalam sekali");
        for _ in 0..n {
            s.push_str(&format!("</{tag}>"));
        }
        s.push_str("</body></html>");
        let t = Instant::now();
        let e = read_html(&s).unwrap();
        assert!(
            e.text.contains("dalam sekali") || tag == "table",
            "{tag}: {}",
            e.text
        );
        assert!(t.elapsed().as_secs() < 20, "{tag} took {:?}", t.elapsed());
    }
    // Unclosed, too.
    let s = format!("<body>{}teks", "<div>".repeat(10_000));
    assert_eq!(read_html(&s).unwrap().text, "teks\n");
}

#[test]
fn html_rejects_non_html() {
    assert_eq!(
        read_html("Bukan HTML, hanya teks biasa."),
        Err(ReadError::NotHtml)
    );
    assert_eq!(read_html("<p>\0\0binary"), Err(ReadError::NotHtml));
}

// ---------------------------------------------------------------------------
// DOCX

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org" TargetMode="External"/></Relationships>"#;

/// Indonesian Word: style ids are localized, names are the built-in ones.
const STYLES_ID: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="id-ID"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Judul"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Judul1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Judul2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="BabJudul"><w:name w:val="Bab Judul"/><w:basedOn w:val="Judul1"/></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="Judul1KAR"><w:name w:val="Heading 1 Char"/></w:style>
</w:styles>"#;

const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<w:body>
<w:p><w:pPr><w:pStyle w:val="Judul"/></w:pPr><w:r><w:t>Migrasi dan Mobilitas</w:t></w:r></w:p>
<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>
<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t>Pendahuluan ........ 1</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:pPr><w:pStyle w:val="Judul1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Pendahuluan</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Migrasi desa-kota meningkat </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>pesat</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems":[{"id":1}]} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> (Zelinsky, 1991)</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:del w:id="5" w:author="x"><w:r><w:delText>dihapus</w:delText></w:r></w:del></w:p>
<w:p><w:r><w:t>Kolom A</w:t></w:r><w:r><w:tab/><w:t>Kolom B &amp; C</w:t></w:r><w:r><w:br/><w:t>baris kedua</w:t></w:r></w:p>
<w:p/>
<w:p><w:pPr><w:pStyle w:val="Judul2"/></w:pPr><w:r><w:t>Background</w:t></w:r></w:p>
<w:p><w:r><w:t>Circular migration is common in Java.</w:t></w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Kotak teks</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Kotak teks</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Sesudah kotak.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Sel satu</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Sel dua</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:pPr><w:pStyle w:val="BabJudul"/></w:pPr><w:r><w:t>Kesimpulan</w:t></w:r></w:p>
<w:p><w:r><w:t>Selesai.</w:t></w:r></w:p>
<w:sectPr/>
</w:body></w:document>"#;

const FOOTNOTES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> See Hugo (1982).</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Data BPS 2020.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Migrasi dan Mobilitas</dc:title><dc:creator>budi.santoso; Siti Rahmawati</dc:creator><cp:lastModifiedBy>admin</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2021-01-20T03:04:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2021-02-01T00:00:00Z</dcterms:modified><dc:language>id-ID</dc:language>
</cp:coreProperties>"#;

pub fn sample_docx() -> Vec<u8> {
    zip_bytes(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", DOCUMENT),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", STYLES_ID),
        ("word/footnotes.xml", FOOTNOTES),
        ("docProps/core.xml", CORE),
    ])
}

#[test]
fn docx_headings_paragraphs_notes_and_core_properties() {
    let e = read_docx(&sample_docx()).unwrap();
    assert_eq!(
        e.text,
        "\
# Migrasi dan Mobilitas

# Pendahuluan

Migrasi desa-kota meningkat pesat (Zelinsky, 1991).

Kolom A Kolom B & C
baris kedua

## Background

Circular migration is common in Java.

Kotak teks

Sesudah kotak.

Sel satu

Sel dua

# Kesimpulan

Selesai.

# Notes

1 Data BPS 2020.

2 See Hugo (1982).
"
    );
    let m = &e.meta;
    assert_eq!(m.title.as_deref(), Some("Migrasi dan Mobilitas"));
    assert_eq!(m.authors, vec!["budi.santoso", "Siti Rahmawati"]);
    // `dcterms:created` is when the file was made: no publication date.
    assert_eq!(m.date, None);
    assert_eq!(m.lang.as_deref(), Some("id-ID"));
    assert_eq!(m.kind, None);
}

#[test]
fn docx_without_styles_uses_style_ids() {
    let doc = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Title here</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Methods</w:t></w:r></w:p>
<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Direct outline</w:t></w:r></w:p>
<w:p><w:r><w:t>Body.</w:t></w:r></w:p></w:body></w:document>"#;
    let e = read_docx(&zip_bytes(&[("word/document.xml", doc)])).unwrap();
    assert_eq!(
        e.text,
        "# Title here\n\n## Methods\n\n### Direct outline\n\nBody.\n"
    );
    assert_eq!(e.meta, kutip::ingest::extracted::Meta::default());
}

#[test]
fn docx_errors() {
    assert!(matches!(read_docx(b"not a zip"), Err(ReadError::BadZip(_))));
    let no_doc = zip_bytes(&[("hello.txt", "hi")]);
    assert!(matches!(read_docx(&no_doc), Err(ReadError::MissingPart(_))));
    let bad = zip_bytes(&[(
        "word/document.xml",
        "<w:document><w:body><w:p><w:t>x</w:body",
    )]);
    // Malformed XML: an error or the text read so far, never a panic.
    let _ = read_docx(&bad);
}

// ---------------------------------------------------------------------------
// EPUB

const CONTAINER: &str = r#"<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

const OPF3: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:0b7c1c1e-1111-2222-3333-444455556666</dc:identifier>
<dc:identifier id="isbn">urn:isbn:9786020000001</dc:identifier>
<dc:identifier id="doi">10.1234/buku.2020</dc:identifier>
<meta refines="#doi" property="identifier-type" scheme="onix:codelist5">06</meta>
<dc:title id="t1">Mobilitas Penduduk Indonesia</dc:title>
<meta refines="#t1" property="title-type">main</meta>
<dc:creator id="c1">Tjiptoherijanto, Prijono</dc:creator>
<meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
<dc:creator id="c2">Editor Satu</dc:creator>
<meta refines="#c2" property="role" scheme="marc:relators">edt</meta>
<dc:date>2020-06-01</dc:date>
<dc:publisher>Penerbit Contoh</dc:publisher>
<dc:language>id</dc:language>
<meta property="dcterms:modified">2020-06-02T00:00:00Z</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c1" href="text/bab1.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/bab%202.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
<item id="img" href="cover.jpg" media-type="image/jpeg"/>
</manifest>
<spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="img"/><itemref idref="c2"/></spine>
</package>"##;

const NAV: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Daftar Isi</title></head><body>
<nav epub:type="landmarks"><ol><li><a href="text/bab1.xhtml" epub:type="bodymatter">Mulai membaca</a></li></ol></nav>
<nav epub:type="toc" id="toc"><h1>Daftar Isi</h1><ol><li><a href="text/bab1.xhtml">Bab 1. Pendahuluan</a></li><li><a href="text/bab%202.xhtml#awal">Bab 2. Migrasi Sirkuler</a></li></ol></nav>
</body></html>"#;

const CH1: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title/><link rel="stylesheet" href="../style.css"/></head>
<body><section><h1>Bab 1. Pendahuluan</h1><p>Mobilitas penduduk berubah seiring modernisasi (Zelinsky, 1991).</p>
<h2>Latar Belakang</h2><p>Teks <a id="p5"/>dengan jangkar dan <span class="x"/>span kosong.</p></section></body></html>"#;

const CH2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>ch2</title><script type="text/javascript"/></head>
<body><p id="awal">Migrasi sirkuler adalah pola pergi-pulang.</p><p>Paragraf kedua &amp; terakhir.</p></body></html>"#;

/// A small EPUB 3 book with two chapters (also used by the CLI tests).
pub fn sample_epub() -> Vec<u8> {
    zip_bytes(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", OPF3),
        ("OEBPS/nav.xhtml", NAV),
        ("OEBPS/text/bab1.xhtml", CH1),
        ("OEBPS/text/bab 2.xhtml", CH2),
        ("OEBPS/style.css", "p{}"),
    ])
}

#[test]
fn epub3_nav_chapters_and_metadata() {
    let bytes = zip_bytes(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", OPF3),
        ("OEBPS/nav.xhtml", NAV),
        ("OEBPS/text/bab1.xhtml", CH1),
        ("OEBPS/text/bab 2.xhtml", CH2),
        ("OEBPS/style.css", "p{}"),
    ]);
    let e = read_epub(&bytes).unwrap();
    assert_eq!(
        e.text,
        "\
# Bab 1. Pendahuluan

Mobilitas penduduk berubah seiring modernisasi (Zelinsky, 1991).

## Latar Belakang

Teks dengan jangkar dan span kosong.

# Bab 2. Migrasi Sirkuler

Migrasi sirkuler adalah pola pergi-pulang.

Paragraf kedua & terakhir.
"
    );
    let m = &e.meta;
    assert_eq!(m.title.as_deref(), Some("Mobilitas Penduduk Indonesia"));
    assert_eq!(m.authors, vec!["Tjiptoherijanto, Prijono"]); // the editor is not an author
    assert_eq!(m.date.as_deref(), Some("2020-06-01"));
    assert_eq!(m.publisher.as_deref(), Some("Penerbit Contoh"));
    assert_eq!(m.lang.as_deref(), Some("id"));
    assert_eq!(m.doi.as_deref(), Some("10.1234/buku.2020"));
    assert_eq!(m.isbn.as_deref(), Some("9786020000001"));
    assert_eq!(m.kind, None);
}

const OPF2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="BookId">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:title>Rural Livelihoods in Java</dc:title>
<dc:creator opf:role="aut" opf:file-as="Hugo, Graeme">Graeme Hugo</dc:creator>
<dc:creator opf:role="trl">Some Translator</dc:creator>
<dc:date opf:event="modification">2019-01-01</dc:date>
<dc:date opf:event="publication">1982</dc:date>
<dc:publisher>Example Press</dc:publisher>
<dc:language>en</dc:language>
<dc:identifier id="BookId" opf:scheme="ISBN">978-0-00-000000-2</dc:identifier>
<dc:identifier opf:scheme="DOI">doi:10.9999/rlj</dc:identifier>
<dc:type>Book</dc:type>
</metadata>
<manifest>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="ch1" href="chapter1.html" media-type="application/xhtml+xml"/>
<item id="ch2" href="chapter2.html" media-type="application/xhtml+xml"/>
<item id="ch3" href="chapter3.html" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx"><itemref idref="ch1"/><itemref idref="ch2"/><itemref idref="ch3"/></spine>
</package>"#;

const NCX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/><docTitle><text>Rural Livelihoods in Java</text></docTitle>
<navMap>
<navPoint id="n1" playOrder="1"><navLabel><text>Chapter One: Villages</text></navLabel><content src="chapter1.html"/>
  <navPoint id="n1a" playOrder="2"><navLabel><text>Rice</text></navLabel><content src="chapter1.html#rice"/></navPoint>
</navPoint>
<navPoint id="n2" playOrder="3"><navLabel><text>Chapter Two: Towns</text></navLabel><content src="chapter2.html"/></navPoint>
</navMap></ncx>"#;

#[test]
fn epub2_ncx_chapters_and_metadata() {
    let ch1 = r#"<html xmlns="http://www.w3.org/1999/xhtml"><head><title>c1</title></head><body><h2 class="chapter">CHAPTER ONE</h2><p>Villages grow rice.</p><h3 id="rice">Rice</h3><p>Wet rice.</p></body></html>"#;
    let ch2 = r#"<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Towns attract migrants.</p></body></html>"#;
    // Not in the NCX: titled by its first heading, moved to the top.
    let ch3 = r#"<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Epigraph.</p><h1>Afterword</h1><p>The end.</p></body></html>"#;
    let bytes = zip_bytes(&[
        ("mimetype", "application/epub+zip"),
        (
            "META-INF/container.xml",
            &CONTAINER.replace("OEBPS/content.opf", "book.opf"),
        ),
        ("book.opf", OPF2),
        ("toc.ncx", NCX),
        ("chapter1.html", ch1),
        ("chapter2.html", ch2),
        ("chapter3.html", ch3),
    ]);
    let e = read_epub(&bytes).unwrap();
    assert_eq!(
        e.text,
        "\
# Chapter One: Villages

## CHAPTER ONE

Villages grow rice.

### Rice

Wet rice.

# Chapter Two: Towns

Towns attract migrants.

# Afterword

Epigraph.

The end.
"
    );
    let m = &e.meta;
    assert_eq!(m.title.as_deref(), Some("Rural Livelihoods in Java"));
    // The catalogue's form (`opf:file-as`) says which part is the family name.
    assert_eq!(m.authors, vec!["Hugo, Graeme"]);
    assert_eq!(m.date.as_deref(), Some("1982"));
    assert_eq!(m.publisher.as_deref(), Some("Example Press"));
    assert_eq!(m.lang.as_deref(), Some("en"));
    assert_eq!(m.isbn.as_deref(), Some("978-0-00-000000-2"));
    assert_eq!(m.doi.as_deref(), Some("10.9999/rlj"));
    assert_eq!(m.kind.as_deref(), Some("book"));
}

#[test]
fn epub_errors() {
    let no_container = zip_bytes(&[("mimetype", "application/epub+zip")]);
    assert!(matches!(
        read_epub(&no_container),
        Err(ReadError::MissingPart(_))
    ));
    let no_opf = zip_bytes(&[("META-INF/container.xml", CONTAINER)]);
    assert!(matches!(read_epub(&no_opf), Err(ReadError::MissingPart(_))));
    let drm = zip_bytes(&[
        ("META-INF/container.xml", CONTAINER),
        (
            "META-INF/encryption.xml",
            r#"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/text/bab1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>"#,
        ),
        ("OEBPS/content.opf", OPF3),
        ("OEBPS/text/bab1.xhtml", "\u{1}\u{2}garbage"),
    ]);
    assert!(matches!(read_epub(&drm), Err(ReadError::Encrypted(_))));
}

// ---------------------------------------------------------------------------
// Zip bombs

/// A raw deflate stream of `mib` MiB of zeros, built from one compressed
/// MiB repeated (each chunk ends with a full flush, so it stands alone).
pub fn zeros_deflate(mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(4096);
    c.compress_vec(&zeros, &mut chunk, FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), 1 << 20);
    let mut fin = Vec::with_capacity(64);
    let mut c2 = Compress::new(Compression::best(), false);
    c2.compress_vec(&[], &mut fin, FlushCompress::Finish)
        .unwrap();
    let mut out = Vec::with_capacity(chunk.len() * mib + fin.len());
    for _ in 0..mib {
        out.extend_from_slice(&chunk);
    }
    out.extend_from_slice(&fin);
    out
}

/// A one-entry ZIP written by hand, declaring `declared` uncompressed bytes.
pub fn lying_zip(name: &str, deflated: &[u8], declared: u32) -> Vec<u8> {
    let mut z = Vec::new();
    let n = name.as_bytes();
    let header = |sig: u32, central: bool, z: &mut Vec<u8>| {
        z.extend_from_slice(&sig.to_le_bytes());
        if central {
            z.extend_from_slice(&20u16.to_le_bytes()); // made by
        }
        z.extend_from_slice(&20u16.to_le_bytes()); // version needed
        z.extend_from_slice(&0u16.to_le_bytes()); // flags
        z.extend_from_slice(&8u16.to_le_bytes()); // deflate
        z.extend_from_slice(&0u32.to_le_bytes()); // time, date
        z.extend_from_slice(&0u32.to_le_bytes()); // crc (wrong on purpose)
        z.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&(n.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes()); // extra
        if central {
            z.extend_from_slice(&[0u8; 6]); // comment len, disk, int attr
            z.extend_from_slice(&0u32.to_le_bytes()); // ext attr
            z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        }
        z.extend_from_slice(n);
    };
    header(0x04034b50, false, &mut z);
    z.extend_from_slice(deflated);
    let cd_start = z.len();
    header(0x02014b50, true, &mut z);
    let cd_len = z.len() - cd_start;
    z.extend_from_slice(&0x06054b50u32.to_le_bytes());
    z.extend_from_slice(&[0u8; 4]);
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&(cd_len as u32).to_le_bytes());
    z.extend_from_slice(&(cd_start as u32).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

#[test]
fn zip_bomb_declaring_small_size_is_refused() {
    let t = Instant::now();
    let stream = zeros_deflate(300); // 300 MiB of zeros in ~300 KB
    assert!(stream.len() < 2 << 20, "{}", stream.len());
    let bomb = lying_zip("word/document.xml", &stream, 1000);
    let err = read_docx(&bomb).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
    // Small limits: the same bomb fails fast, as TooLarge, for EPUB too.
    let small = Limits {
        max_part: 1 << 20,
        max_total: 2 << 20,
        ..Limits::default()
    };
    let bomb = lying_zip("word/document.xml", &zeros_deflate(8), 1000);
    let err = read_docx_with(&bomb, small).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
    let bomb = lying_zip("META-INF/container.xml", &zeros_deflate(8), 1000);
    assert!(matches!(
        read_epub_with(&bomb, small),
        Err(ReadError::TooLarge(_))
    ));
    // Declared just under the part limit, inflating past it.
    let bomb = lying_zip("word/document.xml", &zeros_deflate(8), (1 << 20) - 10);
    let err = read_docx_with(&bomb, small).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
}

#[test]
fn zip_bomb_declaring_its_size_is_refused_before_inflating() {
    let stream = zeros_deflate(300);
    let bomb = lying_zip("word/document.xml", &stream, 300 << 20);
    let t = Instant::now();
    let err = read_docx(&bomb).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
    assert!(t.elapsed().as_millis() < 1000);
}

#[test]
fn total_size_and_entry_count_limits() {
    let limits = Limits {
        max_part: 1 << 20,
        max_total: 1 << 20,
        ..Limits::default()
    };
    let big = "x".repeat(700 << 10);
    let doc = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{big}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip_bytes(&[
        ("word/document.xml", &doc),
        (
            "word/styles.xml",
            &format!("<w:styles><!--{big}--></w:styles>"),
        ),
    ]);
    let err = read_docx_with(&bytes, limits).unwrap_err();
    assert!(
        matches!(err, ReadError::TooLarge(ref s) if s.contains("in total")),
        "{err}"
    );

    let names: Vec<String> = (0..50).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    let many = zip_bytes(&entries);
    let err = read_epub_with(
        &many,
        Limits {
            max_entries: 40,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, ReadError::TooLarge(ref s) if s.contains("entries")),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Robustness: truncated and corrupted inputs never panic.

/// A tiny deterministic PRNG (xorshift) so the test needs no dependency.
fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn corrupted_inputs_do_not_panic() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for name in [
        "kompasiana_post.html",
        "wordpress_post.html",
        "journal_article.html",
    ] {
        let html = fixture(name);
        for cut in (0..html.len()).step_by(97) {
            if html.is_char_boundary(cut) {
                let _ = read_html(&html[..cut]);
            }
        }
        for _ in 0..50 {
            let mut b = html.clone().into_bytes();
            for _ in 0..20 {
                let i = rng(&mut seed) as usize % b.len();
                b[i] = b"<>/\"'&;#x !-a\n"[rng(&mut seed) as usize % 14];
            }
            let _ = read_html(&String::from_utf8_lossy(&b));
        }
    }
    let docx = sample_docx();
    let epub = zip_bytes(&[
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", OPF3),
        ("OEBPS/nav.xhtml", NAV),
        ("OEBPS/text/bab1.xhtml", CH1),
        ("OEBPS/text/bab 2.xhtml", CH2),
    ]);
    for bytes in [&docx, &epub] {
        for cut in (0..bytes.len()).step_by(13) {
            let _ = read_docx(&bytes[..cut]);
            let _ = read_epub(&bytes[..cut]);
        }
        for _ in 0..300 {
            let mut b = bytes.clone();
            for _ in 0..1 + rng(&mut seed) % 4 {
                let i = rng(&mut seed) as usize % b.len();
                b[i] = rng(&mut seed) as u8;
            }
            let _ = read_docx(&b);
            let _ = read_epub(&b);
        }
    }
    // Stored (uncompressed) parts with mangled XML reach the XML parsers.
    let stored = |entries: &[(&str, &str)]| {
        use zip::write::SimpleFileOptions;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (n, body) in entries {
            let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            w.start_file(*n, o).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    for _ in 0..200 {
        let mut doc = DOCUMENT.as_bytes().to_vec();
        let mut opf = OPF3.as_bytes().to_vec();
        for _ in 0..5 {
            let i = rng(&mut seed) as usize % doc.len();
            doc[i] = b"<>/\"&;:= w"[rng(&mut seed) as usize % 10];
            let i = rng(&mut seed) as usize % opf.len();
            opf[i] = b"<>/\"&;:= w"[rng(&mut seed) as usize % 10];
        }
        let doc = String::from_utf8_lossy(&doc);
        let opf = String::from_utf8_lossy(&opf);
        let _ = read_docx(&stored(&[
            ("word/document.xml", &doc),
            ("word/styles.xml", STYLES_ID),
        ]));
        let _ = read_epub(&stored(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", &opf),
            ("OEBPS/nav.xhtml", NAV),
            ("OEBPS/text/bab1.xhtml", CH1),
        ]));
    }
}
