//! Lexicon-guided Indonesian stemmer for kutip's analysis chain: one token in,
//! one stem out, no index dependency.
//!
//! The stemmer reads a word as `[ku-|kau-] [prefix ≤3] ROOT [-i|-kan|-an]
//! [-ku|-mu|-nya] [-lah|-kah|-tah|-pun]`, with every nasal allomorph of
//! `meN-`/`peN-` and its swallowed consonant (`menulis` → tulis, `mengirim` →
//! kirim, `menyapu` → sapu, `memukul` → pukul), stacked prefixes (`memper-`,
//! `diper-`, `keber-`, `kepe-`, ...), confix constraints, and prefix copy
//! (`dedaunan` → daun). Among the cuts whose root is in the embedded lexicon
//! (hunspell-id plus a small supplement) it keeps the one that strips the
//! least derivational material, then the one with the fewest sound changes.
//! A word that is itself a root is never stripped (`sekolah`, `masalah`,
//! `menteri`, `terapi`, `selatan`). Words with no lexicon analysis get a
//! conservative rule-based stem ([`morph::fallback`]).
//!
//! Hyphenated tokens are stemmed as one unit (`kota-kota` → kota,
//! `bermacam-macam` → macam, `sayur-mayur` → sayur), so **the tokenizer must
//! keep hyphenated words together**. Closed compounds written open or closed
//! map to one token (`kerja sama`, `kerjasama`, `bekerjasama`,
//! `kerjasamanya` → kerjasama); see [`join_compound`].

pub(crate) mod fx;
pub(crate) use fx::fx as fx_hash;
mod lexicon;
pub mod morph;
mod normalize;

use std::borrow::Cow;

pub use morph::{Analysis, Prefix, Suffix, analyse};
pub use normalize::normalize;

/// Which lexicon the stemmer was built with; an index records it so that a
/// change of lexicon (which changes stems) can trigger a re-index.
pub const LEXICON_VERSION: &str = "hunspell-id 1:7.5.0-1, 30940 roots; idstem-extra 1";

/// Stems one token (a word, a hyphenated word, or an open compound such as
/// `"kerja sama"`). The input is normalised first (see [`normalize`]).
///
/// ```
/// assert_eq!(kutip::analysis::indonesian::stem("Menulis"), "tulis");
/// assert_eq!(kutip::analysis::indonesian::stem("kota-kotanya"), "kota");
/// assert_eq!(kutip::analysis::indonesian::stem("bekerjasama"), "kerjasama");
/// ```
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// Like [`stem`], but writes into `out` (cleared first), so a token filter can
/// reuse one buffer and stem without allocating.
pub fn stem_into(word: &str, out: &mut String) {
    out.clear();
    let norm = normalize(word);
    let w: &str = &norm;
    if w.contains(' ') {
        stem_phrase(w, out);
    } else if w.contains('-') {
        stem_hyphenated(w, out);
    } else {
        out.push_str(&stem_plain(w));
    }
}

/// Is `word` (after normalisation) a root of the embedded lexicon?
pub fn is_root(word: &str) -> bool {
    lexicon::root(&normalize(word)).is_some()
}

/// If two adjacent stems form a closed compound written open (`kerja` +
/// `sama`), the closed form's stem (`kerjasama`). A token filter calls it on
/// each pair of adjacent stems and, on a match, emits the compound at the
/// first token's position (keeping the two parts too), so that `kerja sama`,
/// `bekerja sama` and `kerjasama` all index `kerjasama`.
pub fn join_compound(first_stem: &str, second_stem: &str) -> Option<&'static str> {
    lexicon::compound(first_stem, second_stem)
}

/// The two parts of a closed compound stem (`kerjasama` → `kerja`, `sama`),
/// so that a text writing it closed still matches a query writing it open.
pub fn split_compound(joined_stem: &str) -> Option<(&'static str, &'static str)> {
    lexicon::compound_parts(joined_stem)
}

/// Number of roots in the embedded lexicon (hunspell part, total).
pub fn lexicon_size() -> (usize, usize) {
    lexicon::size()
}

/// hunspell-id version read from the header of the embedded list.
pub fn hunspell_version() -> &'static str {
    lexicon::hunspell_version()
}

/// Stem of a plain word (no hyphen, no space), already normalised.
fn stem_plain(w: &str) -> Cow<'_, str> {
    if !w.bytes().all(|c| c.is_ascii_lowercase()) || w.len() < 3 {
        return Cow::Borrowed(w);
    }
    if let Some(r) = lexicon::root(w) {
        return Cow::Borrowed(reduce_root(r));
    }
    match analyse(w) {
        Some(a) => Cow::Borrowed(reduce_root(a.root)),
        None => morph::fallback(w),
    }
}

/// A few lexicon entries are themselves transparent derivatives whose affix
/// cannot be mistaken for part of a root, so they are reduced even though
/// hunspell lists them:
/// * `bel-`/`pel-`, the allomorphs of ber-/per- that occur only before
///   `ajar` and `unjur` (`belajar`, `pelajar` -> ajar);
/// * prefix copy with `-an` (`dedaunan` -> daun, `pepohonan` -> pohon);
/// * prefix copy of a root whose reduplication is lexicalised
///   (`lelaki` ~ `laki-laki`).
fn reduce_root(r: &'static str) -> &'static str {
    for (pre, base) in [("bel", "ajar"), ("pel", "ajar"), ("bel", "unjur")] {
        if r.len() == pre.len() + base.len() && r.starts_with(pre) && r.ends_with(base) {
            return lexicon::root(base).unwrap_or(r);
        }
    }
    let b = r.as_bytes();
    if b.len() >= 8
        && b[1] == b'e'
        && b[0] == b[2]
        && r.ends_with("an")
        && !is_vowel(b[0])
        && let Some(x) = lexicon::root(&r[2..r.len() - 2])
        && x.len() >= 4
    {
        return x;
    }
    prefix_copy_of_reduplication(r).unwrap_or(r)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// A root of the shape C+e+X whose X is lexicalised as the reduplication
/// `X-X` is a prefix-copy form of it: `lelaki` ~ `laki-laki`, `tetua` ~
/// `tua-tua`, `rerata` ~ `rata-rata`, `sesama` ~ `sama-sama`.
fn prefix_copy_of_reduplication(r: &str) -> Option<&'static str> {
    let b = r.as_bytes();
    if b.len() < 5 || b[1] != b'e' || b[0] != b[2] || is_vowel(b[0]) {
        return None;
    }
    let base = &r[2..];
    let mut buf = [0u8; 64];
    let n = base.len();
    if 2 * n + 1 > buf.len() {
        return None;
    }
    buf[..n].copy_from_slice(base.as_bytes());
    buf[n] = b'-';
    buf[n + 1..=2 * n].copy_from_slice(base.as_bytes());
    let redup = std::str::from_utf8(&buf[..=2 * n]).ok()?;
    lexicon::root(redup)?;
    lexicon::root(base)
}

/// Prefixes that may stand before a hyphen: `se-Indonesia`, `ke-20`, `di-update`.
const HYPHEN_PREFIXES: [&str; 10] = [
    "se", "ke", "di", "ber", "ter", "per", "pe", "me", "ku", "kau",
];

fn stem_hyphenated(w: &str, out: &mut String) {
    let parts: Vec<&str> = w.split('-').filter(|p| !p.is_empty()).collect();
    match parts.len() {
        0 => return,
        1 => {
            out.push_str(&stem_plain(parts[0]));
            return;
        }
        _ => {}
    }
    if parts.len() == 2 {
        let (a, b) = (parts[0], parts[1]);
        if HYPHEN_PREFIXES.contains(&a) && !b.starts_with(a) {
            out.push_str(&stem_plain(b));
            return;
        }
        // an affixed first half that ends with the second: bermacam-macam,
        // menari-nari (the copy keeps the nasal), mengada-ada
        if b.len() >= 3 && a.len() > b.len() && a.ends_with(b) {
            out.push_str(&stem_plain(a));
            return;
        }
    }
    let stems: Vec<Cow<'_, str>> = parts.iter().map(|p| stem_plain(p)).collect();
    if parts.len() == 2
        && let Some(c) = join_compound(&stems[0], &stems[1])
    {
        out.push_str(c);
        return;
    }
    if stems.iter().all(|s| *s == stems[0]) {
        out.push_str(&stems[0]);
        return;
    }
    if parts.len() == 2 {
        let (a, b) = (&*stems[0], &*stems[1]);
        // infixed copy: tali-temali, turun-temurun, gilang-gemilang
        // (Sliced with `get`: a word that is not ASCII may have no
        // character boundary where an Indonesian infix would be.)
        if b.len() == a.len() + 2
            && b.as_bytes().first() == a.as_bytes().first()
            && matches!(b.get(1..3), Some("em" | "el" | "er"))
            && b.get(3..).is_some_and(|rest| Some(rest) == a.get(1..))
        {
            out.push_str(a);
            return;
        }
        // rhyming or sound-change reduplication (sayur-mayur, lauk-pauk,
        // bolak-balik): the half that is a root, preferring one that takes
        // affixes; the first when both qualify alike.
        let rank = |s: &str| {
            u8::from(lexicon::root(s).is_some()) + u8::from(lexicon::affix_classes(s).is_some())
        };
        if rank(b) > rank(a) {
            out.push_str(b);
            return;
        }
    }
    out.push_str(&stems[0]);
}

fn stem_phrase(w: &str, out: &mut String) {
    let parts: Vec<&str> = w.split(' ').collect();
    let mut stems: Vec<String> = parts.iter().map(|p| stem(p)).collect();
    if stems.len() == 2
        && let Some(c) = join_compound(&stems[0], &stems[1])
    {
        out.push_str(c);
        return;
    }
    for (i, s) in stems.iter_mut().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests;
