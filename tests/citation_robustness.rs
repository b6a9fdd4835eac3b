//! Garbage-in robustness: no panics, spans on char boundaries, bounded time.
use kutip::cite::extract::extract;
use std::time::Instant;

/// xorshift64*: tiny deterministic PRNG (no extra deps).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "(",
    ")",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ":",
    ".",
    " ",
    " ",
    " ",
    "&",
    "–",
    "-",
    "’",
    "'",
    "/",
    "§",
    "2010",
    "1991",
    "2011a",
    "n.d.",
    "t.t.",
    "12",
    "3",
    "p.",
    "pp.",
    "hlm.",
    "bab",
    "et al.",
    "dkk.",
    "Smith",
    "de",
    "Villiers",
    "van der",
    "O’Toole",
    "Núñez",
    "Lévi-Strauss",
    "and",
    "dan",
    "see",
    "lihat",
    "Menurut",
    "pada tahun",
    "menyatakan",
    "dalam tulisannya",
    "tahun",
    "Bank",
    "Kementerian",
    "UU",
    "No.",
    "Tahun",
    "In",
    "The",
    "\u{303}",
    "é",
    "😀",
    "中文",
    "\u{200B}",
    "\n",
    "\t",
    "ß",
    "İ",
    "ǅ",
    "s",
    "’s",
];

fn check(text: &str) {
    for c in extract(text) {
        assert!(
            text.is_char_boundary(c.span.0) && text.is_char_boundary(c.span.1),
            "{text:?}"
        );
        assert!(c.span.0 <= c.span.1 && c.span.1 <= text.len());
        assert!(text.is_char_boundary(c.year_span.0) && text.is_char_boundary(c.year_span.1));
        assert_eq!(&text[c.span.0..c.span.1], c.text);
        assert!(!c.authors.is_empty() && c.authors.iter().all(|a| !a.is_empty()));
        assert!(!c.year.is_empty());
    }
}

#[test]
fn random_token_soup() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = r.below(40);
        let mut s = String::new();
        for _ in 0..len {
            s.push_str(PIECES[r.below(PIECES.len())]);
            if r.below(3) == 0 {
                s.push(' ');
            }
        }
        check(&s);
    }
}

#[test]
fn random_chars() {
    let mut r = Rng(42);
    for _ in 0..20_000 {
        let len = r.below(60);
        let s: String = (0..len)
            .map(|_| match r.below(4) {
                0 => char::from_u32(r.below(0x80) as u32).unwrap_or('x'),
                1 => "()[];,.:0123456789 ".chars().nth(r.below(19)).unwrap(),
                2 => char::from_u32(r.below(0x3000) as u32).unwrap_or('?'),
                _ => char::from_u32(r.below(0x11_0000) as u32).unwrap_or('?'),
            })
            .collect();
        check(&s);
    }
}

#[test]
fn long_inputs_are_linear() {
    let unit = "Menurut Smith dkk. (2010: 3), kota (lihat Tabel 1) berubah (Clarke, 2009, 2011; O’Toole, 2001, hlm. 4). \
                Zelinsky pada tahun 1991 menyatakan bahwa ((((( ;;; ))) 1991 2010 et al. ";
    let text = unit.repeat(4000); // ~ 750 KB
    let t = Instant::now();
    let v = extract(&text);
    let el = t.elapsed();
    assert_eq!(v.len(), 4000 * 5);
    check(&text);
    // pathological nesting and long runs of capitalised words
    let deep = format!("{}Smith, 2010{}", "(".repeat(50_000), ")".repeat(50_000));
    check(&deep);
    let caps = format!("{} (2010)", "Smith and Jones ".repeat(50_000));
    check(&caps);
    let years = format!("(Smith, {})", "2010, ".repeat(50_000));
    check(&years);
    let t2 = Instant::now();
    let _ = extract(&"(".repeat(200_000));
    let _ = extract(&"Smith (2010) ".repeat(50_000));
    assert!(
        el.as_secs_f64() < 10.0 && t2.elapsed().as_secs_f64() < 10.0,
        "too slow: {el:?} {:?}",
        t2.elapsed()
    );
}
