//! Fixture-driven precision/recall test for `extract`.
use kutip::cite::extract::extract;

#[derive(Debug, Clone, PartialEq)]
struct Cite {
    /// authors (incl. "etal") ; year ; locator — the identity used for P/R
    key: String,
    prefix: String,
    narrative: bool,
}

fn norm_dash(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '–' | '—' | '‐' | '‑') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

fn parse_compact(s: &str) -> Cite {
    let f: Vec<&str> = s.split(';').collect();
    let get = |i: usize| f.get(i).copied().unwrap_or("").trim();
    Cite {
        key: format!("{};{};{}", get(0), get(1), norm_dash(get(2))),
        prefix: get(3).to_lowercase(),
        narrative: get(4) == "n",
    }
}

fn load() -> Vec<(usize, String, Vec<Cite>)> {
    let text = include_str!("fixtures/citations.tsv");
    let mut rows = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (passage, expected) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("line {}: no TAB", ln + 1));
        let exp = expected
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_compact)
            .collect();
        rows.push((ln + 1, passage.to_string(), exp));
    }
    rows
}

#[test]
fn fixture_precision_recall() {
    let rows = load();
    assert!(rows.len() >= 120, "fixture too small: {}", rows.len());
    let negatives = rows.iter().filter(|r| r.2.is_empty()).count();
    assert!(negatives >= 30, "too few negatives: {negatives}");

    let (mut tp, mut n_pred, mut n_exp) = (0usize, 0usize, 0usize);
    let (mut prefix_ok, mut narr_ok) = (0usize, 0usize);
    let mut failures = Vec::new();
    for (ln, passage, exp) in &rows {
        let got = extract(passage);
        for c in &got {
            // span sanity: slices to `text` and contains the year (or its 4 digits)
            let s = &passage[c.span.0..c.span.1];
            assert_eq!(s, c.text, "line {ln}");
            let digits: String = c.year.chars().take(4).collect();
            assert!(
                s.contains(&c.year) || s.contains(&digits),
                "line {ln}: span {s:?} lacks year {}",
                c.year
            );
            assert!(
                c.span.0 <= c.year_span.0 && c.year_span.1 <= c.span.1,
                "line {ln}: year_span outside span"
            );
        }
        let pred: Vec<Cite> = got.iter().map(|c| parse_compact(&c.compact())).collect();
        n_pred += pred.len();
        n_exp += exp.len();
        let mut taken = vec![false; pred.len()];
        let mut missed = Vec::new();
        for e in exp {
            match (0..pred.len()).find(|&i| !taken[i] && pred[i].key == e.key) {
                Some(i) => {
                    taken[i] = true;
                    tp += 1;
                    prefix_ok += (pred[i].prefix == e.prefix) as usize;
                    narr_ok += (pred[i].narrative == e.narrative) as usize;
                    if pred[i].prefix != e.prefix || pred[i].narrative != e.narrative {
                        missed.push(format!(
                            "  attr  {} (got prefix={:?} narr={})",
                            e.key, pred[i].prefix, pred[i].narrative
                        ));
                    }
                }
                None => missed.push(format!("  miss  {}", e.key)),
            }
        }
        for (i, p) in pred.iter().enumerate() {
            if !taken[i] {
                missed.push(format!("  extra {}", p.key));
            }
        }
        if !missed.is_empty() {
            failures.push(format!("line {ln}: {passage}\n{}", missed.join("\n")));
        }
    }
    let precision = if n_pred == 0 {
        1.0
    } else {
        tp as f64 / n_pred as f64
    };
    let recall = if n_exp == 0 {
        1.0
    } else {
        tp as f64 / n_exp as f64
    };
    let prefix_acc = if tp == 0 {
        1.0
    } else {
        prefix_ok as f64 / tp as f64
    };
    let narr_acc = if tp == 0 {
        1.0
    } else {
        narr_ok as f64 / tp as f64
    };
    for f in &failures {
        println!("{f}");
    }
    println!(
        "passages={} negatives={} expected={} predicted={} correct={}\nprecision={:.4} recall={:.4} prefix_acc={:.4} narrative_acc={:.4}",
        rows.len(),
        negatives,
        n_exp,
        n_pred,
        tp,
        precision,
        recall,
        prefix_acc,
        narr_acc
    );
    assert!(precision >= 0.95, "precision {precision:.4} < 0.95");
    assert!(recall >= 0.95, "recall {recall:.4} < 0.95");
    assert!(
        prefix_acc >= 0.95 && narr_acc >= 0.95,
        "prefix/narrative accuracy too low"
    );
}
