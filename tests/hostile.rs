//! Hostile input: empty, binary and malformed files, huge and numerous files,
//! deep and looping folders, strange file names, BibTeX and YAML bombs, deep
//! HTML, cyclic PDFs, zip bombs, terminal escapes and pathological queries.
//!
//! Every run of the binary here goes through [`run_limited`]: a wall-clock
//! timeout (the child is killed past it), a data-segment limit (`ulimit -d`,
//! so a memory blow-up fails the test instead of the machine) and the peak
//! resident set size read from `/proc/<pid>/status` (`VmHWM`) while it runs.
//! A run must never panic (exit 101), abort, overflow its stack, or time out.

#![cfg(unix)]

use crate::docread::{lying_zip, zeros_deflate};
use crate::util::Env;
use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Running the binary under limits

/// What a limited run of `kutip` did.
#[derive(Debug)]
struct Limited {
    /// Exit code; `None` when killed by a signal.
    code: Option<i32>,
    /// The signal that ended it, if any.
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    /// Killed because it ran past the timeout.
    timed_out: bool,
    /// Peak resident set size in KiB (`VmHWM`), sampled while it ran.
    peak_kb: u64,
    /// Wall-clock time.
    elapsed: Duration,
}

/// Timeout and memory limit of one run.
#[derive(Debug, Clone, Copy)]
struct Limits {
    timeout: Duration,
    /// `ulimit -d` in KiB: heap and anonymous mappings, not the index's mmaps.
    data_kb: u64,
}

impl Limits {
    const fn secs(s: u64) -> Self {
        Limits {
            timeout: Duration::from_secs(s),
            data_kb: 2 << 20, // 2 GiB
        }
    }
}

/// Default for small inputs: 30 s (a debug build on a busy 2-core machine), 2 GiB.
const QUICK: Limits = Limits::secs(30);

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `kutip ARGS` in `cwd` under `limits`.
fn run_limited<S: AsRef<OsStr>>(cwd: &Path, args: &[S], limits: Limits) -> Limited {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -d {} && exec \"$0\" \"$@\"",
            limits.data_kb
        ))
        .arg(env!("CARGO_BIN_EXE_kutip"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kutip");
    let pid = child.id();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let mut peak = 0;
    let mut timed_out = false;
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak = peak.max(kb);
        }
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limits.timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    Limited {
        code: status.code(),
        signal: status.signal(),
        stdout,
        stderr,
        timed_out,
        peak_kb: peak,
        elapsed,
    }
}

impl Limited {
    /// No panic, no abort, no stack overflow, no timeout, no allocation failure.
    fn assert_sane(&self, what: &str) {
        assert!(
            !self.timed_out,
            "{what}: timed out after {:?}; stderr: {}",
            self.elapsed,
            head(&self.stderr)
        );
        assert!(
            self.signal.is_none(),
            "{what}: killed by signal {:?} (peak {} MiB); stderr: {}",
            self.signal,
            self.peak_kb >> 10,
            head(&self.stderr)
        );
        assert_ne!(
            self.code,
            Some(101),
            "{what}: panicked: {}",
            head(&self.stderr)
        );
        for bad in [
            "panicked",
            "overflowed its stack",
            "memory allocation",
            "RUST_BACKTRACE",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "{what}: {bad}: {}",
                head(&self.stderr)
            );
        }
    }

    /// Sane and exit code `code`.
    fn assert_code(&self, code: i32, what: &str) {
        self.assert_sane(what);
        assert_eq!(
            self.code,
            Some(code),
            "{what}: exit code; stderr: {}",
            head(&self.stderr)
        );
    }

    /// An error (exit 1 or 2) told in one line on stderr starting `kutip:`.
    fn assert_one_line_error(&self, what: &str) {
        self.assert_sane(what);
        assert!(
            matches!(self.code, Some(1 | 2)),
            "{what}: exit {:?}, stdout: {}; stderr: {}",
            self.code,
            head(&self.stdout),
            head(&self.stderr)
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: not one line: {:?}", self.stderr);
        assert!(lines[0].starts_with("kutip: "), "{what}: {:?}", lines[0]);
        assert!(
            lines[0].len() < 600,
            "{what}: a very long line: {}",
            lines[0].len()
        );
    }
}

fn head(s: &str) -> String {
    s.chars().take(1500).collect()
}

/// Characters that must never reach a terminal raw: C0/C1 controls other than
/// newline and tab, and bidirectional controls. Defined here, not taken from
/// kutip, so the test does not trust the code it tests.
fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

fn assert_terminal_safe(s: &str, what: &str) {
    if let Some((i, c)) = s.char_indices().find(|(_, c)| is_dangerous(*c)) {
        let context: String = s[i..].chars().take(80).collect();
        panic!(
            "{what}: raw U+{:04X} in output at byte {i}: {context:?}",
            c as u32
        );
    }
}

/// `kutip index docs --index idx` under `limits`, asserting a sane run that exits 0.
fn index_with(env: &Env, extra: &[&str], limits: Limits) -> Limited {
    let mut args = vec!["index", "docs", "--index", "idx"];
    args.extend_from_slice(extra);
    let r = run_limited(env.dir.path(), &args, limits);
    r.assert_code(0, "kutip index");
    r
}

fn index(env: &Env) -> Limited {
    index_with(env, &[], QUICK)
}

/// `kutip ARGS --index idx`.
fn kutip(env: &Env, args: &[&str]) -> Limited {
    let mut a: Vec<&str> = args.to_vec();
    a.extend_from_slice(&["--index", "idx"]);
    run_limited(env.dir.path(), &a, QUICK)
}

/// Every `kutip export` line, parsed.
fn export(env: &Env) -> Vec<serde_json::Value> {
    let r = kutip(env, &["export"]);
    r.assert_code(0, "kutip export");
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("export line is JSON"))
        .collect()
}

fn texts(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Lines of stderr that start with `prefix` (`skipped: `, `warning: `).
fn lines_with<'a>(stderr: &'a str, prefix: &str) -> Vec<&'a str> {
    stderr.lines().filter(|l| l.starts_with(prefix)).collect()
}

/// A file under `docs/` with a name given as raw bytes.
fn write_raw(env: &Env, name: &[u8], content: impl AsRef<[u8]>) -> PathBuf {
    let dir = env.path("docs");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(OsStr::from_bytes(name));
    std::fs::write(&p, content).unwrap();
    p
}

/// xorshift64: deterministic bytes without a dependency.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 24) as u8
        })
        .collect()
}

const GOOD: &str = "---\ntitle: Good\n---\nKota kembar adalah bentuk kerja sama antarkota.\n";

/// Asserts the good document is indexed with its passage.
fn assert_good_indexed(env: &Env) {
    let t = texts(&export(env));
    assert!(
        t.iter()
            .any(|t| t == "Kota kembar adalah bentuk kerja sama antarkota."),
        "good.md lost: {t:?}"
    );
}

// ---------------------------------------------------------------------------
// Empty, binary and malformed files

#[test]
fn zero_byte_files_of_every_kind() {
    let env = Env::new();
    env.write("good.md", GOOD);
    let kinds = ["md", "txt", "bib", "json", "html", "docx", "epub", "pdf"];
    for ext in kinds {
        env.write(&format!("empty.{ext}"), b"");
    }
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    assert_good_indexed(&env);
    // An empty document has no passages; an empty container is skipped by name.
    for ext in ["json", "html", "docx", "epub"] {
        let name = format!("docs/empty.{ext}");
        assert!(
            lines_with(&r.stderr, "skipped: ")
                .iter()
                .any(|l| l.contains(&name)),
            "empty.{ext} not reported: {}",
            r.stderr
        );
    }
    let t = texts(&export(&env));
    assert_eq!(t.len(), 1, "{t:?}");
    // Indexing again changes nothing and loses nothing.
    index(&env);
    assert_eq!(texts(&export(&env)).len(), 1);
}

#[test]
fn binary_files_with_text_extensions() {
    let env = Env::new();
    env.write("good.md", GOOD);
    // Random bytes (with NULs), an ELF header, a PNG header followed by
    // high bytes without NULs, and bytes 0x80–0xFF only.
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain(noise(7, 4000).into_iter().map(|b| b | 0x80))
        .collect();
    let high: Vec<u8> = (0x80..=0xFFu8).cycle().take(5000).collect();
    for (i, ext) in ["md", "txt", "bib", "json", "html", "htm", "docx", "epub"]
        .iter()
        .enumerate()
    {
        env.write(&format!("random.{ext}"), noise(i as u64 + 1, 20_000));
        env.write(&format!("png.{ext}"), &png);
        env.write(&format!("high.{ext}"), &high);
    }
    env.write(
        "elf.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    );
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    for l in lines_with(&r.stderr, "skipped: ") {
        assert!(l.contains("docs/"), "a skip names its file: {l}");
    }
    assert!(
        r.stderr.contains("docs/random.md: binary content"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("docs/elf.txt: binary content"),
        "{}",
        r.stderr
    );
    assert_good_indexed(&env);
    // Whatever was read from them, no output carries raw controls.
    let s = kutip(&env, &["search", "kota"]);
    s.assert_code(0, "search");
    assert_terminal_safe(&s.stdout, "search");
    let e = kutip(&env, &["export"]);
    e.assert_code(0, "export");
    assert_terminal_safe(&e.stdout, "export");
    let src = kutip(&env, &["sources"]);
    src.assert_code(0, "sources");
    assert_terminal_safe(&src.stdout, "sources");
}

#[test]
fn nul_bytes_inside_text() {
    let env = Env::new();
    env.write("good.md", GOOD);
    env.write("early.txt", "Kota\0kembar di awal berkas.\n");
    env.write(
        "early.md",
        "---\ntitle: \"Nul\0title\"\n---\nKota kembar.\n",
    );
    env.write(
        "early.bib",
        "@book{nul2001,\n  title = {Nul\0},\n  year = {2001}\n}\n",
    );
    // A NUL after the first 8 KiB, past where binary content is looked for.
    let mut late = "Kota kembar adalah topik yang panjang sekali. ".repeat(400);
    late.push_str("\n\nNul ada \0\0 di dalam kota kembar ini.\n");
    env.write("late.txt", &late);
    let r = index(&env);
    for f in ["early.txt", "early.md", "early.bib"] {
        assert!(
            r.stderr.contains(&format!("docs/{f}: binary content")),
            "{f}: {}",
            r.stderr
        );
    }
    assert_good_indexed(&env);
    // The late NUL is either refused or indexed; either way it never reaches
    // the terminal raw, and JSON keeps it escaped.
    let s = kutip(&env, &["search", "\"nul ada\""]);
    s.assert_sane("search");
    assert_terminal_safe(&s.stdout, "search");
    let j = kutip(&env, &["search", "\"nul ada\"", "--format", "json"]);
    j.assert_sane("search json");
    assert_terminal_safe(&j.stdout, "search json");
    if j.code == Some(0) {
        let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
        assert!(v["hits"][0]["text"].as_str().unwrap().contains('\0'));
    }
}

#[test]
fn invalid_utf8_in_documents() {
    let env = Env::new();
    env.write("good.md", GOOD);
    let cases: [(&str, &[u8]); 5] = [
        // Truncated multi-byte sequence at the very end.
        ("truncated.md", b"Kota kembar \xe2\x80"),
        // Overlong encoding of '/', and an encoded surrogate.
        (
            "overlong.txt",
            b"Kota \xc0\xaf kembar \xed\xa0\x80 akhir.\n",
        ),
        // Lone continuation bytes in front matter.
        ("front.md", b"---\ntitle: \x80\x81\x82\n---\nKota kembar.\n"),
        (
            "page.html",
            b"<html><body><p>Kota \xff\xfe kembar</p></body></html>",
        ),
        // A BOM and then invalid bytes.
        ("bom.txt", b"\xef\xbb\xbfKota kembar \xff.\n"),
    ];
    for (name, bytes) in cases {
        env.write(name, bytes);
    }
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    // Each file is either decoded with a warning naming it, or skipped by name.
    for (name, _) in cases {
        let named = r
            .stderr
            .lines()
            .any(|l| l.contains(&format!("docs/{name}")) && l.contains("UTF-8"));
        assert!(named, "{name} not reported: {}", r.stderr);
    }
    assert_good_indexed(&env);
    let e = kutip(&env, &["export"]);
    assert_terminal_safe(&e.stdout, "export");
}

#[test]
fn invalid_utf8_in_library_files_is_reported() {
    let env = Env::new();
    env.write(
        "lib.bib",
        b"@book{bad2001,\n  title = {Caf\xe9 \xff\xfe},\n  year = {2001}\n}\n",
    );
    env.write(
        "lib.json",
        b"[{\"id\":\"x\",\"type\":\"book\",\"title\":\"\xff\xfe\"}]",
    );
    env.write("good.md", GOOD);
    let r = index(&env);
    for name in ["lib.bib", "lib.json"] {
        let named = r
            .stderr
            .lines()
            .any(|l| l.contains(&format!("docs/{name}")) && l.contains("UTF-8"));
        assert!(named, "{name} not reported: {}", r.stderr);
    }
}

// ---------------------------------------------------------------------------
// Size: one huge line, many files

/// A single line of `mib` MiB of words, no sentence punctuation, no newline.
fn one_line(mib: usize) -> Vec<u8> {
    let words: [&[u8]; 12] = [
        b"kota",
        b"kembar",
        b"kerja",
        b"sama",
        b"pemerintah",
        b"daerah",
        b"sister",
        b"city",
        b"reconciliation",
        b"twinning",
        b"menulis",
        b"penulis",
    ];
    let mut out = Vec::with_capacity((mib << 20) + 16);
    let mut i = 0usize;
    while out.len() < mib << 20 {
        out.extend_from_slice(words[(i * 7 + i / 13) % words.len()]);
        out.push(b' ');
        i += 1;
    }
    out
}

/// Indexes a single-line file of `mib` MiB (streamed: it is far bigger
/// than a block) and checks time, peak memory, and that its first and last
/// words were indexed; with `every_word`, that every word is in exactly one
/// passage, in order, through `kutip export`.
fn huge_single_line(mib: usize, max_peak_mib: u64, timeout_s: u64, every_word: bool) {
    let env = Env::new();
    env.write("good.md", GOOD);
    let mut line = b"awalberkas ".to_vec();
    line.extend(one_line(mib));
    line.extend_from_slice(b"ujungberkas");
    env.write("huge.txt", &line);
    let limits = Limits {
        timeout: Duration::from_secs(timeout_s),
        data_kb: (max_peak_mib * 4) << 10,
    };
    let r = run_limited(
        env.dir.path(),
        &["index", "docs", "--index", "idx", "--quiet"],
        limits,
    );
    eprintln!(
        "{mib} MiB single line: {:?}, peak {} MiB",
        r.elapsed,
        r.peak_kb >> 10
    );
    r.assert_code(0, "index huge line");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(
        r.peak_kb >> 10 <= max_peak_mib,
        "peak resident memory {} MiB for a {mib} MiB file (limit {max_peak_mib} MiB)",
        r.peak_kb >> 10
    );
    for word in ["awalberkas", "ujungberkas"] {
        let s = kutip(&env, &["search", word, "--format", "json", "--limit", "1"]);
        s.assert_code(0, word);
        assert!(s.stdout.contains("huge.txt"), "{word}: {}", s.stdout);
    }
    if every_word {
        let passages: Vec<serde_json::Value> = export(&env)
            .into_iter()
            .filter(|l| l["file"].as_str().is_some_and(|f| f.ends_with("huge.txt")))
            .collect();
        let text = std::str::from_utf8(&line).unwrap();
        let indexed: Vec<&str> = passages
            .iter()
            .flat_map(|p| p["text"].as_str().unwrap().split_whitespace())
            .collect();
        assert!(indexed.iter().copied().eq(text.split_whitespace()));
        assert!(passages.len() > 1000, "{} passages", passages.len());
    }
}

#[test]
fn large_single_line_file_20mb_is_streamed_whole() {
    huge_single_line(20, 300, 300, true);
}

#[test]
fn large_single_line_file_200mb_memory_is_bounded() {
    huge_single_line(200, 300, 3000, false);
}

/// Writes `n` one-paragraph Markdown files in folders of 200.
fn many_files(env: &Env, n: usize) {
    for i in 0..n {
        let dir = env.path("docs").join(format!("d{:03}", i / 200));
        if i % 200 == 0 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        std::fs::write(
            dir.join(format!("f{i:06}.md")),
            format!("---\ntitle: Berkas {i}\n---\nKota kembar nomor n{i}.\n"),
        )
        .unwrap();
    }
}

fn many_tiny_files(n: usize, timeout_s: u64) {
    let env = Env::new();
    many_files(&env, n);
    let r = index_with(
        &env,
        &["--quiet"],
        Limits {
            timeout: Duration::from_secs(timeout_s),
            data_kb: 4 << 20,
        },
    );
    eprintln!("{n} files: {:?}, peak {} MiB", r.elapsed, r.peak_kb >> 10);
    assert!(r.stderr.trim().is_empty(), "{}", head(&r.stderr));
    let s = kutip(
        &env,
        &["search", "kota", "--format", "json", "--limit", "1"],
    );
    s.assert_code(0, "search");
    let v: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
    assert_eq!(v["total"], n);
    let last = format!("n{}", n - 1);
    let one = kutip(&env, &["search", &last, "--format", "json"]);
    one.assert_code(0, "search one");
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["total"], 1);
    // Whole-index commands go through the documents in batches: every one
    // of them listed, once, in order.
    let sources = kutip(&env, &["sources", "--format", "json", "--sort", "file"]);
    sources.assert_code(0, "sources");
    let list: serde_json::Value = serde_json::from_str(&sources.stdout).unwrap();
    let files: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), n);
    assert!(files.windows(2).all(|w| w[0] < w[1]), "not in file order");
    eprintln!(
        "sources {:?} peak {} MiB",
        sources.elapsed,
        sources.peak_kb >> 10
    );
}

#[test]
fn hundred_thousand_tiny_files() {
    many_tiny_files(100_000, 1800);
}

// ---------------------------------------------------------------------------
// Folders: depth, links, names

#[test]
fn deeply_nested_folders_and_symlink_loops() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    env.write("good.md", GOOD);
    let deep: PathBuf = std::iter::repeat_n("n", 200).collect();
    env.write(
        deep.join("deep.md").to_str().unwrap(),
        "---\ntitle: Deep\n---\nJauh di dalam folder bersarang.\n",
    );
    let docs = env.path("docs");
    std::fs::create_dir_all(docs.join("loop/a")).unwrap();
    symlink("..", docs.join("loop/a/up")).unwrap();
    symlink(".", docs.join("loop/self")).unwrap();
    symlink(&docs, docs.join("loop/root")).unwrap();
    symlink("x2", docs.join("x1.md")).unwrap();
    symlink("x1.md", docs.join("x2")).unwrap();
    symlink("/nonexistent/kutip/file.md", docs.join("dangling.md")).unwrap();
    symlink("good.md", docs.join("alias.md")).unwrap();
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    for name in ["loop/a/up", "loop/self", "loop/root"] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with("skipped: ") && l.contains(name) && l.contains("loop")),
            "{name}: {}",
            r.stderr
        );
    }
    for name in ["x1.md", "dangling.md"] {
        assert!(
            lines_with(&r.stderr, "skipped: ")
                .iter()
                .any(|l| l.contains(name)),
            "{name}: {}",
            r.stderr
        );
    }
    let t = texts(&export(&env));
    assert!(
        t.contains(&"Jauh di dalam folder bersarang.".to_string()),
        "{t:?}"
    );
    // good.md and its alias are one file: its passage is there once.
    let n = t
        .iter()
        .filter(|t| *t == "Kota kembar adalah bentuk kerja sama antarkota.")
        .count();
    assert_eq!(n, 1, "{t:?}");
    // Again: nothing lost, nothing doubled.
    index(&env);
    assert_eq!(texts(&export(&env)).len(), t.len());
}

#[test]
fn file_names_with_spaces_unicode_and_non_utf8_bytes_are_indexed() {
    let env = Env::new();
    let names: [&[u8]; 7] = [
        b"with space.md",
        b"  leading and trailing  .md",
        b"-starts-with-dash.md",
        b"--index.md",
        "kota–kembar ✓ 日本.md".as_bytes(),
        b"latin1 caf\xe9.md",
        b"bad\xff\xfe.md",
    ];
    for (i, name) in names.iter().enumerate() {
        write_raw(&env, name, format!("Isi berkas nomor z{i} tentang kota.\n"));
    }
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    let lines = export(&env);
    assert_eq!(lines.len(), names.len(), "{:?}", texts(&lines));
    for i in 0..names.len() {
        let s = kutip(&env, &["search", &format!("z{i}"), "--format", "json"]);
        s.assert_code(0, "search");
        assert_terminal_safe(&s.stdout, "search json");
    }
    let s = kutip(&env, &["search", "kota", "--limit", "20"]);
    s.assert_code(0, "search");
    assert_terminal_safe(&s.stdout, "search");
    assert!(s.stdout.contains("docs/with space.md"), "{}", s.stdout);
    assert!(
        s.stdout.contains("docs/kota–kembar ✓ 日本.md"),
        "{}",
        s.stdout
    );
    let src = kutip(&env, &["sources"]);
    src.assert_code(0, "sources");
    assert_terminal_safe(&src.stdout, "sources");
    // Indexing again finds every file unchanged.
    let again = index(&env);
    assert!(
        again.stderr.contains(&format!("{} unchanged", names.len())),
        "{}",
        again.stderr
    );
}

#[test]
fn file_names_differing_only_in_non_utf8_bytes_are_both_kept() {
    let env = Env::new();
    write_raw(&env, b"a\xff.md", "Pertama tentang kota.\n");
    write_raw(&env, b"a\xfe.md", "Kedua tentang kota.\n");
    index(&env);
    let mut t = texts(&export(&env));
    t.sort();
    assert_eq!(t, ["Kedua tentang kota.", "Pertama tentang kota."]);
    index(&env);
    assert_eq!(texts(&export(&env)).len(), 2);
}

#[test]
fn file_names_with_control_characters_are_shown_safely() {
    let env = Env::new();
    let names: [&[u8]; 4] = [
        b"new\nline.md",
        b"esc\x1b[31mred\x1b]0;title\x07.md",
        "bidi\u{202e}dm.txt".as_bytes(),
        b"cr\rreturn.md",
    ];
    for (i, name) in names.iter().enumerate() {
        write_raw(&env, name, format!("Isi berkas nomor z{i} tentang kota.\n"));
    }
    // A file that is skipped, so its name is printed on a `skipped:` line.
    write_raw(&env, b"skip\n\x1b[2Jme.bib", b"\x00\x01");
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    for l in r.stderr.lines() {
        assert!(
            l.starts_with("skipped: ") || l.starts_with("warning: ") || l.starts_with("indexed "),
            "a message broken over lines: {l:?} in {:?}",
            r.stderr
        );
    }
    assert_eq!(export(&env).len(), names.len());
    let s = kutip(&env, &["search", "kota", "--limit", "20"]);
    s.assert_code(0, "search");
    assert_terminal_safe(&s.stdout, "search");
    // The file line of each hit stays one line.
    assert!(!s.stdout.contains("new\nline"), "{}", s.stdout);
    let src = kutip(&env, &["sources"]);
    assert_terminal_safe(&src.stdout, "sources");
    assert!(!src.stdout.contains("new\nline"), "{}", src.stdout);
}

#[test]
fn verbose_indexing_shows_file_names_and_keys_safely() {
    let env = Env::new();
    // A name that would retitle the window, clear the screen and reverse
    // the line, and a front matter key that tries the same.
    write_raw(
        &env,
        "t\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}dm.md".as_bytes(),
        "---\nkey: \"k\u{1b}[2J\u{202e}\"\n---\nIsi tentang kota kembar.\n",
    );
    write_raw(&env, b"bad\x1b]0;x\x07.json", b"{\"not\": \"csl\"}");
    let r = index_with(&env, &["--verbose"], QUICK);
    assert!(r.stderr.contains("1 passages"), "{}", r.stderr);
    assert!(r.stderr.contains("not CSL-JSON"), "{}", r.stderr);
    assert_terminal_safe(&r.stderr, "index --verbose stderr");
}

#[test]
fn the_shell_never_echoes_typed_escapes_raw() {
    let env = evil_env();
    let input = format!(
        ":lang {EVIL}\n:style {EVIL}\n:locale {EVIL}\n:cited {EVIL}\n:{EVIL}\n:cite x{EVIL}\n:quit\n"
    );
    let r = env.run_stdin(&["shell", "--index", "idx"], input.as_bytes());
    assert_eq!(r.code, 0, "kutip shell: {}", r.stderr);
    for what in [
        "is not id, en or any",
        "unknown style",
        "unknown locale",
        "no work with key",
        "unknown command",
        "give the number of a hit",
    ] {
        assert!(r.stderr.contains(what), "{what}: {}", r.stderr);
    }
    assert_terminal_safe(&r.stderr, "shell stderr");
    assert_terminal_safe(&r.stdout, "shell stdout");
}

// ---------------------------------------------------------------------------
// BibTeX

const OK_BIB: &str =
    "@book{ok2015,\n  author = {Okay, Oscar},\n  title = {Fine},\n  year = {2015}\n}\n";

#[test]
fn bibtex_with_unbalanced_braces_and_garbage() {
    let env = Env::new();
    env.write("good.md", GOOD);
    let bad = [
        "@book{open1,\n  title = {{{{{{{{ never closed,\n  year = {2001}\n",
        "@article{open2, title = \"unterminated,\n  year = 2002\n",
        "@book{\n",
        "@{}\n",
        "@book{noclose, title = {x}, year = {2003}\n",
        "}}}}}}}}\n",
        "@book{k, title = s # {x} # # , year = {2004}}\n",
        "@book(paren, title = {Paren}, year = {2005}\n",
        "@comment{ {{{ \n",
        "@preamble{ \"\\x\" # \n",
        "@book{deep, title = {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{x}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}, year = {2006}}\n",
    ];
    let mut bib = String::new();
    for b in bad {
        bib.push_str(b);
        bib.push('\n');
    }
    bib.push_str(OK_BIB);
    // Ten thousand opening braces in one field.
    bib.push_str(&format!(
        "@book{{braces, title = {}x, year = {{2007}}}}\n",
        "{".repeat(10_000)
    ));
    bib.push_str(
        "@book{last2016,\n  author = {Last, Lou},\n  title = {Last},\n  year = {2016}\n}\n",
    );
    env.write("lib.bib", &bib);
    env.write(
        "cites.md",
        "---\ntitle: Cites\n---\nSeperti kata (Okay, 2015) dan (Last, 2016).\n",
    );
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    assert!(r.stderr.contains("docs/lib.bib:"), "{}", r.stderr);
    let c = kutip(&env, &["cite", "ok2015"]);
    c.assert_code(0, "cite ok2015");
    let c = kutip(&env, &["cite", "last2016"]);
    c.assert_code(0, "cite last2016");
    let check = kutip(&env, &["check"]);
    check.assert_sane("check");
    assert!(check.stdout.contains("lib.bib"), "{}", check.stdout);
    assert_good_indexed(&env);
}

#[test]
fn bibtex_malformed_string_macro_loses_only_itself() {
    let env = Env::new();
    env.write("lib.bib", format!("@string{{s = {{unclosed\n\n{OK_BIB}"));
    env.write("good.md", GOOD);
    let r = index(&env);
    assert!(r.stderr.contains("docs/lib.bib:1:"), "{}", r.stderr);
    assert!(!r.stderr.contains("docs/lib.bib:3:"), "{}", r.stderr);
    let c = kutip(&env, &["cite", "ok2015"]);
    c.assert_code(0, "cite ok2015");
}

#[test]
fn bibtex_circular_crossref_across_entries() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@article{c1,\n  crossref = {c2},\n  title = {One},\n  author = {Smith, John},\n  year = {2001}\n}\n@article{c2,\n  crossref = {c1},\n  title = {Two},\n  author = {Jones, Ann},\n  year = {2002}\n}\n@incollection{child,\n  crossref = {missing},\n  title = {Orphan},\n  author = {Orphan, Ann},\n  year = {2003}\n}\n",
    );
    env.write("a.md", GOOD);
    index(&env);
    for key in ["c1", "c2", "child"] {
        let r = kutip(&env, &["cite", key]);
        r.assert_sane(key);
        assert!(matches!(r.code, Some(0 | 2)), "{key}: {}", r.stderr);
        let r = kutip(&env, &["cite", key, "--format", "bibtex"]);
        r.assert_sane(key);
    }
    assert_good_indexed(&env);
}

#[test]
fn bibtex_self_and_same_line_circular_crossref() {
    let cases = [
        "@article{selfref,\n  crossref = {selfref},\n  title = {Self},\n  author = {Self, Ann},\n  year = {2003}\n}\n",
        "@article{c1, crossref = {c2}, title = {One}, author = {Smith, John}, year = {2001}} @article{c2, crossref = {c1}, title = {Two}, author = {Jones, Ann}, year = {2002}}\n",
        "@article{x1,\n  xdata = {x1},\n  title = {X},\n  author = {X, Y},\n  year = {2001}\n}\n",
    ];
    for bib in cases {
        let env = Env::new();
        env.write("lib.bib", format!("{bib}{OK_BIB}"));
        env.write("good.md", GOOD);
        index(&env);
        assert_good_indexed(&env);
        let r = kutip(&env, &["cite", "ok2015"]);
        r.assert_code(0, "cite ok2015");
    }
}

#[test]
fn bibtex_xdata_diamond_is_not_exponential() {
    let env = Env::new();
    let mut parts = vec!["@misc{e0, title = {x}, year = {2000}}".to_string()];
    for i in 1..26 {
        parts.push(format!(
            "@misc{{e{i}, xdata = {{e{p},e{p}}}, title = {{t}}, year = {{2001}}}}",
            p = i - 1
        ));
    }
    env.write("lib.bib", format!("{}\n{OK_BIB}", parts.join(" ")));
    env.write("good.md", GOOD);
    index_with(&env, &[], Limits::secs(20));
    assert_good_indexed(&env);
    kutip(&env, &["cite", "ok2015"]).assert_code(0, "cite ok2015");
}

/// A librarian's library: 100,000 entries using a @string macro, the last
/// one broken. Reading it must stay linear (line numbers were once counted
/// from the top of the file for every entry: 52 s in a release build) and
/// the broken entry is still reported at its own line; a run where nothing
/// changed does not parse it again, one with a new document does.
#[test]
fn bibtex_with_100000_entries_is_read_in_linear_time_and_only_when_needed() {
    let env = Env::new();
    let mut bib = format!("@string{{jn = {{Journal of Tests}}}}\n{OK_BIB}");
    for i in 0..100_000 {
        bib.push_str(&format!(
            "@article{{k{i}, title = {{T{i}}}, journal = jn, year = {{2000}}}}\n"
        ));
    }
    bib.push_str("@misc{broken, title = {never closed, year = {2001}\n");
    env.write("lib.bib", &bib);
    env.write("good.md", GOOD);
    // Linear: 3 s in a debug build; the quadratic reading took 52 s.
    let r = index_with(&env, &[], Limits::secs(20));
    assert!(r.stderr.contains("docs/lib.bib:100007:"), "{}", r.stderr);
    assert!(r.stderr.contains("100001 library records"), "{}", r.stderr);
    let c = kutip(&env, &["cite", "k99999", "--style", "chicago"]);
    c.assert_code(0, "cite k99999");
    assert!(c.stdout.contains("Journal of Tests"), "{}", c.stdout);
    assert_good_indexed(&env);
    // Entries are held compactly as they are read (673 MiB when every
    // parsed entry was held).
    let first = r.peak_kb >> 10;
    assert!(first < 400, "first run peaked at {first} MiB");

    // Nothing changed: the library is hashed, not parsed again (so its
    // problems are not reported again: `kutip check` lists them), and the
    // records already stored are not decoded.
    let again = index_with(&env, &[], Limits::secs(20));
    assert!(
        again.stderr.contains("0 library records"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("lib.bib:100007"), "{}", again.stderr);
    let unchanged = again.peak_kb >> 10;

    // A new document is linked against the library as before.
    env.write(
        "new.md",
        "---\ntitle: Baru\n---\nSeperti kata (Okay, 2015), kota kembar itu lama.\n",
    );
    let third = index_with(&env, &[], Limits::secs(20));
    assert!(third.stderr.contains("1 new"), "{}", third.stderr);
    assert!(third.peak_kb >> 10 < 400, "{} MiB", third.peak_kb >> 10);
    let s = kutip(&env, &["search", "kembar", "--cites", "ok2015"]);
    s.assert_code(0, "search --cites ok2015");
    assert!(s.stdout.contains("new.md"), "{}", s.stdout);
    eprintln!(
        "peaks: first {first} MiB, unchanged {unchanged} MiB, new document {} MiB",
        third.peak_kb >> 10
    );
}

/// A 100,000-item CSL-JSON library (Zotero's other export): its items are
/// read one at a time, not held as one JSON tree (850 MiB when they were).
#[test]
fn csl_json_with_100000_items_is_read_in_bounded_memory() {
    let env = Env::new();
    let mut items = Vec::with_capacity(100_000);
    for i in 0..100_000 {
        items.push(format!(
            r#"{{"id":"k{i}","type":"article-journal","title":"Title {i} on Sister Cities","author":[{{"family":"Author{i}","given":"Ann"}}],"container-title":"Journal of Tests","issued":{{"date-parts":[[2001]]}}}}"#
        ));
    }
    env.write("lib.json", format!("[{}]", items.join(",\n")));
    env.write("good.md", GOOD);
    let r = index_with(&env, &[], Limits::secs(30));
    assert!(r.stderr.contains("100000 library records"), "{}", r.stderr);
    assert!(r.peak_kb >> 10 < 400, "peak {} MiB", r.peak_kb >> 10);
    let c = kutip(&env, &["cite", "k99999"]);
    c.assert_code(0, "cite k99999");
    assert!(c.stdout.contains("Author99999"), "{}", c.stdout);
    assert_good_indexed(&env);
    eprintln!(
        "CSL-JSON 100,000 items: {:?}, peak {} MiB",
        r.elapsed,
        r.peak_kb >> 10
    );
}

#[test]
fn bibtex_two_entries_on_one_line_are_both_right() {
    let env = Env::new();
    env.write(
        "lib.bib",
        "@book{a2001, author = {Alpha, Ann}, title = {Alpha Book}, year = {2001}} @book{b2002, author = {Beta, Bob}, title = {Beta Book}, year = {2002}}\n",
    );
    env.write(
        "a.md",
        "---\ntitle: D\n---\nSeperti (Beta, 2002) dan (Alpha, 2001).\n",
    );
    index(&env);
    let a = kutip(&env, &["cite", "a2001"]);
    a.assert_code(0, "cite a2001");
    assert!(a.stdout.starts_with("(Alpha, 2001)"), "{}", a.stdout);
    let b = kutip(&env, &["cite", "b2002"]);
    b.assert_code(0, "cite b2002");
    assert!(b.stdout.starts_with("(Beta, 2002)"), "{}", b.stdout);
    let bib = kutip(&env, &["cite", "b2002", "--format", "bibtex"]);
    assert!(!bib.stdout.contains("a2001"), "{}", bib.stdout);
    let lines = export(&env);
    let cites = &lines[0]["cites"];
    assert!(
        cites[0]["secondary_citation"]
            .as_str()
            .unwrap()
            .starts_with("(Beta, 2002"),
        "{cites}"
    );
}

#[test]
fn bibtex_huge_field_and_duplicate_keys() {
    let env = Env::new();
    let abstract_ = "kata panjang ".repeat(400_000); // 5.2 MB
    env.write(
        "lib.bib",
        format!(
            "@article{{huge2012,\n  author = {{Huge, Hugh}},\n  title = {{Huge abstract}},\n  year = {{2012}},\n  abstract = {{{abstract_}}}\n}}\n\
             @book{{dup,\n  author = {{First, Ann}},\n  title = {{First}},\n  year = {{2010}}\n}}\n\
             @book{{dup,\n  author = {{Second, Bob}},\n  title = {{Second}},\n  year = {{2011}}\n}}\n{OK_BIB}"
        ),
    );
    env.write(
        "a.md",
        "---\ntitle: A\n---\nLihat (Huge, 2012) dan (First, 2010).\n",
    );
    let r = index(&env);
    assert!(
        r.stderr.contains("docs/lib.bib:12: duplicate key 'dup'"),
        "{}",
        r.stderr
    );
    let c = kutip(&env, &["cite", "huge2012"]);
    c.assert_code(0, "cite huge");
    assert_eq!(c.stdout.lines().next(), Some("(Huge, 2012)"));
    let c = kutip(&env, &["cite", "dup"]);
    c.assert_code(0, "cite dup");
    assert!(c.stdout.starts_with("(First, 2010)"), "{}", c.stdout);
    let check = kutip(&env, &["check"]);
    check.assert_code(1, "check");
    assert!(
        check.stdout.contains("duplicate key 'dup'"),
        "{}",
        check.stdout
    );
    let cited = kutip(&env, &["cited", "huge2012"]);
    cited.assert_code(0, "cited");
    let bib = kutip(&env, &["cite", "huge2012", "--format", "bibtex"]);
    bib.assert_code(0, "cite bibtex");
    assert!(bib.stdout.len() > 5_000_000);
}

#[test]
fn bibtex_many_string_macros_are_not_quadratic() {
    let env = Env::new();
    let n = 1500;
    let mut bib = String::new();
    for i in 0..n {
        bib.push_str(&format!(
            "@string{{j{i} = {{Journal of Rather Long Names Number {i} and Friends}}}}\n"
        ));
    }
    for i in 0..n {
        bib.push_str(&format!(
            "@article{{k{i},\n  author = {{Author{i}, Ann}},\n  title = {{Title {i}}},\n  journal = j{i},\n  year = {{2001}}\n}}\n"
        ));
    }
    env.write("lib.bib", &bib);
    let r = index_with(&env, &[], Limits::secs(20));
    eprintln!("{n} macros x {n} entries: {:?}", r.elapsed);
    let c = kutip(&env, &["cite", "k77"]);
    c.assert_code(0, "cite");
    assert!(c.stdout.contains("Number 77 and Friends"), "{}", c.stdout);
    let size: u64 = walkdir_size(&env.path("idx"));
    assert!(
        size < 10 << 20,
        "index of a 270 KB .bib is {} MB",
        size >> 20
    );
}

fn walkdir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let m = e.metadata().unwrap();
        total += if m.is_dir() {
            walkdir_size(&e.path())
        } else {
            m.len()
        };
    }
    total
}

// ---------------------------------------------------------------------------
// YAML front matter

/// Front matter with a billion-laughs alias bomb: `levels` levels of 9 aliases.
fn yaml_bomb(levels: usize) -> String {
    let mut y = String::from(
        "---\nl0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..=levels {
        let refs = vec![format!("*l{}", i - 1); 9].join(",");
        y.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    y.push_str(&format!(
        "title: Bomb\nauthor: *l{levels}\nnote: *l{levels}\n---\nIsi dokumen bom.\n"
    ));
    y
}

#[test]
fn yaml_front_matter_billion_laughs() {
    let env = Env::new();
    env.write("good.md", GOOD);
    env.write("bomb.md", yaml_bomb(9));
    env.write("bomb25.md", yaml_bomb(25));
    let r = index_with(&env, &[], Limits::secs(20));
    assert!(r.peak_kb >> 10 < 500, "peak {} MiB", r.peak_kb >> 10);
    assert_good_indexed(&env);
    // The bodies are indexed (or the files skipped by name); never a crash.
    for name in ["bomb.md", "bomb25.md"] {
        assert!(r.stderr.contains(&format!("docs/{name}")), "{}", r.stderr);
    }
}

#[test]
fn yaml_front_matter_small_aliases_deep_nesting_and_oversize() {
    let env = Env::new();
    env.write("good.md", GOOD);
    env.write("alias.md", yaml_bomb(2)); // 729 strings: fine
    env.write(
        "nest.md",
        format!(
            "---\ntitle: {}{}\n---\nIsi bersarang.\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    env.write(
        "map.md",
        format!(
            "---\ntitle: {}x{}\n---\nIsi peta.\n",
            "{a: ".repeat(10_000),
            "}".repeat(10_000)
        ),
    );
    env.write(
        "indent.md",
        format!(
            "---\n{}---\nIsi indentasi.\n",
            (0..200)
                .map(|i| format!("{}a:\n", "  ".repeat(i)))
                .collect::<String>()
        ),
    );
    env.write(
        "open.md",
        format!("---\ntitle: x\n{}", "a: b\n".repeat(20_000)),
    );
    env.write("tags.md", "---\ntitle: !!binary aGVsbG8=\nauthor: !custom {x: 1}\nyear: !!int 99999999999999999999999\n---\nIsi tag.\n");
    env.write(
        "keys.md",
        "---\n? [a, b]\n: c\n{x: y}: z\ntitle: Keys\n---\nIsi kunci.\n",
    );
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    assert!(r.stderr.contains("docs/open.md"), "{}", r.stderr);
    let t = texts(&export(&env));
    for body in [
        "Isi dokumen bom.",
        "Isi bersarang.",
        "Isi peta.",
        "Isi indentasi.",
        "Isi tag.",
        "Isi kunci.",
    ] {
        assert!(t.iter().any(|t| t == body), "{body}: {t:?}");
    }
}

// ---------------------------------------------------------------------------
// HTML, PDF, DOCX, EPUB

#[test]
fn html_with_ten_thousand_nested_elements() {
    let env = Env::new();
    let n = 10_000;
    for tag in ["div", "span", "table", "ul"] {
        let page = format!(
            "<html><head><title>Deep {tag}</title></head><body>{}<p>Teks dalam sekali {tag}.</p>{}</body></html>",
            format!("<{tag}>").repeat(n),
            format!("</{tag}>").repeat(n)
        );
        env.write(&format!("deep-{tag}.html"), page);
    }
    env.write(
        "unclosed.html",
        format!(
            "<html><body>{}<p>Tidak pernah ditutup.",
            "<div><b><i>".repeat(n)
        ),
    );
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    let t = texts(&export(&env));
    assert!(
        t.iter().any(|t| t.contains("Teks dalam sekali div.")),
        "{t:?}"
    );
    assert!(
        t.iter().any(|t| t.contains("Tidak pernah ditutup.")),
        "{t:?}"
    );
}

/// A PDF whose page tree is a cycle: `/Kids` points back at itself and the
/// catalog, and an object stream refers to itself.
fn cyclic_pdf() -> Vec<u8> {
    let objects = [
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [2 0 R 1 0 R 3 0 R] /Count 3 /Parent 2 0 R >>\nendobj\n",
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /Kids [1 0 R] /Contents 4 0 R >>\nendobj\n",
        "4 0 obj\n<< /Length 4 0 R /Filter /FlateDecode >>\nstream\nxx\nendstream\nendobj\n",
    ];
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for o in objects {
        offsets.push(pdf.len());
        pdf.extend_from_slice(o.as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Prev {xref} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn pdf_with_cyclic_object_graph() {
    // kutip may not read PDFs (the walker ignores .pdf today); either way the
    // run succeeds, the other documents are indexed, and a PDF it does read
    // never hangs on the cycle.
    let env = Env::new();
    env.write("good.md", GOOD);
    env.write("cyclic.pdf", cyclic_pdf());
    env.write("truncated.pdf", &cyclic_pdf()[..60]);
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    assert_good_indexed(&env);
    for l in lines_with(&r.stderr, "skipped: ") {
        assert!(l.contains(".pdf"), "{l}");
    }
}

#[test]
fn zip_bombs_inside_docx_and_epub() {
    let env = Env::new();
    env.write("good.md", GOOD);
    let stream = zeros_deflate(300); // 300 MiB of zeros in ~300 KB
    env.write("liar.docx", lying_zip("word/document.xml", &stream, 1000));
    env.write(
        "honest.docx",
        lying_zip("word/document.xml", &stream, 300 << 20),
    );
    env.write(
        "liar.epub",
        lying_zip("META-INF/container.xml", &stream, 1000),
    );
    // 150 MB of text in one XML part: under the part limit, far over any sane passage.
    let container = br#"<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="c.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;
    let opf_items: String = (0..2000)
        .map(|_| "<itemref idref=\"ch\"/>".to_string())
        .collect();
    let opf = format!(
        r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Spine bomb</dc:title></metadata><manifest><item id="ch" href="ch.xhtml" media-type="application/xhtml+xml"/></manifest><spine>{opf_items}</spine></package>"#
    );
    let chapter = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>{}</p></body></html>",
        "kota kembar ".repeat(20_000)
    );
    env.write(
        "spine.epub",
        crate::docread::zip_bytes::<&[u8]>(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", container),
            ("c.opf", opf.as_bytes()),
            ("ch.xhtml", chapter.as_bytes()),
        ]),
    );
    let limits = Limits {
        timeout: Duration::from_secs(60),
        data_kb: 3 << 20,
    };
    let r = index_with(&env, &[], limits);
    eprintln!("zip bombs: {:?}, peak {} MiB", r.elapsed, r.peak_kb >> 10);
    assert_terminal_safe(&r.stderr, "index stderr");
    for name in ["liar.docx", "honest.docx", "liar.epub"] {
        assert!(
            lines_with(&r.stderr, "skipped: ")
                .iter()
                .any(|l| l.contains(&format!("docs/{name}")) && l.contains("too large")),
            "{name}: {}",
            r.stderr
        );
    }
    assert!(r.peak_kb >> 10 < 1024, "peak {} MiB", r.peak_kb >> 10);
    assert_good_indexed(&env);
}

// ---------------------------------------------------------------------------
// Terminal escapes and bidi controls in documents

/// Escape sequences and bidi controls: set the window title, clear the
/// screen, a CSI colour, a C1 CSI, a right-to-left override and isolate.
const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m\u{9b}1m\u{202e}\u{2067}";

fn evil_env() -> Env {
    let env = Env::new();
    env.write(
        "lib.bib",
        format!(
            "@book{{evil2001,\n  author = {{Jahat{EVIL}, Eve}},\n  title = {{Judul {EVIL} buku}},\n  publisher = {{Penerbit{EVIL}}},\n  year = {{2001}}\n}}\n\
             @book{{clean2005,\n  author = {{Bersih, Budi}},\n  title = {{Bersih}},\n  year = {{2005}}\n}}\n"
        ),
    );
    env.write(
        "evil.md",
        format!(
            "---\ntitle: \"Dok {EVIL} judul\"\nauthor: [\"Jahil{EVIL}, Lori\"]\nyear: 2020\n---\n# Bagian {EVIL}\n\n\
             Kota kembar {EVIL} sering dibahas (Bersih, 2005) dan (Hantu{EVIL}, 1999).\n\n\
             Paragraf kedua tentang kota kembar {EVIL} dan rekonsiliasi antarkota.\n"
        ),
    );
    env.write(
        "evil.txt",
        format!("Judul{EVIL}\n\nTeks biasa tentang kota kembar dengan {EVIL} di tengah.\n"),
    );
    env.write(
        "evil.html",
        format!("<html><head><title>Laman {EVIL}</title><meta name=\"citation_author\" content=\"Web{EVIL}, Wanda\"></head><body><p>Kota kembar di laman {EVIL} web.</p></body></html>"),
    );
    let r = index(&env);
    assert_terminal_safe(&r.stderr, "index stderr");
    env
}

#[test]
fn escapes_and_bidi_controls_never_reach_stdout_raw() {
    let env = evil_env();
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("search", vec!["search", "kota"]),
        ("search json", vec!["search", "kota", "--format", "json"]),
        (
            "search chicago id",
            vec!["search", "kota", "--style", "chicago", "--locale", "id"],
        ),
        ("export", vec!["export"]),
        ("quote", vec!["quote", "Paragraf kedua tentang kota kembar"]),
        (
            "quote json",
            vec![
                "quote",
                "Paragraf kedua tentang kota kembar",
                "--format",
                "json",
            ],
        ),
        ("cited", vec!["cited", "clean2005"]),
        ("cited json", vec!["cited", "clean2005", "--format", "json"]),
        ("sources", vec!["sources"]),
        ("sources json", vec!["sources", "--format", "json"]),
        ("check", vec!["check"]),
        ("check json", vec!["check", "--format", "json"]),
        ("cite", vec!["cite", "evil2001"]),
        ("cite mla", vec!["cite", "evil2001", "--style", "mla"]),
    ];
    for (what, args) in runs {
        let r = kutip(&env, &args);
        r.assert_sane(what);
        assert!(matches!(r.code, Some(0 | 1)), "{what}: {}", r.stderr);
        assert!(!r.stdout.is_empty(), "{what}: no output; {}", r.stderr);
        assert_terminal_safe(&r.stdout, what);
        assert_terminal_safe(&r.stderr, what);
    }
    // JSON keeps the exact text, escaped.
    let r = kutip(&env, &["search", "\"paragraf kedua\"", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["hits"][0]["text"].as_str().unwrap().contains(EVIL));
}

#[test]
fn escapes_never_reach_stdout_raw_in_exchange_formats() {
    let env = evil_env();
    for format in ["bibtex", "ris", "csl-json"] {
        let r = kutip(&env, &["search", "kota", "--format", format]);
        r.assert_code(0, format);
        assert_terminal_safe(&r.stdout, &format!("search --format {format}"));
        let r = kutip(&env, &["cite", "evil2001", "--format", format]);
        r.assert_code(0, format);
        assert_terminal_safe(&r.stdout, &format!("cite --format {format}"));
    }
}

// ---------------------------------------------------------------------------
// Queries

fn query_env() -> Env {
    let env = Env::new();
    env.write(
        "a.md",
        "---\ntitle: Doc\nyear: 2020\n---\nKota kembar adalah kerja sama antara dua kota (Zelinsky, 1991).\n",
    );
    index(&env);
    env
}

#[test]
fn very_long_queries_are_refused_in_one_line() {
    let env = query_env();
    for q in [
        "a".repeat(100_000),
        "kota ".repeat(20_000),
        "(".repeat(100_000),
        "\"".repeat(100_000),
        "kota AND ".repeat(10_000) + "kota",
        "é".repeat(50_000),
    ] {
        let r = kutip(&env, &["search", &q]);
        r.assert_one_line_error(&format!("query of {} chars", q.chars().count()));
        assert_eq!(r.code, Some(2));
        // A long quotation too.
        let r = kutip(&env, &["quote", &q]);
        r.assert_sane("quote");
        assert!(matches!(r.code, Some(1 | 2)), "{}", r.stderr);
    }
    // Just under the limit: parsed, not refused for length.
    let q = "kota ".repeat(800);
    let r = kutip(&env, &["search", q.trim()]);
    r.assert_sane("4000-char query");
    assert!(matches!(r.code, Some(0 | 1)), "{}", r.stderr);
}

#[test]
fn pathological_queries_exit_1_or_2_with_one_line() {
    let env = query_env();
    let queries = [
        "a*",
        "*",
        "?",
        "/.*/",
        "~",
        "^",
        "[* TO *]",
        "{* TO *}",
        "*:*",
        "a:b:c",
        ":",
        "title:",
        "year:abc",
        "year:[a TO b]",
        "year:[1 TO",
        "year:>2000",
        "year:[99999999999999999999 TO 1]",
        "kota^",
        "kota^abc",
        "kota^1e400",
        "kota~",
        "kota~2",
        "kota~99999999999",
        "\\",
        "{",
        "[",
        "AND",
        "OR",
        "NOT",
        "NOT kota",
        "a AND",
        "+",
        "||",
        "IN [a b]",
        "text: IN [a b c]",
        "lang:",
        "lang:xx",
        "key:\"",
        "\"",
        "\"\"\"",
        "\"kota",
        "kota\" \"",
        "(",
        ")",
        "((((",
        "(kota",
        "kota)",
        "\"(\" kota",
        "\"\"",
        "\u{1b}[2J",
        "\u{202e}kota",
        "*kota*",
        "k?ta",
        "/kota/",
        "text:/a.*/",
        "title:/.*/",
        "((((((((((((((((((((((((((((((((((((((((kota))))))))))))))))))))))))))))))))))))))))",
        "kota OR kota OR kota OR kota OR kota OR kota OR kota OR kota OR kota OR kota",
        "\"kota kembar\"~1000000",
        "kota^-1",
        "\u{feff}",
        "\u{200b}",
    ];
    for (i, q) in queries.into_iter().enumerate() {
        let r = kutip(&env, &["search", q]);
        r.assert_sane(&format!("query {q:?}"));
        match r.code {
            Some(0) => assert_terminal_safe(&r.stdout, q),
            _ => r.assert_one_line_error(&format!("query {q:?}")),
        }
        assert_terminal_safe(&r.stderr, q);
        // Some through JSON output.
        if i % 6 != 0 {
            continue;
        }
        let r = kutip(&env, &["search", q, "--format", "json"]);
        r.assert_sane(&format!("query {q:?} json"));
        assert!(matches!(r.code, Some(0..=2)), "{q:?}: {}", r.stderr);
    }
}

#[test]
fn unbalanced_quotes_and_parentheses_name_the_position() {
    let env = query_env();
    for (q, col) in [
        ("kota \"kembar", 6),
        ("\"", 1),
        ("(kota OR desa", 1),
        ("kota) OR desa", 5),
        ("((kota) AND desa", 1),
        ("kota (desa (kota) -x", 6),
        ("\"a\" \"b\" \"c", 9),
    ] {
        let r = kutip(&env, &["search", q]);
        r.assert_one_line_error(q);
        assert_eq!(r.code, Some(2), "{q}");
        assert!(
            r.stderr.contains(&format!("character {col}")),
            "{q}: {}",
            r.stderr
        );
    }
}

#[test]
fn brackets_without_operators_are_pasted_text() {
    let env = query_env();
    for q in ["kota)", "((kota)", "kota (desa (kota)", "Zelinsky (1991"] {
        let r = kutip(&env, &["search", q]);
        r.assert_sane(q);
        assert!(matches!(r.code, Some(0 | 1)), "{q}: {}", r.stderr);
    }
}

#[test]
fn queries_with_unclear_errors() {
    let env = query_env();
    for q in ["text:*", "title:*", "-kota", "-kota kembar"] {
        let r = kutip(&env, &["search", q]);
        r.assert_one_line_error(q);
        assert!(
            r.stderr.contains("query"),
            "{q}: the message says what is wrong with the query: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("Schema error"), "{q}: {}", r.stderr);
    }
}

#[test]
fn query_errors_never_echo_escapes_raw() {
    let env = query_env();
    for q in [
        "author:\u{1b}]0;x\u{7}",
        "title:\u{202e}x AND",
        "\u{1b}[2J AND",
    ] {
        let r = kutip(&env, &["search", q]);
        r.assert_sane(q);
        assert_terminal_safe(&r.stderr, q);
    }
}

#[test]
fn huge_limit_or_offset_is_refused_or_clamped_not_a_panic() {
    let env = query_env();
    for limit in ["18446744073709551615", "9223372036854775807", "4294967296"] {
        let r = kutip(&env, &["search", "kota", "--limit", limit]);
        r.assert_sane(limit);
        assert!(matches!(r.code, Some(0 | 2)), "{limit}: {}", r.stderr);
    }
    let r = kutip(
        &env,
        &["search", "kota", "--offset", "18446744073709551615"],
    );
    r.assert_sane("offset");
    assert!(matches!(r.code, Some(1 | 2)), "offset: {}", r.stderr);
}

#[test]
fn quote_against_a_huge_unsplit_passage_is_bounded() {
    let env = Env::new();
    let text = one_line(1); // ~150,000 words on one line
    env.write("huge.txt", &text);
    let limits = Limits {
        timeout: Duration::from_secs(240),
        data_kb: 3 << 20,
    };
    index_with(&env, &["--quiet"], limits);
    let words: Vec<&str> = std::str::from_utf8(&text)
        .unwrap()
        .split_whitespace()
        .skip(5000)
        .take(1999)
        .collect();
    let q = words.join(" ");
    let r = run_limited(
        env.dir.path(),
        &["quote", &q, "--index", "idx"],
        Limits {
            timeout: Duration::from_secs(30),
            data_kb: 3 << 20,
        },
    );
    eprintln!("quote: {:?}, peak {} MiB", r.elapsed, r.peak_kb >> 10);
    r.assert_sane("quote");
    assert!(r.peak_kb >> 10 < 512, "peak {} MiB", r.peak_kb >> 10);
}

#[test]
fn odd_arguments_never_panic() {
    let env = query_env();
    let huge = "9".repeat(400);
    let cases: Vec<Vec<OsString>> = vec![
        vec!["search".into(), "kota".into(), "--limit".into(), "0".into()],
        vec![
            "search".into(),
            "kota".into(),
            "--limit".into(),
            huge.clone().into(),
        ],
        vec![
            "search".into(),
            "kota".into(),
            "--year".into(),
            "2147483647..".into(),
        ],
        vec![
            "search".into(),
            "kota".into(),
            "--year".into(),
            "..-2147483648".into(),
        ],
        vec![
            "search".into(),
            "kota".into(),
            "--year".into(),
            "2000..1990".into(),
        ],
        vec![
            "search".into(),
            "kota".into(),
            "--year".into(),
            huge.clone().into(),
        ],
        vec!["search".into(), "kota".into(), "--author".into(), "".into()],
        vec![
            "search".into(),
            "kota".into(),
            "--author".into(),
            "\u{1b}[2J".into(),
        ],
        vec!["search".into(), "kota".into(), "--cites".into(), "".into()],
        vec![
            "search".into(),
            OsString::from_vec(b"kota \xff\xfe".to_vec()),
        ],
        vec!["cite".into(), "".into()],
        vec!["cite".into(), "\u{1b}]0;x\u{7}".into()],
        vec!["cite".into(), "ok".into(), "--page".into(), "-".into()],
        vec![
            "cite".into(),
            "ok".into(),
            "--page".into(),
            huge.clone().into(),
        ],
        vec!["cited".into(), "".into()],
        vec!["cited".into(), "\u{202e}".into()],
        vec!["quote".into(), "".into()],
        vec!["quote".into(), "... … [...]".into()],
        vec!["quote".into(), "a".into()],
        vec!["analyze".into(), "\u{1b}[2J\u{202e}kota".into()],
        vec![
            "analyze".into(),
            "--lang".into(),
            "exact".into(),
            "\u{1}\u{7f}".into(),
        ],
    ];
    for args in cases {
        let mut a = args.clone();
        if !matches!(a[0].to_str(), Some("analyze")) {
            a.push("--index".into());
            a.push("idx".into());
        }
        let r = run_limited(env.dir.path(), &a, QUICK);
        let what = format!("{args:?}");
        r.assert_sane(&what);
        assert!(matches!(r.code, Some(0..=2)), "{what}: {}", r.stderr);
        assert_terminal_safe(&r.stdout, &what);
    }
}
