//! The embedded root lexicon: hunspell-id roots, the curated supplement, the
//! closed compounds and the menge- list, loaded once into hash sets.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// Roots extracted from Debian's hunspell-id by `scripts/extract-id-roots.sh`.
const ROOTS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/id-roots.txt"));
/// Hand-curated supplement (place names, common roots hunspell lacks).
const EXTRA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/id-roots-extra.txt"
));
/// Roots that take the monosyllabic allomorph menge-/penge- (from hunspell flags).
const MENGE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/id-roots-menge.txt"
));
/// Roots that carry at least one hunspell affix flag (roots that take affixes).
const AFFIXED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/id-roots-affixed.txt"
));
/// Closed compounds written open or closed ("kerja sama" / "kerjasama").
const COMPOUNDS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/id-compounds.txt"
));

/// A small, fast, non-cryptographic hasher (FxHash) for short ASCII keys.
/// The sets are built from embedded data, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxSet = HashSet<&'static str, BuildHasherDefault<FxHasher>>;
pub(crate) type FxMap<V> = HashMap<&'static str, V, BuildHasherDefault<FxHasher>>;

/// Bit for an affix class letter of `id-roots-affixed.txt`.
pub(crate) fn class_bit(c: u8) -> u16 {
    match c {
        b'b' => 1,
        b'd' => 1 << 1,
        b'k' => 1 << 2,
        b'm' => 1 << 3,
        b'p' => 1 << 4,
        b'r' => 1 << 5,
        b's' => 1 << 6,
        b't' => 1 << 7,
        b'o' => 1 << 8,
        b'A' => 1 << 9,
        b'I' => 1 << 10,
        b'K' => 1 << 11,
        _ => 0,
    }
}

/// Every class: for supplement roots, whose affixes are not recorded.
pub(crate) const ALL_CLASSES: u16 = (1 << 12) - 1;

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A closed compound: its two parts and the canonical closed token.
pub(crate) struct Compound {
    pub first: &'static str,
    pub second: &'static str,
    pub joined: &'static str,
}

pub(crate) struct Lexicon {
    pub roots: FxSet,
    pub menge: FxSet,
    /// Affix classes (bit set) of the roots that take affixes.
    pub affixed: FxMap<u16>,
    pub compounds: Vec<Compound>,
    pub hunspell_count: usize,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut roots = FxSet::default();
    roots.reserve(32_000);
    let mut hunspell_count = 0;
    for w in lines(ROOTS) {
        hunspell_count += 1;
        roots.insert(w);
    }
    roots.extend(lines(EXTRA));
    let menge: FxSet = lines(MENGE).collect();
    let mut affixed: FxMap<u16> = lines(AFFIXED)
        .filter_map(|l| {
            let (w, c) = l.split_once('\t')?;
            Some((w, c.bytes().fold(0u16, |m, b| m | class_bit(b))))
        })
        .collect();
    affixed.extend(lines(EXTRA).map(|w| (w, ALL_CLASSES)));
    let compounds: Vec<Compound> = lines(COMPOUNDS)
        .filter_map(|l| {
            let (a, b) = l.split_once(' ')?;
            let joined: &'static str = Box::leak(format!("{a}{b}").into_boxed_str());
            Some(Compound {
                first: a,
                second: b.trim(),
                joined,
            })
        })
        .collect();
    for c in &compounds {
        roots.insert(c.joined);
        affixed.insert(c.joined, ALL_CLASSES);
    }
    Lexicon {
        roots,
        menge,
        affixed,
        compounds,
        hunspell_count,
    }
});

/// The hunspell-id version recorded in the header of `data/id-roots.txt`.
pub(crate) fn hunspell_version() -> &'static str {
    ROOTS
        .lines()
        .next()
        .and_then(|l| l.split("hunspell-id ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("unknown")
}

/// Looks a word up in the root set, returning the lexicon's own static copy.
#[inline]
pub(crate) fn root(word: &str) -> Option<&'static str> {
    LEXICON.roots.get(word).copied()
}

#[inline]
pub(crate) fn takes_menge(word: &str) -> bool {
    LEXICON.menge.contains(word)
}

/// The affix classes hunspell records for a root (`None`: it takes none).
#[inline]
pub(crate) fn affix_classes(word: &str) -> Option<u16> {
    LEXICON.affixed.get(word).copied()
}

/// If `a` and `b` are the two parts of a listed closed compound, its closed form.
pub(crate) fn compound(a: &str, b: &str) -> Option<&'static str> {
    LEXICON
        .compounds
        .iter()
        .find(|c| c.first == a && c.second == b)
        .map(|c| c.joined)
}

/// If `joined` is a listed closed compound, its two parts.
pub(crate) fn compound_parts(joined: &str) -> Option<(&'static str, &'static str)> {
    LEXICON
        .compounds
        .iter()
        .find(|c| c.joined == joined)
        .map(|c| (c.first, c.second))
}
