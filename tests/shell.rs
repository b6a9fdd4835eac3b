//! `kutip shell` through a pseudo-terminal and through a pipe.

use crate::util::{Env, sample_corpus};
use std::process::Command;

fn env() -> Env {
    let env = Env::new();
    let r = env.run(&["index", sample_corpus().to_str().unwrap(), "--index", "idx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

#[test]
fn a_session_on_a_terminal() {
    let env = env();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kutip"));
    cmd.args(["shell", "--index", "idx"])
        .current_dir(env.dir.path())
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", env.path("data"))
        .env("TERM", "dumb");
    let mut p =
        rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn the shell in a pty");
    p.exp_string("kutip> ").unwrap();
    p.send_line("rekonsiliasi Coventry").unwrap();
    p.exp_string("passages").unwrap();
    p.exp_string("Cite: (").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line(":show 1").unwrap();
    p.exp_string("> [").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line(":cite 1 chicago").unwrap();
    p.exp_string("2026").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line("kota \"kembar").unwrap();
    p.exp_string("query error at character 6").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line(":collect 1").unwrap();
    p.exp_string("collected").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line(":export coll.bib").unwrap();
    p.exp_string("wrote 1 citations").unwrap();
    p.exp_string("kutip> ").unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
    let bib = std::fs::read_to_string(env.path("coll.bib")).unwrap();
    assert!(
        bib.starts_with("% Citations collected with kutip\n% ("),
        "{bib}"
    );
    assert!(bib.contains("\n@"), "{bib}");
    let history = std::fs::read_to_string(env.path("data/kutip/history")).unwrap();
    assert!(
        history.contains("rekonsiliasi Coventry"),
        "history kept: {history}"
    );
}

#[test]
fn a_session_from_a_pipe() {
    let env = env();
    let r = env.run_stdin(
        &["shell", "--index", "idx"],
        b"sister city\n:more\n:bogus\n(unbalanced OR\n:lang id\nkerja sama\n:cited zelinsky1991\n:quote Kedua kota mengalami pengeboman hebat selama perang\n:limit 0\n:quit\nnever reached\n",
    );
    assert_eq!(r.code, 0);
    let (stdout, stderr) = (r.stdout, r.stderr);
    assert!(!stdout.contains('\u{1b}'), "plain when piped");
    assert!(stdout.contains("1–5 of "), "{stdout}");
    assert!(stdout.contains("6–10 of "), ":more pages on: {stdout}");
    assert!(stderr.contains("unknown command :bogus"), "{stderr}");
    assert!(stderr.contains("query error at character 1"), "{stderr}");
    assert!(stdout.contains("only id passages"), "{stdout}");
    assert!(
        stdout.contains("documents cite (Zelinsky, 1991)"),
        "{stdout}"
    );
    assert!(stdout.contains("1. 1.00 exact"), "{stdout}");
    assert!(stderr.contains("give a number from 1 to 200"), "{stderr}");
    assert!(!stdout.contains("never reached") && !stderr.contains("never reached"));
}
