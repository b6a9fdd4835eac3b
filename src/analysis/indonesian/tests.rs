//! Unit tests, one group per morphological rule.

use super::*;

fn check(pairs: &[(&str, &str)]) {
    let bad: Vec<String> = pairs
        .iter()
        .filter(|(w, r)| stem(w) != *r)
        .map(|(w, r)| format!("{w}: got {}, want {r}", stem(w)))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn lexicon_version_matches_data() {
    let (hunspell, total) = lexicon_size();
    assert!(
        LEXICON_VERSION.contains(hunspell_version()),
        "{LEXICON_VERSION} vs {}",
        hunspell_version()
    );
    assert!(
        LEXICON_VERSION.contains(&format!("{hunspell} roots")),
        "{LEXICON_VERSION} vs {hunspell}"
    );
    assert!(total > hunspell);
}

#[test]
fn is_root_normalises() {
    assert!(is_root("Sekolah"));
    assert!(is_root("kerjasama"));
    assert!(!is_root("menulis"));
}

#[test]
fn particles() {
    check(&[
        ("bacalah", "baca"),
        ("apakah", "apa"),
        ("bukankah", "bukan"),
        ("akupun", "aku"),
        ("itulah", "itu"),
    ]);
}

#[test]
fn possessives() {
    check(&[
        ("rumahku", "rumah"),
        ("namamu", "nama"),
        ("bukunya", "buku"),
        ("kotanyalah", "kota"),
    ]);
}

#[test]
fn proclitics() {
    check(&[
        ("kuambil", "ambil"),
        ("kaubaca", "baca"),
        ("kuberikan", "beri"),
        ("kaulihat", "lihat"),
    ]);
}

#[test]
fn derivational_suffixes() {
    check(&[
        ("makanan", "makan"),
        ("datangi", "datang"),
        ("ambilkan", "ambil"),
        ("berikan", "beri"),
        ("masukan", "masuk"),
    ]);
}

#[test]
fn plain_prefixes() {
    check(&[
        ("dibaca", "baca"),
        ("kekasih", "kasih"),
        ("sebuah", "buah"),
        ("terbaca", "baca"),
        ("terasa", "rasa"),
        ("bermain", "main"),
        ("berubah", "ubah"),
        ("bekerja", "kerja"),
        ("beternak", "ternak"),
        ("belajar", "ajar"),
        ("perluas", "luas"),
        ("petani", "tani"),
        ("pedagang", "dagang"),
    ]);
}

#[test]
fn nasal_prefixes_restore_the_consonant() {
    check(&[
        ("menulis", "tulis"),
        ("penulis", "tulis"),
        ("mengirim", "kirim"),
        ("pengirim", "kirim"),
        ("menyapu", "sapu"),
        ("penyapu", "sapu"),
        ("memukul", "pukul"),
        ("pemukul", "pukul"),
        ("membaca", "baca"),
        ("mencari", "cari"),
        ("mengambil", "ambil"),
        ("melihat", "lihat"),
        ("menyanyi", "nyanyi"),
        ("penyair", "syair"),
        ("memproduksi", "produksi"),
        ("mengkritik", "kritik"),
        ("mengebom", "bom"),
        ("pengecatan", "cat"),
    ]);
}

#[test]
fn non_standard_nasal_spellings() {
    check(&[
        ("mempengaruhi", "pengaruh"),
        ("mengkomunikasikan", "komunikasi"),
        ("mengomunikasikan", "komunikasi"),
    ]);
}

#[test]
fn stacked_prefixes() {
    check(&[
        ("memperbaiki", "baik"),
        ("diperluas", "luas"),
        ("memberdayakan", "daya"),
        ("pemberdayaan", "daya"),
        ("keberhasilan", "hasil"),
        ("kepemimpinan", "pimpin"),
        ("pengetahuan", "tahu"),
        ("diketahui", "tahu"),
        ("berkelanjutan", "lanjut"),
    ]);
}

#[test]
fn confixes() {
    check(&[
        ("berdatangan", "datang"),
        ("keadaan", "ada"),
        ("pembangunan", "bangun"),
        ("perjalanan", "jalan"),
        ("sebaiknya", "baik"),
        ("kementerian", "menteri"),
        ("pemerintahan", "perintah"),
    ]);
}

#[test]
fn confix_constraints() {
    // me-…-an is not an Indonesian confix: memesan is meN+pesan, not me+mes+an
    assert_eq!(stem("memesan"), "pesan");
    let a = analyse("memesan").unwrap();
    assert_eq!((a.root, a.suffix), ("pesan", Suffix::None));
    // di-…-an neither: dimakan is di+makan
    assert_eq!(analyse("dimakan").unwrap().suffix, Suffix::None);
}

#[test]
fn roots_are_never_stripped() {
    for w in [
        "sekolah",
        "masalah",
        "nilai",
        "pantai",
        "menteri",
        "diskusi",
        "diplomasi",
        "terapi",
        "pemilu",
        "perintah",
        "beranda",
        "selatan",
        "berita",
        "kemudian",
        "mereka",
    ] {
        assert_eq!(stem(w), w);
    }
}

#[test]
fn look_alike_roots_lose() {
    check(&[
        ("mengelas", "las"),
        ("mengeras", "keras"),
        ("memesan", "pesan"),
        ("berdiskusi", "diskusi"),
        ("memasak", "masak"),
        ("kebersihan", "bersih"),
        ("kekerasan", "keras"),
        ("pengawasan", "awas"),
        ("mengunjungi", "kunjung"),
        ("menikah", "nikah"),
    ]);
}

#[test]
fn reduplication_full_and_affixed() {
    check(&[
        ("kota-kota", "kota"),
        ("negara-negaranya", "negara"),
        ("bermacam-macam", "macam"),
        ("berbeda-beda", "beda"),
        ("sebesar-besarnya", "besar"),
        ("kemerah-merahan", "merah"),
        ("menari-nari", "tari"),
        ("tolong-menolong", "tolong"),
        ("surat-menyurat", "surat"),
        ("buah-buahan", "buah"),
        ("dibesar-besarkan", "besar"),
    ]);
}

#[test]
fn reduplication_rhyming_and_infixed() {
    check(&[
        ("sayur-mayur", "sayur"),
        ("lauk-pauk", "lauk"),
        ("bolak-balik", "balik"),
        ("turun-temurun", "turun"),
        ("tali-temali", "tali"),
    ]);
}

#[test]
fn prefix_copy() {
    check(&[
        ("dedaunan", "daun"),
        ("peperangan", "perang"),
        ("lelaki", "laki"),
        ("tetamu", "tamu"),
        ("pepohonan", "pohon"),
    ]);
}

#[test]
fn hyphenated_prefix() {
    check(&[("se-Indonesia", "indonesia"), ("di-update", "update")]);
}

#[test]
fn closed_compounds() {
    for w in [
        "kerjasama",
        "kerja sama",
        "kerja-sama",
        "bekerja sama",
        "bekerjasama",
        "kerjasamanya",
        "Kerja  Sama",
    ] {
        assert_eq!(stem(w), "kerjasama", "{w}");
    }
    assert_eq!(join_compound("kerja", "sama"), Some("kerjasama"));
    assert_eq!(join_compound(&stem("bekerja"), "sama"), Some("kerjasama"));
    assert_eq!(join_compound("kerja", "keras"), None);
    // Every listed compound passes the sieve that turns other words away.
    for c in lexicon::COMPOUNDS {
        assert_eq!(join_compound(c.first, c.second), Some(c.joined));
        assert_eq!(split_compound(c.joined), Some((c.first, c.second)));
    }
    assert_eq!(split_compound("kerjakeras"), None);
    check(&[
        ("menandatangani", "tandatangan"),
        ("pertanggungjawaban", "tanggungjawab"),
    ]);
}

#[test]
fn out_of_lexicon_words() {
    use morph::fallback;
    assert_eq!(fallback("mendigitalisasikan"), "digitalisasi");
    assert_eq!(fallback("diupdate"), "update");
    assert_eq!(fallback("menyosialisasikan"), "sosialisasi");
    assert_eq!(fallback("hibridisasinya"), "hibridisasi");
    assert_eq!(fallback("berkolaborasiasi"), "kolaborasiasi");
    // never damaged: no bare ke-/se-/ter-/pe-, no -i, nothing below 4 letters
    for w in [
        "semarang",
        "terorisme",
        "globalisasi",
        "kebumen",
        "pesantren",
        "sekuritisasi",
        "dinya",
    ] {
        assert_eq!(fallback(w), w);
    }
}

#[test]
fn stem_into_reuses_buffer() {
    let mut buf = String::from("junk");
    stem_into("Pemerintahannya", &mut buf);
    assert_eq!(buf, "perintah");
    stem_into("x", &mut buf);
    assert_eq!(buf, "x");
}

#[test]
fn non_words_pass_through() {
    check(&[
        ("2024", "2024"),
        ("ke-20", "20"),
        ("jum'at", "jum'at"),
        ("café", "café"),
    ]);
}

/// Found by the property test of the in-place filters: a reduplicated word
/// whose halves are not ASCII was sliced inside a character (`ß`) and the
/// stemmer panicked, aborting the indexing of any document containing it.
#[test]
fn non_ascii_reduplication_is_not_sliced_inside_a_character() {
    assert_eq!(stem("ßa-ßßg"), "ßa");
    assert_eq!(stem("éa-éléa"), "éa");
}
