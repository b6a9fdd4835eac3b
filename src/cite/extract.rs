//! In-text citation extraction for Indonesian and English scholarly prose.
//!
//! `extract(text)` finds author–year citations in a passage and returns one
//! [`InTextCitation`] per (author run, year) pair, in order of appearance.
//!
//! # Recognised forms
//! * Parenthetical groups, split on `;`: `(Ogawa, 2012)`, `(Ogawa 2012)`,
//!   `(Clarke, 2009, 2011)`, `(Clarke, 2011a, b)`, `(Smith & Jones, 2010)`,
//!   `(Smith, Jones, & Lee, 2010)`, `(Smith et al., 2010)`, `(Smith dkk., 2010)`,
//!   `(J.C. de Villiers, 2007)`, `(Kompas, 12 Maret 2015)`, `(Hobbs, n.d.)`,
//!   with an optional prefix (`see`, `lihat juga`, `e.g.,`, `for a review, see`,
//!   … — any text before the author run inside the item, kept as written) and an
//!   optional locator (`p. 3`, `pp. 3–5`, `: 3`, `hlm. 3`, `h. 3`, `hal. 3`,
//!   `ch. 2`, `bab 2`, `para. 4`, `§ 2`, `vol. 2`, `n. 4`, a bare `, 45`).
//! * Narrative: a name run right before a parenthesis that holds only years
//!   (+ locator): `Zelinsky (1991)`, `Zelinsky (1991: 3)`, `Smith et al. (2010)`,
//!   `Smith dan Jones (2010)`, `Zelinsky's (1991)`, `Clarke (2009, 2011)`,
//!   `Zelinsky dalam bukunya (1991)`.
//! * Indonesian prose form: `Wilbur Zelinsky pada tahun 1991 menyatakan …`
//!   (needs a reporting verb within five words after the year, a reporting verb
//!   before `pada`, or `menurut` / a passive reporting verb (+ `oleh`) before
//!   the name), and `Zelinsky dalam tulisannya/bukunya/… [yang terbit] [pada]
//!   tahun 1991` (the `-nya` possessive is the authorship signal). The
//!   year-first order (`Pada tahun 1991, Zelinsky menyatakan`) is deliberately
//!   not recognised: it is indistinguishable from history
//!   (`Pada tahun 1959, Coventry …`, `Pada tahun 1945, Soekarno menyatakan …`).
//!
//! # Design decisions
//! * **Spans.** `span` is a byte span of the input on char boundaries.
//!   Parenthetical: the unit inside the parentheses from the first author token
//!   to the end of its years/locator (`Clarke, 2009, 2011`), without the prefix
//!   and without the parentheses. Narrative: from the first author token to the
//!   closing `)` (`Zelinsky (1991: 3)`); if more items follow in the same
//!   parentheses (`Zelinsky (1991; see also …)`) it stops at the end of the
//!   narrative item. Prose form: author through year. Several years sharing one
//!   author run (`Clarke, 2009, 2011`) share the same `span`; `year_span` gives
//!   the exact bytes of each year (for `2011a, b` the second year span is `b`).
//! * **Authors.** Parenthetical authors are kept as written minus leading
//!   initials (`J.C. de Villiers` → `de Villiers`, `Kementerian Luar Negeri`,
//!   `Abdullah bin Ahmad`). Narrative runs often carry given names, so a
//!   narrative person name is reduced to its surname: from the first particle
//!   (`Ludwig van Beethoven` → `van Beethoven`) or else the last word
//!   (`Wilbur Zelinsky` → `Zelinsky`); runs that look like organisations (an
//!   organisation keyword such as Bank/Kementerian/Badan/Ministry, or an
//!   acronym) are kept whole (`World Bank`, `Badan Pusat Statistik`).
//!   Possessive `'s` is stripped. Apostrophes are kept as written (`O’Toole`).
//! * **Laws are not citations**: `(UU No. 23 Tahun 2014)`,
//!   `(Undang-Undang Nomor 37 Tahun 1999)`, `(Law No. 23 of 2014)` yield nothing
//!   (the word before the year is `Tahun`/`of`/a number, never a name; law words
//!   such as `Peraturan`, `Law`, `Regulation` are stop words).
//! * **Numeric citations** (`[12]`) are not extracted: they have no author/year.
//! * **Places**: a citation whose every author is a well-known place name
//!   (small built-in gazetteer of countries, Indonesian cities/provinces and
//!   frequent sister cities) is dropped, so `(Coventry and Dresden, 1959)` and
//!   `Bandung (1955)` are not citations. Ambiguous surnames (London, Paris,
//!   Jordan, Washington, …) are deliberately not in the gazetteer.
//! * Office titles right before a narrative name (`Presiden Soekarno (1959)`)
//!   veto the citation: that is history, not a reference.
//!
//! # Known limitations
//! * Capitalised phrases that are neither names nor in the stop/event lists
//!   can pose as narrative authors: book or journal titles
//!   (`Journal of Politics (2010)`), unlisted places or programmes.
//! * `(Coventry and Dresden, 1959)` is rejected only because both are in the
//!   gazetteer; `(Smith and Dresden, 1959)` is a citation.
//! * Not handled: bracketed original years (`Waltz [1979] 2010`), surname +
//!   initials before a narrative year (`Smith, J. (2010)`), unclosed
//!   parentheses, years written as words, organisation names containing a
//!   lower-case `dan`/`and` beyond the `United Cities and Local Governments`
//!   heuristic, the English prose form (`In 1991, Zelinsky argued`).
//!
//! Everything is a single left-to-right tokenisation plus bounded backward and
//! forward scans, so the cost is linear in the input; the code never indexes
//! strings except at token boundaries and never panics.

use serde::Serialize;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Kind of a locator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LocatorLabel {
    Page,
    Pages,
    Chapter,
    Section,
    Paragraph,
    Volume,
    Note,
    Table,
    Figure,
}

impl LocatorLabel {
    /// Short label used by the compact fixture format.
    pub fn short(self) -> &'static str {
        match self {
            LocatorLabel::Page => "p",
            LocatorLabel::Pages => "pp",
            LocatorLabel::Chapter => "ch",
            LocatorLabel::Section => "sec",
            LocatorLabel::Paragraph => "para",
            LocatorLabel::Volume => "vol",
            LocatorLabel::Note => "n",
            LocatorLabel::Table => "tab",
            LocatorLabel::Figure => "fig",
        }
    }
}

/// A pinpoint locator such as `hlm. 3` or `pp. 3–5`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Locator {
    pub label: LocatorLabel,
    /// Normalised value: ranges use an en dash, e.g. `3–5`.
    pub value: String,
    /// Surface text, e.g. `hlm. 3`, `pp. 3-5`, `: 3`.
    pub raw: String,
}

/// One author–year citation found in a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InTextCitation {
    /// Surface text, `text == &input[span.0..span.1]`.
    pub text: String,
    /// Surnames (or organisation names) as written, particles kept.
    pub authors: Vec<String>,
    /// `et al.`, `et al`, `dkk.`, `dkk`, `and colleagues`, `dan kawan-kawan`.
    pub et_al: bool,
    /// `2012`, `2011a`, `1990/2005`, `n.d.`, `t.t.`, `in press`, …
    pub year: String,
    pub locator: Option<Locator>,
    /// Text before the author inside the parenthetical item (`see also`,
    /// `lihat`, `e.g.`), or a known prefix word before a narrative name.
    pub prefix: Option<String>,
    /// Author named outside the parentheses (or in the prose form).
    pub narrative: bool,
    /// Byte span of the citation unit in the input (see module docs).
    pub span: (usize, usize),
    /// Byte span of this citation's year in the input.
    pub year_span: (usize, usize),
}

impl InTextCitation {
    /// Compact form used by the fixture:
    /// `authors;year;label:value;prefix;n` (authors joined by `+`, `+etal`
    /// appended; range dashes written `-`; last field `n` if narrative).
    pub fn compact(&self) -> String {
        let mut a = self.authors.join("+");
        if self.et_al {
            a.push_str("+etal");
        }
        let loc = self
            .locator
            .as_ref()
            .map(|l| format!("{}:{}", l.label.short(), l.value.replace('–', "-")))
            .unwrap_or_default();
        format!(
            "{};{};{};{};{}",
            a,
            self.year,
            loc,
            self.prefix.as_deref().unwrap_or(""),
            if self.narrative { "n" } else { "" }
        )
    }
}

/// Whether `text` may hold a citation: every citation has a year, and a
/// year is a run of exactly four ASCII digits from 1000 to 2099 or one of
/// the no-date forms (`n.d.`, `nd`, `t.t.`, `t.th.`, `s.a.`, `in press`,
/// `forthcoming`). A cheap scan (it runs on every passage indexed) that
/// lets most passages skip [`extract`]; it may say yes wrongly, never no.
pub fn may_cite(text: &str) -> bool {
    let b = text.as_bytes();
    let lower = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    let alnum = |i: Option<usize>| {
        i.and_then(|i| b.get(i))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    let word = |i: usize, w: &[u8]| {
        b.get(i..i + w.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(w))
    };
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 4 && (b[start] == b'1' || (b[start] == b'2' && b[start + 1] == b'0')) {
            return true;
        }
    }
    // `n.d.`, `t.t.`, `t.th.`, `s.a.` and their capitals.
    let dotted = memchr::memchr_iter(b'.', b).any(|j| {
        j > 0
            && matches!(
                (b[j - 1].to_ascii_lowercase(), lower(j + 1)),
                (b'n', Some(b'd')) | (b't', Some(b't')) | (b's', Some(b'a'))
            )
    });
    dotted
        || memchr::memchr2_iter(b'd', b'D', b).any(|j| {
            j > 0
                && b[j - 1].eq_ignore_ascii_case(&b'n')
                && !alnum(j.checked_sub(2))
                && !alnum(Some(j + 1))
        })
        || memchr::memchr2_iter(b'p', b'P', b).any(|j| word(j, b"press"))
        || memchr::memchr2_iter(b'f', b'F', b).any(|j| word(j, b"forthcoming"))
}

/// Find every author–year in-text citation in `text`.
pub fn extract(text: &str) -> Vec<InTextCitation> {
    let cx = Cx::new(text);
    let mut out = Vec::new();
    let mut used = vec![false; cx.t.len()];
    cx.parens(&mut out, &mut used);
    cx.prose(&mut out, &mut used);
    out.sort_by_key(|c| (c.span.0, c.year_span.0));
    out
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    Word,
    Num,
    P(char),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    k: K,
    s: usize,
    e: usize,
}

fn is_apos(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}
fn is_hyph(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
    )
}
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}
fn is_wordc(c: char) -> bool {
    c.is_alphabetic() || is_mark(c)
}

fn tokenize(src: &str) -> Vec<Tok> {
    // Walks the text once, decoding a character where it is needed: no
    // per-character table, as this runs on every passage indexed.
    let next = |i: usize| src.get(i..).and_then(|r| r.chars().next());
    let mut toks = Vec::with_capacity(src.len() / 4 + 1);
    let mut i = 0;
    while let Some(c) = next(i) {
        let s = i;
        i += c.len_utf8();
        let k = if c.is_whitespace() {
            continue;
        } else if c.is_ascii_digit() {
            while src.as_bytes().get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            K::Num
        } else if is_wordc(c) {
            loop {
                match next(i) {
                    Some(d) if is_wordc(d) => i += d.len_utf8(),
                    Some(d) if is_apos(d) || is_hyph(d) => {
                        let j = i + d.len_utf8();
                        match next(j) {
                            Some(e) if is_wordc(e) => i = j + e.len_utf8(),
                            _ => break,
                        }
                    }
                    _ => break,
                }
            }
            K::Word
        } else {
            K::P(c)
        };
        toks.push(Tok { k, s, e: i });
    }
    toks
}

// ---------------------------------------------------------------------------
// Word lists

fn set(
    cell: &'static OnceLock<HashSet<&'static str>>,
    words: &'static str,
) -> &'static HashSet<&'static str> {
    cell.get_or_init(|| words.split_whitespace().collect())
}

/// Capitalised function words that cannot be (the end of) an author name.
fn is_stop(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(&S, STOP).contains(w) || is_title(w) || is_law(w) || is_month(w)
}
const STOP: &str = "
a an the in on at of for from to by with as and but or nor if when whenever while whilst since after
before during until unless this that these those it its we our us they their them he she his her him
i you your my however moreover furthermore thus therefore hence although though because see also cf
table tables figure figures fig chapter section appendix part page pages vol volume no number numbers
year years monday tuesday wednesday thursday friday saturday sunday today here there then now both each
every all some many most much more less few several such other others another according following
unlike like yet still only even recently recent later earlier first second third fourth fifth finally
lastly similarly likewise meanwhile instead indeed nevertheless nonetheless notably accordingly
consequently specifically overall between among amongst within without under over through throughout
across against towards toward into onto upon about above below beyond what which who whom whose where
why how not so any per via vs versus one two three four five ten census survey data source sources note
notes whereas despite given including especially particularly namely ibid ibidem idem op cit loc et al
generally typically historically traditionally originally subsequently previously initially currently
eg ie dr prof mr mrs ms sir lord lady dkk
pada di ke dari dalam oleh untuk dengan dan atau tetapi namun menurut sedangkan sementara selain sebagai
sebagaimana seperti yang ini itu tersebut hal tabel gambar bagan grafik lampiran bab pasal ayat nomor
tahun sejak hingga sampai antara bagi tentang terhadap karena sehingga maka jika apabila ketika saat
setelah sesudah sebelum selama kemudian lalu juga bahkan adapun lihat bandingkan bdk misalnya contohnya
contoh kami kita mereka ia dia beliau penulis peneliti sumber catatan keterangan senin selasa rabu kamis
jumat sabtu minggu secara berdasarkan meskipun walaupun demikian selanjutnya akhirnya pertama kedua
ketiga penelitian studi hasil kajian sebuah suatu para setiap semua beberapa banyak berbagai hanya masih
telah sudah akan belum tidak bukan tanpa melalui terutama khususnya yaitu yakni adalah merupakan dimana
kini sekarang dahulu dulu pasca pra era masa periode perang zaman jaman sebaliknya begitu pun jadi artinya
apalagi kendati seiring sesuai mengenai temuan pendapat teori konsep model bahwa oleh karena itu
";

/// Office titles: a narrative name right after one of these is a historical
/// actor, not a cited author.
fn is_title(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "presiden president wakil vice raja king queen ratu sultan gubernur governor mayor walikota wali
         bupati menteri minister perdana prime jenderal general pope paus kaisar emperor chancellor
         kanselir senator duta ambassador panglima pangeran prince princess ketua chairman sekretaris
         secretary pak bapak ibu bu",
    )
    .contains(w)
}

fn is_law(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "law laws act acts article regulation regulations decree ordinance statute bill constitution
         undang-undang undang uu uud perpu perppu peraturan perda perpres permendagri permenlu keppres
         kepres inpres keputusan instruksi surat edaran konstitusi",
    )
    .contains(w)
}

fn is_month(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "january february march april june july august september october november december jan feb mar
         apr jun jul aug sep sept oct nov dec januari februari maret mei juni juli agustus oktober
         desember",
    )
    .contains(w)
}

fn is_month_or_may(w: &str) -> bool {
    is_month(w) || w == "may"
}

/// Words naming events, treaties, eras: `Sumpah Pemuda (1928)`,
/// `Treaty of Rome (1957)` are not citations.
fn is_event(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "sumpah konferensi conference perang war wars perjanjian treaty agreement accord accords charter
         piagam deklarasi declaration proklamasi proclamation revolusi revolution reformasi kongres congress
         summit ktt konvensi convention protocol protokol plan doctrine doktrin pemilu election elections
         krisis crisis peristiwa tragedi tragedy gerakan movement festival olympics olimpiade expo games
         pameran exhibition sensus dekrit reform reforms orde pact pakta uprising pemberontakan insiden
         incident operasi operation kabinet cabinet dinasti dynasty kerajaan empire kekaisaran",
    )
    .contains(w)
}

/// Abstract nouns that are never surnames (`Imagined Communities (1983)`,
/// `Globalisasi (2000)`, `Kemerdekaan (1945)`).
fn looks_common_noun(w: &str) -> bool {
    let n = w.chars().count();
    [
        "tion", "tions", "sion", "sions", "ism", "isms", "isme", "ship", "ities", "ments",
    ]
    .iter()
    .any(|suf| w.ends_with(suf) && n > suf.len() + 2)
        || (n >= 8 && w.ends_with("isasi"))
        || matches!(
            w,
            "demokrasi" | "otonomi" | "kemerdekaan" | "modernity" | "democracy"
        )
        || (n >= 8
            && w.ends_with("an")
            && ["ke", "pe", "per"].iter().any(|p| w.starts_with(p))
            && [
                "kea", "kem", "ken", "keb", "ked", "kes", "ket", "kep", "pem", "pen", "per", "pel",
                "peng", "peny",
            ]
            .iter()
            .any(|p| w.starts_with(p)))
}

fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "de" | "da"
            | "van"
            | "von"
            | "der"
            | "den"
            | "del"
            | "della"
            | "dos"
            | "das"
            | "du"
            | "le"
            | "la"
            | "ter"
            | "ten"
            | "bin"
            | "binti"
            | "zu"
            | "ibn"
            | "dei"
            | "degli"
            | "vander"
    )
}

/// Lower-case words allowed inside an organisation name (`Ministry of …`).
fn is_connector(w: &str) -> bool {
    matches!(w, "of" | "for" | "on" | "the")
}

fn is_org_kw(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "bank kementerian kemenlu kemendagri kemenkeu badan pemerintah government governments ministry
         department departemen organisation organization organisasi institute institut lembaga council
         councils dewan agency association asosiasi commission komisi bureau biro office kantor foundation
         yayasan fund forum university universitas program programme center centre pusat dinas direktorat
         sekretariat secretariat union uni nations network jaringan group society institution authority
         otoritas corporation company perusahaan bappenas watch international internasional committee
         komite parliament parlemen court mahkamah press federation federasi league liga party partai
         partnership initiative trust board service services provinsi kabupaten republik republic kingdom
         states bureau statistics statistik ombudsman",
    )
    .contains(w)
}

/// Places that are never surnames in practice (checked on the whole author).
fn is_place(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let s = S.get_or_init(|| {
        PLACES
            .split(',')
            .map(|x| x.trim())
            .filter(|x| !x.is_empty())
            .collect()
    });
    s.contains(w)
}
const PLACES: &str = "
indonesia, malaysia, singapore, singapura, thailand, vietnam, philippines, filipina, japan, jepang, china,
tiongkok, cina, korea, india, australia, germany, jerman, france, prancis, perancis, netherlands, belanda,
britain, great britain, inggris, england, scotland, russia, rusia, italy, italia, spain, spanyol, portugal,
brazil, brasil, canada, kanada, mexico, meksiko, egypt, mesir, turkey, turki, iran, iraq, irak, pakistan,
bangladesh, america, amerika, europe, eropa, asia, africa, afrika, belgium, belgia, austria, switzerland,
swiss, sweden, swedia, norway, norwegia, denmark, finland, finlandia, poland, polandia, ukraine, ukraina,
greece, yunani, argentina, chile, cile, peru, colombia, kolombia, venezuela, cuba, kuba, nigeria, kenya,
ethiopia, arab saudi, saudi arabia, yemen, yaman, syria, suriah, lebanon, libanon, afghanistan, myanmar,
burma, cambodia, kamboja, laos, brunei, timor leste, east timor, taiwan, mongolia, new zealand,
selandia baru, united states, amerika serikat, united kingdom, south korea, korea selatan, north korea,
korea utara, south africa, afrika selatan, palestine, palestina, qatar, kuwait, oman, hungary, hongaria,
czech republic, ceko, romania, rumania, bulgaria, serbia, croatia, kroasia, slovakia, slovenia, estonia,
latvia, lithuania, belarus, ireland, irlandia, iceland, islandia, sri lanka, nepal, bhutan, maldives,
west germany, east germany, jerman barat, jerman timur, soviet union, uni soviet, yugoslavia,
jakarta, bandung, surabaya, medan, semarang, yogyakarta, jogja, jogjakarta, solo, surakarta, makassar,
palembang, denpasar, bali, padang, pekanbaru, malang, bogor, depok, bekasi, tangerang, batam, balikpapan,
samarinda, pontianak, banjarmasin, manado, ambon, jayapura, kupang, mataram, aceh, banda aceh, papua,
sumatra, sumatera, jawa, java, kalimantan, borneo, sulawesi, maluku, lombok, riau, jambi, bengkulu,
lampung, banten, jawa barat, jawa tengah, jawa timur, west java, east java, central java, nusa tenggara,
gorontalo, ternate, cirebon, tasikmalaya, kediri, madiun, blitar, magelang, pekalongan, tegal, salatiga,
coventry, dresden, stalingrad, volgograd, berlin, hamburg, munich, münchen, muenchen, cologne, köln,
frankfurt, braunschweig, bremen, stuttgart, leipzig, bonn, rotterdam, amsterdam, the hague, den haag,
utrecht, brussels, brussel, vienna, wina, wien, rome, roma, milan, milano, madrid, barcelona, lisbon,
lisboa, moscow, moskow, moskwa, tokyo, osaka, kyoto, hiroshima, nagasaki, kobe, yokohama, fukuoka, seoul,
busan, beijing, peking, shanghai, guangzhou, shenzhen, hong kong, taipei, bangkok, hanoi, ho chi minh,
manila, kuala lumpur, penang, johor, melbourne, brisbane, canberra, chicago, new york, los angeles,
san francisco, seattle, boston, detroit, toronto, vancouver, montreal, ottawa, cairo, kairo, istanbul,
ankara, tehran, teheran, dubai, riyadh, mecca, mekkah, makkah, madinah, medina, delhi, new delhi, mumbai,
karachi, lagos, nairobi, cape town, johannesburg, rio de janeiro, sao paulo, são paulo, buenos aires,
oslo, stockholm, copenhagen, kopenhagen, helsinki, warsaw, warsawa, prague, praha, budapest, athens,
athena, geneva, jenewa, zurich, zürich, lyon, marseille, birmingham, liverpool, glasgow, edinburgh,
leeds, bristol, kiel, hannover, hanover, düsseldorf, dusseldorf, dortmund, nuremberg, nürnberg, sydney,
kota bandung, kota surabaya, dki jakarta
";

fn is_report_verb(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "menyatakan mengatakan berpendapat mengemukakan menjelaskan menulis menuliskan menemukan
         menyebutkan menyebut mendefinisikan mengungkapkan menunjukkan memperkenalkan mengusulkan
         menegaskan berargumen berargumentasi mencatat menguraikan meneliti mengembangkan merumuskan
         menyimpulkan membahas menggambarkan mengartikan mengajukan menawarkan memaparkan mengkaji
         menganalisis mengidentifikasi membedakan mengklasifikasikan menekankan menerbitkan mengamati
         menyampaikan mencetuskan menggagas memandang mengkritik menyarankan menguji menelaah menyoroti
         menerangkan mendeskripsikan membuktikan memetakan menamakan menyebutnya mengartikannya
         melakukan mempublikasikan mengemukakannya mengajukan berteori mengonseptualisasikan",
    )
    .contains(w)
}

fn is_passive_report(w: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    set(
        &S,
        "dikemukakan dinyatakan diperkenalkan dikembangkan ditulis diteliti dirumuskan diusulkan
         dicetuskan digagas didefinisikan dijelaskan diungkapkan dikaji dicatat dipopulerkan diajukan
         ditawarkan dipaparkan disampaikan diuraikan dipublikasikan diterbitkan ditemukan",
    )
    .contains(w)
}

fn is_doc_nya(w: &str) -> bool {
    matches!(
        w,
        "tulisannya"
            | "bukunya"
            | "artikelnya"
            | "penelitiannya"
            | "karyanya"
            | "kajiannya"
            | "studinya"
            | "disertasinya"
            | "tesisnya"
            | "risetnya"
            | "makalahnya"
            | "laporannya"
            | "esainya"
            | "jurnalnya"
            | "karangannya"
            | "pidatonya"
            | "bukunja"
    )
}

/// Prefixes recognised before a narrative name (`see Smith (2010)`).
const NARR_PREFIXES: &[&str] = &[
    "see also",
    "see",
    "lihat juga",
    "lihat",
    "cf.",
    "bdk.",
    "e.g.,",
    "e.g.",
    "misalnya",
    "bandingkan",
];

fn strip_possessive(s: &str) -> &str {
    for suf in ["'s", "\u{2019}s", "\u{02BC}s"] {
        if let Some(x) = s.strip_suffix(suf) {
            return x;
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Scanner

struct Cx<'a> {
    src: &'a str,
    t: Vec<Tok>,
}

#[derive(Clone, Debug)]
struct Year {
    text: String,
    s: usize,
    e: usize,
    /// Token index just after the year.
    end: usize,
    suffix: bool,
    /// The four digits, if numeric.
    base: Option<String>,
}

#[derive(Clone, Debug)]
struct Group {
    start: usize,
    members: Vec<usize>,
}

#[derive(Clone, Debug)]
struct Run {
    start: usize,
    groups: Vec<Group>,
    et_al: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Paren,
    Narr,
}

#[derive(Clone)]
struct LastRun {
    authors: Vec<String>,
    et_al: bool,
    narrative: bool,
}

impl<'a> Cx<'a> {
    fn new(src: &'a str) -> Self {
        Cx {
            src,
            t: tokenize(src),
        }
    }

    fn n(&self) -> usize {
        self.t.len()
    }
    fn txt(&self, i: usize) -> &'a str {
        match self.t.get(i) {
            Some(t) => self.src.get(t.s..t.e).unwrap_or(""),
            None => "",
        }
    }
    fn kind(&self, i: usize) -> Option<K> {
        self.t.get(i).map(|t| t.k)
    }
    fn is_p(&self, i: usize, c: char) -> bool {
        self.kind(i) == Some(K::P(c))
    }
    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(K::Word)
    }
    fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(K::Num)
    }
    /// Lower-cased word text ("" for non-words).
    fn lw(&self, i: usize) -> String {
        if self.is_word(i) {
            self.txt(i).to_lowercase()
        } else {
            String::new()
        }
    }
    fn adj(&self, i: usize, j: usize) -> bool {
        match (self.t.get(i), self.t.get(j)) {
            (Some(a), Some(b)) => a.e == b.s,
            _ => false,
        }
    }
    fn slice(&self, a: usize, b_incl: usize) -> &'a str {
        match (self.t.get(a), self.t.get(b_incl)) {
            (Some(x), Some(y)) if x.s <= y.e => self.src.get(x.s..y.e).unwrap_or(""),
            _ => "",
        }
    }
    fn is_apos_p(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(K::P(c)) if is_apos(c))
    }

    /// Capitalised word (or `al-Attas`, `d'Alembert`) of letters only.
    fn is_name_word(&self, i: usize) -> bool {
        if !self.is_word(i) {
            return false;
        }
        let w = self.txt(i);
        let chars: Vec<char> = w.chars().collect();
        let Some(&c0) = chars.first() else {
            return false;
        };
        if c0.is_uppercase() {
            return true;
        }
        // lower-case prefix of 1..=3 letters + apostrophe/hyphen + capital: al-Attas, d'Alembert
        match chars.iter().position(|&c| is_apos(c) || is_hyph(c)) {
            Some(p) => {
                (1..=3).contains(&p)
                    && chars[..p].iter().all(|c| c.is_lowercase())
                    && chars.get(p + 1).is_some_and(|c| c.is_uppercase())
            }
            None => false,
        }
    }

    fn is_initial(&self, i: usize) -> bool {
        self.is_word(i) && {
            let w = self.txt(i);
            let mut c = w.chars();
            matches!((c.next(), c.next()), (Some(a), None) if a.is_uppercase())
        }
    }

    /// A word that can end an author name.
    fn is_surname(&self, i: usize) -> bool {
        if !self.is_name_word(i) {
            return false;
        }
        let w = strip_possessive(self.txt(i));
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !is_stop(&w.to_lowercase())
    }

    fn is_acronym(&self, i: usize) -> bool {
        let mut letters = self.txt(i).chars().filter(|c| c.is_alphabetic());
        matches!((letters.next(), letters.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase())
    }

    // ---- years -------------------------------------------------------------

    fn year_at(&self, i: usize) -> Option<Year> {
        let t = *self.t.get(i)?;
        match t.k {
            K::Num => {
                let s = self.txt(i);
                if s.len() != 4 {
                    return None;
                }
                let v: u32 = s.parse().ok()?;
                if !(1000..=2099).contains(&v) {
                    return None;
                }
                if i > 0 && self.adj(i - 1, i) {
                    match self.t[i - 1].k {
                        K::Word | K::Num => return None,
                        K::P('.') | K::P(',') | K::P('/')
                            if i > 1 && self.adj(i - 2, i - 1) && self.is_num(i - 2) =>
                        {
                            return None;
                        }
                        _ => {}
                    }
                }
                let mut end = i + 1;
                let mut suffix = false;
                let mut text = s.to_string();
                if end < self.n() && self.adj(i, end) {
                    match self.t[end].k {
                        K::Word => {
                            let w = self.txt(end);
                            let b = w.as_bytes();
                            if b.len() == 1 && b[0].is_ascii_lowercase() && b[0] != b's' {
                                text.push_str(w);
                                end += 1;
                                suffix = true;
                            } else {
                                return None;
                            }
                        }
                        K::Num => return None,
                        K::P('.') | K::P(',') if self.adj(end, end + 1) && self.is_num(end + 1) => {
                            return None;
                        }
                        K::P('/') if self.adj(end, end + 1) && self.is_num(end + 1) => {
                            let w = self.txt(end + 1);
                            let ok = w.len() == 4
                                && w.parse::<u32>().is_ok_and(|v| (1000..=2099).contains(&v));
                            if ok
                                && !(self.adj(end + 1, end + 2)
                                    && matches!(self.kind(end + 2), Some(K::Num | K::Word)))
                            {
                                text.push('/');
                                text.push_str(w);
                                end += 2;
                            } else {
                                return None;
                            }
                        }
                        _ => {}
                    }
                }
                Some(Year {
                    text,
                    s: t.s,
                    e: self.t[end - 1].e,
                    end,
                    suffix,
                    base: Some(s.to_string()),
                })
            }
            K::Word => {
                let w = self.lw(i);
                let word_at = |k: usize, want: &[&str]| {
                    self.is_word(k) && want.contains(&self.lw(k).as_str())
                };
                // n.d. / t.t. / t.th. / s.a.
                let second: &[&str] = match w.as_str() {
                    "n" => &["d"],
                    "t" => &["t", "th"],
                    "s" => &["a"],
                    "nd" => {
                        let mut end = i + 1;
                        if self.is_p(end, '.') && self.adj(i, end) {
                            end += 1;
                        }
                        if i > 0 && self.is_p(i - 1, '.') {
                            return None;
                        }
                        return Some(self.mk_year(i, end));
                    }
                    "in" if word_at(i + 1, &["press"]) => return Some(self.mk_year(i, i + 2)),
                    "forthcoming" => return Some(self.mk_year(i, i + 1)),
                    _ => return None,
                };
                if i > 0
                    && self.adj(i - 1, i)
                    && matches!(self.t[i - 1].k, K::Word | K::Num | K::P('.'))
                {
                    return None;
                }
                if self.is_p(i + 1, '.')
                    && self.adj(i, i + 1)
                    && self.adj(i + 1, i + 2)
                    && word_at(i + 2, second)
                {
                    let mut end = i + 3;
                    if self.is_p(end, '.') && self.adj(end - 1, end) {
                        end += 1;
                    }
                    if w == "s" && end == i + 3 {
                        return None; // "s.a" without the final dot is too weak
                    }
                    return Some(self.mk_year(i, end));
                }
                None
            }
            _ => None,
        }
    }

    fn mk_year(&self, i: usize, end: usize) -> Year {
        let (s, e) = (self.t[i].s, self.t[end - 1].e);
        Year {
            text: self.src.get(s..e).unwrap_or("").to_string(),
            s,
            e,
            end,
            suffix: false,
            base: None,
        }
    }

    /// `2009, 2011` / `2011a, b` / `n.d.`
    fn year_list(&self, i: usize) -> Option<(Vec<Year>, usize)> {
        let y = self.year_at(i)?;
        let mut j = y.end;
        let mut v = vec![y];
        while v.len() < 20 && self.is_p(j, ',') {
            if let Some(y2) = self.year_at(j + 1) {
                j = y2.end;
                v.push(y2);
                continue;
            }
            let last = v.last().cloned();
            if let Some(last) = last {
                let k = j + 1;
                if last.suffix && self.is_word(k) && !(self.is_p(k + 1, '.') && self.adj(k, k + 1))
                {
                    let w = self.txt(k);
                    let b = w.as_bytes();
                    let base = last
                        .base
                        .clone()
                        .filter(|_| b.len() == 1 && b[0].is_ascii_lowercase() && b[0] != b's');
                    if let Some(base) = base {
                        let t = self.t[k];
                        v.push(Year {
                            text: format!("{base}{w}"),
                            s: t.s,
                            e: t.e,
                            end: k + 1,
                            suffix: true,
                            base: Some(base),
                        });
                        j = k + 1;
                        continue;
                    }
                }
            }
            break;
        }
        Some((v, j))
    }

    // ---- locators ----------------------------------------------------------

    fn label_at(&self, j: usize) -> Option<(LocatorLabel, usize, bool)> {
        use LocatorLabel::*;
        match self.kind(j)? {
            K::P('§') => {
                let mut e = j + 1;
                if self.is_p(e, '§') {
                    e += 1;
                }
                return Some((Section, e, false));
            }
            K::P('¶') => return Some((Paragraph, j + 1, false)),
            K::Word => {}
            _ => return None,
        }
        let w = self.lw(j);
        let (label, plural) = match w.as_str() {
            "p" | "pg" | "page" | "h" | "hal" | "hlm" | "halaman" => (Page, false),
            "pp" | "pages" | "hh" | "hlmn" => (Pages, true),
            "ch" | "chap" | "chapter" | "bab" => (Chapter, false),
            "sec" | "sect" | "section" | "bagian" => (Section, false),
            "para" | "par" | "paragraph" | "paragraf" => (Paragraph, false),
            "vol" | "volume" | "jil" | "jilid" => (Volume, false),
            "n" | "nn" | "note" | "fn" | "footnote" | "catatan" => (Note, false),
            "table" | "tabel" | "tab" => (Table, false),
            "fig" | "figure" | "gambar" => (Figure, false),
            _ => return None,
        };
        let mut e = j + 1;
        if self.is_p(e, '.') && self.adj(j, e) {
            e += 1;
        }
        Some((label, e, plural))
    }

    fn simple_val(&self, k: usize) -> bool {
        match self.kind(k) {
            Some(K::Num) => self.txt(k).len() <= 6,
            Some(K::Word) => {
                let w = self.txt(k);
                w.len() <= 7
                    && (w.chars().all(|c| "ivxlcdm".contains(c))
                        || w.chars().all(|c| "IVXLCDM".contains(c)))
            }
            _ => false,
        }
    }

    /// value, is_range, end index
    fn value_at(&self, j: usize, bare: bool) -> Option<(String, bool, usize)> {
        if !self.simple_val(j) || (bare && !self.is_num(j)) {
            return None;
        }
        let mut val = self.txt(j).to_string();
        let mut end = j + 1;
        let mut range = false;
        if matches!(self.kind(end), Some(K::P(c)) if is_dash(c)) && self.simple_val(end + 1) {
            val.push('–');
            val.push_str(self.txt(end + 1));
            end += 2;
            range = true;
        }
        if self.is_word(end) && self.adj(end - 1, end) && matches!(self.txt(end), "f" | "ff") {
            val.push_str(self.txt(end));
            end += 1;
            if self.is_p(end, '.') && self.adj(end - 1, end) {
                end += 1;
            }
        }
        Some((val, range, end))
    }

    /// A locator, possibly chained (`vol. 1, 12`, `ch. 2, p. 45`): the last,
    /// most specific element gives label/value; `raw` covers the chain.
    fn locator_at(&self, i: usize) -> Option<(Locator, usize)> {
        let (mut loc, mut end) = self.locator_one(i)?;
        let first_s = if self.is_p(i, ',') {
            self.t.get(i + 1)?.s
        } else {
            self.t.get(i)?.s
        };
        let mut steps = 0;
        while steps < 4 && self.is_p(end, ',') {
            steps += 1;
            match self.locator_one(end) {
                Some((l, e))
                    if self.label_at(end + 1).is_some()
                        || loc.label == LocatorLabel::Volume
                        || loc.label == LocatorLabel::Chapter =>
                {
                    loc = l;
                    end = e;
                }
                _ => break,
            }
        }
        if let Some(r) = self
            .t
            .get(end - 1)
            .and_then(|last| self.src.get(first_s..last.e))
        {
            loc.raw = r.to_string();
        }
        Some((loc, end))
    }

    fn locator_one(&self, i: usize) -> Option<(Locator, usize)> {
        let (colon, j) = if self.is_p(i, ':') {
            (true, i + 1)
        } else if self.is_p(i, ',') {
            (false, i + 1)
        } else {
            (false, i)
        };
        if let Some((label, after, plural)) = self.label_at(j) {
            let (value, range, end) = self.value_at(after, false)?;
            let label = match label {
                LocatorLabel::Page if range || plural => LocatorLabel::Pages,
                l => l,
            };
            let raw_start = if colon { i } else { j };
            return Some((
                Locator {
                    label,
                    value,
                    raw: self.slice(raw_start, end - 1).to_string(),
                },
                end,
            ));
        }
        if j == i || self.year_at(j).is_some() {
            return None;
        }
        let (value, range, end) = self.value_at(j, !colon)?;
        let label = if range {
            LocatorLabel::Pages
        } else {
            LocatorLabel::Page
        };
        let raw_start = if colon { i } else { j };
        Some((
            Locator {
                label,
                value,
                raw: self.slice(raw_start, end - 1).to_string(),
            },
            end,
        ))
    }

    // ---- authors -----------------------------------------------------------

    /// Start of an `et al.` / `dkk.` marker ending right before `j`.
    fn et_al_before(&self, j: usize, lo: usize) -> Option<usize> {
        let ok = |k: usize| k >= lo && k < j;
        let mut k = j;
        if k > lo && self.is_p(k - 1, '.') {
            k -= 1;
        }
        if k == 0 || !ok(k - 1) {
            return None;
        }
        let w = self.lw(k - 1);
        match w.as_str() {
            "dkk" | "dkk." | "etal" => Some(k - 1),
            "al" => {
                // et al / et. al
                let mut m = k - 1;
                if m > lo && self.is_p(m - 1, '.') {
                    m -= 1;
                }
                if m > lo && self.lw(m - 1) == "et" {
                    Some(m - 1)
                } else {
                    None
                }
            }
            "colleagues" | "associates" if k - 1 > lo && self.lw(k - 2) == "and" => Some(k - 2),
            "kawan-kawan" | "rekan" | "rekan-rekan" | "kolega"
                if k - 1 > lo && self.lw(k - 2) == "dan" =>
            {
                Some(k - 2)
            }
            _ => None,
        }
    }

    /// One name (surname, given names, particles, initials, org words) ending
    /// right before `j`.
    fn group_before(&self, j: usize, lo: usize) -> Option<Group> {
        if j <= lo || j == 0 {
            return None;
        }
        let r = j - 1;
        if !self.is_surname(r) {
            return None;
        }
        let mut members = vec![r];
        let mut k = r;
        let mut steps = 0;
        while k > lo && steps < 12 {
            steps += 1;
            let p = k - 1;
            match self.kind(p) {
                Some(K::Word) => {
                    let lw = self.lw(p);
                    let left_is_name = p > lo && self.is_name_word(p - 1);
                    if self.is_name_word(p) {
                        if self.is_initial(p) {
                            break; // "A Smith" without a dot: not an initial
                        }
                        // a capitalised stop word is kept only inside a name
                        // ("Kementerian Dalam Negeri"); checked again below
                        let inside_name = left_is_name && !is_stop(&self.lw(p - 1));
                        if is_stop(&lw) && !inside_name {
                            break;
                        }
                        members.push(p);
                        k = p;
                    } else if is_particle(&lw) || (is_connector(&lw) && left_is_name) {
                        members.push(p);
                        k = p;
                    } else {
                        break;
                    }
                }
                Some(K::P('.')) => {
                    if p > lo && self.is_initial(p - 1) && self.adj(p - 1, p) {
                        members.push(p);
                        members.push(p - 1);
                        k = p - 1;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        members.reverse();
        // Cut at connectors / capitalised stop words not licensed by an
        // organisation keyword on their left ("Kementerian Dalam Negeri",
        // "Ministry of Foreign Affairs" stay whole; "Building on Duchacek" is cut).
        let mut has_kw = false;
        let mut cut = 0;
        for (idx, &m) in members.iter().enumerate() {
            if !self.is_word(m) {
                continue;
            }
            let lw = self.lw(m);
            let is_conn = !self.is_name_word(m) && is_connector(&lw);
            let is_stopcap = self.is_name_word(m) && is_stop(&lw);
            if (is_conn || is_stopcap) && !has_kw {
                cut = idx + 1;
            }
            if is_org_kw(&lw) {
                has_kw = true;
            }
        }
        let mut members: Vec<usize> = members[cut.min(members.len())..].to_vec();
        // an initial's dot can't lead
        while members.first().is_some_and(|&m| self.is_p(m, '.')) {
            members.remove(0);
        }
        if members.is_empty() {
            return None;
        }
        Some(Group {
            start: members[0],
            members,
        })
    }

    fn run_before(&self, j: usize, lo: usize) -> Option<Run> {
        let mut j = j;
        let mut et_al = false;
        if let Some(s) = self.et_al_before(j, lo) {
            et_al = true;
            j = s;
            if j > lo && self.is_p(j - 1, ',') {
                j -= 1;
            }
        }
        let first = self.group_before(j, lo)?;
        j = first.start;
        let mut groups = vec![first];
        let mut joins: Vec<bool> = Vec::new(); // true = and/&/dan join (right-to-left order)
        let mut had_and = false;
        while groups.len() < 12 && j > lo {
            let c = j - 1;
            let is_and = self.is_p(c, '&') || matches!(self.lw(c).as_str(), "and" | "dan");
            if is_and {
                let mut k = c;
                if k > lo && self.is_p(k - 1, ',') {
                    k -= 1;
                }
                match self.group_before(k, lo) {
                    Some(g) => {
                        j = g.start;
                        groups.push(g);
                        joins.push(true);
                        had_and = true;
                    }
                    None => break,
                }
            } else if self.is_p(c, ',') && had_and {
                match self.group_before(c, lo) {
                    Some(g) => {
                        j = g.start;
                        groups.push(g);
                        joins.push(false);
                    }
                    None => break,
                }
            } else {
                break;
            }
        }
        groups.reverse();
        joins.reverse();
        // "United Cities and Local Governments": two multi-word halves, only
        // the right one an organisation → one organisation name.
        let mut merged: Vec<Group> = Vec::with_capacity(groups.len());
        for (gi, g) in groups.into_iter().enumerate() {
            let prev = merged
                .last()
                .filter(|_| gi > 0 && joins.get(gi - 1) == Some(&true));
            if let Some(prev) = prev {
                let words = |gr: &Group| gr.members.iter().filter(|&&m| self.is_word(m)).count();
                let kw = |gr: &Group| gr.members.iter().any(|&m| is_org_kw(&self.lw(m)));
                if words(prev) >= 2 && words(&g) >= 2 && kw(&g) && !kw(prev) {
                    let mut p = merged.pop().unwrap_or(g.clone());
                    let last = *g.members.last().unwrap_or(&p.start);
                    p.members = (p.start..=last).collect();
                    merged.push(p);
                    continue;
                }
            }
            merged.push(g);
        }
        Some(Run {
            start: merged[0].start,
            groups: merged,
            et_al,
        })
    }

    fn author_string(&self, g: &Group, mode: Mode) -> String {
        let ms: Vec<usize> = {
            let first = g
                .members
                .iter()
                .position(|&m| !(self.is_initial(m) || self.is_p(m, '.')));
            match first {
                Some(f) => g.members[f..].to_vec(),
                None => g.members.clone(),
            }
        };
        let (Some(&a), Some(&b)) = (ms.first(), ms.last()) else {
            return String::new();
        };
        let full = strip_possessive(self.slice(a, b));
        if mode == Mode::Paren {
            return full.to_string();
        }
        let words: Vec<usize> = ms.iter().copied().filter(|&m| self.is_word(m)).collect();
        if words
            .iter()
            .any(|&m| is_org_kw(&self.lw(m)) || self.is_acronym(m))
        {
            return full.to_string();
        }
        let particle = words.iter().position(|&m| is_particle(&self.lw(m)));
        if let Some(pi) = particle.filter(|&pi| pi + 1 < words.len()) {
            return strip_possessive(self.slice(words[pi], b)).to_string();
        }
        strip_possessive(self.txt(b)).to_string()
    }

    fn authors(&self, run: &Run, mode: Mode) -> Option<Vec<String>> {
        for g in &run.groups {
            if g.members.iter().any(|&m| is_event(&self.lw(m))) {
                return None;
            }
            let org = g
                .members
                .iter()
                .any(|&m| is_org_kw(&self.lw(m)) || (self.is_word(m) && self.is_acronym(m)));
            let last = g.members.last().filter(|_| !org);
            if last
                .is_some_and(|&l| looks_common_noun(&strip_possessive(self.txt(l)).to_lowercase()))
            {
                return None;
            }
        }
        let v: Vec<String> = run
            .groups
            .iter()
            .map(|g| self.author_string(g, mode))
            .collect();
        if v.iter().any(|a| a.is_empty()) {
            return None;
        }
        if v.iter().all(|a| is_place(&a.to_lowercase())) {
            return None;
        }
        Some(v)
    }

    // ---- parentheses -------------------------------------------------------

    fn parens(&self, out: &mut Vec<InTextCitation>, used: &mut [bool]) {
        let n = self.n();
        let mut close_of = vec![usize::MAX; n];
        let mut stack = Vec::new();
        let mut groups = Vec::new();
        for i in 0..n {
            match self.t[i].k {
                K::P('(') => stack.push(i),
                K::P(')') => {
                    if let Some(o) = stack.pop() {
                        close_of[o] = i;
                        groups.push((o, i));
                    }
                }
                _ => {}
            }
        }
        groups.sort_unstable();
        for (o, c) in groups {
            self.group(o, c, &close_of, out, used);
        }
    }

    fn skip_nested(&self, k: usize, limit: usize, close_of: &[usize]) -> Option<usize> {
        if self.is_p(k, '(') {
            let c = close_of.get(k).copied().unwrap_or(usize::MAX);
            if c != usize::MAX && c < limit {
                return Some(c + 1);
            }
        }
        None
    }

    /// Pure `years [locator]` covering exactly [a, b).
    fn pure_years(&self, a: usize, b: usize) -> Option<(Vec<Year>, Option<Locator>, usize)> {
        let (ys, mut end) = self.year_list(a)?;
        let mut loc = None;
        if end < b {
            let (l, e) = self.locator_at(end)?;
            loc = Some(l);
            end = e;
        }
        if end == b { Some((ys, loc, end)) } else { None }
    }

    fn group(
        &self,
        o: usize,
        c: usize,
        close_of: &[usize],
        out: &mut Vec<InTextCitation>,
        used: &mut [bool],
    ) {
        // split into ';' items at this nesting level
        let mut items = Vec::new();
        let mut a = o + 1;
        let mut k = o + 1;
        while k < c {
            if let Some(nk) = self.skip_nested(k, c, close_of) {
                k = nk;
                continue;
            }
            if self.is_p(k, ';') {
                items.push((a, k));
                a = k + 1;
            }
            k += 1;
        }
        items.push((a, c));

        let mut last: Option<LastRun> = None;
        for (idx, &(a, b)) in items.iter().enumerate() {
            if a >= b {
                continue;
            }
            if let Some((ys, loc, end)) = self.pure_years(a, b) {
                if idx == 0 {
                    if let Some((run, authors, prefix)) = self.narrative_before(o) {
                        let e = if idx + 1 == items.len() {
                            self.t[c].e
                        } else {
                            self.t[end - 1].e
                        };
                        let span = (self.t[run.start].s, e);
                        for y in &ys {
                            out.push(self.mk(
                                span,
                                &authors,
                                run.et_al,
                                y,
                                loc.clone(),
                                prefix.clone(),
                                true,
                            ));
                        }
                        for u in used.iter_mut().take(end).skip(a) {
                            *u = true;
                        }
                        last = Some(LastRun {
                            authors,
                            et_al: run.et_al,
                            narrative: true,
                        });
                    }
                } else if let Some(l) = &last {
                    let span = (self.t[a].s, self.t[end - 1].e);
                    for y in &ys {
                        out.push(self.mk(
                            span,
                            &l.authors,
                            l.et_al,
                            y,
                            loc.clone(),
                            None,
                            l.narrative,
                        ));
                    }
                }
                continue;
            }
            self.item(a, b, close_of, &mut last, out, used);
        }
    }

    fn narrative_before(&self, open: usize) -> Option<(Run, Vec<String>, Option<String>)> {
        let lo = open.saturating_sub(60);
        let mut j = open;
        if j >= lo + 2 && self.lw(j - 1) == "s" && self.is_apos_p(j - 2) && self.adj(j - 2, j - 1) {
            j -= 2; // al.'s
        } else if j >= lo + 2
            && self.is_apos_p(j - 1)
            && self.is_word(j - 2)
            && self.adj(j - 2, j - 1)
        {
            j -= 1; // Jones'
        } else if j >= lo + 2
            && is_doc_nya(&self.lw(j - 1))
            && matches!(self.lw(j - 2).as_str(), "dalam" | "melalui" | "lewat")
        {
            j -= 2; // "Zelinsky dalam bukunya (1991)"
        }
        let run = self.run_before(j, lo)?;
        if run.start > 0 {
            let w = self.lw(run.start - 1);
            if is_title(&w) || is_law(&w) {
                return None;
            }
        }
        let authors = self.authors(&run, Mode::Narr)?;
        Some((run.clone(), authors, self.narr_prefix(run.start)))
    }

    fn narr_prefix(&self, start: usize) -> Option<String> {
        // look only at a short window (keeps the whole pass linear)
        let end = self.t.get(start)?.s;
        let mut from = end.saturating_sub(24);
        while from > 0 && !self.src.is_char_boundary(from) {
            from -= 1;
        }
        let before = self.src.get(from..end)?.trim_end();
        let low = before.to_lowercase();
        for p in NARR_PREFIXES {
            if low.ends_with(p) {
                let cut = before.len().checked_sub(p.len())?;
                let ok_boundary = before
                    .get(..cut)?
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                if ok_boundary {
                    let s = before.get(cut..)?.trim_end_matches(',');
                    return Some(s.to_string());
                }
            }
        }
        None
    }

    /// One `;`-item of a parenthetical group: one or more author–year units.
    fn item(
        &self,
        a: usize,
        b: usize,
        close_of: &[usize],
        last: &mut Option<LastRun>,
        out: &mut Vec<InTextCitation>,
        used: &mut [bool],
    ) {
        let mut pos = a;
        let mut k = a;
        while k < b {
            if let Some(nk) = self.skip_nested(k, b, close_of) {
                k = nk;
                pos = pos.max(k.min(b)); // nothing before a nested group can be an author
                continue;
            }
            let Some((ys, yend)) = self.year_list(k) else {
                k += 1;
                continue;
            };
            if yend > b {
                break;
            }
            if matches!(self.kind(yend), Some(K::P(c)) if is_dash(c)) && self.is_num(yend + 1) {
                k = yend + 2; // "1901–1970": a period or lifespan, not a citation
                continue;
            }
            let mut j = k;
            if j > pos && self.is_p(j - 1, ',') {
                j -= 1;
            }
            let not_law =
                |r: &Run| r.start == 0 || r.start <= pos || !is_law(&self.lw(r.start - 1));
            let jd = self.skip_date_back(k, pos);
            let run = (if jd != k {
                self.run_before(jd, pos).filter(not_law)
            } else {
                None
            })
            .or_else(|| self.run_before(j, pos).filter(not_law));
            let Some(run) = run else {
                k = yend;
                continue;
            };
            let Some(authors) = self.authors(&run, Mode::Paren) else {
                k = yend;
                continue;
            };
            let (loc, end) = match self.locator_at(yend) {
                Some((l, e)) if e <= b => (Some(l), e),
                _ => (None, yend),
            };
            let prefix = self.paren_prefix(pos, run.start);
            let span = (self.t[run.start].s, self.t[end - 1].e);
            for y in &ys {
                out.push(self.mk(
                    span,
                    &authors,
                    run.et_al,
                    y,
                    loc.clone(),
                    prefix.clone(),
                    false,
                ));
            }
            for u in used.iter_mut().take(end).skip(k) {
                *u = true;
            }
            *last = Some(LastRun {
                authors,
                et_al: run.et_al,
                narrative: false,
            });
            pos = end;
            k = end;
        }
    }

    /// `k` is the year token. Skips a date before it — `12 Maret 2015`,
    /// `Maret 2015`, `March 3, 2015`, `3 March 2015` — and the comma before the
    /// date; returns `k` unchanged if there is no date.
    fn skip_date_back(&self, k: usize, lo: usize) -> usize {
        let month = |i: usize| self.is_word(i) && is_month_or_may(&self.lw(i));
        let day = |i: usize| self.is_num(i) && self.txt(i).len() <= 2;
        let mut m = k;
        if m > lo && self.is_p(m - 1, '.') && m - 1 > lo && month(m - 2) {
            m -= 1; // "Mar. 2015"
        }
        if m > lo && month(m - 1) {
            m -= 1;
            if m > lo && day(m - 1) {
                m -= 1;
            }
        } else if m >= lo + 3 && self.is_p(m - 1, ',') && day(m - 2) && month(m - 3) {
            m -= 3;
        } else if m >= lo + 2 && day(m - 1) && month(m - 2) {
            m -= 2;
        } else {
            return k;
        }
        if m > lo && self.is_p(m - 1, ',') {
            m -= 1;
        }
        m
    }

    fn paren_prefix(&self, pos: usize, start: usize) -> Option<String> {
        if start <= pos {
            return None;
        }
        let s = self.src.get(self.t[pos].s..self.t[start - 1].e)?;
        let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
        if s.is_empty() || s.eq_ignore_ascii_case("the") || s.chars().count() > 80 {
            return None;
        }
        Some(s.to_string())
    }

    #[allow(clippy::too_many_arguments)]
    fn mk(
        &self,
        span: (usize, usize),
        authors: &[String],
        et_al: bool,
        y: &Year,
        locator: Option<Locator>,
        prefix: Option<String>,
        narrative: bool,
    ) -> InTextCitation {
        InTextCitation {
            text: self.src.get(span.0..span.1).unwrap_or("").to_string(),
            authors: authors.to_vec(),
            et_al,
            year: y.text.clone(),
            locator,
            prefix,
            narrative,
            span,
            year_span: (y.s, y.e),
        }
    }

    // ---- Indonesian prose form ---------------------------------------------

    fn prose(&self, out: &mut Vec<InTextCitation>, used: &mut [bool]) {
        for i in 0..self.n() {
            if !self.is_word(i) || !self.txt(i).eq_ignore_ascii_case("tahun") {
                continue;
            }
            if !self.is_num(i + 1) || used.get(i + 1).copied().unwrap_or(true) {
                continue;
            }
            let Some(y) = self.year_at(i + 1) else {
                continue;
            };
            if let Some((run, authors)) = self.prose_at(i, &y) {
                let span = (self.t[run.start].s, y.e);
                out.push(self.mk(span, &authors, run.et_al, &y, None, None, true));
                for u in used.iter_mut().take(y.end).skip(i + 1) {
                    *u = true;
                }
            }
        }
    }

    fn prose_at(&self, i: usize, y: &Year) -> Option<(Run, Vec<String>)> {
        // A: NAME [VERB] pada tahun YEAR [VERB]
        if i > 0 && self.lw(i - 1) == "pada" {
            let mut e = i - 1;
            let mut verb = false;
            if e > 0 && is_report_verb(&self.lw(e - 1)) {
                e -= 1;
                verb = true;
            }
            if let Some(r) = self.prose_run(e) {
                let after = (y.end..(y.end + 5).min(self.n()))
                    .take_while(|&k| self.is_word(k) || self.is_p(k, ','))
                    .any(|k| is_report_verb(&self.lw(k)));
                // "dikemukakan (oleh) Zelinsky pada tahun …", "menurut Zelinsky pada tahun …"
                let st = r.0.start;
                let before = |d: usize| {
                    if st >= d {
                        self.lw(st - d)
                    } else {
                        String::new()
                    }
                };
                let oleh = (before(1) == "oleh" && is_passive_report(&before(2)))
                    || is_passive_report(&before(1))
                    || before(1) == "menurut";
                if verb || after || oleh {
                    return Some(r);
                }
            }
        }
        // B: NAME dalam tulisannya/bukunya … [pada] tahun YEAR
        let lo = i.saturating_sub(10);
        let mut k = i;
        while k > lo {
            k -= 1;
            match self.kind(k) {
                Some(K::Word) => {
                    if is_doc_nya(&self.lw(k)) {
                        if k > 0 && matches!(self.lw(k - 1).as_str(), "dalam" | "melalui" | "lewat")
                        {
                            return self.prose_run(k - 1);
                        }
                        return None;
                    }
                }
                Some(K::P(',')) => {}
                _ => return None,
            }
        }
        None
    }

    fn prose_run(&self, e: usize) -> Option<(Run, Vec<String>)> {
        let run = self.run_before(e, e.saturating_sub(40))?;
        if run.start > 0 {
            let w = self.lw(run.start - 1);
            if is_title(&w) || is_law(&w) {
                return None;
            }
        }
        let authors = self.authors(&run, Mode::Narr)?;
        Some((run, authors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Vec<String> {
        extract(text).iter().map(|c| c.compact()).collect()
    }
    fn one(text: &str) -> InTextCitation {
        let v = extract(text);
        assert_eq!(v.len(), 1, "{text:?} -> {v:#?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn the_pre_filter_passes_years_and_no_date_forms_only() {
        for yes in [
            "x (Ogawa, 2012).",
            "Zelinsky (1991)",
            "(Smith, 2099b)",
            "(Lee, 1000)",
            "(Ali, n.d.)",
            "(ALI, N.D.)",
            "(Ali, nd)",
            "(Budi, t.t.)",
            "(Budi, s.a.)",
            "(Lee, in press)",
            "(Lee, Forthcoming)",
        ] {
            assert!(!extract(yes).is_empty(), "{yes}");
            assert!(may_cite(yes), "{yes}");
        }
        for no in [
            "ada 12345 orang",
            "pada 2100 meter",
            "kode 0999",
            "2,5 persen dari 300",
            "kota kembar",
            "and the end",
        ] {
            assert!(extract(no).is_empty(), "{no}");
            assert!(!may_cite(no), "{no}");
        }
    }

    #[test]
    fn basic_parenthetical() {
        assert_eq!(c("x (Ogawa, 2012)."), vec!["Ogawa;2012;;;"]);
        assert_eq!(c("x (Ogawa 2012)."), vec!["Ogawa;2012;;;"]);
        assert_eq!(c("(Smith dkk., 2010)"), vec!["Smith+etal;2010;;;"]);
        assert_eq!(c("(Smith et al 2010)"), vec!["Smith+etal;2010;;;"]);
        assert_eq!(
            c("(Smith, Jones, & Lee, 2010)"),
            vec!["Smith+Jones+Lee;2010;;;"]
        );
    }

    #[test]
    fn parenthetical_span_excludes_prefix_and_parens() {
        let t = "as shown (see also Clarke, 2009, p. 4; O’Toole, 2001).";
        let v = extract(t);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].text, "Clarke, 2009, p. 4");
        assert_eq!(v[0].prefix.as_deref(), Some("see also"));
        assert_eq!(&t[v[0].year_span.0..v[0].year_span.1], "2009");
        assert_eq!(v[1].text, "O’Toole, 2001");
        assert_eq!(v[1].authors, vec!["O’Toole"]);
        assert!(v.iter().all(|c| !c.narrative));
    }

    #[test]
    fn multi_year_units_share_span() {
        let t = "(Clarke, 2011a, b)";
        let v = extract(t);
        assert_eq!(
            v.iter().map(|c| c.year.as_str()).collect::<Vec<_>>(),
            vec!["2011a", "2011b"]
        );
        assert_eq!(v[0].span, v[1].span);
        assert_eq!(&t[v[1].year_span.0..v[1].year_span.1], "b");
        // a bare year after ';' inherits the previous author
        assert_eq!(
            c("(Clarke, 2009; 2011)"),
            vec!["Clarke;2009;;;", "Clarke;2011;;;"]
        );
    }

    #[test]
    fn narrative_span_and_locator() {
        let t = "Menurut Zelinsky (1991: 3-5), mobilitas berpola.";
        let z = one(t);
        assert_eq!(z.text, "Zelinsky (1991: 3-5)");
        assert!(z.narrative);
        let l = z.locator.unwrap();
        assert_eq!(
            (l.label, l.value.as_str(), l.raw.as_str()),
            (LocatorLabel::Pages, "3–5", ": 3-5")
        );
        let h = one("(Zelinsky, 1991, hlm. 3)").locator.unwrap();
        assert_eq!(
            (h.label, h.value.as_str(), h.raw.as_str()),
            (LocatorLabel::Page, "3", "hlm. 3")
        );
        assert_eq!(
            one("(Keating, 1999, bab 2)").locator.unwrap().label,
            LocatorLabel::Chapter
        );
        assert_eq!(
            one("(Keating, 1999, § 4)").locator.unwrap().label,
            LocatorLabel::Section
        );
    }

    #[test]
    fn narrative_names() {
        assert_eq!(
            c("J.C. de Villiers (2007) argues"),
            vec!["de Villiers;2007;;;n"]
        );
        assert_eq!(c("De Villiers (2007) argues"), vec!["De Villiers;2007;;;n"]);
        assert_eq!(c("Zelinsky’s (1991) model"), vec!["Zelinsky;1991;;;n"]);
        assert_eq!(c("Smith et al.'s (2010) data"), vec!["Smith+etal;2010;;;n"]);
        assert_eq!(c("the World Bank (2010) says"), vec!["World Bank;2010;;;n"]);
        assert_eq!(c("Wilbur Zelinsky (1991) wrote"), vec!["Zelinsky;1991;;;n"]);
        assert_eq!(
            c("Smith and colleagues (2010) found"),
            vec!["Smith+etal;2010;;;n"]
        );
        assert_eq!(c("see Smith (2010) for details"), vec!["Smith;2010;;see;n"]);
        // nested: the inner parenthesis carries the year
        assert_eq!(
            c("(see Smith (2010) for details)"),
            vec!["Smith;2010;;see;n"]
        );
    }

    #[test]
    fn organisations_keep_their_name() {
        assert_eq!(
            c("(Ministry of Foreign Affairs, 2019)"),
            vec!["Ministry of Foreign Affairs;2019;;;"]
        );
        assert_eq!(
            c("Kementerian Dalam Negeri (2012) menyatakan"),
            vec!["Kementerian Dalam Negeri;2012;;;n"]
        );
        assert_eq!(
            c("Building on Duchacek (1990), we"),
            vec!["Duchacek;1990;;;n"]
        );
    }

    #[test]
    fn dates_and_special_years() {
        assert_eq!(c("(Kompas, 12 Maret 2015)"), vec!["Kompas;2015;;;"]);
        assert_eq!(c("(Tempo, March 3, 2015)"), vec!["Tempo;2015;;;"]);
        assert_eq!(c("(Tempo, Mar. 2015)"), vec!["Tempo;2015;;;"]);
        assert_eq!(
            c("(May, 2015) and (May 2015)"),
            vec!["May;2015;;;", "May;2015;;;"]
        );
        assert_eq!(
            c("(Hobbs, n.d.) and (Rudy, t.t.)"),
            vec!["Hobbs;n.d.;;;", "Rudy;t.t.;;;"]
        );
        assert_eq!(
            c("(Anderson 1983/2006, 7)"),
            vec!["Anderson;1983/2006;p:7;;"]
        );
        assert_eq!(c("(Smith, in press)"), vec!["Smith;in press;;;"]);
    }

    #[test]
    fn prose_form() {
        let t = "Wilbur Zelinsky pada tahun 1991 menyatakan bahwa";
        let z = one(t);
        assert_eq!(z.text, "Wilbur Zelinsky pada tahun 1991");
        assert_eq!(z.authors, vec!["Zelinsky"]);
        assert!(z.narrative);
        assert_eq!(
            c("Zelinsky menyatakan pada tahun 1991 bahwa"),
            vec!["Zelinsky;1991;;;n"]
        );
        assert_eq!(
            c("gagasan yang dikemukakan oleh Clarke pada tahun 2011."),
            vec!["Clarke;2011;;;n"]
        );
        assert_eq!(
            c("teori yang dikemukakan Clarke pada tahun 2011."),
            vec!["Clarke;2011;;;n"]
        );
        assert_eq!(
            c("Menurut Clarke pada tahun 2011, kota"),
            vec!["Clarke;2011;;;n"]
        );
        assert_eq!(
            c("Zelinsky dalam bukunya (1991: 4) menyatakan"),
            vec!["Zelinsky;1991;p:4;;n"]
        );
        // no reporting verb / a city / a head of state / year first: not citations
        assert!(c("Coventry pada tahun 1959 menjalin hubungan dengan Dresden").is_empty());
        assert!(c("Pada tahun 1959, Coventry menjalin hubungan").is_empty());
        assert!(c("Presiden Soekarno pada tahun 1959 menyatakan dekrit").is_empty());
        assert!(c("Coventry pada tahun 1959 menyatakan diri").is_empty());
    }

    #[test]
    fn negatives() {
        for t in [
            "(lihat Tabel 1)",
            "(see Figure 2)",
            "(lihat Gambar 3)",
            "(2015 hingga 2018)",
            "(1945–1990)",
            "(Law No. 23 of 2014)",
            "(UU No. 23 Tahun 2014)",
            "(Undang-Undang Nomor 37 Tahun 1999)",
            "(Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2008)",
            "Pada tahun 1959, Coventry menjalin hubungan.",
            "(atau kota bersaudara)",
            "(sister city)",
            "(n = 120)",
            "(p < 0.05)",
            "(in 1959)",
            "(Coventry and Dresden, 1959)",
            "as reported [12] and [3, 4]",
            "In (1991) the",
            "The (2010) revision",
            "Pada (1991) kerja sama",
            "Bandung (1955) hosted",
            "(Soekarno, 1901–1970)",
            "Sumpah Pemuda (1928) adalah",
            "The Treaty of Rome (1957) created",
            "The Local Government Act (1972) reorganised",
            "Presiden Soeharto (1967) membuka",
            "in the 1990s (Smith, 1990s)",
            "between 1.2010 and 2.2011 (x 2,2010)",
            "(Regulation 2010/45)",
        ] {
            assert!(extract(t).is_empty(), "{t:?} -> {:?}", c(t));
        }
    }

    #[test]
    fn decomposed_diacritics_and_hyphens() {
        let t = "(Nu\u{303}n\u{303}ez, 2004; Le\u{301}vi-Strauss, 1962; al-Attas, 1993)";
        assert_eq!(
            c(t),
            vec![
                "Nu\u{303}n\u{303}ez;2004;;;",
                "Le\u{301}vi-Strauss;1962;;;",
                "al-Attas;1993;;;"
            ]
        );
    }

    #[test]
    fn serializes() {
        let z = one("Zelinsky (1991, p. 3)");
        let j = serde_json::to_string(&z).unwrap();
        assert!(j.contains(r#""label":"page""#), "{j}");
        assert!(j.contains(r#""narrative":true"#), "{j}");
    }

    #[test]
    fn unbalanced_and_odd_input() {
        for t in [
            "((((Smith, 2010",
            ")))Smith (2010",
            "(",
            ")",
            "(;;;)",
            "( , 2010)",
            "Smith (",
            "et al. (2010)",
            "dkk (2010)",
            "’s (2010)",
            "(2010a, b)",
        ] {
            for c in extract(t) {
                assert_eq!(&t[c.span.0..c.span.1], c.text);
            }
        }
        assert_eq!(c("((Smith, 2010)"), vec!["Smith;2010;;;"]);
    }
}
