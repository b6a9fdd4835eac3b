//! What `build.rs` (which lays the root lexicon out as static hash tables at
//! compile time) and `lexicon.rs` (which looks words up in them) must agree
//! on bit for bit: the hash, the slot layout and the affix-class bits.
// Each side uses its half (packing slots, or reading them).
#![allow(dead_code)]

/// FxHash of a word: fast for short keys. The tables hold fixed data, so
/// hash flooding is not a concern.
pub fn fx(bytes: &[u8]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let add = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(SEED);
    let mut hash = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        hash = add(hash, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    let mut w = [0u8; 8];
    w[..rest.len()].copy_from_slice(rest);
    let hash = add(hash, u64::from_le_bytes(w) ^ bytes.len() as u64);
    // A product's low bits depend only on the factors' low bits (here a
    // short word's first two bytes): fold the well-mixed high half down, as
    // callers take the low bits.
    hash ^ (hash >> 32)
}

/// A word's bit in a 64-bit sieve of a few words: a word whose bit is not
/// set is not one of them, known without comparing it with each.
pub fn sieve_bit(word: &[u8]) -> u64 {
    let (first, last) = (word.first().copied(), word.last().copied());
    let mix = word.len() * 7 + usize::from(first.unwrap_or(0)) * 3 + usize::from(last.unwrap_or(0));
    1 << (mix % 64)
}

/// A slot of a table: the word's offset in the word blob (upper 24 bits)
/// and its length (lower 8 bits), or [`EMPTY`].
pub const EMPTY: u32 = u32::MAX;

/// The slot packing a word at `offset` of `len` bytes.
pub fn slot(offset: usize, len: usize) -> u32 {
    assert!(
        offset < 1 << 24 && len < 1 << 8,
        "lexicon word out of range"
    );
    ((offset as u32) << 8) | len as u32
}

/// The offset and length a slot packs.
pub fn unslot(s: u32) -> (usize, usize) {
    ((s >> 8) as usize, (s & 0xff) as usize)
}

/// Where the probe for a word starts in a table of `size` slots (a power of two).
pub fn start(word: &[u8], size: usize) -> usize {
    (fx(word) as usize) & (size - 1)
}

/// Bit for an affix class letter of `id-roots-affixed.txt`.
pub fn class_bit(c: u8) -> u16 {
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
pub const ALL_CLASSES: u16 = (1 << 12) - 1;
