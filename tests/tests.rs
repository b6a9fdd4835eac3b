//! One integration-test binary driving the real `kutip` binary on temporary corpora.

mod util;

mod bad_input;
mod citation_robustness;
mod citation_table;
mod citations_cmd;
mod docread;
mod english_gold;
mod faults;
mod hostile;
mod incremental;
mod index_cmd;
mod indonesian_gold;
mod json_shape;
mod no_crash;
mod pdf;
mod properties;
mod quote_cmd;
mod retrieval;
mod sample_corpus;
mod search_cmd;
mod shell;
mod styles;
