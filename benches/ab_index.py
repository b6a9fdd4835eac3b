#!/usr/bin/env python3
"""Compares `kutip index` builds with each other and with tantivy-py, in rounds.

  benches/ab_index.py --bin A --bin B [--rounds 5] [--passages 200000]

Each round runs tantivy-py (en_stem) and then every binary once, on the same
passages, in turn; this machine's speed drifts by more than the differences
worth measuring, and runs taken side by side share the drift. Prints each
run, then per binary the median wall time, user CPU and peak memory, and the
median of its per-round ratio against tantivy-py. Uses the corpus and peers
that benches/compare.sh prepares (run it once first)."""
import argparse, os, shutil, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %M"] + cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    wall, user, rss = p.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", required=True, help="a kutip binary (repeat)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--passages", type=int, default=200000)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    a = ap.parse_args()
    work = os.path.join(ROOT, "target", "peer-bench")
    corpus = os.path.join(work, "corpus%dk" % (a.passages // 1000))
    python = os.path.join(work, "venv", "bin", "python")
    if not os.path.isdir(corpus) or not os.path.exists(python):
        raise SystemExit("%s: no corpus or peers; run benches/compare.sh %d first" % (corpus, a.passages))
    scratch = tempfile.mkdtemp(prefix="kutip-ab-")
    tv = [python, os.path.join(a.shared, "bench", "bench_tantivy.py"), "index", "--corpus",
          os.path.join(corpus, "corpus.jsonl"), "--index-dir", os.path.join(scratch, "tv"), "--tokenizer", "en_stem"]
    runs = {b: [] for b in a.bin}
    ratios = {b: [] for b in a.bin}
    try:
        for r in range(a.rounds):
            peer = timed(tv)
            print("round %d tantivy-py      %6.2f s  user %6.2f s  %4.0f MB" % ((r,) + peer), flush=True)
            for b in a.bin:
                idx = os.path.join(scratch, "kutip")
                shutil.rmtree(idx, ignore_errors=True)
                run = timed([b, "index", os.path.join(corpus, "text"), "--index", idx, "--quiet"])
                runs[b].append(run)
                ratios[b].append(peer[0] / run[0])
                print("round %d %-15s %6.2f s  user %6.2f s  %4.0f MB" % ((r, os.path.basename(b)[:15]) + run), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for b in a.bin:
        med = lambda i: statistics.median(x[i] for x in runs[b])
        print("%s: median %.2f s, user %.2f s, peak %.0f MB; vs tantivy-py %.2fx (per-round ratios %s)" % (
            b, med(0), med(1), med(2), statistics.median(ratios[b]),
            " ".join("%.2f" % x for x in ratios[b])))


if __name__ == "__main__":
    main()
