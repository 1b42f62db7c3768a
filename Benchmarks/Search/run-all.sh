#!/usr/bin/env bash
# One benchmark run of the platform's search beside both peers, over the full corpus, one engine after another
# on a quiet machine, then the comparison table (Benchmarks/RESULTS.md quotes it).
#
#   bash Benchmarks/Search/run-all.sh [CORPUS]        (default: ../shared/corpus/laws from the repository root)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CORPUS=$(cd "${1:-$ROOT/../shared/corpus/laws}" && pwd)
OUT="$HERE/results"
mkdir -p "$OUT"
cd "$ROOT"
swift build -c release --product yingshang-search-bench
cd "$HERE"
echo "== yingshang"
"$ROOT/.build/release/yingshang-search-bench" --corpus "$CORPUS" --latency queries-latency.json --labelled labelled.json \
    --rounds 5 --out "$OUT/hits-yingshang.jsonl" --summary "$OUT/yingshang.json"
python3 score.py "$OUT/hits-yingshang.jsonl" --out "$OUT/score-yingshang.json" --details "$OUT/details-yingshang.jsonl" >/dev/null
for peer in tantivy fts5; do
    echo "== $peer"
    python3 peers.py --corpus "$CORPUS" --peer "$peer" --out "$OUT/peer-$peer.json" >/dev/null
done
python3 table.py "$OUT"
