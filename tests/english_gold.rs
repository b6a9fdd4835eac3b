//! Conflation and collision checks on the hand-written English gold set,
//! through `kutip analyze --lang en` (the interface a held-out evaluation
//! uses), with Porter2's figures on the same set beside ours.

use crate::util::{data, gold, ratchet, rows};
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
    let g = gold("en", "en-gold.tsv", false, porter2);
    let (n, ok, porter, failing) = (g.n, g.kutip, g.reference, g.wrong);
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
    let g = gold("en", "en-no-collide.tsv", true, porter2);
    let (n, porter, colliding) = (g.n, g.reference, g.wrong);
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
