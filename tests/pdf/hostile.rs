//! Hostile and broken inputs: every read ends, quickly, with a result.

use super::fixtures::*;
// In kutip: `use kutip::ingest::pdf::{…};`
use kutip::ingest::pdf::{MAX_BYTES, MAX_OBJECTS, PdfError, PdfText, read_pdf};
use std::time::{Duration, Instant};

fn bounded(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let t = Instant::now();
    let r = read_pdf(bytes);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "took {:?}",
        t.elapsed()
    );
    r
}

fn page_with(content_ref: &str, extra: &str) -> String {
    format!(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_ref} {HELV_RES} {extra} >>"
    )
}

#[test]
fn page_tree_cycle() {
    let page = page_with("4 0 R", "");
    let content = text_stream("BT /F1 12 Tf 72 700 Td (Halo dunia) Tj ET");
    let pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
            &page,
            &content,
        ],
        "",
    );
    let doc = bounded(&pdf).unwrap();
    assert_eq!(doc.pages.len(), 1);
    assert_eq!(doc.pages[0].text, "Halo dunia");
}

#[test]
fn form_that_draws_itself() {
    let page = "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject << /X 5 0 R >> >> >>".to_string();
    let content = text_stream("/X Do");
    let form_ops = "BT /F1 12 Tf 72 700 Td (loop) Tj ET /X Do /X Do";
    let form = format!(
        "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> /XObject << /X 5 0 R >> >> /Length {} >>\nstream\n{form_ops}\nendstream",
        form_ops.len()
    );
    let pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            &page,
            &content,
            &form,
        ],
        "",
    );
    let doc = bounded(&pdf).unwrap();
    assert_eq!(doc.pages[0].text, "loop");
}

#[test]
fn reference_cycles_and_absurd_numbers() {
    let page = page_with("5 0 R", "/Rotate 6 0 R");
    let pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R /PageLabels 4 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>",
            &page,
            "<< /Kids [4 0 R 4 0 R] /Nums [0 << /S /D /St 99999999999999999999 >>] >>",
            "6 0 R",
            "5 0 R",
        ],
        "/Info 7 0 R",
    );
    // The content is a reference cycle, so the page has no text: the document has none.
    assert!(matches!(
        bounded(&pdf),
        Err(PdfError::ImageOnly) | Err(PdfError::Damaged(_))
    ));
}

#[test]
fn deep_nesting_and_garbage_in_content() {
    let mut ops = String::from("BT /F1 12 Tf 72 700 Td (ok) Tj ET ");
    ops.push_str(&"[".repeat(50_000));
    ops.push_str(&"<<".repeat(50_000));
    ops.push_str(" (unclosed ");
    let page = page_with("4 0 R", "");
    let content = text_stream(&ops);
    let pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            &page,
            &content,
        ],
        "/Size 2000000000",
    );
    let doc = bounded(&pdf).unwrap();
    assert_eq!(doc.pages[0].text, "ok");
}

#[test]
fn oversized_inputs_are_refused() {
    let big = vec![b' '; MAX_BYTES + 1];
    assert_eq!(read_pdf(&big), Err(PdfError::TooLarge));
    let mut many = b"%PDF-1.7\n".to_vec();
    for _ in 0..MAX_OBJECTS / 4 + 1 {
        many.extend_from_slice(b"1 0 obj 2 0 obj 3 0 obj 4 0 obj\n");
    }
    assert_eq!(read_pdf(&many), Err(PdfError::TooLarge));
}

#[test]
fn decompression_bomb_is_refused_or_skipped() {
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;
    let mut e = ZlibEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..80 {
        e.write_all(&zeros).unwrap(); // 80 MiB of spaces, over the 64 MiB stream limit
    }
    let data = e.finish().unwrap();
    let mut pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            &page_with("4 0 R", ""),
        ],
        "",
    );
    // Append the bomb as object 4 with a fresh xref section (incremental update).
    let off = pdf.len();
    pdf.extend_from_slice(
        format!(
            "4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&data);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let prev = String::from_utf8_lossy(&pdf).rfind("startxref").unwrap();
    let prev_xref: usize = String::from_utf8_lossy(&pdf[prev + 10..])
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let x = pdf.len();
    pdf.extend_from_slice(format!("xref\n4 1\n{off:010} 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev {prev_xref} >>\nstartxref\n{x}\n%%EOF\n").as_bytes());
    assert!(matches!(
        bounded(&pdf),
        Err(PdfError::TooLarge) | Err(PdfError::ImageOnly)
    ));
}

#[test]
fn mutated_files_never_hang_or_panic() {
    let base = build(&article());
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // PDF_FUZZ_ITERS=100000 for a longer local run.
    let iters: usize = std::env::var("PDF_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let bases = [base, build(&two_column()), build(&cid_doc())];
    for n in 0..iters {
        let mut b = bases[n % bases.len()].clone();
        for _ in 0..(1 + next() % 8) {
            let i = (next() as usize) % b.len();
            match next() % 4 {
                0 => b[i] = next() as u8,
                1 => b.truncate(i.max(10)),
                2 => {
                    let j = (i + (next() as usize) % 200).min(b.len());
                    let chunk = b[i..j].to_vec();
                    b.splice(i..i, chunk);
                }
                _ => {
                    let j = (i + (next() as usize) % 50).min(b.len());
                    b.drain(i..j);
                }
            }
            if b.len() < 10 {
                break;
            }
        }
        let _ = bounded(&b);
    }
}

#[test]
fn huge_pages_stay_fast() {
    // 200,000 characters on one baseline, then 20,000 one-character lines.
    let mut ops = String::from("BT /F1 1 Tf 0 700 Td (");
    ops.push_str(&"ab-".repeat(70_000));
    ops.push_str(") Tj ET\n");
    for i in 0..20_000 {
        ops.push_str(&format!(
            "BT /F1 10 Tf {} {} Td (x-) Tj ET\n",
            (i * 7) % 500,
            800 - (i % 780)
        ));
    }
    let page = page_with("4 0 R", "");
    let content = text_stream(&ops);
    let pdf = raw_pdf(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            &page,
            &content,
        ],
        "",
    );
    let doc = bounded(&pdf).unwrap();
    assert!(doc.pages[0].text.len() > 100_000);
}
