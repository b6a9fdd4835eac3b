//! Lays the embedded Indonesian root lexicon (`data/id-*.txt`) and the English
//! word families (`data/en-families.txt`) out as static open-addressing hash
//! tables, so a process looks words up without first building hash sets
//! (which cost a `kutip search` a few milliseconds).

#[path = "src/analysis/indonesian/fx.rs"]
mod fx;

use std::collections::BTreeMap;
use std::fmt::Write;

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn read(name: &str) -> String {
    let path = format!("data/{name}");
    println!("cargo:rerun-if-changed={path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every word once in one blob, and its offset there.
#[derive(Default)]
struct Blob {
    text: String,
    at: BTreeMap<String, usize>,
}

impl Blob {
    fn slot(&mut self, word: &str) -> u32 {
        let offset = *self.at.entry(word.to_string()).or_insert_with(|| {
            let o = self.text.len();
            self.text.push_str(word);
            o
        });
        fx::slot(offset, word.len())
    }
}

/// A table of `entries` at most half full, with linear probing; the values
/// sit in a parallel array.
fn table(name: &str, entries: &BTreeMap<&str, u16>, blob: &mut Blob, out: &mut String) {
    let size = (entries.len() * 2).next_power_of_two().max(16);
    let mut slots = vec![fx::EMPTY; size];
    let mut values = vec![0u16; size];
    for (word, value) in entries {
        let mut i = fx::start(word.as_bytes(), size);
        while slots[i] != fx::EMPTY {
            i = (i + 1) & (size - 1);
        }
        slots[i] = blob.slot(word);
        values[i] = *value;
    }
    writeln!(out, "pub(crate) static {name}: Table = Table {{").unwrap();
    writeln!(out, "    slots: &{slots:?},").unwrap();
    writeln!(out, "    values: &{values:?},").unwrap();
    writeln!(out, "}};").unwrap();
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/analysis/indonesian/fx.rs");
    let (roots_txt, extra, menge_txt, affixed_txt, compounds_txt) = (
        read("id-roots.txt"),
        read("id-roots-extra.txt"),
        read("id-roots-menge.txt"),
        read("id-roots-affixed.txt"),
        read("id-compounds.txt"),
    );
    let hunspell_count = lines(&roots_txt).count();
    let hunspell_version = roots_txt
        .lines()
        .next()
        .and_then(|l| l.split("hunspell-id ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("unknown");
    let compounds: Vec<(&str, &str, String)> = lines(&compounds_txt)
        .filter_map(|l| {
            let (a, b) = l.split_once(' ')?;
            Some((a, b.trim(), format!("{a}{}", b.trim())))
        })
        .collect();

    let mut roots: BTreeMap<&str, u16> = lines(&roots_txt).map(|w| (w, 0)).collect();
    roots.extend(lines(&extra).map(|w| (w, 0)));
    let menge: BTreeMap<&str, u16> = lines(&menge_txt).map(|w| (w, 0)).collect();
    let mut affixed: BTreeMap<&str, u16> = lines(&affixed_txt)
        .filter_map(|l| {
            let (w, c) = l.split_once('\t')?;
            Some((w, c.bytes().fold(0u16, |m, b| m | fx::class_bit(b))))
        })
        .collect();
    affixed.extend(lines(&extra).map(|w| (w, fx::ALL_CLASSES)));
    for (_, _, joined) in &compounds {
        roots.insert(joined, 0);
        affixed.insert(joined, fx::ALL_CLASSES);
    }

    let mut blob = Blob::default();
    let mut out = String::new();
    table("ROOTS", &roots, &mut blob, &mut out);
    table("MENGE", &menge, &mut blob, &mut out);
    table("AFFIXED", &affixed, &mut blob, &mut out);
    writeln!(out, "pub(crate) static WORDS: &str = {:?};", blob.text).unwrap();
    writeln!(
        out,
        "pub(crate) const HUNSPELL_COUNT: usize = {hunspell_count};"
    )
    .unwrap();
    writeln!(
        out,
        "pub(crate) const HUNSPELL_VERSION: &str = {hunspell_version:?};"
    )
    .unwrap();
    writeln!(out, "pub(crate) const ROOT_COUNT: usize = {};", roots.len()).unwrap();
    writeln!(out, "pub(crate) static COMPOUNDS: &[Compound] = &[").unwrap();
    for (a, b, joined) in &compounds {
        writeln!(
            out,
            "    Compound {{ first: {a:?}, second: {b:?}, joined: {joined:?} }},"
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    let mask = |words: &mut dyn Iterator<Item = &str>| {
        words.fold(0u64, |m, w| m | fx::sieve_bit(w.as_bytes()))
    };
    writeln!(
        out,
        "pub(crate) const COMPOUND_FIRSTS: u64 = {:#x};",
        mask(&mut compounds.iter().map(|(a, _, _)| *a))
    )
    .unwrap();
    writeln!(
        out,
        "pub(crate) const COMPOUND_JOINED: u64 = {:#x};",
        mask(&mut compounds.iter().map(|(_, _, j)| j.as_str()))
    )
    .unwrap();
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(format!("{dir}/lexicon_tables.rs"), out).expect("writing the lexicon tables");
    english_families(&dir);
}

/// The English families as one table of (word slot, head slot) pairs, eight
/// little-endian bytes a slot, at most half full, with linear probing; the
/// words in a blob of their own. Written as bytes (`include_bytes!`): a
/// literal array of 300,000 numbers would slow the compiler down.
fn english_families(dir: &str) {
    let text = read("en-families.txt");
    let mut pairs: BTreeMap<&str, &str> = BTreeMap::new();
    for line in lines(&text) {
        let mut words = line.split(' ');
        let Some(head) = words.next() else { continue };
        pairs.insert(head, head);
        for w in words {
            pairs.insert(w, head);
        }
    }
    let mut blob = Blob::default();
    let size = (pairs.len() * 2).next_power_of_two();
    let mut table = vec![[fx::EMPTY, fx::EMPTY]; size];
    for (word, head) in &pairs {
        let mut i = fx::start(word.as_bytes(), size);
        while table[i][0] != fx::EMPTY {
            i = (i + 1) & (size - 1);
        }
        table[i] = [blob.slot(word), blob.slot(head)];
    }
    let bytes: Vec<u8> = table
        .iter()
        .flat_map(|[w, h]| w.to_le_bytes().into_iter().chain(h.to_le_bytes()))
        .collect();
    std::fs::write(format!("{dir}/en_families.bin"), bytes).expect("writing the English table");
    std::fs::write(format!("{dir}/en_words.txt"), &blob.text).expect("writing the English words");
}
