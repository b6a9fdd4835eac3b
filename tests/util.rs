//! A temporary corpus and index, and a runner for the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file under the corpus folder `docs/`.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path("docs").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.dir.path(), args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_kutip"))
            .args(args)
            .current_dir(cwd)
            .env_remove("NO_COLOR")
            .output()
            .expect("run kutip");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs kutip in the temporary folder with `input` on standard input.
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_kutip"))
            .args(args)
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run kutip");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait for kutip");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `kutip index docs --index idx`, asserting success.
    pub fn index(&self) -> Run {
        let r = self.run(&["index", "docs", "--index", "idx"]);
        assert_eq!(r.code, 0, "index failed: {}", r.stderr);
        r
    }

    /// `kutip export` parsed as JSON lines.
    pub fn export(&self) -> Vec<serde_json::Value> {
        let r = self.run(&["export", "--index", "idx"]);
        assert_eq!(r.code, 0, "export failed: {}", r.stderr);
        r.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("export line is JSON"))
            .collect()
    }

    /// `kutip search QUERY --format json` with extra args.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> (i32, serde_json::Value) {
        let mut args = vec!["search", query, "--index", "idx", "--format", "json"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert!(r.code == 0 || r.code == 1, "search failed: {}", r.stderr);
        (
            r.code,
            serde_json::from_str(&r.stdout).expect("search output is JSON"),
        )
    }
}

/// The repository's sample corpus.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `kutip analyze --lang LANG` over many words in one process: word → terms.
pub fn analyze_all<'a>(
    lang: &str,
    words: impl IntoIterator<Item = &'a str>,
) -> std::collections::HashMap<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let words: Vec<&str> = words.into_iter().collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kutip"))
        .args(["analyze", "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run kutip analyze");
    let input = words.join("\n") + "\n";
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), words.len(), "one output line per input line");
    words
        .iter()
        .zip(lines)
        .map(|(w, l)| (w.to_string(), l.to_string()))
        .collect()
}

/// A file of `tests/data/`.
pub fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The TAB-separated rows of a gold-set file: `#` comments and blank lines
/// skipped, a trailing `# comment` cut.
pub fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.split('#')
                .next()
                .unwrap()
                .trim_end()
                .split('\t')
                .collect()
        })
}

/// Known failures of a gold set (a ratchet list): gold words and `a\tb`
/// collision keys.
pub fn known(file: &str) -> std::collections::BTreeSet<String> {
    rows(&data(file)).map(|r| r.join("\t")).collect()
}

/// Checks `found` (gold words that fail, or `a\tb` collision keys when
/// `pairs`) against the ratchet list `file`: a new one fails, and so does
/// one listed that no longer occurs (it must leave the list).
pub fn ratchet(file: &str, found: &std::collections::BTreeSet<String>, pairs: bool, what: &str) {
    let known: std::collections::BTreeSet<String> = known(file)
        .into_iter()
        .filter(|k| k.contains('\t') == pairs)
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let fixed: Vec<_> = known.difference(found).collect();
    assert!(new.is_empty(), "new {what}: {new:?}");
    assert!(
        fixed.is_empty(),
        "no longer among the {what}, remove from {file}: {fixed:?}"
    );
}

/// A gold set measured: how many rows it has, for how many kutip's
/// analyzer gives both words the same terms and a reference stemmer does,
/// and the rows kutip gets wrong.
pub struct Gold {
    pub n: usize,
    pub kutip: usize,
    pub reference: usize,
    pub wrong: std::collections::BTreeSet<String>,
}

/// Measures the gold set `file` of `lang`: with `pairs` false, rows
/// `word<TAB>variant<TAB>category` whose two words must share their terms
/// (a wrong row is its word); with `pairs` true, rows `a<TAB>b` that must
/// not (a wrong row is `a<TAB>b`). `reference` is the stemmer compared.
pub fn gold(lang: &str, file: &str, pairs: bool, reference: impl Fn(&str) -> String) -> Gold {
    let text = data(file);
    let lines: Vec<Vec<&str>> = rows(&text).collect();
    let terms = analyze_all(lang, lines.iter().flat_map(|r| [r[0], r[1]]));
    let mut out = Gold {
        n: 0,
        kutip: 0,
        reference: 0,
        wrong: Default::default(),
    };
    for r in &lines {
        assert_eq!(
            r.len(),
            if pairs { 2 } else { 3 },
            "bad line {r:?} in {file}"
        );
        out.n += 1;
        // Conflated: the same terms, and some; colliding: the same terms.
        let same = terms[r[0]] == terms[r[1]] && (pairs || !terms[r[0]].is_empty());
        if same {
            out.kutip += 1;
        }
        match (pairs, same) {
            (false, false) => {
                out.wrong.insert(r[0].to_string());
            }
            (true, true) => {
                out.wrong.insert(format!("{}\t{}", r[0], r[1]));
            }
            _ => {}
        }
        if reference(r[0]) == reference(r[1]) {
            out.reference += 1;
        }
    }
    out
}
