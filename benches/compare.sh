#!/usr/bin/env bash
# Benchmarks kutip against its peers in one run, on one corpus, and writes
# BENCHMARKS.md. Every figure is a median of 3 runs; ratios compare kutip with
# the peer doing the same job in the same run.
#   benches/compare.sh [N_PASSAGES]        (default 200000)
# It also measures the scale curve at KUTIP_BENCH_SCALES (default 20000,1000000).
set -euo pipefail
N=${1:-200000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${KUTIP_SHARED:-$ROOT/../shared}
WORK=$ROOT/target/peer-bench
C=$WORK/corpus$((N / 1000))k
RUNS=${KUTIP_BENCH_RUNS:-3}

bash "$SHARED/bench/setup_peers.sh" "$WORK" "$N"
# Real text: Debian's Indonesian and English documentation, indexed as found.
if ! dpkg -s debian-reference-id debian-reference-en >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debian-reference-id debian-reference-en >/dev/null
fi
(cd "$ROOT" && cargo build --release --benches -q)

rm -f "$WORK/results/runs.jsonl"
python3 "$SHARED/bench/run_peers.py" --work "$WORK" --runs "$RUNS" --corpus-dir "$C"
python3 "$ROOT/benches/run_kutip.py" --work "$WORK" --corpus-dir "$C" --runs "$RUNS" \
  --bin "$ROOT/target/release/kutip" --root "$ROOT" --real /usr/share/debian-reference --shared "$SHARED"
# The scale curve: the same index and query measurements at other sizes
# (KUTIP_BENCH_SCALES="" skips it).
SCALES=${KUTIP_BENCH_SCALES-20000,1000000}
rm -f "$WORK/results/scale.jsonl"
if [ -n "$SCALES" ]; then
  python3 "$ROOT/benches/scale.py" --work "$WORK" --shared "$SHARED" --root "$ROOT" \
    --bin "$ROOT/target/release/kutip" --sizes "$SCALES" --runs "$RUNS"
fi
python3 "$ROOT/benches/report.py" --work "$WORK" --corpus-dir "$C" --shared "$SHARED" > "$ROOT/BENCHMARKS.md"
echo "wrote $ROOT/BENCHMARKS.md"
