//! Finding the source of a quotation: candidate passages come from the index
//! (the quotation's rarest words on the exact field), then each candidate —
//! with the passage after it, for quotations that run across a paragraph or
//! page — is aligned word by word with the quotation. Pure alignment
//! functions are tested without an index.

use crate::analysis::{fold, normalize_token};
use crate::index::{KutipIndex, StoredPassage};
use crate::{Error, Result};
use std::collections::HashSet;
use std::ops::Range;
use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use unicode_segmentation::UnicodeSegmentation;

/// A match below this similarity is not reported. A quotation copied with a
/// word or two changed in ten scores 0.8–0.9; passages that merely share the
/// subject score well under 0.5 on our tests, so 0.6 keeps misquotations and
/// drops look-alikes.
pub const THRESHOLD: f64 = 0.6;

/// Passages drawn from the index for alignment.
const CANDIDATES: usize = 40;
/// Candidates aligned word by word, those holding most of the quotation's words.
const ALIGNED: usize = 8;

/// One word of a text, normalised, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Normalised form (lower case, accents folded, quotes and dashes unified).
    pub norm: String,
    /// Byte range in the text.
    pub range: Range<usize>,
}

/// An item of a normalised quotation: a word, or an ellipsis (`…`, `...`,
/// `[…]`) where the writer left words out.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A word.
    Word(Word),
    /// Left-out words.
    Gap,
}

/// Words of a text with line-break hyphenation undone (`me-\nmahami` →
/// `memahami`), ligatures and case folded. Hyphenated compounds stay one
/// word (`kota-kota`).
pub fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut join_next = false;
    let mut last_end = 0;
    for (start, piece) in text.split_word_bound_indices() {
        let end = start + piece.len();
        if piece.chars().any(char::is_alphanumeric) {
            let norm = fold(&normalize_token(piece));
            match out.last_mut() {
                Some(prev) if join_next => {
                    prev.norm.push_str(&norm);
                    prev.range.end = end;
                }
                Some(prev)
                    if prev.range.end == start
                        && text[prev.range.clone()].ends_with(['-', '\u{2010}', '\u{2011}']) =>
                {
                    prev.norm.push_str(&norm);
                    prev.range.end = end;
                }
                _ => out.push(Word {
                    norm,
                    range: start..end,
                }),
            }
            join_next = false;
        } else if matches!(piece, "-" | "\u{2010}" | "\u{2011}" | "\u{ad}") {
            // A hyphen right after a word: either a compound (`kota-kota`,
            // joined when the next word follows at once) or a line-end break.
            if let Some(prev) = out.last_mut().filter(|p| p.range.end == start) {
                let rest = &text[end..];
                let line_break = rest.starts_with(['\n', '\r'])
                    || rest.trim_start_matches([' ', '\t']).starts_with('\n');
                if line_break {
                    join_next = true;
                } else if rest.chars().next().is_some_and(char::is_alphanumeric) {
                    prev.norm.push('-');
                    prev.range.end = end;
                }
            }
        } else if !piece.chars().all(char::is_whitespace) {
            join_next = false;
        }
        last_end = end;
    }
    let _ = last_end;
    out
}

/// A quotation as items: words and gaps where an ellipsis stands.
pub fn quotation(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut cursor = 0;
    let marks = ["[…]", "[...]", "(…)", "(...)", "…", "..."];
    loop {
        let next = marks
            .iter()
            .filter_map(|m| text[cursor..].find(m).map(|i| (cursor + i, m.len())))
            .min();
        let (segment_end, mark_len) = next.unwrap_or((text.len(), 0));
        for w in words(&text[cursor..segment_end]) {
            items.push(Item::Word(Word {
                norm: w.norm,
                range: w.range.start + cursor..w.range.end + cursor,
            }));
        }
        if next.is_none() {
            break;
        }
        if !matches!(items.last(), None | Some(Item::Gap)) {
            items.push(Item::Gap);
        }
        cursor = segment_end + mark_len;
    }
    while matches!(items.last(), Some(Item::Gap)) {
        items.pop();
    }
    items
}

/// One step of the word-by-word comparison.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Diff {
    /// Words the same in both.
    Equal {
        /// The words, as the source writes them.
        text: String,
    },
    /// The quotation has other words than the source.
    Changed {
        /// As quoted.
        quote: String,
        /// As the source has it.
        source: String,
    },
    /// Words the quotation adds.
    Added {
        /// As quoted.
        quote: String,
    },
    /// Source words the quotation leaves out without an ellipsis.
    Omitted {
        /// As the source has it.
        source: String,
    },
    /// Source words an ellipsis stands for.
    Elided {
        /// As the source has it.
        source: String,
    },
}

/// The best alignment of a quotation inside a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// 1 − edits / quotation words, at least 0.
    pub similarity: f64,
    /// Word-level edits (changed, added, left out without an ellipsis).
    pub edits: usize,
    /// Index range of the source words covered.
    pub span: Range<usize>,
    /// Word-by-word differences, in order.
    pub diff: Vec<Diff>,
}

/// Aligns `quote` against `source` words: the quotation must be used whole,
/// the source may start and end anywhere, and a gap in the quotation skips
/// source words for free.
pub fn align(quote: &[Item], source: &[Word], source_text: &str) -> Option<Alignment> {
    let qw = quote.iter().filter(|i| matches!(i, Item::Word(_))).count();
    if qw == 0 || source.is_empty() {
        return None;
    }
    let (n, m) = (quote.len(), source.len());
    // cost[i][j]: best cost of aligning quote[..i] ending at source[..j].
    let width = m + 1;
    let mut cost = vec![0u32; (n + 1) * width];
    let mut from = vec![0u8; (n + 1) * width]; // 0 start, 1 diag, 2 up (added), 3 left (omitted), 4 gap skip, 5 gap item
    let at = |i: usize, j: usize| i * width + j;
    for i in 1..=n {
        cost[at(i, 0)] = cost[at(i - 1, 0)] + u32::from(matches!(quote[i - 1], Item::Word(_)));
        from[at(i, 0)] = 2;
        for j in 1..=m {
            let (c, f) = match &quote[i - 1] {
                Item::Gap => {
                    // A gap consumes no quote word; it may swallow source words.
                    let stay = cost[at(i - 1, j)];
                    let skip = cost[at(i, j - 1)];
                    if skip < stay { (skip, 4) } else { (stay, 5) }
                }
                Item::Word(w) => {
                    let same = w.norm == source[j - 1].norm;
                    let diag = cost[at(i - 1, j - 1)] + u32::from(!same);
                    let up = cost[at(i - 1, j)] + 1;
                    let left = cost[at(i, j - 1)] + 1;
                    if diag <= up && diag <= left {
                        (diag, 1)
                    } else if up <= left {
                        (up, 2)
                    } else {
                        (left, 3)
                    }
                }
            };
            cost[at(i, j)] = c;
            from[at(i, j)] = f;
        }
    }
    let (best_j, best) = (1..=m)
        .map(|j| (j, cost[at(n, j)]))
        .min_by_key(|&(j, c)| (c, j))?;
    // Trace back.
    let mut ops: Vec<(u8, Option<usize>, Option<usize>)> = Vec::new();
    let (mut i, mut j) = (n, best_j);
    while i > 0 {
        let f = if j == 0 { 2 } else { from[at(i, j)] };
        match f {
            1 => {
                ops.push((1, Some(i - 1), Some(j - 1)));
                i -= 1;
                j -= 1;
            }
            2 => {
                ops.push((2, Some(i - 1), None));
                i -= 1;
            }
            3 => {
                ops.push((3, None, Some(j - 1)));
                j -= 1;
            }
            4 => {
                ops.push((4, None, Some(j - 1)));
                j -= 1;
            }
            _ => {
                i -= 1;
            }
        }
    }
    ops.reverse();
    // A substitution at either end is read as words the quotation adds (the
    // same cost), so the matched source text starts and ends on agreeing words.
    let mismatched = |o: &(u8, Option<usize>, Option<usize>)| {
        o.0 == 1
            && matches!((o.1, o.2), (Some(q), Some(s)) if matches!(&quote[q], Item::Word(w) if w.norm != source[s].norm))
    };
    for op in ops.iter_mut() {
        if !mismatched(op) {
            break;
        }
        *op = (2, op.1, None);
    }
    for op in ops.iter_mut().rev() {
        if !mismatched(op) {
            break;
        }
        *op = (2, op.1, None);
    }
    let first = ops
        .iter()
        .find_map(|o| o.2)
        .unwrap_or(best_j.saturating_sub(1));
    let last = ops.iter().rev().find_map(|o| o.2).unwrap_or(first);
    let quote_text = |k: usize| match &quote[k] {
        Item::Word(w) => w.norm.clone(),
        Item::Gap => String::new(),
    };
    let src = |k: usize| source_text[source[k].range.clone()].to_string();
    let mut diff: Vec<Diff> = Vec::new();
    for (op, qi, sj) in ops {
        let next = match op {
            1 => {
                let (q, s) = (qi.expect("diag has both"), sj.expect("diag has both"));
                let Item::Word(w) = &quote[q] else { continue };
                if w.norm == source[s].norm {
                    Diff::Equal { text: src(s) }
                } else {
                    Diff::Changed {
                        quote: quote_text(q),
                        source: src(s),
                    }
                }
            }
            2 => Diff::Added {
                quote: quote_text(qi.expect("up has a quote word")),
            },
            3 => Diff::Omitted {
                source: src(sj.expect("left has a source word")),
            },
            _ => Diff::Elided {
                source: src(sj.expect("skip has a source word")),
            },
        };
        // Merge runs of the same kind for a readable diff.
        match (diff.last_mut(), &next) {
            (Some(Diff::Equal { text }), Diff::Equal { text: t }) => {
                text.push(' ');
                text.push_str(t);
            }
            (Some(Diff::Added { quote }), Diff::Added { quote: q }) => {
                quote.push(' ');
                quote.push_str(q);
            }
            (Some(Diff::Omitted { source }), Diff::Omitted { source: s })
            | (Some(Diff::Elided { source }), Diff::Elided { source: s }) => {
                source.push(' ');
                source.push_str(s);
            }
            (
                Some(Diff::Changed { quote, source }),
                Diff::Changed {
                    quote: q,
                    source: s,
                },
            ) => {
                quote.push(' ');
                quote.push_str(q);
                source.push(' ');
                source.push_str(s);
            }
            _ => diff.push(next),
        }
    }
    let similarity = (1.0 - best as f64 / qw as f64).max(0.0);
    Some(Alignment {
        similarity,
        edits: best as usize,
        span: first..last + 1,
        diff,
    })
}

/// Where a quotation was found.
#[derive(Debug, Clone)]
pub struct QuoteMatch {
    /// Similarity between 0 and 1.
    pub similarity: f64,
    /// True when the words match after normalisation.
    pub exact: bool,
    /// The passage the quotation starts in.
    pub passage: StoredPassage,
    /// The passage it runs on into, when it crosses a paragraph or page.
    pub continued: Option<StoredPassage>,
    /// The source text the quotation covers, as the source writes it.
    pub text: String,
    /// Printed page where the quoted words end, when it differs from the passage's.
    pub page_end: Option<String>,
    /// Word-by-word differences.
    pub diff: Vec<Diff>,
}

/// Finds the passages a quotation comes from, best first.
pub fn find(index: &KutipIndex, text: &str, limit: usize) -> Result<Vec<QuoteMatch>> {
    let quote = quotation(text);
    let qwords: Vec<&Word> = quote
        .iter()
        .filter_map(|i| if let Item::Word(w) = i { Some(w) } else { None })
        .collect();
    if qwords.len() < 2 {
        return Err(Error::Usage("a quotation needs at least two words".into()));
    }
    if qwords.len() > 2000 {
        return Err(Error::Usage(
            "quotation longer than 2000 words; quote a shorter part".into(),
        ));
    }
    let f = index.fields();
    let searcher = index.searcher();
    // The rarest words of the quotation pick the candidates; each word is
    // looked up as the exact field indexes it.
    let mut terms: Vec<(u64, String)> = Vec::new();
    let mut seen = HashSet::new();
    for w in &qwords {
        for (t, _) in crate::analysis::analyze(crate::analysis::EXACT, &w.norm) {
            if seen.insert(t.clone()) {
                let df = searcher.doc_freq(&Term::from_field_text(f.text, &t))?;
                if df > 0 {
                    terms.push((df, t));
                }
            }
        }
    }
    terms.sort();
    // Words most passages have cost a long posting-list walk and pick no
    // one out: keep the rare ones (at least three words in any case).
    let common = (searcher.num_docs() / 50).max(1000);
    let rare = terms.iter().filter(|(df, _)| *df <= common).count().max(3);
    terms.truncate(rare.min(16));
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    // Only passages carry the text field, so no filter on `kind` is needed,
    // and a union of terms alone lets the engine skip passages that cannot
    // reach the candidates (block-max WAND).
    let q = BooleanQuery::new(
        terms
            .iter()
            .map(|(_, t)| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.text, t),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>,
                )
            })
            .collect(),
    );
    let mut top = searcher.search(&q, &TopDocs::with_limit(CANDIDATES).order_by_score())?;
    let mut phrased = 0;
    // An exact copy is found at once by its opening words as a phrase, even
    // when all of them are common.
    let opening: Vec<Term> = qwords
        .iter()
        .take(8)
        .flat_map(|w| crate::analysis::analyze(crate::analysis::EXACT, &w.norm))
        .map(|(t, _)| Term::from_field_text(f.text, &t))
        .collect();
    if opening.len() >= 2 {
        let phrase = tantivy::query::PhraseQuery::new(opening);
        let exact_hits = searcher.search(&phrase, &TopDocs::with_limit(10).order_by_score())?;
        top.retain(|(_, a)| !exact_hits.iter().any(|(_, e)| e == a));
        phrased = exact_hits.len();
        // Passages with the opening words in order come first.
        top.splice(0..0, exact_hits);
    }
    // Rank candidates by how many of the quotation's words they hold, and
    // align only the best few: alignment, and fetching neighbours, cost more
    // than this count.
    let wanted: HashSet<&str> = qwords.iter().map(|w| w.norm.as_str()).collect();
    let mut ranked: Vec<(usize, StoredPassage)> = Vec::with_capacity(top.len());
    for (i, (_, addr)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let p = index.passage(&doc);
        let have: HashSet<String> = words(&p.text).into_iter().map(|w| w.norm).collect();
        let overlap = wanted.iter().filter(|w| have.contains(**w)).count();
        // Phrase hits rank above any count of scattered words.
        let bonus = if i < phrased { wanted.len() + 1 } else { 0 };
        ranked.push((overlap + bonus, p));
    }
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let best = ranked
        .iter()
        .map(|r| r.0.min(wanted.len()))
        .max()
        .unwrap_or(0);
    ranked.retain(|(o, _)| *o * 2 >= best);
    ranked.truncate(ALIGNED);
    let mut matches: Vec<QuoteMatch> = Vec::new();
    let mut done: HashSet<(String, u32)> = HashSet::new();
    for (_, p) in ranked {
        // Align against the passage alone; where the match reaches its
        // start or end and is not exact, also against it joined with the
        // passage before or after (a quotation may cross a paragraph or page).
        let alone = words(&p.text);
        let a = align(&quote, &alone, &p.text);
        let mut starts = vec![p.ordinal];
        if let Some(a) = &a {
            if a.edits > 0 && a.span.end >= alone.len().saturating_sub(1) {
                starts.push(p.ordinal);
            }
            if a.edits > 0 && a.span.start <= 1 && p.ordinal > 1 {
                starts.push(p.ordinal - 1);
            }
        }
        let join_next = starts.len() > 1 && starts[1] == p.ordinal;
        starts.dedup();
        for start in starts {
            if !done.insert((p.path.clone(), start)) {
                continue;
            }
            let first = if start == p.ordinal {
                Some(p.clone())
            } else {
                index.passage_at(&p.path, start)?
            };
            let Some(first) = first else { continue };
            let needs_next = start != p.ordinal || join_next;
            let second = if needs_next {
                index.passage_at(&p.path, start + 1)?
            } else {
                None
            };
            let joined = match &second {
                Some(s) => format!("{}\n\n{}", first.text, s.text),
                None => first.text.clone(),
            };
            let source = if second.is_none() && start == p.ordinal {
                alone.clone()
            } else {
                words(&joined)
            };
            let Some(a) = align(&quote, &source, &joined) else {
                continue;
            };
            if a.similarity < THRESHOLD || a.edits >= qwords.len() {
                continue;
            }
            let range = source[a.span.start].range.start..source[a.span.end - 1].range.end;
            let split = first.text.len();
            // Only keep a two-passage match when the quotation does cross.
            if range.start >= split {
                continue;
            }
            let crosses = range.end > split;
            let page_end = if crosses {
                second
                    .as_ref()
                    .and_then(|s| s.page_end.clone().or(s.page.clone()))
            } else {
                None
            };
            matches.push(QuoteMatch {
                similarity: a.similarity,
                exact: a.edits == 0,
                text: joined[range].to_string(),
                page_end: page_end.filter(|e| Some(e) != first.page.as_ref()),
                continued: if crosses { second } else { None },
                passage: first,
                diff: a.diff,
            });
        }
    }
    matches.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.passage.file.cmp(&b.passage.file))
    });
    // One match per place: drop a weaker match of the same passage.
    let mut places = HashSet::new();
    matches.retain(|m| places.insert((m.passage.path.clone(), m.passage.ordinal)));
    matches.truncate(limit);
    Ok(matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &str) -> Vec<String> {
        words(t).into_iter().map(|w| w.norm).collect()
    }

    #[test]
    fn words_rejoin_line_break_hyphens_and_fold() {
        assert_eq!(
            norms("me-\nmahami “Kota-kota” ﬁnal Núñez"),
            ["memahami", "kota-kota", "final", "nunez"]
        );
        assert_eq!(norms("infor-\n   mation"), ["information"]);
        assert_eq!(
            norms("pasca- dan pra-perang"),
            ["pasca", "dan", "pra-perang"]
        );
    }

    #[test]
    fn ellipses_become_gaps() {
        let q = quotation("Twinning spread […] to the developing world...");
        let shape: Vec<String> = q
            .iter()
            .map(|i| match i {
                Item::Word(w) => w.norm.clone(),
                Item::Gap => "…".into(),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "twinning",
                "spread",
                "…",
                "to",
                "the",
                "developing",
                "world"
            ]
        );
    }

    fn check(quote: &str, source: &str) -> Alignment {
        align(&quotation(quote), &words(source), source).unwrap()
    }

    #[test]
    fn exact_quotation_inside_a_longer_text() {
        let src = "Before. Town twinning spread across “Western Europe” after the war. After.";
        let a = check(
            "town twinning spread across \"Western Europe\" after the war",
            src,
        );
        assert_eq!((a.edits, a.similarity), (0, 1.0));
        assert_eq!(
            a.diff,
            [Diff::Equal {
                text: "Town twinning spread across Western Europe after the war".into()
            }]
        );
    }

    #[test]
    fn misquotation_is_shown_word_by_word() {
        let src = "Town twinning spread across Western Europe after the Second World War.";
        let a = check(
            "Town twinning spread through Western Europe after the war",
            src,
        );
        assert_eq!(a.edits, 2);
        assert!((a.similarity - 7.0 / 9.0).abs() < 1e-9);
        assert!(
            a.diff.contains(&Diff::Changed {
                quote: "through".into(),
                source: "across".into()
            }),
            "{:?}",
            a.diff
        );
        assert!(
            a.diff
                .iter()
                .any(|d| matches!(d, Diff::Changed { .. } | Diff::Omitted { .. }))
        );
    }

    #[test]
    fn ellipsis_skips_source_words_for_free() {
        let src = "Twinning spread to the United States and later to much of the developing world.";
        let a = check("Twinning spread [...] to much of the developing world", src);
        assert_eq!(a.edits, 0);
        assert!(a.diff.iter().any(|d| matches!(d, Diff::Elided { .. })));
    }
}
