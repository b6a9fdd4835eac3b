#!/usr/bin/env python3
"""The scale curve of benches/compare.sh: at each corpus size, kutip index
(whole process) against tantivy-py en_stem, and kutip's in-process query
latency against tantivy-py's, appended to WORK/results/scale.jsonl.
  scale.py --work DIR --shared DIR --root DIR --bin KUTIP --sizes 20000,1000000 [--runs 3]"""
import argparse, json, os, shutil, statistics, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_kutip import timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sizes", default="20000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    out = open(os.path.join(work, "results", "scale.jsonl"), "w")
    for n in [int(x) for x in a.sizes.split(",") if x]:
        subprocess.run(["bash", os.path.join(a.shared, "bench", "setup_peers.sh"), work, str(n)], check=True)
        C = os.path.join(work, "corpus%dk" % (n // 1000))
        # The peers write their own runs.jsonl: a folder of their own per size.
        sw = os.path.join(work, "scale%d" % n)
        os.makedirs(os.path.join(sw, "results"), exist_ok=True)
        if not os.path.exists(os.path.join(sw, "venv")):
            os.symlink(os.path.join(work, "venv"), os.path.join(sw, "venv"))
        open(os.path.join(sw, "results", "runs.jsonl"), "w").close()
        def peer(only):
            subprocess.run([sys.executable, os.path.join(a.shared, "bench", "run_peers.py"), "--work", sw,
                            "--runs", "1", "--corpus-dir", C, "--only", only], check=True)
        idx = os.path.join(sw, "idx-kutip")
        kruns = []
        # Each kutip run right after a tantivy-py one: they share the
        # machine's drift (see run_kutip.py).
        for _ in range(a.runs):
            peer("tantivy_index_en_stem")
            shutil.rmtree(idx, ignore_errors=True)
            kruns.append(timed([a.bin, "index", C + "/text", "--index", idx, "--quiet"], sw))
        for _ in range(a.runs):
            peer("tantivy_query_en_stem")
        peers = [json.loads(l) for l in open(os.path.join(sw, "results", "runs.jsonl"))]
        ti = [r for r in peers if r["label"] == "tantivy_index_en_stem"]
        tq = [r for r in peers if r["label"] == "tantivy_query_en_stem" and r.get("tool")]
        env = dict(os.environ, KUTIP_BENCH_INDEX=idx, KUTIP_BENCH_CORPUS=C)
        res = timed(["cargo", "bench", "-q", "--bench", "latency"], a.root, env=env)
        lat = json.loads([l for l in res["stdout"].splitlines() if l.startswith("{")][-1])
        med = statistics.median
        stats = json.load(open(os.path.join(C, "stats.json")))
        row = {
            "passages": n, "text_mb": stats["text_bytes"] / 1e6,
            "kutip_index_s": med(r["wall_s"] for r in kruns), "kutip_rss_mb": med(r["max_rss_mb"] for r in kruns),
            "tantivy_index_s": med(r["wall_s"] for r in ti), "tantivy_rss_mb": med(r["max_rss_mb"] for r in ti),
            "kutip_q": lat["query_top10_cited"], "kutip_q_warm": lat["query_top10_cited_warm"],
            "tantivy_q_fetch_p50_ms": med(r["tool"]["top10_fetch"]["p50_ms"] for r in tq) if tq else None,
            "tantivy_q_fetch_p99_ms": med(r["tool"]["top10_fetch"]["p99_ms"] for r in tq) if tq else None,
            "quote": lat["quote"],
        }
        out.write(json.dumps(row) + "\n")
        out.flush()
        print("scale %d: kutip %.1fs, tantivy-py %.1fs" % (n, row["kutip_index_s"], row["tantivy_index_s"]), flush=True)
        shutil.rmtree(idx, ignore_errors=True)


if __name__ == "__main__":
    main()
