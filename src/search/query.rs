//! Query parsing: kutip's query syntax over the passage fields, filters, and
//! errors that point at the character where the query went wrong.

use super::Request;
use super::held::Held;
use super::wand::{self, Bounded, Counted, bm25_bound};
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
    /// For a query of one phrase alone, how to answer it in two steps
    /// instead of running `query` (see [`PhrasePlan`]).
    pub phrase: Option<PhrasePlan>,
    /// Whether the query is a plain union of terms with no filter, which the
    /// engine answers for the top hits alone by skipping blocks of passages
    /// that cannot reach them (block-max WAND); counting every match then
    /// takes a separate, unscored pass.
    pub prunable: bool,
}

/// A query of one phrase alone, answered as `query` ranks it, in two steps:
/// the passages holding the phrase, ranked by the phrase (all of their
/// scores are above the others'), then, only when they do not fill the
/// page, the other passages holding its words, which score in `query`
/// exactly what they score in `words` — a query that may be answered
/// pruned, where `query` may not.
pub struct PhrasePlan {
    /// The phrase with the filters, scored as in the whole query less
    /// [`CITED`], which every passage holding the phrase scores there.
    pub first: Box<dyn Query>,
    /// The phrase's words as a plain query, with the filters.
    pub words: Box<dyn Query>,
    /// Whether `words` is answered pruned.
    pub words_prunable: bool,
    /// The passages holding its words, with the filters (`None`: it has
    /// none to count, only function words); the phrase's own passages not
    /// among them are counted apart (see `search::phrase_first`).
    pub count: Option<Box<dyn Query>>,
}

/// Queries longer than this are refused rather than parsed.
pub const MAX_QUERY_CHARS: usize = 4096;

/// Whether the query uses any operator, so that its meaning must be kept as
/// written: `AND`/`OR`/`NOT`, a `+required` or `-excluded` word, a
/// `"phrase"`, a known `field:`, or `*`. What a reader pastes is not an
/// operator: a colon after a word that is no field (`Perforated
/// Sovereignties: Towards …`), parentheses around a year (`Zelinsky
/// (1991)`), curly quotes, dashes, a URL or a DOI — such a query is plain
/// words; parentheses group only in a query with operators.
pub fn has_operators(q: &str) -> bool {
    q.contains('"')
        || q.split_whitespace().any(|w| {
            matches!(w, "AND" | "OR" | "NOT" | "&&" | "||" | "*")
                || w.strip_prefix(['+', '-'])
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_alphanumeric() || c == '('))
                || names_a_field(w)
        })
}

/// Whether `word` starts with a known field's name and a colon
/// (`author:clarke`, `(title:twin`, `+year:1991`).
fn names_a_field(word: &str) -> bool {
    let w = word.trim_start_matches(['(', '+', '-']);
    w.split_once(':')
        .is_some_and(|(name, _)| USER_FIELDS.contains(&name))
}

/// In a plain query, the first word that looks like a field but names none
/// (`autor:clarke`, a letter or two off `author:`): it was searched as
/// words, which the user may not have meant.
pub fn unknown_field(q: &str) -> Option<&str> {
    if has_operators(q) {
        return None;
    }
    q.split_whitespace().find_map(|w| {
        let (name, rest) = w.split_once(':')?;
        let looks = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && rest.starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '[');
        looks.then_some(name)
    })
}

/// The words of a plain query as a reader means them: split at white
/// space, with the punctuation around each left out (`Sovereignties:`,
/// `(Zelinsky,`, `1991)`, `“Perforated`), and a word of punctuation alone
/// (a dash, a bullet) dropped. Punctuation inside a word stays
/// (`North-South`, `o'neil`, `10.1177/0010414012463885`).
pub fn plain_words(q: &str) -> Vec<&str> {
    q.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
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

/// Score of a passage for each content word of the query it holds, beside
/// BM25's few units: a passage holding more of the query's words ranks
/// above one holding fewer, whatever their BM25 (coordination), and BM25
/// with proximity orders passages holding as many.
pub const COORDINATION: f32 = 1000.0;

/// What a word found only in translation counts for in coordination, as a
/// share of the word itself: a translation is a dictionary's guess at the
/// word, and a reader's own language is what they searched in. A passage
/// holding the words ranks above one holding as many of their translations,
/// and a passage holding two of three words above one holding all three in
/// translation; one holding all in translation above one holding one word.
pub const TRANSLATION_SHARE: f32 = 0.6;

/// Score of a passage that cites a work the query cites, or holds the
/// phrase a query of one phrase asks for: above any number of words a query
/// may hold, so that these passages come first and the others fill the page.
pub const CITED: f32 = COORDINATION * 1000.0;

/// Weight of two adjacent query words found near each other.
pub const PROXIMITY: f32 = 0.5;

/// How far apart (in positions, beyond adjacent) two adjacent query words
/// may stand to count as near.
const PROXIMITY_SLOP: u32 = 3;

/// A group of a plain-word query (see [`groups`]): its own words, as query
/// syntax, and the other language's equivalents, each a quoted phrase.
pub struct Group {
    /// The query words, as typed.
    pub words: Vec<String>,
    /// A word, or `(w1 AND w2 …)` for a stretch the glossary knows.
    pub own: String,
    /// Equivalents, each a quoted phrase with its weight.
    pub translations: Vec<(String, f32)>,
}

impl Group {
    /// The group in query syntax, `own OR "translation"^0.3 OR …`: what
    /// [`build`] searches for it, as a reader (or a test) would write it.
    pub fn syntax(&self) -> String {
        std::iter::once(self.own.clone())
            .chain(self.translations.iter().map(|(t, w)| format!("{t}^{w}")))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    /// Whether the group is only function words, which weigh nothing.
    fn function_words(&self) -> bool {
        self.words
            .iter()
            .all(|w| analysis::is_function_word(&w.to_lowercase()))
    }
}

/// `w` as a quoted phrase of the query syntax.
fn quoted(w: &str) -> String {
    format!("\"{}\"", w.replace(['"', '\\'], " "))
}

/// A word in the query syntax: as it is, or quoted when it holds anything
/// but letters and digits (`o'neil`, `North-South`, a DOI).
fn literal(w: &str) -> String {
    if w.chars().all(char::is_alphanumeric) {
        w.to_string()
    } else {
        quoted(w)
    }
}

/// The groups of plain words: one per word, or per stretch of words the
/// glossary knows, which also matches its equivalents in the other language
/// at a lower weight — `sister city` → `(sister AND city) OR "kota kembar"^0.3 OR …`.
pub fn groups(words: &[&str], glossary: Option<&Glossary>) -> Vec<Group> {
    let Some(glossary) = glossary else {
        return words
            .iter()
            .map(|w| Group {
                words: vec![w.to_string()],
                own: literal(w),
                translations: Vec::new(),
            })
            .collect();
    };
    glossary
        .segments(words)
        .into_iter()
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
            translations: s
                .translations
                .iter()
                .map(|t| (quoted(&t.text), t.weight))
                .collect(),
            words: s.words,
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

/// Builds the query for `req`. A query of plain words is matched as a
/// reader means it (see [`natural`]); a query with operators means what it
/// says, its words all required.
pub fn build(index: &KutipIndex, req: &Request, glossary: Option<&Glossary>) -> Result<Built> {
    let plain = !has_operators(&req.query);
    if plain {
        check_plain(&req.query)?;
    } else {
        check_syntax(&req.query)?;
    }
    let f = index.fields();
    let parser = parser(index);
    let parse = |q: &str| {
        parser
            .parse_query(q)
            .map_err(|e| parser_error(&req.query, e))
    };
    // The user's query, and its terms when it is a union of (boosted) terms.
    // A lone phrase: the phrase, its words as a plain query, and that
    // query's terms when it is a union of them.
    let mut phrase: Option<(Box<dyn Query>, Option<Natural>)> = None;
    // Whether `user` is a union that the engine answers pruned (WAND).
    let mut bounded = false;
    let searcher = index.searcher();
    // Each term's document frequency, read once (over every segment).
    let seen = std::cell::RefCell::new(std::collections::HashMap::<Term, u64>::new());
    let doc_freq = |t: &Term| -> u64 {
        if let Some(df) = seen.borrow().get(t) {
            return *df;
        }
        let df = searcher.doc_freq(t).unwrap_or(0);
        seen.borrow_mut().insert(t.clone(), df);
        df
    };
    let n = searcher.num_docs();
    let weight = |q: &dyn Query| informativeness(n, &doc_freq, q);
    let bound = |q: &dyn Query| bm25_bound(n, &doc_freq, q);
    let (user, flat): (Box<dyn Query>, _) = if plain {
        let mut found = natural(&req.query, glossary, &parse, &weight, &bound)?;
        let keys = cited_works(index, &req.query);
        if !keys.is_empty() {
            // A pasted citation: the passages citing the work first,
            // as `--cites` finds them, then those with its words.
            found.terms = None;
            for key in keys {
                let cites = ConstScoreQuery::new(term(f.cites_key, &key), CITED);
                found
                    .clauses
                    .push(vec![(Box::new(cites) as Box<dyn Query>, CITED)]);
                if !found.counted.is_empty() {
                    found.counted.push(term(f.cites_key, &key));
                }
            }
        }
        bounded = found.bounded();
        (found.query(), found.flat())
    } else {
        let text = match glossary {
            Some(g) => translated(&req.query, g),
            None => req.query.clone(),
        };
        // Parsed once for its errors, then built with seekable unions.
        let user = parse(&text)?;
        let user = match tantivy::query_grammar::parse_query(&text) {
            Ok(ast) => seekable(&parser, ast, false)
                .map_err(|e| parser_error(&req.query, e))?
                .unwrap_or(user),
            Err(_) => user,
        };
        let user = match lone_phrase(&req.query) {
            // A phrase alone: the passages with the phrase first, then, to
            // fill the page, those with its words, as if typed unquoted.
            // A phrase of function words alone (`"di ke sejak"`) has no
            // words to fill its page with: they weigh nothing.
            Some(words)
                if !plain_words(words).is_empty()
                    && plain_words(words)
                        .iter()
                        .all(|w| analysis::is_function_word(&w.to_lowercase())) =>
            {
                phrase = Some((user.box_clone(), None));
                let first = ConstScoreQuery::new(user.box_clone(), CITED);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(first) as Box<dyn Query>),
                    (Occur::Should, user),
                ])) as Box<dyn Query>
            }
            Some(words) if !plain_words(words).is_empty() => {
                // Its words as typed, not their translations: the phrase
                // asks for these words (its translation, when the glossary
                // has one, is searched as a phrase with it).
                let found = natural(words, None, &parse, &weight, &bound)?;
                let loose = found.query();
                let first = ConstScoreQuery::new(user.box_clone(), CITED);
                phrase = Some((user.box_clone(), Some(found)));
                // The phrase's passages ranked by the phrase, the others by
                // its words.
                let others = BooleanQuery::new(vec![
                    (Occur::Must, loose),
                    (Occur::MustNot, user.box_clone()),
                ]);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(first) as Box<dyn Query>),
                    (Occur::Should, user),
                    (Occur::Should, Box::new(others)),
                ])) as Box<dyn Query>
            }
            _ => user,
        };
        let mut flat = flat_terms(user.as_ref())
            .filter(|t| !t.is_empty())
            .map(|t| Box::new(BooleanQuery::union(t)) as Box<dyn Query>);
        // Words joined by OR, with their translations: built from the
        // words' groups, whose translated terms stay term queries, so that
        // the union is answered pruned as it was without translations.
        if let (Some(g), Some(words)) = (glossary, or_of_words(&req.query)) {
            let parts = distinct(groups(&words, Some(g)), &parse)?;
            if let Some(terms) = parts
                .iter()
                .map(|p| p.terms.as_ref())
                .collect::<Option<Vec<_>>>()
            {
                let terms: Terms = terms.into_iter().flatten().map(|t| t.box_clone()).collect();
                let same = parts
                    .iter()
                    .flat_map(|p| std::iter::once(&p.own).chain(&p.translated))
                    .map(|q| q.box_clone())
                    .collect();
                flat = (!terms.is_empty()).then(|| {
                    Box::new(Counted::new(Box::new(BooleanQuery::union(terms)), same))
                        as Box<dyn Query>
                });
            }
        }
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
    if clauses.is_empty() {
        if let Some(query) = flat {
            return Ok(Built {
                query,
                phrase: None,
                prunable: true,
            });
        }
        if bounded {
            return Ok(Built {
                query: user,
                phrase: None,
                prunable: true,
            });
        }
    }
    let filtered = |mut q: Vec<(Occur, Box<dyn Query>)>| -> Box<dyn Query> {
        q.extend(clauses.iter().map(|(o, q)| (*o, q.box_clone())));
        Box::new(BooleanQuery::new(q))
    };
    let phrase = phrase.map(|(p, loose)| {
        let (words, words_prunable) = match &loose {
            None => (Box::new(EmptyQuery) as Box<dyn Query>, true),
            Some(loose) => match loose.flat() {
                Some(union) if clauses.is_empty() => (union, true),
                _ if clauses.is_empty() && loose.bounded() => (loose.query(), true),
                _ => (filtered(vec![(Occur::Must, loose.query())]), false),
            },
        };
        PhrasePlan {
            count: loose
                .as_ref()
                .map(|loose| filtered(vec![(Occur::Must, loose.query())])),
            first: match clauses.is_empty() {
                true => p,
                false => filtered(vec![(Occur::Must, p)]),
            },
            words,
            words_prunable,
        }
    });
    clauses.insert(0, (Occur::Must, user));
    Ok(Built {
        query: Box::new(BooleanQuery::new(clauses)),
        phrase,
        prunable: false,
    })
}

/// The words of a query of words joined by `OR` alone (`kota OR city OR desa`).
fn or_of_words(q: &str) -> Option<Vec<&str>> {
    let tokens: Vec<&str> = q.split_whitespace().collect();
    if tokens.len() < 3 || tokens.len().is_multiple_of(2) {
        return None;
    }
    for (i, t) in tokens.iter().enumerate() {
        let fits = if i % 2 == 1 {
            matches!(*t, "OR" | "||")
        } else {
            t.chars().all(char::is_alphanumeric)
        };
        if !fits {
            return None;
        }
    }
    Some(tokens.iter().step_by(2).copied().collect())
}

/// The words of a query that is one quoted phrase and nothing else.
fn lone_phrase(query: &str) -> Option<&str> {
    let inner = query.trim().strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('"')).then_some(inner)
}

/// Checks a plain-word query: not too long, and with a word in it.
fn check_plain(query: &str) -> Result<()> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::Usage(format!(
            "query is longer than {MAX_QUERY_CHARS} characters; search for a shorter part of it"
        )));
    }
    if query.trim().is_empty() {
        return Err(Error::Usage("empty query; give words to search for".into()));
    }
    if plain_words(query).is_empty() {
        return Err(Error::Usage(
            "query error at character 1: the query has no words, only punctuation; give words to search for".into(),
        ));
    }
    Ok(())
}

/// A plain-word query, matched as a reader means it: every word counts and
/// none is required. A passage scores BM25 over all of the words (each the
/// union of its analyses and its translations), plus [`COORDINATION`] for
/// each content word it holds, so that passages holding every word rank
/// first and the page is filled with the best partial matches after them;
/// plus [`PROXIMITY`] where two adjacent words stand close together.
/// Function words weigh nothing: when the query has other words they are
/// left out. Returns the query, and its terms when it is a plain union of
/// them (a query of one word), which the engine answers pruned.
fn natural(
    query: &str,
    glossary: Option<&Glossary>,
    parse: &impl Fn(&str) -> Result<Box<dyn Query>>,
    weight: &dyn Fn(&dyn Query) -> f32,
    bound: &dyn Fn(&dyn Query) -> f32,
) -> Result<Natural> {
    let words = plain_words(query);
    // A stretch the glossary knows (`international cooperation`) is
    // searched word by word, as any words are, and its translation
    // (`kerja sama internasional`) as one more part: a passage holding
    // one of its words is not passed over for lacking the other.
    let mut split = Vec::new();
    for g in groups(&words, glossary) {
        if g.words.len() > 1 {
            split.extend(groups(
                &g.words.iter().map(String::as_str).collect::<Vec<_>>(),
                None,
            ));
        }
        split.push(g);
    }
    let parts = distinct(split, parse)?;
    let content: Vec<&Part> = parts
        .iter()
        .filter(|p| !p.function_words && p.words.len() == 1)
        .collect();
    let scored: Vec<&Part> = if content.is_empty() {
        parts.iter().collect()
    } else {
        content
    };
    if let [one] = scored.as_slice() {
        let flat = one
            .terms
            .as_ref()
            .map(|ts| ts.iter().map(|t| t.box_clone()).collect());
        return Ok(Natural {
            clauses: vec![vec![(one.query.box_clone(), bound(one.query.as_ref()))]],
            bonuses: Vec::new(),
            counted: std::iter::once(one.own.box_clone())
                .chain(one.translated.as_ref().map(|t| t.box_clone()))
                .collect(),
            terms: flat,
        });
    }
    // Groups of alternatives (a word, its translations), each with the
    // largest score it can give, for WAND.
    let mut clauses: Vec<Alternatives> = Vec::new();
    let mut word_weight: std::collections::HashMap<&str, f32> = Default::default();
    // The coordination of a word of a translated stretch is taken together
    // with the stretch's translation, below.
    let in_stretch: std::collections::HashSet<&str> = parts
        .iter()
        .filter(|p| p.words.len() > 1 && p.translated.is_some())
        .flat_map(|p| p.words.iter().map(String::as_str))
        .collect();
    let mut stretch_words: std::collections::HashMap<&str, Alternatives> = Default::default();
    // Function words beside content words: their BM25 (a faint sign, as
    // in a bag of words), on passages holding a content word only.
    let mut bonuses = Vec::new();
    if scored.len() < parts.len() {
        for p in parts
            .iter()
            .filter(|p| p.function_words && p.words.len() == 1)
        {
            bonuses.push((p.own.box_clone(), bound(p.own.as_ref())));
        }
    }
    for p in &scored {
        if p.function_words {
            clauses.push(vec![(p.query.box_clone(), bound(p.query.as_ref()))]);
            continue;
        }
        {
            // BM25 and coordination from one reading of the postings.
            let w = weight(p.own.as_ref());
            word_weight.insert(&p.words[0], w);
            let own: Box<dyn Query> = Box::new(Held::new(
                wand::sum(wand::parts(p.own.box_clone())),
                COORDINATION * w,
            ));
            let own_bound = COORDINATION * w + bound(p.own.as_ref());
            let mut held = vec![(own, own_bound)];
            // A translation counts a share of the word (its informativeness
            // is the word's: a passage holding the translation holds the
            // word's meaning); a passage holding both the word and its
            // translation holds the word once (the better of the two).
            if p.translated.is_some() {
                let w = w * TRANSLATION_SHARE;
                let translated: Box<dyn Query> =
                    Box::new(Held::new(p.query_translated.box_clone(), COORDINATION * w));
                let translated_bound = COORDINATION * w + bound(p.query_translated.as_ref());
                held.push((translated, translated_bound));
            }
            if in_stretch.contains(p.words[0].as_str()) {
                stretch_words.insert(&p.words[0], held);
            } else {
                clauses.push(held);
            }
        }
    }
    // Stretches: their translations, held for all of their words.
    for p in parts.iter().filter(|p| p.words.len() > 1) {
        if p.translated.is_none() {
            continue;
        }
        let own: f32 = p
            .words
            .iter()
            .map(|w| word_weight.get(w.as_str()).copied().unwrap_or(0.0))
            .sum();
        let w = own * TRANSLATION_SHARE;
        let translated: Box<dyn Query> =
            Box::new(Held::new(p.query_translated.box_clone(), COORDINATION * w));
        let translated_bound = COORDINATION * w + bound(p.query_translated.as_ref());
        // The stretch is held once: in its words (each counting) or in its
        // translation, whichever counts more.
        let words: Vec<Alternatives> = p
            .words
            .iter()
            .filter_map(|w| stretch_words.get(w.as_str()).map(copy_group))
            .collect();
        let mut held = vec![(translated, translated_bound)];
        if !words.is_empty() {
            let own_bound: f32 = words
                .iter()
                .map(|g| g.iter().map(|(_, b)| *b).fold(0.0, f32::max))
                .sum();
            let own = words
                .into_iter()
                .fold(Bounded::new(Vec::new()), Bounded::with_best_of);
            held.insert(0, (Box::new(own) as Box<dyn Query>, own_bound));
        }
        clauses.push(held);
    }
    // Two words near each other: a bonus on passages holding both.
    for pair in scored.windows(2) {
        let words: Vec<&str> = pair
            .iter()
            .flat_map(|p| p.words.iter().map(String::as_str))
            .collect();
        let phrase = format!("{}~{PROXIMITY_SLOP}", quoted(&words.join(" ")));
        // A pair the parser cannot take as a phrase only loses its bonus.
        if let Ok(q) = parse(&phrase) {
            let b = PROXIMITY * bound(q.as_ref());
            bonuses.push((boosted(q, PROXIMITY), b));
        }
    }
    // The passages matched: those holding a word or a translation.
    let mut counted = Vec::new();
    for p in parts
        .iter()
        .filter(|p| p.words.len() > 1 || scored.iter().any(|s| std::ptr::eq(*s, *p)))
    {
        if p.words.len() == 1 {
            counted.push(p.own.box_clone());
        }
        counted.extend(p.translated.as_ref().map(|t| t.box_clone()));
    }
    Ok(Natural {
        clauses,
        bonuses,
        counted,
        terms: None,
    })
}

/// Alternatives, each with the largest score it can give: a passage scores
/// the best of those it matches.
type Alternatives = Vec<(Box<dyn Query>, f32)>;

fn copy_group(g: &Alternatives) -> Alternatives {
    g.iter().map(|(q, b)| (q.box_clone(), *b)).collect()
}

/// A plain-word query (see [`natural`]): its groups of clauses, each with
/// the largest score it can give, and its terms when it is a union of them.
struct Natural {
    clauses: Vec<Alternatives>,
    /// Scores added to passages the clauses match (words near each
    /// other), with their bounds.
    bonuses: Vec<(Box<dyn Query>, f32)>,
    /// Unscored queries matching the passages the clauses match (see
    /// [`Bounded::counted_by`]); none to count with the clauses.
    counted: Vec<Box<dyn Query>>,
    terms: Option<Terms>,
}

impl Natural {
    /// The query: its clause alone, or the union of its clauses; counted
    /// as the union of `counted` when there is one.
    fn query(&self) -> Box<dyn Query> {
        let q = self.scored();
        if self.counted.is_empty() {
            return q;
        }
        let same = self.counted.iter().map(|c| c.box_clone()).collect();
        Box::new(Counted::new(q, same))
    }

    /// The union of its terms, when it is one, counted as `query` is.
    fn flat(&self) -> Option<Box<dyn Query>> {
        let terms = self.terms.as_ref().filter(|t| !t.is_empty())?;
        let union: Box<dyn Query> = Box::new(BooleanQuery::union(
            terms.iter().map(|t| t.box_clone()).collect(),
        ));
        if self.counted.is_empty() {
            return Some(union);
        }
        let same = self.counted.iter().map(|c| c.box_clone()).collect();
        Some(Box::new(Counted::new(union, same)))
    }

    fn scored(&self) -> Box<dyn Query> {
        if let ([one], true) = (self.clauses.as_slice(), self.bonuses.is_empty())
            && let [(q, _)] = one.as_slice()
        {
            return q.box_clone();
        }
        let mut q = self
            .clauses
            .iter()
            .map(copy_group)
            .fold(Bounded::new(Vec::new()), Bounded::with_best_of);
        for (b, bound) in copy_group(&self.bonuses) {
            q = q.with_bonus(b, bound);
        }
        Box::new(q)
    }

    /// Whether the query is a union the engine answers pruned.
    fn bounded(&self) -> bool {
        self.clauses.iter().map(Vec::len).sum::<usize>() > 1 || !self.bonuses.is_empty()
    }
}

/// The library keys of the works that a pasted citation in `query` names
/// (`Zelinsky (1991)`, `(Ogawa, 2012, p. 3)`), as the index resolved them
/// in the passages that cite them: a passage whose text has the surname and
/// the year, and a citation of that author and year with a key.
fn cited_works(index: &KutipIndex, query: &str) -> Vec<String> {
    use crate::cite::resolve::normalize_name;
    let mut found: Vec<(String, String)> = crate::cite::extract::extract(query)
        .into_iter()
        .filter_map(|c| Some((c.authors.first()?.clone(), c.year)))
        .collect();
    if found.is_empty() {
        found.extend(reference_entry(query));
    }
    if found.is_empty() {
        return Vec::new();
    }
    let f = index.fields();
    let searcher = index.searcher();
    let mut keys: Vec<String> = Vec::new();
    for (first, year) in &found {
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, term(f.kind, "passage"))];
        let words = analysis::analyze(analysis::EXACT, &format!("{first} {year}"));
        if words.is_empty() {
            continue;
        }
        for (w, _) in words {
            must.push((Occur::Must, term(f.text, &w)));
        }
        let q = BooleanQuery::new(must);
        let Ok(top) = searcher.search(
            &q,
            &tantivy::collector::TopDocs::with_limit(50).order_by_score(),
        ) else {
            continue;
        };
        let name = normalize_name(first);
        for (_, addr) in top {
            let Ok(doc) = searcher.doc::<tantivy::schema::TantivyDocument>(addr) else {
                continue;
            };
            for pc in index.passage(&doc).cites {
                let same = pc.year == *year
                    && pc
                        .authors
                        .first()
                        .is_some_and(|a| normalize_name(a) == name);
                if let (true, Some(k)) = (same, pc.key)
                    && !keys.contains(&k)
                {
                    keys.push(k);
                }
            }
        }
    }
    keys
}

/// The first author's surname and the year of a pasted reference-list
/// entry, `Zelinsky, W. (1991). The Twinning …` (APA, Harvard): a surname,
/// a comma, initials, and a year in brackets within the first few words.
fn reference_entry(query: &str) -> Option<(String, String)> {
    let (surname, rest) = query.trim().split_once(',')?;
    let surname = surname.trim();
    // The name itself capitalised, after any particle (`de Villiers`).
    let capitalised = surname
        .split_whitespace()
        .last()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    if !capitalised
        || surname.split_whitespace().count() > 3
        || surname.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let open = rest.find('(')?;
    // Initials and co-authors before the year, not a sentence.
    if rest[..open].split_whitespace().count() > 12 {
        return None;
    }
    let inside = &rest[open + 1..];
    let year: String = inside
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let digits = year.chars().take_while(char::is_ascii_digit).count();
    (digits == 4 && year.len() <= 5).then(|| (surname.to_string(), year))
}

/// A query with operators, each plain word (alone, `+required`, or in a
/// group) also matching its translations at their weight — `+kota OR desa`
/// → `+(kota OR "city"^0.3) OR (desa OR "village"^0.3)` — and each quoted
/// phrase also its translation when the glossary translates it whole. An
/// excluded word, a field's value and a word with a wildcard or boost are
/// kept as written.
pub fn translated(query: &str, glossary: &Glossary) -> String {
    let mut out = String::with_capacity(query.len() * 2);
    let alternatives = |own: &str, words: &[&str]| -> Option<String> {
        let segs = glossary.segments(words);
        let [seg] = segs.as_slice() else {
            return None;
        };
        if seg.translations.is_empty() {
            return None;
        }
        let mut alt = format!("({own}");
        for t in &seg.translations {
            alt.push_str(&format!(" OR {}^{}", quoted(&t.text), t.weight));
        }
        alt.push(')');
        Some(alt)
    };
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let mut i = 0;
    // Depth of parentheses opened after a field name: their words are the field's.
    let mut field_depth: Option<usize> = None;
    let mut depth = 0usize;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '(' => {
                depth += 1;
                out.push(c);
                i += 1;
            }
            ')' => {
                if field_depth == Some(depth) {
                    field_depth = None;
                }
                depth = depth.saturating_sub(1);
                out.push(c);
                i += 1;
            }
            c if c.is_whitespace() => {
                out.push(c);
                i += 1;
            }
            _ => {
                // A token: a quoted phrase with its prefix and suffix, or a word.
                let start = at;
                let mut j = i;
                let mut in_quote = false;
                while j < chars.len() {
                    let ch = chars[j].1;
                    if ch == '"' {
                        in_quote = !in_quote;
                    } else if !in_quote && (ch.is_whitespace() || ch == '(' || ch == ')') {
                        break;
                    }
                    j += 1;
                }
                let end = chars.get(j).map_or(query.len(), |x| x.0);
                let token = &query[start..end];
                let opens_field = names_a_field(token) && chars.get(j).is_some_and(|x| x.1 == '(');
                if opens_field {
                    field_depth = Some(depth + 1);
                }
                let (sign, body) = match token.strip_prefix('+') {
                    Some(rest) => ("+", rest),
                    None => ("", token),
                };
                let expandable = field_depth.is_none()
                    && !token.starts_with('-')
                    && !names_a_field(token)
                    && !matches!(token, "AND" | "OR" | "NOT" | "&&" | "||");
                let expanded = if !expandable {
                    None
                } else if let Some(inner) = body.strip_prefix('"').and_then(|b| b.strip_suffix('"'))
                {
                    alternatives(body, &plain_words(inner))
                } else if body.chars().all(char::is_alphanumeric) && !body.is_empty() {
                    alternatives(body, &[body])
                } else {
                    None
                };
                match expanded {
                    Some(alt) => {
                        out.push_str(sign);
                        out.push_str(&alt);
                    }
                    None => out.push_str(token),
                }
                i = j;
            }
        }
    }
    out
}

/// How much holding a word says about a passage, from 0 to 1: the word's
/// inverse document frequency (as BM25 has it) over the largest it can be.
/// The coordination of a word found in most passages (`Indonesian` in a
/// corpus about Indonesia) counts for less than that of a rare one
/// (`federal`); a passage holding every word still has the most.
///
/// The word's document frequency is taken as its most common form's (a
/// word in any field, any of several translations), a phrase's as its
/// rarest word's, which the phrase cannot be more common than: `kota
/// kembar` says about as much as `kembar`, not as little as `kota`.
fn informativeness(n: u64, doc_freq: &dyn Fn(&Term) -> u64, q: &dyn Query) -> f32 {
    let mut df = 0u64;
    for part in wand::parts(q.box_clone()) {
        let mut rarest = u64::MAX;
        part.query_terms(&mut |t, _| {
            rarest = rarest.min(doc_freq(t));
        });
        if rarest != u64::MAX {
            df = df.max(rarest);
        }
    }
    (wand::idf(n, df) / wand::idf(n, 0)).clamp(0.0, 1.0)
}

/// Term queries, as a union of them is built from.
type Terms = Vec<Box<dyn Query>>;

/// A group's queries.
struct Part {
    /// Its words, or any of their translations at a lower weight.
    query: Box<dyn Query>,
    /// Its words alone.
    own: Box<dyn Query>,
    /// Any of its translations, unweighted (for coordination).
    translated: Option<Box<dyn Query>>,
    /// Any of its translations, each at its weight.
    query_translated: Box<dyn Query>,
    /// The terms of `query` when it is a union of terms.
    terms: Option<Terms>,
    /// The query words, as typed.
    words: Vec<String>,
    /// Whether the group is only function words.
    function_words: bool,
}

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
) -> Result<Vec<Part>> {
    let mut written = std::collections::HashSet::new();
    let mut analysed = std::collections::HashSet::new();
    let mut out = Vec::new();
    // The same text is the same query: skip it before parsing it again.
    for g in groups.into_iter().filter(|g| written.insert(g.syntax())) {
        let part = group_query(g, parse)?;
        // A word the analyzers leave nothing of searches for nothing.
        if part.terms.as_ref().is_some_and(Vec::is_empty) {
            continue;
        }
        // A query's Debug form lists its fields, terms and boosts.
        if analysed.insert(format!("{:?}", part.query)) {
            out.push(part);
        }
    }
    Ok(out)
}

/// A group's queries: its own words, or any of their translations at a
/// lower weight; with its terms when that is a union of terms, translated
/// ones boosted.
fn group_query(g: Group, parse: &impl Fn(&str) -> Result<Box<dyn Query>>) -> Result<Part> {
    let own = parse(&g.own)?;
    let mut terms = flat_terms(own.as_ref());
    let mut alternatives = vec![own.box_clone()];
    let mut translated = Vec::new();
    let mut weighted = Vec::new();
    for (t, weight) in &g.translations {
        let q = parse(t)?;
        // A boosted term's scorer is still a term scorer (the boost is
        // handed down), so the union stays prunable.
        terms = terms.zip(flat_terms(q.as_ref())).map(|(mut ts, more)| {
            ts.extend(more.into_iter().map(|m| boosted(m, *weight)));
            ts
        });
        translated.push(q.box_clone());
        // Each term or phrase boosted on its own, for a sum of them.
        weighted.extend(
            wand::parts(q.box_clone())
                .into_iter()
                .map(|l| boosted(l, *weight)),
        );
        alternatives.push(boosted(q, *weight));
    }
    let query = match alternatives.len() {
        1 => alternatives.remove(0),
        _ => Box::new(BooleanQuery::union(alternatives)),
    };
    let translated = match translated.len() {
        0 => None,
        1 => translated.pop(),
        _ => Some(Box::new(BooleanQuery::union(translated)) as Box<dyn Query>),
    };
    Ok(Part {
        function_words: g.function_words(),
        query_translated: wand::sum(weighted),
        query,
        own,
        translated,
        terms,
        words: g.words,
    })
}

/// The query of `ast` as the parser builds it, but with every union inside
/// an intersection or an exclusion (`+cooperating +france`, a word and its
/// translations, a word in several fields) a [`wand::sum`]: the engine's
/// own union, asked for one passage, reads a window of 4,096 passages ahead
/// of it in every part, which for a phrase means checking positions in
/// thousands of passages the intersection never asks for. `None` when
/// nothing is left to search (a leaf of no words). Scores are the parser's:
/// both add up the parts that match.
fn seekable(
    parser: &QueryParser,
    ast: tantivy::query_grammar::UserInputAst,
    nested: bool,
) -> std::result::Result<Option<Box<dyn Query>>, QueryParserError> {
    use tantivy::query_grammar::{Occur as Said, UserInputAst};
    Ok(match ast {
        UserInputAst::Clause(items) => {
            // kutip's parser is conjunctive: a word without `OR` is required.
            let occur = |o: Option<Said>| match o {
                Some(Said::Should) => Occur::Should,
                Some(Said::MustNot) => Occur::MustNot,
                Some(Said::Must) | None => Occur::Must,
            };
            let inside = nested || items.iter().any(|(o, _)| occur(*o) != Occur::Should);
            let mut built = Vec::with_capacity(items.len());
            for (o, a) in items {
                if let Some(q) = seekable(parser, a, inside)? {
                    built.push((occur(o), q));
                }
            }
            if built.is_empty() {
                None
            } else if nested && built.iter().all(|(o, _)| *o == Occur::Should) {
                Some(wand::sum(built.into_iter().map(|(_, q)| q).collect()))
            } else if built.len() == 1 && built[0].0 != Occur::MustNot {
                built.pop().map(|(_, q)| q)
            } else {
                Some(Box::new(BooleanQuery::new(built)))
            }
        }
        UserInputAst::Boost(a, boost) => {
            seekable(parser, *a, nested)?.map(|q| boosted(q, boost.into_inner() as f32))
        }
        UserInputAst::Leaf(leaf) => {
            let q = parser.build_query_from_user_input_ast(UserInputAst::Leaf(leaf))?;
            if q.downcast_ref::<EmptyQuery>().is_some() {
                None
            } else if nested {
                Some(wand::sum(wand::parts(q)))
            } else {
                Some(q)
            }
        }
    })
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
        let q: Vec<String> = groups(&["sister", "city", "reconciliation"], Some(&g))
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
        let plain: Vec<String> = groups(&["zzz", "o'neil"], Some(&g))
            .iter()
            .map(Group::syntax)
            .collect();
        assert_eq!(plain, ["zzz", "\"o'neil\""]);
    }

    #[test]
    fn operators_keep_their_meaning_and_their_words_are_translated() {
        let g = Glossary::built_in();
        let t = translated(
            "+reconciliation OR desa -kota title:(sister city) \"sister city\" twin*",
            &g,
        );
        assert!(
            t.starts_with("+(reconciliation OR \"rekonsiliasi\"^0.3) OR (desa OR "),
            "{t}"
        );
        assert!(t.contains(" -kota title:(sister city) "), "{t}");
        assert!(t.contains("(\"sister city\" OR \"kota kembar\"^0.3"), "{t}");
        assert!(t.ends_with(" twin*"), "{t}");
        assert!(check_syntax(&t).is_ok(), "{t}");
        // Nothing to translate: as written.
        assert_eq!(translated("zzz AND \"qqq rrr\"", &g), "zzz AND \"qqq rrr\"");
    }

    #[test]
    fn a_pasted_reference_entry_names_its_first_author_and_year() {
        assert_eq!(
            reference_entry("Zelinsky, W. (1991). The Twinning of the World. Annals."),
            Some(("Zelinsky".into(), "1991".into()))
        );
        assert_eq!(
            reference_entry("de Villiers, J. C., & Smith, A. (2007a). Title."),
            Some(("de Villiers".into(), "2007a".into()))
        );
        assert_eq!(reference_entry("kota, desa (1991)"), None);
        assert_eq!(
            reference_entry(
                "Cities, towns and villages in a long sentence that runs on and on and on without end (1991)"
            ),
            None
        );
    }

    #[test]
    fn function_words_weigh_nothing_and_never_edge_a_stretch() {
        let g = Glossary::built_in();
        let words = plain_words("what did cities gain from twinning after the cold war");
        let groups = groups(&words, Some(&g));
        let shown: Vec<(Vec<String>, bool)> = groups
            .iter()
            .map(|g| (g.words.clone(), g.function_words()))
            .collect();
        // `from twinning` was a stretch requiring `from`; `the cold war` one requiring `the`.
        assert!(
            shown.contains(&(vec!["twinning".into()], false)),
            "{shown:?}"
        );
        assert!(shown.contains(&(vec!["from".into()], true)), "{shown:?}");
        assert!(
            shown.contains(&(vec!["cold".into(), "war".into()], false)),
            "{shown:?}"
        );
        for w in ["what", "did", "after", "the", "bagaimana", "yang", "dalam"] {
            assert!(analysis::is_function_word(w), "{w}");
        }
        for w in ["cities", "war", "kota", "perang"] {
            assert!(!analysis::is_function_word(w), "{w}");
        }
    }

    #[test]
    fn pasted_text_is_plain_words() {
        for q in [
            "Perforated Sovereignties: Towards a Typology of New Actors",
            "Zelinsky (1991)",
            "(Zelinsky, 1991, p. 3)",
            "Menurut de Villiers (2007: 12)",
            "“Sister cities” — a review",
            "https://doi.org/10.1177/0010414012463885",
            "ISBN 978-0-19-954325-0",
            "North-South partnerships - a review",
        ] {
            assert!(!has_operators(q), "{q}");
        }
        for q in [
            "kota OR desa",
            "author:clarke twinning",
            "(title:twin OR kota)",
            "+kota -desa",
            "\"kota kembar\"",
            "*",
        ] {
            assert!(has_operators(q), "{q}");
        }
        assert_eq!(
            plain_words("Perforated Sovereignties: “Towards” — (Zelinsky, 1991, p. 3)"),
            [
                "Perforated",
                "Sovereignties",
                "Towards",
                "Zelinsky",
                "1991",
                "p",
                "3"
            ]
        );
        assert_eq!(
            plain_words("10.1177/001041 North-South o'neil."),
            ["10.1177/001041", "North-South", "o'neil"]
        );
        assert!(check_plain("— … ?!").is_err());
    }

    /// The body_id terms `query` is searched with.
    fn indonesian_terms(index: &KutipIndex, query: &str) -> Vec<String> {
        let req = Request {
            query: query.into(),
            limit: 10,
            ..Request::default()
        };
        let built = build(index, &req, None).unwrap();
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
        for q in ["+\"kerja sama\"", "bekerjasama", "kerja-sama"] {
            assert_eq!(indonesian_terms(&index, q), ["kerjasama"], "{q}");
        }
        let mut phrase = indonesian_terms(&index, "+\"kerja sama ekonomi\"");
        phrase.sort();
        assert_eq!(phrase, ["ekonomi", "kerjasama"]);
    }

    #[test]
    fn a_phrase_of_function_words_is_left_to_the_exact_field() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        // (Required, so that the phrase is not also searched word by word.)
        assert!(indonesian_terms(&index, "+\"ke dengan\"").is_empty());
        assert!(indonesian_terms(&index, "\"dan dalam\" kota").contains(&"kota".to_string()));
        let mut mixed = indonesian_terms(&index, "+\"ke dalam negeri\"");
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

    /// Whether `query` is answered pruned: a plain union of terms, or a
    /// plain query's words (WAND).
    fn prunable(index: &KutipIndex, query: &str, lang: Option<crate::analysis::Lang>) -> bool {
        let req = Request {
            query: query.into(),
            limit: 10,
            lang,
            ..Request::default()
        };
        build(index, &req, None).unwrap().prunable
    }

    #[test]
    fn a_word_a_choice_of_words_or_plain_words_are_answered_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let index = KutipIndex::create_or_open(&dir.path().join("idx"), false).unwrap();
        assert!(prunable(&index, "paradiplomasi", None));
        assert!(prunable(&index, "kota OR city OR (desa OR village)", None));
        assert!(prunable(&index, "kota kembar", None));
        // Both words required, a phrase, a filter, or records in reach: not pruned.
        assert!(!prunable(&index, "+kota +kembar", None));
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
        let built = build(index, &req, glossary).unwrap();
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
