//! Personal and corporate names as a file's metadata gives them (`Osamu
//! Aoki`, `Hartono, Bambang`, `Dr. Budi Santoso, S.H., M.H.`, `Badan Pusat
//! Statistik`, `budi.santoso`), turned into CSL name objects the way a
//! librarian records them: family and given names, a corporate name whole,
//! and no name at all where the metadata holds an account name rather than
//! an author's.

use serde_json::{Map, Value, json};

/// Titles written before a name (`Prof. Dr. Ir. H.`), which are not part of
/// it.
const HONORIFICS: &[&str] = &[
    "prof", "dr", "drs", "dra", "ir", "h", "hj", "kh", "mr", "mrs", "ms", "mx", "sir", "dame",
    "rev",
];

/// Words that make a name an organisation's (English and Indonesian).
const CORPORATE: &[&str] = &[
    "agency",
    "aliansi",
    "alliance",
    "asosiasi",
    "association",
    "badan",
    "balai",
    "bank",
    "biro",
    "bureau",
    "center",
    "centre",
    "coalition",
    "commission",
    "committee",
    "community",
    "company",
    "corporation",
    "council",
    "departemen",
    "department",
    "dewan",
    "dinas",
    "direktorat",
    "editorial",
    "faculty",
    "fakultas",
    "forum",
    "foundation",
    "group",
    "himpunan",
    "ikatan",
    "inc",
    "institut",
    "institute",
    "jaringan",
    "kantor",
    "kelompok",
    "kementerian",
    "koalisi",
    "komisi",
    "komunitas",
    "lembaga",
    "ltd",
    "ministry",
    "network",
    "office",
    "organisation",
    "organization",
    "pemerintah",
    "perkumpulan",
    "persatuan",
    "perusahaan",
    "press",
    "program",
    "programme",
    "project",
    "proyek",
    "pusat",
    "redaksi",
    "secretariat",
    "sekretariat",
    "society",
    "staff",
    "team",
    "tim",
    "universitas",
    "university",
    "yayasan",
];

/// Names a computer gives its user, which word processors write as a
/// document's author.
const ACCOUNTS: &[&str] = &[
    "admin",
    "administrator",
    "author",
    "guest",
    "microsoft office user",
    "owner",
    "pengguna",
    "pc",
    "user",
    "windows user",
];

/// Lower-case words that begin a family name (`van der Berg`, `de Villiers`,
/// `bin Abdullah`).
const PARTICLES: &[&str] = &[
    "al", "bin", "binti", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du",
    "el", "la", "le", "ten", "ter", "van", "von",
];

/// Name suffixes (`Jr.`, `III`).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// The CSL name object of `raw`, or `None` when it is not an author's name
/// (no letter in it, or an account name such as `budi.santoso` or `Windows
/// User`).
///
/// `Family, Given` is split at the comma; `Given Family` at its last word,
/// with the particles before it (`Ludwig van Beethoven`), as reference
/// managers and Indonesian style guides do for names without a comma; a
/// name of one word (`Koentjaraningrat`) and an organisation's name
/// (`Badan Pusat Statistik`, `UNDP`) are kept whole. Titles before the name
/// and academic degrees after it (`Dr. … , S.H., M.H.`) are left out.
pub fn csl_name(raw: &str) -> Option<Value> {
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if !raw.chars().any(char::is_alphabetic) || is_account(&raw) {
        return None;
    }
    if is_corporate(&raw) {
        return Some(json!({ "literal": raw }));
    }
    // Degrees after a comma (`, S.H., M.H.`, `, PhD`) and a suffix.
    let mut pieces: Vec<&str> = raw.split(',').map(str::trim).collect();
    let mut suffix = None;
    while pieces.len() > 1 {
        let last = pieces[pieces.len() - 1];
        if is_suffix(last) && suffix.is_none() {
            suffix = Some(last.to_string());
        } else if !is_degree(last) {
            break;
        }
        pieces.pop();
    }
    let mut o = Map::new();
    match pieces.as_slice() {
        [family, given] if !family.is_empty() && !given.is_empty() => {
            o.insert("family".into(), json!(family));
            o.insert("given".into(), json!(strip_honorifics(given).join(" ")));
        }
        _ => {
            let joined = pieces.join(", ");
            let mut words = strip_honorifics(&joined);
            if suffix.is_none() && words.len() > 2 && is_suffix(words[words.len() - 1]) {
                suffix = words.pop().map(str::to_string);
            }
            if words.len() < 2 || joined.contains(',') {
                return Some(
                    json!({ "literal": if words.is_empty() { raw.clone() } else { words.join(" ") } }),
                );
            }
            let mut start = words.len() - 1;
            while start > 1 && PARTICLES.contains(&words[start - 1]) {
                start -= 1;
            }
            let particle = words[start..words.len() - 1].join(" ");
            o.insert("family".into(), json!(words[words.len() - 1]));
            o.insert("given".into(), json!(words[..start].join(" ")));
            if !particle.is_empty() {
                o.insert("non-dropping-particle".into(), json!(particle));
            }
        }
    }
    if let Some(s) = suffix {
        o.insert("suffix".into(), json!(s));
    }
    Some(Value::Object(o))
}

/// The words of `s` after the titles before a name.
fn strip_honorifics(s: &str) -> Vec<&str> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let skip = words
        .iter()
        .take_while(|w| {
            let bare = w.trim_end_matches('.').to_lowercase();
            HONORIFICS.contains(&bare.as_str())
        })
        .count();
    // A name of titles alone stays as written.
    if skip == words.len() {
        return words;
    }
    words[skip..].to_vec()
}

fn is_suffix(s: &str) -> bool {
    SUFFIXES.contains(&s.trim_end_matches('.').to_lowercase().as_str())
}

/// An academic degree written after a name: `S.H.`, `M.Si.`, `S.Sos`,
/// `Ph.D.`, `PhD`, `MA`, `M.Sc` — a few letters, in dotted pieces or one
/// short capitalised abbreviation.
fn is_degree(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 12 {
        return false;
    }
    if s.contains('.') {
        return s
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.len() <= 4 && p.chars().all(char::is_alphabetic))
            && s.chars().next().is_some_and(char::is_uppercase);
    }
    matches!(
        s,
        "PhD" | "MA" | "MSc" | "MBA" | "MPhil" | "MPA" | "MPH" | "BA" | "BSc" | "LLM" | "SH" | "MH"
    )
}

/// An organisation's name: one of its words names a kind of body, or it is
/// an acronym of two or more capitals (`UNDP`, `BPS`) alone or beside words
/// that are not in capitals (`UNDP Indonesia`, `LIPI Press`); a name all in
/// capitals (`BUDI SANTOSO`) is a person's written so.
fn is_corporate(s: &str) -> bool {
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let capitals = |w: &&str| {
        w.chars().count() >= 2
            && w.chars().all(|c| c.is_uppercase())
            && !is_degree(w)
            && !is_suffix(w)
    };
    words
        .iter()
        .any(|w| CORPORATE.contains(&w.to_lowercase().as_str()))
        || (words.iter().any(capitals) && (words.len() == 1 || !words.iter().all(capitals)))
}

/// An account name rather than a person's: a generic one (`Windows User`),
/// or one word written as a login is (`budi.santoso`, `bsantoso_91`,
/// `dewi@example.org`, `admin2`).
fn is_account(s: &str) -> bool {
    let lower = s.to_lowercase();
    if ACCOUNTS.contains(&lower.as_str()) {
        return true;
    }
    !s.contains(' ')
        && (s.contains(['@', '_'])
            || s.chars().any(|c| c.is_ascii_digit())
            || (s.contains('.') && s == lower))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        csl_name(s).map_or("-".into(), |v| v.to_string())
    }

    #[test]
    fn names_split_into_family_and_given() {
        assert_eq!(n("Osamu Aoki"), r#"{"family":"Aoki","given":"Osamu"}"#);
        assert_eq!(
            n("Hartono, Bambang"),
            r#"{"family":"Hartono","given":"Bambang"}"#
        );
        assert_eq!(
            n("Dewi  Lestari Hutapea"),
            r#"{"family":"Hutapea","given":"Dewi Lestari"}"#
        );
        assert_eq!(
            n("Ludwig van Beethoven"),
            r#"{"family":"Beethoven","given":"Ludwig","non-dropping-particle":"van"}"#
        );
        assert_eq!(
            n("Martin Luther King Jr."),
            r#"{"family":"King","given":"Martin Luther","suffix":"Jr."}"#
        );
        assert_eq!(
            n("King, Martin Luther, Jr."),
            r#"{"family":"King","given":"Martin Luther","suffix":"Jr."}"#
        );
    }

    #[test]
    fn titles_and_degrees_are_not_names() {
        assert_eq!(
            n("Dr. Budi Santoso, S.H., M.H."),
            r#"{"family":"Santoso","given":"Budi"}"#
        );
        assert_eq!(
            n("Prof. Dr. Ir. Siti Rahmawati, M.Si."),
            r#"{"family":"Rahmawati","given":"Siti"}"#
        );
        assert_eq!(
            n("Graeme Hugo, PhD"),
            r#"{"family":"Hugo","given":"Graeme"}"#
        );
        assert_eq!(
            n("Hj. Ayu Lestari"),
            r#"{"family":"Lestari","given":"Ayu"}"#
        );
        assert_eq!(n("BUDI SANTOSO"), r#"{"family":"SANTOSO","given":"BUDI"}"#);
    }

    #[test]
    fn one_word_and_corporate_names_stay_whole() {
        assert_eq!(n("Koentjaraningrat"), r#"{"literal":"Koentjaraningrat"}"#);
        assert_eq!(
            n("Badan Pusat Statistik"),
            r#"{"literal":"Badan Pusat Statistik"}"#
        );
        assert_eq!(n("World Bank"), r#"{"literal":"World Bank"}"#);
        assert_eq!(n("UNDP Indonesia"), r#"{"literal":"UNDP Indonesia"}"#);
        assert_eq!(
            n("Kementerian Dalam Negeri"),
            r#"{"literal":"Kementerian Dalam Negeri"}"#
        );
    }

    #[test]
    fn account_names_are_no_authors() {
        for a in [
            "budi.santoso",
            "bsantoso_91",
            "dewi@example.org",
            "admin",
            "Windows User",
            "user2",
            "",
            "  ",
            ",",
            "- ; -",
        ] {
            assert_eq!(n(a), "-", "{a:?}");
        }
    }
}
