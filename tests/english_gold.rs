//! Conflation and collision checks on the hand-written English gold set,
//! through `kutip analyze --lang en` (the interface a held-out evaluation
//! uses), with Porter2's figures on the same set beside ours.

use crate::util::{analyze_all, data, ratchet, rows};
use std::collections::BTreeSet;

/// Porter2 as rust_stemmers implements it, on the lower-cased word.
fn porter2(word: &str) -> String {
    let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    s.stem(&word.to_lowercase()).into_owned()
}

fn percent(k: usize, n: usize) -> f64 {
    100.0 * k as f64 / n as f64
}

#[test]
fn english_gold_conflation_at_least_95_percent() {
    let gold = data("en-gold.tsv");
    let lines: Vec<Vec<&str>> = rows(&gold).collect();
    let terms = analyze_all("en", lines.iter().flat_map(|r| [r[0], r[1]]));
    let (mut n, mut ok, mut porter) = (0usize, 0usize, 0usize);
    let mut failing = BTreeSet::new();
    for r in &lines {
        assert_eq!(r.len(), 3, "bad gold line {r:?}");
        n += 1;
        if terms[r[0]] == terms[r[1]] && !terms[r[0]].is_empty() {
            ok += 1;
        } else {
            failing.insert(r[0].to_string());
        }
        if porter2(r[0]) == porter2(r[1]) {
            porter += 1;
        }
    }
    println!(
        "porter2 conflation on English gold: {porter}/{n} = {:.1}%",
        percent(porter, n)
    );
    println!(
        "kutip conflation on English gold: {ok}/{n} = {:.1}%",
        percent(ok, n)
    );
    assert!(n >= 300, "gold set too small: {n}");
    assert!(
        ok as f64 >= 0.95 * n as f64,
        "conflation {:.1}% < 95%; failing: {failing:?}",
        percent(ok, n)
    );
    ratchet(
        "en-known-failures.tsv",
        &failing,
        false,
        "English gold failures",
    );
}

#[test]
fn english_no_collide_pairs_stay_apart() {
    let pairs = data("en-no-collide.tsv");
    let lines: Vec<Vec<&str>> = rows(&pairs).collect();
    let terms = analyze_all("en", lines.iter().flat_map(|r| [r[0], r[1]]));
    let (mut n, mut porter) = (0usize, 0usize);
    let mut colliding = BTreeSet::new();
    for r in &lines {
        assert_eq!(r.len(), 2, "bad pair {r:?}");
        n += 1;
        if terms[r[0]] == terms[r[1]] {
            colliding.insert(format!("{}\t{}", r[0], r[1]));
        }
        if porter2(r[0]) == porter2(r[1]) {
            porter += 1;
        }
    }
    println!(
        "porter2 collisions on {n} English no-collide pairs: {porter} = {:.1}%",
        percent(porter, n)
    );
    println!(
        "kutip collisions on {n} English no-collide pairs: {} = {:.1}%",
        colliding.len(),
        percent(colliding.len(), n)
    );
    assert!(n >= 60, "too few pairs: {n}");
    assert!(
        colliding.len() as f64 <= 0.03 * n as f64,
        "collisions {:.1}% > 3%: {colliding:?}",
        percent(colliding.len(), n)
    );
    ratchet("en-known-failures.tsv", &colliding, true, "collisions");
}

#[test]
fn english_gold_categories_are_covered() {
    let gold = data("en-gold.tsv");
    let cats: BTreeSet<&str> = rows(&gold).map(|r| r[2]).collect();
    for c in [
        "plural",
        "irregular-plural",
        "inflection",
        "irregular-verb",
        "comparative",
        "adverb",
        "derivation",
        "british",
    ] {
        assert!(cats.contains(c), "missing category {c}");
    }
}
