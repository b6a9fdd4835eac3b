#!/usr/bin/env python3
"""kutip's side of benches/compare.sh: whole-process figures under /usr/bin/time -v
and the in-process harness (benches/latency.rs), appended to WORK/results/kutip.jsonl."""
import argparse, json, os, re, shutil, subprocess, statistics, time


def timed(cmd, cwd, env=None, shell=False):
    full = ["/usr/bin/time", "-v"] + (["bash", "-c", cmd] if shell else cmd)
    p = subprocess.run(full, capture_output=True, text=True, cwd=cwd, env=env)
    err = p.stderr
    def grab(key):
        m = re.search(re.escape(key) + r":\s*(.+)", err)
        return m.group(1).strip() if m else "0"
    wall = [float(x) for x in grab("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    if p.returncode not in (0, 1):
        raise SystemExit("failed: %s\n%s" % (cmd, err[-2000:]))
    return {"wall_s": sum(v * 60 ** i for i, v in enumerate(reversed(wall))),
            "max_rss_mb": int(grab("Maximum resident set size (kbytes)")) / 1024,
            "stdout": p.stdout}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--corpus-dir", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--real", default=None)
    ap.add_argument("--shared", default=None, help="../shared: pairs each kutip index run with a tantivy-py one")
    a = ap.parse_args()
    work, C, kutip = os.path.abspath(a.work), os.path.abspath(a.corpus_dir), a.bin
    idx = os.path.join(work, "idx", "kutip")
    out = open(os.path.join(work, "results", "kutip.jsonl"), "w")
    def record(label, res, **extra):
        res = {k: v for k, v in res.items() if k != "stdout"}
        res.update(extra, label=label)
        out.write(json.dumps(res) + "\n")
        out.flush()
        print("%-28s wall %.2fs rss %.0f MB" % (label, res["wall_s"], res["max_rss_mb"]), flush=True)

    # Each kutip run right after a tantivy-py en_stem run on the same
    # passages: the machine's speed drifts over a benchmark by more than the
    # difference measured, and runs taken side by side share the drift.
    tv = [os.path.join(work, "venv", "bin", "python"), os.path.join(a.shared or "", "bench", "bench_tantivy.py"),
          "index", "--corpus", C + "/corpus.jsonl", "--index-dir", os.path.join(work, "idx", "tv_paired"),
          "--tokenizer", "en_stem"]
    # And tantivy-py given kutip's field layout (benches/tantivy_same_job.py),
    # which tells kutip's own overhead from the cost of its job.
    same = [tv[0], os.path.join(a.root, "benches", "tantivy_same_job.py"), "--corpus", C + "/corpus.jsonl",
            "--index-dir", os.path.join(work, "idx", "tv_paired")]
    for r in range(a.runs):
        if a.shared:
            record("tantivy_index_en_stem_paired", timed(tv, work), run=r)
            record("tantivy_index_same_job_paired", timed(same, work), run=r)
        shutil.rmtree(idx, ignore_errors=True)
        record("kutip_index", timed([kutip, "index", C + "/text", "--index", idx, "--quiet"], work), run=r)
    shutil.rmtree(os.path.join(work, "idx", "tv_paired"), ignore_errors=True)
    for r in range(a.runs):
        record("kutip_index_unchanged", timed([kutip, "index", C + "/text", "--index", idx, "--quiet"], work), run=r)
    # A cold process per query: open the index, load library and style,
    # answer, print JSON — one process per phrase, as the rg loop does.
    phrases = [l.rstrip("\n") for l in open(C + "/phrases100.txt") if l.strip()]
    loop = "while IFS= read -r p; do %s search \"\\\"$p\\\"\" --index %s --format json --limit 10 >/dev/null || true; done < %s/phrases100.txt" % (kutip, idx, C)
    for r in range(a.runs):
        record("kutip_search_100_procs", timed(loop, work, shell=True), run=r, queries=len(phrases))
    env = dict(os.environ, KUTIP_BENCH_INDEX=idx, KUTIP_BENCH_CORPUS=C)
    for r in range(a.runs):
        res = timed(["cargo", "bench", "-q", "--bench", "latency"], a.root, env=env)
        line = [l for l in res["stdout"].splitlines() if l.startswith("{")][-1]
        record("kutip_in_process", res, run=r, tool=json.loads(line))
    if a.real and os.path.isdir(a.real):
        ridx = os.path.join(work, "idx", "kutip-real")
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(a.real) for f in fs)
        for r in range(a.runs):
            shutil.rmtree(ridx, ignore_errors=True)
            res = timed([kutip, "index", a.real, "--index", ridx], work)
            record("kutip_index_real", res, run=r, bytes=size, files=sum(len(fs) for _, _, fs in os.walk(a.real)))


if __name__ == "__main__":
    main()
