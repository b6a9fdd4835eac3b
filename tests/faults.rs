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
    let survived = kill_and_resume(points, 120, seed);
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

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_commit() {
    let env = Env::new();
    let mnt = env.path("small");
    if !mount_tmpfs(&mnt, "700k") {
        println!("cannot mount a tmpfs here; skipped");
        return;
    }
    corpus(&env, 3, "awal");
    let first = env.run(&["index", "docs", "--index", "small/idx"]);
    let before = env.run(&["export", "--index", "small/idx"]).stdout;
    corpus(&env, 1500, "besar");
    let r = env.run(&["index", "docs", "--index", "small/idx"]);
    let after = env.run(&["export", "--index", "small/idx"]);
    let search = env.run(&["search", "kota", "--index", "small/idx"]);
    umount(&mnt);
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
