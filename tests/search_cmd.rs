//! `kutip search`: query syntax, filters, highlighting, paging.

use crate::util::Env;

fn env() -> Env {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{zelinsky1991,\n  author = {Zelinsky, Wilbur},\n  title = {The Twinning of the World},\n  journal = {Annals},\n  year = {1991}\n}\n@book{tavares2016,\n  author = {Tavares, Rodrigo},\n  title = {Paradiplomacy},\n  publisher = {OUP},\n  year = {2016}\n}\n",
    );
    env.write("zelinsky1991.md", "Town twinning spread across Western Europe after the Second World War.\n\nSister cities reached the developing world in the 1980s.\n");
    env.write("tavares2016.md", "Paradiplomacy is the international activity of subnational governments.\n\nCities twinned with partners abroad build networks.\n");
    env.write("id.md", "---\ntitle: Kota Kembar\nlang: id\n---\nKerja sama kota kembar melibatkan pemerintah daerah dan masyarakat.\n\nPemerintahan daerah bekerja sama dengan kota-kota di luar negeri.\n");
    env.index();
    env
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["source"]["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn stemmed_words_match_across_forms() {
    let env = env();
    let (_, v) = env.search_json("twinning", &["--no-translate"]);
    assert_eq!(v["total"], 2, "twinning ~ twinned: {v}");
    let (_, v) = env.search_json("pemerintah daerah", &["--no-translate"]);
    assert_eq!(v["total"], 2, "pemerintah ~ pemerintahan: {v}");
    let (_, v) = env.search_json("kerja sama", &["--no-translate"]);
    assert_eq!(v["total"], 2, "kerja sama ~ bekerja sama: {v}");
}

#[test]
fn queries_reach_the_other_language_through_the_glossary() {
    let env = env();
    let (_, v) = env.search_json("twinning", &[]);
    assert_eq!(v["total"], 3, "twinning also finds kota kembar: {v}");
    assert_eq!(
        v["hits"][0]["source"]["key"], "zelinsky1991",
        "own-language words rank first: {v}"
    );
    let (_, v) = env.search_json("local government", &[]);
    assert!(
        keys(&v).contains(&"id".to_string()),
        "pemerintah daerah: {v}"
    );
    env.write(
        "../my-glossary.tsv",
        "# mine\nquayside crane\tderek dermaga\n",
    );
    env.write(
        "derek.md",
        "---\ntitle: Derek\nlang: id\n---\nDerek dermaga kota pelabuhan itu dibangun kembali.\n",
    );
    env.write(
        "mercusuar.md",
        "---\ntitle: Mercusuar\nlang: id\n---\nMercusuar itu berdiri di tanjung.\n",
    );
    env.index();
    let (_, v) = env.search_json("quayside crane", &["--glossary", "my-glossary.tsv"]);
    assert_eq!(keys(&v), ["derek"], "user glossary: {v}");
    let (code, _) = env.search_json("quayside crane", &[]);
    assert_eq!(code, 1);
    // Outside the glossary, the general dictionary: lighthouse → mercusuar.
    let (_, v) = env.search_json("lighthouse", &[]);
    assert_eq!(keys(&v), ["mercusuar"], "dictionary: {v}");
    let (code, _) = env.search_json("lighthouse", &["--no-translate"]);
    assert_eq!(code, 1);
}

/// A word held only in translation counts 0.6 of the word: a passage
/// holding two of three words ranks above one holding all three in
/// translation, which ranks above one holding one word.
#[test]
fn a_translated_word_counts_less_than_the_word() {
    let env = Env::new();
    // Made-up words, so that only this glossary translates them, each
    // in one passage (equally informative).
    env.write(
        "../g.tsv",
        "qorvax\tkorvaks\nzimbot\tsimbot\nplodek\tplodet\n",
    );
    env.write(
        "two.md",
        "---\ntitle: Two\nlang: en\n---\nThe qorvax and the zimbot stood in the yard.\n",
    );
    env.write(
        "one.md",
        "---\ntitle: One\nlang: en\n---\nA plodek was seen near the old gate.\n",
    );
    env.write(
        "tiga.md",
        "---\ntitle: Tiga\nlang: id\n---\nKorvaks, simbot dan plodet berdiri di halaman rumah.\n",
    );
    env.index();
    let (_, v) = env.search_json("qorvax zimbot plodek", &["--glossary", "g.tsv"]);
    assert_eq!(keys(&v), ["two", "tiga", "one"], "{v}");
    // A function word beside a content word makes no passage a match.
    let (_, v) = env.search_json("the plodek", &["--glossary", "g.tsv"]);
    assert_eq!(keys(&v), ["one", "tiga"], "{v}");
}

#[test]
fn phrases_operators_and_fields() {
    let env = env();
    // A phrase alone: the passage holding it first, counted apart, then
    // passages with its words.
    // passages with its words; the glossary's translation of the whole
    // phrase (kota kembar) counts as the phrase.
    let (_, v) = env.search_json("\"sister cities\"", &[]);
    assert_eq!(keys(&v), ["zelinsky1991", "id", "tavares2016"]);
    assert_eq!(v["phrase_total"], 2, "{v}");
    // Every match is on the page, the translated phrase's passage (which
    // holds neither word) too.
    assert_eq!(v["total"], 3, "{v}");
    let (_, v) = env.search_json("+\"sister cities\"", &[]);
    assert_eq!(keys(&v), ["zelinsky1991", "id"]);
    assert!(v.get("phrase_total").is_none(), "{v}");
    let (_, v) = env.search_json("+\"sister cities\"", &["--no-translate"]);
    assert_eq!(keys(&v), ["zelinsky1991"]);
    let (_, v) = env.search_json("cities -paradiplomacy", &["--no-translate"]);
    assert_eq!(v["total"], 2);
    // A required word is also satisfied by its translation (kota).
    let (_, v) = env.search_json("cities -paradiplomacy", &[]);
    assert!(keys(&v).contains(&"id".to_string()), "{v}");
    let (_, v) = env.search_json("subnational -paradiplomacy", &[]);
    assert_eq!(v["total"], 0);
    let (_, v) = env.search_json("twinning OR paradiplomacy", &["--no-translate"]);
    assert_eq!(v["total"], 3);
    let (_, v) = env.search_json("author:tavares", &[]);
    assert_eq!(v["total"], 2);
    let (_, v) = env.search_json("year:1991", &[]);
    assert_eq!(v["total"], 2);
}

#[test]
fn a_quoted_phrase_keeps_its_stopwords_when_little_else_is_left() {
    let env = env();
    env.write(
        "more.md",
        "---\ntitle: More\nlang: en\n---\nTwinnings of the cities grew in number.\n\nOf the twinning of towns much is written.\n",
    );
    env.index();
    let texts = |v: &serde_json::Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["text"].as_str().unwrap().to_string())
            .collect()
    };
    // Without "of the" this would be the stem `twin`, in four passages.
    let (_, v) = env.search_json("\"of the twinning\"", &["--no-translate"]);
    assert_eq!(v["phrase_total"], 1, "{v}");
    assert_eq!(
        texts(&v)[0],
        "Of the twinning of towns much is written.",
        "{v}"
    );
    let (_, v) = env.search_json("\"a twinning\"", &["--no-translate"]);
    assert_eq!(v["phrase_total"], 0, "{v}");
    // Two content words: stems still meet, the stopwords' places kept.
    let (_, v) = env.search_json("\"twinning of the city\"", &["--no-translate"]);
    assert_eq!(v["phrase_total"], 1, "{v}");
    assert_eq!(
        texts(&v)[0],
        "Twinnings of the cities grew in number.",
        "{v}"
    );
}

#[test]
fn a_phrase_of_indonesian_function_words_finds_it_as_written() {
    let env = env();
    env.write(
        "ke.md",
        "---\ntitle: Ke\nlang: id\n---\nDelegasi kota itu pergi ke dalam gedung dewan.\n\nDelegasi itu bertemu dengan walikota di dalam gedung.\n",
    );
    env.index();
    let (_, v) = env.search_json("\"ke dalam\"", &["--no-translate"]);
    assert_eq!(v["phrase_total"], 1, "{v}");
    assert!(
        v["hits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("ke dalam gedung")
    );
    let (_, v) = env.search_json("\"di dalam\"", &["--no-translate"]);
    assert_eq!(v["phrase_total"], 1, "{v}");
}

#[test]
fn filters_by_language_author_and_year() {
    let env = env();
    let (_, v) = env.search_json("kota OR cities", &["--lang", "id"]);
    assert_eq!(keys(&v), ["id", "id"]);
    let (_, v) = env.search_json("cities", &["--author", "Zelinsky"]);
    assert_eq!(keys(&v), ["zelinsky1991"]);
    let (_, v) = env.search_json("cities", &["--year", "2000..2020"]);
    assert_eq!(keys(&v), ["tavares2016"]);
    let (code, v) = env.search_json("cities", &["--year", "1800..1900"]);
    assert_eq!((code, v["total"].as_u64()), (1, Some(0)));
}

#[test]
fn passages_with_some_of_the_words_are_found_after_those_with_all() {
    let env = env();
    // No passage has both words: those with either are found, not none.
    let (code, v) = env.search_json("paradiplomacy dresden", &[]);
    assert_eq!(code, 0);
    assert!(v.get("relaxed").is_none(), "{v}");
    assert_eq!(keys(&v), ["tavares2016"]);
}

#[test]
fn paging_with_limit_and_offset() {
    let env = env();
    let (_, all) = env.search_json("cities OR kota OR twinning", &["--limit", "10"]);
    let (_, second) = env.search_json(
        "cities OR kota OR twinning",
        &["--limit", "1", "--offset", "1"],
    );
    assert_eq!(second["hits"][0]["rank"], 2);
    assert_eq!(second["hits"][0]["text"], all["hits"][1]["text"]);
}

#[test]
fn text_output_is_plain_when_piped_and_numbers_hits() {
    let env = env();
    let r = env.run(&["search", "twinning", "--index", "idx"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains('\u{1b}'), "no colour when piped");
    assert!(
        r.stdout.contains("1. The Twinning of the World"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Cite: (Zelinsky, 1991)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Ref:  Zelinsky, W. (1991)."),
        "{}",
        r.stdout
    );
}

#[test]
fn styles_change_the_citation() {
    let env = env();
    let (_, v) = env.search_json("paradiplomacy", &["--style", "mla"]);
    assert_eq!(v["hits"][0]["citation"], "(Tavares)");
    let (_, v) = env.search_json("paradiplomacy", &["--style", "chicago"]);
    assert_eq!(v["hits"][0]["citation"], "(Tavares 2016)");
}

#[test]
fn a_repeated_word_finds_what_the_word_once_finds() {
    let env = Env::new();
    let corpus = crate::util::sample_corpus();
    let r = env.run(&["index", corpus.to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits_with = |q: &str, extra: &[&str]| {
        let mut args = vec!["--limit", "50"];
        args.extend_from_slice(extra);
        let (code, v) = env.search_json(q, &args);
        (code, v["total"].clone(), v["hits"].clone())
    };
    let hits = |q: &str| hits_with(q, &[]);
    // `kota` as many times as the 4,096-character limit allows; `war` 1,000 times.
    for (word, times) in [("kota", 819), ("war", 1000)] {
        let once = hits(word);
        assert_eq!(once.0, 0, "{word} is in the sample corpus");
        assert_eq!(hits(&vec![word; times].join(" ")), once, "{word} × {times}");
    }
    // A repeated word no longer counts twice towards the words a passage
    // must have. (The glossary reads `kota kembar` as one term, so it is
    // left out here.)
    let plain = ["--no-translate"];
    assert_eq!(
        hits_with("kota kembar kota", &plain),
        hits_with("kota kembar", &plain)
    );
}

#[test]
fn a_pasted_citation_finds_the_passages_citing_the_work_first() {
    let env = env();
    env.write(
        "review.md",
        "---\ntitle: Review\nlang: en\n---\nZelinsky counted the twinned towns of 1991 and of every year before; Zelinsky's tables for 1991 are long.\n\nTwinning spread across the world after the war (Zelinsky, 1991, p. 3).\n\nMenurut Zelinsky (1991), kota kembar menyebar ke seluruh dunia.\n",
    );
    env.index();
    for q in [
        "Zelinsky (1991)",
        "(Zelinsky, 1991, p. 3)",
        "Zelinsky, W. (1991)",
    ] {
        let (code, v) = env.search_json(q, &[]);
        assert_eq!(code, 0, "{q}");
        let texts: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["text"].as_str().unwrap())
            .collect();
        // Both citing passages before the one that only names the author.
        assert!(texts.len() >= 3, "{q}: {texts:?}");
        assert!(
            texts[..2]
                .iter()
                .all(|t| t.contains("Zelinsky, 1991") || t.contains("Zelinsky (1991)")),
            "{q}: {texts:?}"
        );
    }
}

#[test]
fn pasted_titles_urls_and_dois_are_words() {
    let env = env();
    env.write(
        "doi.md",
        "---\ntitle: Doi\nlang: en\n---\nThe article is at https://doi.org/10.1177/0010414012463885 for readers.\n",
    );
    env.index();
    let (code, v) = env.search_json("The Twinning of the World: a review", &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(keys(&v)[0], "zelinsky1991");
    let (code, v) = env.search_json("https://doi.org/10.1177/0010414012463885", &[]);
    assert_eq!((code, keys(&v)), (0, vec!["doi".to_string()]), "{v}");
    let (code, v) = env.search_json("“Cities twinned” — abroad", &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(keys(&v)[0], "tavares2016");
    // Nothing but punctuation is a usage error in kutip's query-error form.
    let r = env.run(&["search", "— … ?!", "--index", "idx"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("query error at character 1"),
        "{}",
        r.stderr
    );
}
