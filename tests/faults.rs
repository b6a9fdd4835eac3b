//! Faults: kill -9 at many points, a read-only index, a full disk, and the
//! same export whatever the thread count or the order files were written in.

use crate::incremental::kill_and_resume;
use crate::util::Env;
use std::process::Command;

/// Kill points per run; `KUTIP_KILL_POINTS` raises it for a longer soak.
fn kill_points() -> usize {
    std::env::var("KUTIP_KILL_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

#[test]
fn fifty_kill_points_never_lose_or_duplicate_a_passage() {
    let seed = std::env::var("KUTIP_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x6b75746970);
    let points = kill_points();
    let survived = kill_and_resume(points, 2000, seed);
    println!("kill points survived: {survived} (seed {seed})");
    assert_eq!(survived, points);
}

/// Mounts a small tmpfs at `dir`; `false` where mounting is not allowed.
fn mount_tmpfs(dir: &std::path::Path, size: &str) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
}

fn umount(dir: &std::path::Path) {
    let _ = Command::new("umount").arg(dir).status();
}

fn corpus(env: &Env, files: usize, tag: &str) {
    for i in 0..files {
        let body: String = (0..6)
            .map(|p| format!("Paragraf {p} {tag} dokumen {i}: kerja sama kota kembar antara pemerintah daerah dan masyarakat, dengan catatan yang cukup panjang agar indeks tumbuh.\n\n"))
            .collect();
        env.write(
            &format!("doc{i:04}.md"),
            format!("---\ntitle: Dokumen {i}\n---\n{body}"),
        );
    }
}

/// A small disk (700 KiB) with an index of three documents at
/// `small/idx`: the mount, and that first run. `None` where mounting is not
/// allowed.
fn index_on_a_small_disk(env: &Env) -> Option<(std::path::PathBuf, crate::util::Run)> {
    let mnt = env.path("small");
    if !mount_tmpfs(&mnt, "700k") {
        println!("cannot mount a tmpfs here; skipped");
        return None;
    }
    corpus(env, 3, "awal");
    let first = env.run(&["index", "docs", "--index", "small/idx"]);
    Some((mnt, first))
}

#[test]
fn a_disk_left_without_a_free_byte_by_failed_runs_is_recovered_by_the_next() {
    let env = Env::new();
    let Some((mnt, first)) = index_on_a_small_disk(&env) else {
        return;
    };
    // What a failed run leaves: a file the engine made and no commit
    // refers to, here filling the disk to its last byte.
    let engine = mnt.join("idx/tantivy");
    let managed = engine.join(".managed.json");
    let mut names: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed).unwrap()).unwrap();
    names.push("left-by-a-failed-run.store".into());
    std::fs::write(&managed, serde_json::to_string(&names).unwrap()).unwrap();
    {
        use std::io::Write;
        let mut f = std::fs::File::create(engine.join("left-by-a-failed-run.store")).unwrap();
        let block = vec![7u8; 4096];
        while f.write_all(&block).and_then(|()| f.flush()).is_ok() {}
        while f.write_all(&[7]).is_ok() {}
    }
    env.write(
        "doc9999.md",
        "---\ntitle: Baru\n---\nParagraf baru tentang kota kembar.\n",
    );
    let next = env.run(&["index", "docs", "--index", "small/idx"]);
    let search = env.run(&["search", "baru", "--index", "small/idx"]);
    let left = engine.join("left-by-a-failed-run.store").exists();
    umount(&mnt);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(!left, "the failed run's file is collected");
    assert!(search.stdout.contains("Paragraf baru"), "{}", search.stdout);
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_commit() {
    let env = Env::new();
    let Some((mnt, first)) = index_on_a_small_disk(&env) else {
        return;
    };
    let before = env.run(&["export", "--index", "small/idx"]).stdout;
    corpus(&env, 1500, "besar");
    let r = env.run(&["index", "docs", "--index", "small/idx"]);
    // Run again on the full disk: now the writer's threads die on it, which
    // the engine reports only as a writer killed.
    let again = env.run(&["index", "docs", "--index", "small/idx"]);
    let after = env.run(&["export", "--index", "small/idx"]);
    let search = env.run(&["search", "kota", "--index", "small/idx"]);
    // Once the corpus fits again, the next run succeeds: what the failed
    // runs left on the disk is no commit's, and is collected first.
    std::fs::remove_dir_all(env.path("docs")).unwrap();
    corpus(&env, 3, "awal");
    let fits = env.run(&["index", "docs", "--index", "small/idx"]);
    let back = env.run(&["export", "--index", "small/idx"]).stdout;
    // What fills the disk when the run after freeing space fails.
    let mut left = Vec::new();
    for dir in [mnt.join("idx"), mnt.join("idx/tantivy")] {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let size = e.metadata().map_or(0, |m| m.len());
            left.push(format!("{} {size}", e.path().display()));
        }
    }
    umount(&mnt);
    assert_eq!(
        fits.code,
        0,
        "a run after freeing space: {}\n{}",
        fits.stderr,
        left.join("\n")
    );
    assert_eq!(back, before);
    for run in [&r, &again] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        let last = run.stderr.trim().lines().last().unwrap_or("");
        assert!(
            last.starts_with("kutip: no space left on the device")
                && last.contains("free space or use another --index")
                && !last.contains("killed"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(r.code, 2, "a full disk is an error: {}", r.stderr);
    assert_eq!(
        r.stderr
            .trim()
            .lines()
            .last()
            .unwrap_or("")
            .matches("kutip:")
            .count(),
        1,
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.to_lowercase().contains("space") || r.stderr.contains("No space"),
        "{}",
        r.stderr
    );
    assert_eq!(after.code, 0, "the index still opens: {}", after.stderr);
    assert_eq!(after.stdout, before, "the previous commit is intact");
    assert_eq!(search.code, 0);
}

#[test]
fn a_read_only_index_is_a_clear_error_and_still_searchable() {
    let env = Env::new();
    let mnt = env.path("ro");
    if !mount_tmpfs(&mnt, "8m") {
        println!("cannot mount a tmpfs here; skipped");
        return;
    }
    corpus(&env, 3, "awal");
    let first = env.run(&["index", "docs", "--index", "ro/idx"]);
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status();
    corpus(&env, 5, "baru");
    let r = env.run(&["index", "docs", "--index", "ro/idx"]);
    let search = env.run(&["search", "kota", "--index", "ro/idx"]);
    umount(&mnt);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(remount.is_ok_and(|s| s.success()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("Read-only file system") || r.stderr.contains("read-only"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);
    assert_eq!(
        search.code, 0,
        "searching a read-only index works: {}",
        search.stderr
    );
}

#[test]
fn export_is_the_same_whatever_the_thread_count_or_file_order() {
    let a = Env::new();
    corpus(&a, 40, "sama");
    let b = Env::new();
    for i in (0..40).rev() {
        let body: String = (0..6)
            .map(|p| format!("Paragraf {p} sama dokumen {i}: kerja sama kota kembar antara pemerintah daerah dan masyarakat, dengan catatan yang cukup panjang agar indeks tumbuh.\n\n"))
            .collect();
        b.write(
            &format!("doc{i:04}.md"),
            format!("---\ntitle: Dokumen {i}\n---\n{body}"),
        );
    }
    let run = |env: &Env, threads: &str| {
        let r = Command::new(env!("CARGO_BIN_EXE_kutip"))
            .args(["index", "docs", "--index", "idx", "--quiet"])
            .current_dir(env.dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(r.status.success());
        env.run(&["export", "--index", "idx"]).stdout
    };
    let one = run(&a, "1");
    let two = run(&b, "2");
    assert!(!one.is_empty());
    assert!(
        one == two,
        "exports differ between thread counts or file orders"
    );
}

/// Deletes every other document while `kutip index` runs over them: the run
/// finishes, names the files it lost as gone (never "cannot read"), and the
/// next run equals a clean build of what is left.
#[test]
fn files_deleted_while_indexing_are_dropped_not_fatal() {
    let env = Env::new();
    corpus(&env, 1200, "hilang");
    let child = Command::new(env!("CARGO_BIN_EXE_kutip"))
        .args(["index", "docs", "--index", "idx", "--quiet"])
        .current_dir(env.dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Delete from the end of the walk backwards, so some files go before the
    // walk reaches them, some between the walk and the read, some after.
    for i in (0..1200).rev().step_by(2) {
        let _ = std::fs::remove_file(env.path("docs").join(format!("doc{i:04}.md")));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for line in stderr.lines() {
        assert!(
            line.starts_with("skipped: ") && line.ends_with("disappeared while indexing"),
            "unexpected message: {line}"
        );
    }
    let s = env.run(&["search", "kota", "--index", "idx", "--format", "json"]);
    assert_eq!(s.code, 0, "{}", s.stderr);

    let again = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let clean = env.run(&["index", "docs", "--index", "clean", "--quiet"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let got = env.run(&["export", "--index", "idx"]).stdout;
    let want = env.run(&["export", "--index", "clean"]).stdout;
    assert!(want.contains("doc0000.md") && !want.contains("doc0001.md"));
    assert!(
        got == want,
        "after a second run the index equals a clean build"
    );
}

/// Writes `count` paragraphs that all carry `marker`, padded to differ in size.
fn marked(marker: &str, count: usize) -> String {
    let mut s = String::from("---\ntitle: Berkas yang ditulis\n---\n");
    for p in 0..count {
        s.push_str(&format!(
            "Paragraf {p} {marker}: kerja sama kota kembar antara pemerintah daerah dan masyarakat.\n\n"
        ));
    }
    s
}

/// Passages of the index that carry `marker`.
fn total(env: &Env, marker: &str) -> u64 {
    let r = env.run(&["search", marker, "--index", "idx", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    if r.code == 1 {
        return 0;
    }
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["total"].as_u64().unwrap()
}

/// A file rewritten over and over while it is indexed is never indexed torn
/// (half one version, half the other): a run indexes only bytes that did not
/// change while they were read, or says the file changed while being read;
/// a run after the writing stops indexes what the file finally says. (What
/// the file held at one moment may be a half-written version, when the
/// writer was paused for the whole read; that is not torn, and the next run
/// corrects it, so it is allowed here.)
#[test]
fn a_file_rewritten_while_indexing_is_never_indexed_torn() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let env = Env::new();
    corpus(&env, 20, "tetap");
    let (a, b) = (marked("alfaversi", 6000), marked("bravoversi", 7000));
    let path = env.write("ditulis.md", &a);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut flip = false;
            while !stop.load(Ordering::Relaxed) {
                // In place and a block at a time, as a program without
                // atomic saves writes, so the file is half-written most of
                // the time.
                use std::io::Write;
                let mut f = std::fs::File::create(&path).unwrap();
                for block in if flip { &a } else { &b }.as_bytes().chunks(4096) {
                    f.write_all(block).unwrap();
                }
                flip = !flip;
            }
        });
        // Stops the writer however this thread leaves the scope (a failed
        // assertion too), or the scope would wait for it for ever.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _stop = Stop(&stop);
        for _ in 0..4 {
            let r = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            for line in r.stderr.lines() {
                assert!(
                    line.contains("ditulis.md: changed while being read"),
                    "unexpected message: {line}"
                );
            }
            let (alfa, bravo) = (total(&env, "alfaversi"), total(&env, "bravoversi"));
            assert!(
                alfa == 0 || bravo == 0,
                "one document mixes two versions: {alfa} + {bravo} passages"
            );
            assert!(
                alfa <= 6000 && bravo <= 7000,
                "passages indexed twice: {alfa} + {bravo}"
            );
        }
    });
    std::fs::write(&path, &b).unwrap();
    let r = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        (total(&env, "alfaversi"), total(&env, "bravoversi")),
        (0, 7000)
    );
}

/// A file rewritten with the same size within the same tick of the file
/// system's clock keeps its size and time; a run soon after it was indexed
/// still sees the change (its time was recorded as unknown, as git does for
/// "racy" files).
#[test]
fn a_same_size_rewrite_in_the_same_clock_tick_is_seen() {
    let env = Env::new();
    let path = env.write("a.md", "---\ntitle: A\n---\nKota kembar alfaversi.\n");
    let written = std::fs::metadata(&path).unwrap().modified().unwrap();
    let index = || {
        let r = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    index();
    assert_eq!(total(&env, "alfaversi"), 1);
    std::fs::write(&path, "---\ntitle: A\n---\nKota kembar betaversi.\n").unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(written).unwrap();
    drop(f);
    let now = std::fs::metadata(&path).unwrap();
    assert_eq!(now.modified().unwrap(), written);
    index();
    assert_eq!((total(&env, "alfaversi"), total(&env, "betaversi")), (0, 1));
}

/// Runs `kutip index` while another thread appends to `path` every
/// millisecond or two, and returns its stderr. The first line is appended
/// before the run starts, so that the run sees the file changed even if
/// the appending thread is slow to be scheduled.
fn index_while_appending(env: &Env, path: &std::path::Path) -> String {
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "\nTambahan 0 bravoversi: kota kembar.").unwrap();
    drop(f);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                writeln!(f, "\nTambahan {n} bravoversi: kota kembar.").unwrap();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        });
        let r = env.run(&["index", "docs", "--index", "idx", "--quiet"]);
        stop.store(true, Ordering::Relaxed);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stderr
    })
}

/// A file too big to hold whole is indexed as it is read; when it changes
/// meanwhile, what was indexed of it is rolled back, so the index keeps its
/// previous passages (or none, for a new file) and everything else.
#[test]
fn a_streamed_file_that_changes_while_read_is_rolled_back() {
    let env = Env::new();
    corpus(&env, 20, "tetap");
    let mut big = marked("alfaversi", 100);
    while big.len() <= 17 << 20 {
        big.push_str("Kota kembar ialah kerja sama antara dua kota. ");
    }
    let path = env.write("besar.md", &big);
    // A run while the file is appended to reports it and leaves the index
    // with `(alfa, bravo)` passages of it and every other passage.
    let changed_run_keeps = |alfa: u64, bravo: u64| {
        let stderr = index_while_appending(&env, &path);
        assert!(
            stderr.contains("besar.md: changed while being read"),
            "{stderr}"
        );
        assert_eq!(
            (total(&env, "alfaversi"), total(&env, "bravoversi")),
            (alfa, bravo)
        );
        assert_eq!(total(&env, "tetap"), 120);
    };

    // New, and written to while read: not indexed at all, the rest is.
    changed_run_keeps(0, 0);

    // Left alone: indexed whole, appended lines and all, and counted.
    let r = env.run(&["index", "docs", "--index", "idx", "--verbose"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("besar.md: ") && r.stderr.contains(" passages, record 'besar' "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("files: 1 new, 0 changed"), "{}", r.stderr);
    // Touched, not changed: the big file is hashed (without being held)
    // and found the same; nothing is indexed again.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000))
        .unwrap();
    let again = env.run(&["index", "docs", "--index", "idx"]);
    assert!(
        again.stderr.contains("indexed 0 passages") && again.stderr.contains("21 unchanged"),
        "{}",
        again.stderr
    );
    let (alfa, bravo) = (total(&env, "alfaversi"), total(&env, "bravoversi"));
    assert_eq!(alfa, 100);
    assert!(bravo > 0);

    // Written to again while read: the passages it had are kept as they were.
    changed_run_keeps(alfa, bravo);
}

/// Runs kutip as an unprivileged user where the tests run as root (root
/// reads any file, so permissions could not fail otherwise).
fn run_unprivileged(env: &Env, args: &[&str]) -> crate::util::Run {
    let root = is_root();
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_kutip"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_kutip"))
    };
    let out = cmd
        .args(args)
        .current_dir(env.dir.path())
        .output()
        .expect("run kutip");
    crate::util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// One file and one folder kutip may not read, among many: each is named
/// with the reason and the fix, everything else is indexed, and what the
/// index already held from them is kept.
#[test]
fn permission_denied_on_one_file_among_many_keeps_the_rest_and_the_old_passages() {
    if is_root() && Command::new("setpriv").arg("--version").output().is_err() {
        println!("running as root without setpriv; skipped");
        return;
    }
    let env = Env::new();
    corpus(&env, 30, "izin");
    env.write(
        "rahasia.md",
        "---\ntitle: Rahasia\n---\nCatatan rahasia tentang diplomasi kota.\n",
    );
    env.write(
        "tertutup/dalam.md",
        "---\ntitle: Dalam\n---\nCatatan tertutup tentang paradiplomasi.\n",
    );
    // The unprivileged user must reach the folders and write the index.
    chmod(env.dir.path(), 0o777);
    chmod(&env.path("docs"), 0o777);
    chmod(&env.path("docs/tertutup"), 0o777);
    let first = run_unprivileged(&env, &["index", "docs", "--index", "idx", "--quiet"]);
    assert_eq!(first.code, 0, "{}", first.stderr);

    // A changed file that cannot be read keeps its previous passages; a new
    // one is skipped until it can be read.
    std::fs::write(
        env.path("docs/rahasia.md"),
        "---\ntitle: Rahasia\n---\nCatatan rahasia dengan kata kuarsa.\n",
    )
    .unwrap();
    chmod(&env.path("docs/rahasia.md"), 0o000);
    env.write("terkunci.md", "Berkas dengan kata giok.\n");
    chmod(&env.path("docs/terkunci.md"), 0o000);
    chmod(&env.path("docs/tertutup"), 0o000);
    std::fs::write(
        env.path("docs/doc0003.md"),
        "---\ntitle: Dokumen 3\n---\nIsi baru dengan kata unik zamrud.\n",
    )
    .unwrap();
    env.write(
        "baru.md",
        "---\ntitle: Baru\n---\nBerkas baru dengan kata safir.\n",
    );
    let r = run_unprivileged(&env, &["index", "docs", "--index", "idx"]);
    chmod(&env.path("docs/tertutup"), 0o777);
    assert_eq!(
        r.code, 0,
        "one unreadable file never fails the batch: {}",
        r.stderr
    );
    for name in ["rahasia.md", "terkunci.md", "tertutup"] {
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} is named: {}", r.stderr));
        assert!(
            line.starts_with("skipped: ")
                && line.contains("Permission denied")
                && line.contains("check its permissions"),
            "{line}"
        );
    }
    assert!(r.stderr.contains("1 new, 1 changed"), "{}", r.stderr);
    for (word, hits) in [
        ("zamrud", 1),
        ("safir", 1),
        ("rahasia", 1),
        ("kuarsa", 0),
        ("giok", 0),
        ("paradiplomasi", 1),
    ] {
        let s = run_unprivileged(
            &env,
            &["search", word, "--index", "idx", "--format", "json"],
        );
        assert_eq!(
            s.code,
            if hits == 0 { 1 } else { 0 },
            "{word}: {}",
            s.stderr
        );
        if hits > 0 {
            let v: serde_json::Value = serde_json::from_str(&s.stdout).unwrap();
            assert_eq!(v["total"], hits, "{word}");
        }
    }
}
