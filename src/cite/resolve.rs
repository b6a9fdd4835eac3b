//! Linking in-text citations to library records: surname (particles,
//! initials, diacritics and apostrophes normalised) and year, `a`/`b`
//! suffixes, first author of `et al.`/`dkk.`. Unresolved citations keep the
//! nearest candidates (same author, other years).

use super::extract::InTextCitation;
use super::library::Record;
use crate::analysis::fold;
use std::collections::HashMap;

/// The outcome of resolving one citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The library key the citation refers to.
    Resolved(String),
    /// No record matches; the nearest candidates, best first.
    Unresolved(Vec<String>),
}

/// What resolving needs of a record: a few hundred bytes, so a large
/// library can be held while the records themselves are not.
#[derive(Debug, Clone)]
pub struct Work {
    key: String,
    year: Option<i32>,
    title: String,
    /// Normalised surnames of the authors (editors when there are none).
    names: Vec<Vec<String>>,
}

impl Work {
    /// The resolving summary of `record`, under `key`.
    pub fn of(key: &str, record: &Record) -> Work {
        Work {
            key: key.to_string(),
            year: record.year(),
            title: record.title().unwrap_or_default().to_lowercase(),
            names: record
                .authors()
                .iter()
                .map(|a| name_forms(surname(a)))
                .collect(),
        }
    }

    /// The record's key.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Looks citations up in a library.
#[derive(Debug, Default)]
pub struct Resolver {
    works: Vec<Work>,
    by_name: HashMap<String, Vec<usize>>,
}

/// Lower case, accents folded, letters and digits only: `O’Toole` → `otoole`,
/// `de Villiers` → `devilliers`, `Núñez` → `nunez`.
pub fn normalize_name(s: &str) -> String {
    fold(&s.to_lowercase())
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The forms under which a surname may be cited: with and without its
/// particles (`de Villiers`, `Villiers`).
fn name_forms(surname: &str) -> Vec<String> {
    let words: Vec<&str> = surname.split_whitespace().collect();
    let mut forms = vec![normalize_name(surname)];
    if let Some(i) = words
        .iter()
        .position(|w| w.chars().next().is_some_and(char::is_uppercase))
        && i > 0
    {
        forms.push(normalize_name(&words[i..].join(" ")));
    }
    if words.len() > 1 {
        forms.push(normalize_name(words[words.len() - 1]));
    }
    forms.retain(|f| !f.is_empty());
    forms.dedup();
    forms
}

/// Surname of a `Family, Given` display name (or the literal name).
fn surname(display: &str) -> &str {
    display.split(',').next().unwrap_or(display).trim()
}

fn split_year(y: &str) -> (Option<i32>, Option<char>) {
    let digits: String = y.chars().take_while(|c| c.is_ascii_digit()).collect();
    let suffix = y[digits.len()..]
        .chars()
        .next()
        .filter(|c| c.is_ascii_lowercase());
    (digits.parse().ok().filter(|_| digits.len() == 4), suffix)
}

impl Resolver {
    /// Builds a resolver over `(key, record)` pairs.
    pub fn new<'a>(records: impl IntoIterator<Item = (&'a str, &'a Record)>) -> Self {
        Resolver::from_works(records.into_iter().map(|(k, r)| Work::of(k, r)))
    }

    /// Builds a resolver over works, in the order given.
    pub fn from_works(works: impl IntoIterator<Item = Work>) -> Self {
        let mut r = Resolver::default();
        for work in works {
            let idx = r.works.len();
            for form in work.names.first().into_iter().flatten() {
                r.by_name.entry(form.clone()).or_default().push(idx);
            }
            r.works.push(work);
        }
        r
    }

    /// Resolves one citation.
    pub fn resolve(&self, c: &InTextCitation) -> Resolution {
        let Some(first) = c.authors.first() else {
            return Resolution::Unresolved(Vec::new());
        };
        let mut same_author: Vec<usize> = Vec::new();
        for form in name_forms(first) {
            if let Some(ids) = self.by_name.get(&form) {
                for &i in ids {
                    if !same_author.contains(&i) {
                        same_author.push(i);
                    }
                }
            }
        }
        // A second named author must agree when both sides have one.
        if c.authors.len() >= 2 && !c.et_al {
            let second = name_forms(&c.authors[1]);
            let agreeing: Vec<usize> = same_author
                .iter()
                .copied()
                .filter(|&i| {
                    self.works[i]
                        .names
                        .get(1)
                        .is_none_or(|n| n.iter().any(|f| second.contains(f)))
                })
                .collect();
            if !agreeing.is_empty() {
                same_author = agreeing;
            }
        }
        let (year, suffix) = split_year(&c.year);
        let undated = matches!(
            c.year.to_lowercase().as_str(),
            "n.d." | "t.t." | "n.d" | "t.t" | "tt"
        );
        let mut matching: Vec<usize> = same_author
            .iter()
            .copied()
            .filter(|&i| {
                if undated {
                    self.works[i].year.is_none()
                } else {
                    year.is_some() && self.works[i].year == year
                }
            })
            .collect();
        matching.sort_by(|&a, &b| {
            (&self.works[a].title, &self.works[a].key)
                .cmp(&(&self.works[b].title, &self.works[b].key))
        });
        let chosen = match (matching.len(), suffix) {
            (1, _) => Some(matching[0]),
            (n, Some(s)) if n > 1 => matching.get((s as u8 - b'a') as usize).copied(),
            _ => None,
        };
        if let Some(i) = chosen {
            return Resolution::Resolved(self.works[i].key.clone());
        }
        let mut candidates = if matching.len() > 1 {
            matching
        } else {
            same_author
        };
        candidates.sort_by_key(|&i| {
            let dy = match (self.works[i].year, year) {
                (Some(a), Some(b)) => (a - b).abs(),
                _ => i32::MAX,
            };
            (dy, self.works[i].key.clone())
        });
        Resolution::Unresolved(
            candidates
                .into_iter()
                .take(3)
                .map(|i| self.works[i].key.clone())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::extract::extract;
    use crate::cite::library::read_bibtex;
    use std::path::Path;

    const BIB: &str = r#"@phdthesis{devilliers2005, author = {de Villiers, Jacobus Christiaan}, title = {Strategic Alliances}, school = {Stellenbosch}, year = {2005}}
@article{clarke2009, author = {Clarke, Nick}, title = {In What Sense}, journal = {PG}, year = {2009}}
@article{clarke2011, author = {Clarke, Nick}, title = {Globalising Care?}, journal = {Geoforum}, year = {2011}}
@article{clarke2011b, author = {Clarke, Nick}, title = {Imitation}, journal = {UG}, year = {2011}}
@book{aldecoa1999, editor = {Aldecoa, Francisco and Keating, Michael}, title = {Paradiplomacy in Action}, publisher = {Frank Cass}, year = {1999}}
@article{otoole, author = {O'Toole, Kevin}, title = {Kokusaika}, journal = {AJIA}, year = {2001}}
@misc{nunez, author = {Núñez, Ana}, title = {Ciudades}, year = {2010}}
"#;

    fn resolve(text: &str) -> Vec<Resolution> {
        let (entries, _) = read_bibtex(Path::new("t.bib"), BIB);
        let r = Resolver::new(entries.iter().map(|e| (e.key.as_str(), &e.record)));
        extract(text).iter().map(|c| r.resolve(c)).collect()
    }

    fn ok(k: &str) -> Resolution {
        Resolution::Resolved(k.into())
    }

    #[test]
    fn resolves_particles_initials_apostrophes_and_diacritics() {
        assert_eq!(
            resolve("as shown (J.C. de Villiers, 2005)."),
            [ok("devilliers2005")]
        );
        assert_eq!(
            resolve("de Villiers (2005) argues so."),
            [ok("devilliers2005")]
        );
        assert_eq!(resolve("a claim (O’Toole, 2001)."), [ok("otoole")]);
        assert_eq!(resolve("a claim (Nunez, 2010)."), [ok("nunez")]);
        assert_eq!(
            resolve("seperti (Aldecoa dan Keating, 1999)."),
            [ok("aldecoa1999")]
        );
    }

    #[test]
    fn year_suffixes_pick_among_same_author_and_year() {
        assert_eq!(
            resolve("x (Clarke, 2011a; Clarke, 2011b)."),
            [ok("clarke2011"), ok("clarke2011b")]
        );
        assert_eq!(resolve("x (Clarke, 2009)."), [ok("clarke2009")]);
        assert!(
            matches!(&resolve("x (Clarke, 2011).")[0], Resolution::Unresolved(c) if c.len() == 2)
        );
    }

    #[test]
    fn unresolved_citations_suggest_the_same_author() {
        assert_eq!(
            resolve("lihat (de Villiers, 2007)."),
            [Resolution::Unresolved(vec!["devilliers2005".into()])]
        );
        assert_eq!(
            resolve("x (Ogawa, 2012)."),
            [Resolution::Unresolved(vec![])]
        );
    }
}
