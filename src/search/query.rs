//! Query parsing: kutip's query syntax over the passage fields, filters, and
//! errors that point at the character where the query went wrong.

use super::Request;
use crate::analysis;
use crate::analysis::glossary::Glossary;
use crate::index::KutipIndex;
use crate::index::schema::USER_FIELDS;
use crate::{Error, Result};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

/// A parsed query with its filters.
pub struct Built {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// Whether the query may be retried with OR between its words.
    pub relaxable: bool,
    /// Whether the query is a plain union of terms with no filter, which the
    /// engine answers for the top hits alone by skipping blocks of passages
    /// that cannot reach them (block-max WAND); counting every match then
    /// takes a separate, unscored pass.
    pub prunable: bool,
}

/// Queries longer than this are refused rather than parsed.
pub const MAX_QUERY_CHARS: usize = 4096;

/// Whether the query uses any operator, so that its meaning must be kept as
/// written (and the glossary does not expand it).
pub fn has_operators(q: &str) -> bool {
    q.split_whitespace().any(|w| {
        matches!(w, "AND" | "OR" | "NOT" | "&&" | "||")
            || w.starts_with(['+', '-'])
            || w.contains(':')
    }) || q.contains(['"', '(', ')'])
}

/// A one-line explanation of a syntax error at a character position.
fn at(query: &str, byte: usize, what: &str) -> Error {
    let col = query[..byte.min(query.len())].chars().count() + 1;
    Error::Usage(format!("query error at character {col}: {what}"))
}

/// Checks the syntax and names the first problem with its position.
pub fn check_syntax(query: &str) -> Result<()> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::Usage(format!(
            "query is longer than {MAX_QUERY_CHARS} characters; search for a shorter part of it"
        )));
    }
    if query.trim().is_empty() {
        return Err(Error::Usage("empty query; give words to search for".into()));
    }
    let quotes: Vec<usize> = query.match_indices('"').map(|(i, _)| i).collect();
    if quotes.len() % 2 == 1 {
        return Err(at(
            query,
            *quotes.last().unwrap_or(&0),
            "unclosed quote; close the \"phrase\" or remove the quote",
        ));
    }
    let mut depth: Vec<usize> = Vec::new();
    let mut in_quote = false;
    for (i, c) in query.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '(' if !in_quote => depth.push(i),
            ')' if !in_quote && depth.pop().is_none() => {
                return Err(at(query, i, "')' without a matching '('"));
            }
            _ => {}
        }
    }
    if let Some(open) = depth.pop() {
        return Err(at(query, open, "'(' is never closed; add ')'"));
    }
    let (_, errors) = tantivy::query_grammar::parse_query_lenient(query);
    if let Some(e) = errors.first() {
        return Err(at(query, e.pos, &e.message));
    }
    Ok(())
}

fn parser_error(query: &str, e: QueryParserError) -> Error {
    match e {
        QueryParserError::FieldDoesNotExist(name) => {
            let pos = query.find(&format!("{name}:")).unwrap_or(0);
            at(
                query,
                pos,
                &format!(
                    "unknown field '{name}'; fields are {}",
                    USER_FIELDS.join(", ")
                ),
            )
        }
        QueryParserError::ExpectedInt(_) | QueryParserError::ExpectedFloat(_) => {
            let pos = query.find("year:").unwrap_or(0);
            at(
                query,
                pos,
                "year must be a number, e.g. year:1991 or year:[1990 TO 2000]",
            )
        }
        other => Error::Usage(format!("query error: {other}")),
    }
}

pub(crate) fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// Weight of the other language's terms added from the glossary.
pub const TRANSLATION_BOOST: f32 = 0.3;

/// How many of a plain query's words a passage must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Every word.
    All,
    /// All but one in three (2 of 3, 3 of 4): BM25 still ranks passages with
    /// every word first, but a passage that says the same thing without one
    /// of the words is not lost.
    Most,
    /// Any word (the fallback when nothing matches otherwise).
    Any,
}

impl Match {
    fn required(self, groups: usize) -> usize {
        match self {
            Match::All => groups,
            Match::Most => groups - groups / 3,
            Match::Any => 1,
        }
        .max(1)
    }
}

/// A group of a plain-word query (see [`groups`]): its own words, as query
/// syntax, and the other language's equivalents, each a quoted phrase.
pub struct Group {
    /// A word, or `(w1 AND w2 …)` for a stretch the glossary knows.
    pub own: String,
    /// Equivalents searched at [`TRANSLATION_BOOST`].
    pub translations: Vec<String>,
}

impl Group {
    /// The group in query syntax, `own OR "translation"^0.3 OR …`: what
    /// [`build`] searches for it, as a reader (or a test) would write it.
    pub fn syntax(&self) -> String {
        std::iter::once(self.own.clone())
            .chain(
                self.translations
                    .iter()
                    .map(|t| format!("{t}^{TRANSLATION_BOOST}")),
            )
            .collect::<Vec<_>>()
            .join(" OR ")
    }
}

/// The groups of a plain-word query: one per word, or per stretch of words
/// the glossary knows, which also matches its equivalents in the other
/// language at a lower weight — `sister city` →
/// `(sister AND city) OR "kota kembar"^0.3 OR …`.
pub fn groups(query: &str, glossary: Option<&Glossary>) -> Vec<Group> {
    let words: Vec<&str> = query.split_whitespace().collect();
    let quoted = |w: &str| format!("\"{}\"", w.replace(['"', '\\'], " "));
    let literal = |w: &str| {
        if w.chars().all(char::is_alphanumeric) {
            w.to_string()
        } else {
            quoted(w)
        }
    };
    let Some(glossary) = glossary else {
        return words
            .iter()
            .map(|w| Group {
                own: literal(w),
                translations: Vec::new(),
            })
            .collect();
    };
    glossary
        .segments(&words)
        .iter()
        .map(|s| Group {
            own: match s.words.as_slice() {
                [w] => literal(w),
                ws => format!(
                    "({})",
                    ws.iter()
                        .map(|w| literal(w))
                        .collect::<Vec<_>>()
                        .join(" AND ")
                ),
            },
            translations: s.translations.iter().map(|t| quoted(t)).collect(),
        })
        .collect()
}

/// The parser of kutip's query syntax: words search the text, exact and
/// stemmed in both languages, and are all required unless joined by `OR`.
pub fn parser(index: &KutipIndex) -> QueryParser {
    let f = index.fields();
    let mut parser = QueryParser::new(
        index.engine().schema(),
        vec![f.text, f.body_id, f.body_en],
        analysis::query_tokenizers(),
    );
    parser.set_conjunction_by_default();
    parser
}

/// Builds the query for `req`. A plain-word query needs `matching` of its
/// words (see [`Match`]) and, with a glossary, also searches the other
/// language; a query with operators means what it says, words all required.
pub fn build(
    index: &KutipIndex,
    req: &Request,
    matching: Match,
    glossary: Option<&Glossary>,
) -> Result<Built> {
    check_syntax(&req.query)?;
    let f = index.fields();
    let parser = parser(index);
    let plain = !has_operators(&req.query);
    let parse = |q: &str| {
        parser
            .parse_query(q)
            .map_err(|e| parser_error(&req.query, e))
    };
    // The user's query, and its terms when it is a union of (boosted) terms.
    let mut distinct_groups = usize::MAX;
    let (user, flat): (Box<dyn Query>, _) = if plain {
        let (parts, terms): (Vec<_>, Vec<_>) = distinct(groups(&req.query, glossary), &parse)?
            .into_iter()
            .unzip();
        distinct_groups = parts.len();
        let required = matching.required(parts.len());
        let flat = (required == 1)
            .then(|| terms.into_iter().collect::<Option<Vec<_>>>())
            .flatten()
            .map(|t| t.into_iter().flatten().collect::<Vec<_>>());
        let user = BooleanQuery::union_with_minimum_required_clauses(parts, required);
        (Box::new(user), flat)
    } else {
        let user = parse(&req.query)?;
        let flat = flat_terms(user.as_ref());
        (user, flat)
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !passages_only(&req.query) {
        // Library records share the index; only a query that can reach
        // their fields needs them filtered out. Scored at zero, so a score
        // does not depend on whether the filter was needed.
        let passage = Box::new(ConstScoreQuery::new(term(f.kind, "passage"), 0.0));
        clauses.push((Occur::Must, passage));
    }
    if let Some(key) = &req.cites {
        clauses.push((Occur::Must, term(f.cites_key, key)));
    }
    if let Some(lang) = req.lang {
        clauses.push((Occur::Must, term(f.lang, lang.code())));
    }
    if let Some(name) = &req.author {
        let words = analysis::analyze(analysis::EXACT, name);
        if words.is_empty() {
            return Err(Error::Usage(
                "--author needs a name, e.g. --author zelinsky".into(),
            ));
        }
        for (w, _) in words {
            clauses.push((Occur::Must, term(f.author, &w)));
        }
    }
    if let Some((from, to)) = req.years {
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.year, from as i64)),
                Bound::Included(Term::from_field_i64(f.year, to as i64)),
            )),
        ));
    }
    // Relaxing a query of one group (after merging) would ask the same again.
    let relaxable = matching != Match::Any && plain && distinct_groups > 1;
    if clauses.is_empty()
        && let Some(terms) = flat
        && !terms.is_empty()
    {
        return Ok(Built {
            query: Box::new(BooleanQuery::union(terms)),
            relaxable,
            prunable: true,
        });
    }
    clauses.insert(0, (Occur::Must, user));
    Ok(Built {
        query: Box::new(BooleanQuery::new(clauses)),
        relaxable,
        prunable: false,
    })
}

/// Term queries, as a union of them is built from.
type Terms = Vec<Box<dyn Query>>;

/// A group's query, and its terms when it is a union of terms.
type GroupQuery = (Box<dyn Query>, Option<Terms>);

/// The queries of `groups`, each searched once: a group that parses to the
/// same terms in the same fields as an earlier one (`kota kota`, `Kota kota`)
/// is dropped. A repeated word adds no weight — `kota kota` ranks as `kota`
/// does, since a query names what to find, not how much — and it no longer
/// counts twice towards the words a passage must have (`kota kembar kota`
/// needs `kembar`), nor costs one scorer per copy (a word typed 1,000 times
/// took seconds and hundreds of MB).
fn distinct(
    groups: Vec<Group>,
    parse: &impl Fn(&str) -> Result<Box<dyn Query>>,
) -> Result<Vec<GroupQuery>> {
    let mut written = std::collections::HashSet::new();
    let mut analysed = std::collections::HashSet::new();
    let mut out = Vec::new();
    // The same text is the same query: skip it before parsing it again.
    for g in groups.iter().filter(|g| written.insert(g.syntax())) {
        let (query, terms) = group_query(g, parse)?;
        // A query's Debug form lists its fields, terms and boosts.
        if analysed.insert(format!("{query:?}")) {
            out.push((query, terms));
        }
    }
    Ok(out)
}

/// A group's query (its own words, or any of their translations at a lower
/// weight), and its terms when it is a union of terms, translated ones boosted.
fn group_query(g: &Group, parse: &impl Fn(&str) -> Result<Box<dyn Query>>) -> Result<GroupQuery> {
    let own = parse(&g.own)?;
    let mut terms = flat_terms(own.as_ref());
    let mut alternatives = vec![own];
    for t in &g.translations {
        let q = parse(t)?;
        // A boosted term's scorer is still a term scorer (the boost is
        // handed down), so the union stays prunable.
        terms = terms.zip(flat_terms(q.as_ref())).map(|(mut ts, more)| {
            ts.extend(more.into_iter().map(|m| boosted(m, TRANSLATION_BOOST)));
            ts
        });
        alternatives.push(boosted(q, TRANSLATION_BOOST));
    }
    let query = match alternatives.len() {
        1 => alternatives.remove(0),
        _ => Box::new(BooleanQuery::union(alternatives)),
    };
    Ok((query, terms))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// Whether `query` can only match passages: it names no field that other
/// documents carry too, and has no `*` (every document).
fn passages_only(query: &str) -> bool {
    if query.contains('*') {
        return false;
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    query.match_indices(':').all(|(i, _)| {
        let before = &query[..i];
        let start = before.rfind(|c: char| !ident(c)).map_or(0, |j| {
            j + before[j..].chars().next().map_or(1, char::len_utf8)
        });
        let name = &before[start..];
        // A colon with no name before it is not a field; the parser refuses it.
        name.is_empty() || crate::index::schema::only_on_passages(name)
    })
}

/// The term queries of `query` when it is a union of terms, nested or not
/// (what a word searched in several fields parses to), flattened: the same
/// matches and, as a union sums its clauses, the same scores.
fn flat_terms(query: &dyn Query) -> Option<Terms> {
    if query.downcast_ref::<TermQuery>().is_some() {
        return Some(vec![query.box_clone()]);
    }
    if query.downcast_ref::<EmptyQuery>().is_some() {
        return Some(Vec::new());
    }
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    if boolean.get_minimum_number_should_match() > 1 {
        return None;
    }
    let mut out = Vec::new();
    for (occur, clause) in boolean.clauses() {
        if *occur != Occur::Should {
            return None;
        }
        out.extend(flat_terms(clause.as_ref())?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(q: &str) -> String {
        check_syntax(q).unwrap_err().to_string()
    }

    #[test]
    fn syntax_errors_name_the_position() {
        assert_eq!(
            err("kota \"kembar"),
            "query error at character 6: unclosed quote; close the \"phrase\" or remove the quote"
        );
        assert!(err("(kota OR desa").starts_with("query error at character 1: '('"));
        assert!(err("kota)").starts_with("query error at character 5"));
        assert!(check_syntax("kota AND \"kerja sama\" -desa").is_ok());
    }

    #[test]
    fn expansion_adds_the_other_language_at_lower_weight() {
        let g = Glossary::built_in();
        let q: Vec<String> = groups("sister city reconciliation", Some(&g))
            .iter()
            .map(Group::syntax)
            .collect();
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[0].starts_with("(sister AND city) OR "), "{q:?}");
        assert!(q[0].contains("\"kota kembar\"^0.3"), "{q:?}");
        assert!(
            q[1].starts_with("reconciliation OR \"rekonsiliasi\"^0.3"),
            "{q:?}"
        );
        for g in &q {
            assert!(
                tantivy::query_grammar::parse_query_lenient(g).1.is_empty(),
                "{g}"
            );
        }
        let plain: Vec<String> = groups("zzz o'neil", Some(&g))
            .iter()
            .map(Group::syntax)
            .collect();
        assert_eq!(plain, ["zzz", "\"o'neil\""]);
    }

    #[test]
    fn most_words_means_all_but_one_in_three() {
        let req: Vec<usize> = (1..=6).map(|n| Match::Most.required(n)).collect();
        assert_eq!(req, [1, 2, 2, 3, 4, 4]);
    }

    /// The body_id terms `query` is searched with.
    fn indonesian_terms(index: &KutipIndex, query: &str) -> Vec<String> {
        let req = Request {
            query: query.into(),
            limit: 10,
            ..Request::default()
        };
        let built = build(index, &req, Match::All, None).unwrap();
        let field = index.fields().body_id;
        let mut out = Vec::new();
        built.query.query_terms(&mut |t, _| {
            if t.field() == field {
                out.extend(t.value().as_str().map(str::to_string));
            }
        });
        out
    }

    #[test]
    fn a_compound_is_searched_as_one_term_in_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        for q in ["\"kerja sama\"", "bekerjasama", "kerja-sama"] {
            assert_eq!(indonesian_terms(&index, q), ["kerjasama"], "{q}");
        }
        let mut phrase = indonesian_terms(&index, "\"kerja sama ekonomi\"");
        phrase.sort();
        assert_eq!(phrase, ["ekonomi", "kerjasama"]);
    }

    #[test]
    fn a_phrase_of_function_words_is_left_to_the_exact_field() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        assert!(indonesian_terms(&index, "\"ke dengan\"").is_empty());
        assert!(indonesian_terms(&index, "\"dan dalam\" kota").contains(&"kota".to_string()));
        let mut mixed = indonesian_terms(&index, "\"ke dalam negeri\"");
        mixed.sort();
        assert_eq!(mixed, ["dalam", "ke", "negeri"]);
    }

    #[test]
    fn records_are_filtered_out_only_where_a_query_can_reach_them() {
        for q in [
            "kota kembar",
            "\"kerja sama\"",
            "author:clarke OR title:twin",
            "year:[1990 TO 2000] kota",
            "cites_key:ogawa2012",
        ] {
            assert!(passages_only(q), "{q}");
        }
        for q in [
            "key:ogawa2012",
            "kota AND path:x",
            "(kind:record)",
            "*",
            "text:kota*",
            "+file:a.txt",
        ] {
            assert!(!passages_only(q), "{q}");
        }
    }

    /// Whether `query` is built as a plain union of terms.
    fn prunable(index: &KutipIndex, query: &str, lang: Option<crate::analysis::Lang>) -> bool {
        let req = Request {
            query: query.into(),
            limit: 10,
            lang,
            ..Request::default()
        };
        build(index, &req, Match::Most, None).unwrap().prunable
    }

    #[test]
    fn a_word_or_a_choice_of_words_is_a_union_of_terms() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        assert!(prunable(&index, "paradiplomasi", None));
        assert!(prunable(&index, "kota OR city OR (desa OR village)", None));
        // Both words required, a phrase, a filter, or records in reach: not a union.
        assert!(!prunable(&index, "kota kembar", None));
        assert!(!prunable(&index, "\"kota kembar\"", None));
        assert!(!prunable(&index, "kota", Some(crate::analysis::Lang::Id)));
        assert!(!prunable(&index, "key:ogawa2012", None));
    }

    /// The query built for `query`, as text, and how many terms it holds.
    fn shape(index: &KutipIndex, query: &str, glossary: Option<&Glossary>) -> (String, usize) {
        let req = Request {
            query: query.into(),
            limit: 10,
            ..Request::default()
        };
        let built = build(index, &req, Match::Most, glossary).unwrap();
        let mut terms = 0;
        built.query.query_terms(&mut |_, _| terms += 1);
        (format!("{:?}", built.query), terms)
    }

    #[test]
    fn a_repeated_word_is_searched_once() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        let glossary = Glossary::built_in();
        // 1,000 times, within the 4,096 characters a query may have.
        let many = vec!["war"; 1000].join(" ");
        for g in [None, Some(&glossary)] {
            assert_eq!(shape(&index, &many, g), shape(&index, "war", g));
            // The same word in other letter case is the same terms.
            assert_eq!(shape(&index, "Kota kota KOTA", g), shape(&index, "kota", g));
            assert_eq!(
                shape(&index, "kota kembar kota kembar", g),
                shape(&index, "kota kembar", g)
            );
            assert_eq!(
                shape(&index, "sister city sister city", g),
                shape(&index, "sister city", g)
            );
        }
        // Operators keep the query as written.
        assert_ne!(
            shape(&index, "\"kota kota\"", None),
            shape(&index, "\"kota\"", None)
        );
    }

    #[test]
    fn operators_are_detected() {
        assert!(!has_operators("kota kembar"));
        assert!(has_operators("kota OR desa"));
        assert!(has_operators("author:clarke twinning"));
    }
}
