//! Queries: the syntax check, the plain-word groups, and a real search over
//! a small index built once per process. Errors must be usage errors.
#![no_main]

use kutip::analysis::Lang;
use kutip::analysis::glossary::Glossary;
use kutip::index::{KutipIndex, StoredPassage};
use kutip::search::{self, Request, query};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn index() -> &'static KutipIndex {
    static INDEX: OnceLock<KutipIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kutip-fuzz-query-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = KutipIndex::create_or_open(&dir, true).expect("create index");
        let mut w = index.writer(20_000_000).expect("writer");
        let texts = [
            (
                Some(Lang::Id),
                "Kota kembar adalah kerja sama antara dua kota (Zelinsky, 1991).",
            ),
            (
                Some(Lang::En),
                "Sister city twinning supports reconciliation after the war.",
            ),
            (
                None,
                "Pemerintah daerah bekerjasama dengan kota-kota di luar negeri.",
            ),
        ];
        for (i, (lang, text)) in texts.into_iter().enumerate() {
            w.add_passage(&StoredPassage {
                key: format!("k{i}"),
                path: format!("/docs/{i}.md"),
                file: format!("docs/{i}.md"),
                text: text.to_string(),
                lang,
                title: Some(format!("Title {i}")),
                authors: vec!["Zelinsky, Wilbur".into()],
                year: Some(1991 + i as i32),
                section: Some("Bagian".into()),
                paragraph: 1,
                ordinal: 1,
                end: text.len() as u64,
                origin: "front-matter".into(),
                line: 1,
                ..StoredPassage::default()
            })
            .expect("add passage");
        }
        w.commit().expect("commit");
        KutipIndex::open(&dir).expect("open index")
    })
}

fn glossary() -> &'static Glossary {
    static G: OnceLock<Glossary> = OnceLock::new();
    G.get_or_init(Glossary::built_in)
}

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = query::check_syntax(q) {
        assert!(matches!(e, kutip::Error::Usage(_)), "{e:?}");
    }
    let _ = query::groups(q, Some(glossary()));
    for translate in [false, true] {
        let req = Request {
            query: q.to_string(),
            limit: 3,
            ..Request::default()
        };
        match search::search(index(), &req, translate.then(glossary)) {
            Ok(r) => {
                for h in r.hits {
                    for range in h.highlights {
                        assert!(range.start <= range.end && range.end <= h.passage.text.len());
                        assert!(h.passage.text.is_char_boundary(range.start));
                        assert!(h.passage.text.is_char_boundary(range.end));
                    }
                }
            }
            Err(kutip::Error::Usage(_)) => {}
            Err(e) => panic!("{q:?}: not a usage error: {e:?}"),
        }
    }
});
