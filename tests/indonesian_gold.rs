//! Conflation and collision checks on the hand-written Indonesian gold set,
//! through `kutip analyze --lang id` (the interface a held-out evaluation
//! uses), with Snowball's figures on the same set beside ours.

use crate::util::{analyze_all, data, gold, ratchet, rows};
use std::collections::{BTreeSet, HashMap};
use std::fs;

fn snowball(word: &str) -> String {
    let s = frostem::Stemmer::new(frostem::Algorithm::Indonesian);
    word.split_whitespace()
        .map(|w| s.stem(&w.to_lowercase()).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn gold_conflation_at_least_95_percent() {
    let g = gold("id", "id-gold.tsv", false, snowball);
    let (n, ok, snow, failing) = (g.n, g.kutip, g.reference, g.wrong);
    println!(
        "snowball conflation on gold: {snow}/{n} = {:.1}%",
        100.0 * snow as f64 / n as f64
    );
    assert!(n >= 400, "gold set too small: {n}");
    let rate = ok as f64 / n as f64;
    println!("kutip conflation on gold: {ok}/{n} = {:.1}%", 100.0 * rate);
    assert!(
        rate >= 0.95,
        "conflation {rate:.3} < 0.95; failing: {failing:?}"
    );
    ratchet("id-known-failures.tsv", &failing, false, "gold failures");
}

#[test]
fn no_collisions_on_no_collide_pairs() {
    let g = gold("id", "id-no-collide.tsv", true, snowball);
    let (n, snow, colliding) = (g.n, g.reference, g.wrong);
    println!("snowball collisions on {n} no-collide pairs: {snow}");
    assert!(n >= 60, "too few pairs: {n}");
    println!(
        "kutip collisions on {n} no-collide pairs: {}",
        colliding.len()
    );
    ratchet("id-known-failures.tsv", &colliding, true, "collisions");
}

#[test]
fn gold_categories_are_covered() {
    let gold = data("id-gold.tsv");
    let cats: BTreeSet<&str> = rows(&gold).map(|r| r[2]).collect();
    for c in [
        "prefix",
        "suffix",
        "confix",
        "clitic",
        "nasal",
        "redup-full",
        "redup-affixed",
        "redup-rhyme",
        "redup-prefixcopy",
        "protected",
        "loanword",
        "domain",
        "compound",
    ] {
        assert!(cats.contains(c), "missing category {c}");
    }
}

/// On Snowball's reference vocabulary (64,586 words of Indonesian Wikipedia):
/// frostem reproduces Snowball exactly, and we report how many distinct
/// Snowball stems kutip merges, and the reverse. Skipped when `../shared` is absent.
#[test]
fn snowball_reference_vocabulary_collisions() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/snowball-indonesian");
    let (Ok(voc), Ok(expected)) = (
        fs::read_to_string(dir.join("voc.txt")),
        fs::read_to_string(dir.join("output.txt")),
    ) else {
        println!("../shared/data/snowball-indonesian not found; skipped");
        return;
    };
    let words: Vec<&str> = voc.lines().collect();
    let snow: Vec<&str> = expected.lines().collect();
    assert_eq!(words.len(), snow.len());
    for (w, s) in words.iter().zip(&snow).take(2000) {
        assert_eq!(
            snowball(w),
            *s,
            "frostem differs from Snowball's reference on {w}"
        );
    }
    let ours = analyze_all("id", words.iter().copied());
    // For each of our terms, the Snowball stems it covers, and the reverse.
    let mut by_ours: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut by_snow: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (w, s) in words.iter().zip(&snow) {
        let o = ours[*w].as_str();
        by_ours.entry(o).or_default().insert(s);
        by_snow.entry(s).or_default().insert(o);
    }
    let merged_by_us: usize = by_ours.values().map(|s| s.len() - 1).sum();
    let merged_by_snowball: usize = by_snow.values().map(|s| s.len() - 1).sum();
    println!(
        "snowball vocabulary: {} words; kutip merges {merged_by_us} distinct Snowball stems into others; \
         Snowball merges {merged_by_snowball} distinct kutip terms",
        words.len()
    );
    assert!(merged_by_snowball > 0 && merged_by_us > 0);
}
