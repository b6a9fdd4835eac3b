//! Query parsing: kutip's query syntax over the passage fields, filters, and
//! errors that point at the character where the query went wrong.

use super::Request;
use crate::analysis;
use crate::index::KutipIndex;
use crate::index::schema::USER_FIELDS;
use crate::{Error, Result};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

/// A parsed query with its filters.
pub struct Built {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// Whether the query may be retried with OR between its words.
    pub relaxable: bool,
}

/// Queries longer than this are refused rather than parsed.
pub const MAX_QUERY_CHARS: usize = 4096;

/// Whether the query uses any operator, so that its meaning must be kept as written.
fn has_operators(q: &str) -> bool {
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

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// Builds the query for `req`; `conjunction` makes plain words all required.
pub fn build(index: &KutipIndex, req: &Request, conjunction: bool) -> Result<Built> {
    check_syntax(&req.query)?;
    let f = index.fields();
    let mut parser = QueryParser::for_index(index.engine(), vec![f.text, f.body_id, f.body_en]);
    if conjunction {
        parser.set_conjunction_by_default();
    }
    let user = parser
        .parse_query(&req.query)
        .map_err(|e| parser_error(&req.query, e))?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, user), (Occur::Must, term(f.kind, "passage"))];
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
    let relaxable =
        conjunction && !has_operators(&req.query) && req.query.split_whitespace().count() > 1;
    Ok(Built {
        query: Box::new(BooleanQuery::new(clauses)),
        relaxable,
    })
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
    fn operators_are_detected() {
        assert!(!has_operators("kota kembar"));
        assert!(has_operators("kota OR desa"));
        assert!(has_operators("author:clarke twinning"));
    }
}
