//! Analysis: text → index terms. Sits between `ingest` (passages) and `index` (fields).
//!
//! Three analyzers share one word tokenizer and differ in their filters:
//! `exact` (normalised, unstemmed: phrases and quotations), `id` (Indonesian
//! stemming) and `en` (English word families from a lexicon, Porter2 for
//! words outside it). Each filter is a pure
//! function from one token to zero or more tokens, so it is tested without an index.

pub mod english;
mod filter;
pub mod glossary;
pub mod indonesian;
mod lang;
mod normalize;
mod tokenizer;

pub use filter::{
    EnglishQuery, IndonesianCompounds, IndonesianQuery, MapFilter, QueryRule, TokenMap, WholeQuery,
};
pub use lang::{Lang, detect_lang, is_function_word};
pub use normalize::{fold, normalize_token};
pub use tokenizer::WordTokenizer;

use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

/// Version of the analysis chain; the index records it so a change is detected.
pub const ANALYZER_VERSION: &str = concat!(
    "kutip-analysis-3 (id: lexicon-guided stemmer, ",
    "hunspell-id 1:7.5.0-1, 30940 roots; idstem-extra 1",
    "; en: word families, en-families 1 (hunspell-en-us 2020.12.07, WordNet 3.0), ",
    "Porter2 for unknown words, British spellings)"
);

/// Tokenizer names registered with the index.
pub const EXACT: &str = "kutip_exact";
/// Indonesian stemmed analyzer name.
pub const ID: &str = "kutip_id";
/// English stemmed analyzer name.
pub const EN: &str = "kutip_en";

/// Builds the analyzer registered under `name`.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    build(name, Side::Document)
}

/// Which side of the index an analyzer serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Document,
    Query,
}

fn build(name: &str, side: Side) -> Option<TextAnalyzer> {
    let base = TextAnalyzer::builder(WordTokenizer).filter(MapFilter(filter::Normalize));
    Some(match name {
        EXACT => base.filter(MapFilter(filter::SplitHyphens)).build(),
        ID if side == Side::Query => base
            .filter(WholeQuery(IndonesianQuery))
            .filter(MapFilter(filter::IndonesianStem))
            .filter(IndonesianCompounds::QUERY)
            .build(),
        ID => base
            .filter(MapFilter(filter::IndonesianStem))
            .filter(IndonesianCompounds::DOCUMENT)
            .build(),
        EN if side == Side::Query => base
            .filter(MapFilter(filter::SplitHyphens))
            .filter(WholeQuery(EnglishQuery::default()))
            .build(),
        EN => base
            .filter(MapFilter(filter::SplitHyphens))
            .filter(MapFilter(filter::English::new()))
            .build(),
        _ => return None,
    })
}

/// Registers kutip's analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    register_with(manager, Side::Document);
}

fn register_with(manager: &TokenizerManager, side: Side) {
    for name in [EXACT, ID, EN] {
        if let Some(a) = build(name, side) {
            manager.register(name, a);
        }
    }
}

/// The analyzers a query is parsed with: the documents' own, except that
/// an Indonesian compound stands for its parts (see [`IndonesianCompounds`]),
/// which the documents' analysis guarantees to find alongside it; that an
/// English phrase keeps its stopwords when it would be left with fewer
/// than two words (see [`EnglishQuery`]); and that a phrase of Indonesian
/// function words only is left to the exact field (see [`IndonesianQuery`]).
pub fn query_tokenizers() -> TokenizerManager {
    static MANAGER: std::sync::LazyLock<TokenizerManager> = std::sync::LazyLock::new(|| {
        let manager = TokenizerManager::default();
        register_with(&manager, Side::Query);
        manager
    });
    MANAGER.clone()
}

thread_local! {
    /// Analyzers built once per thread: building one (stemmer tables,
    /// filter chain) costs more than analysing a short query.
    static ANALYZERS: std::cell::RefCell<Vec<(&'static str, TextAnalyzer)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs the analyzer `name` over `text` and returns (term, byte range) pairs.
pub fn analyze(name: &str, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    each_term(name, text, |t, r| out.push((t.to_string(), r)));
    out
}

/// Calls `each` with every term the analyzer `name` gives for `text` and
/// its byte range, without collecting them (snippets run this over every hit).
/// `each` must not analyse text itself: the thread's analyzers are borrowed
/// while it runs.
pub fn each_term(name: &str, text: &str, mut each: impl FnMut(&str, std::ops::Range<usize>)) {
    let Some(static_name) = [EXACT, ID, EN].into_iter().find(|n| *n == name) else {
        return;
    };
    ANALYZERS.with(|cell| {
        let mut cache = cell.borrow_mut();
        if !cache.iter().any(|(n, _)| *n == static_name)
            && let Some(a) = analyzer(static_name)
        {
            cache.push((static_name, a));
        }
        let Some((_, a)) = cache.iter_mut().find(|(n, _)| *n == static_name) else {
            return;
        };
        let mut stream = a.token_stream(text);
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            each(&t.text, t.offset_from..t.offset_to);
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn analyzer_version_names_the_lexicon_in_use() {
        assert!(super::ANALYZER_VERSION.contains(super::indonesian::LEXICON_VERSION));
        assert!(super::ANALYZER_VERSION.contains(super::english::LEXICON_VERSION));
    }
}
