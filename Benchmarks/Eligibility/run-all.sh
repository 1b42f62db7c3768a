#!/usr/bin/env bash
# One benchmark run of the bulk matcher beside its two peers on the same synthetic data, one engine after another,
# then the comparison table (Benchmarks/RESULTS.md quotes it).
#
#   bash Benchmarks/Eligibility/run-all.sh [ENTERPRISES] [RULES]      (default 1000000 × 500)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-1000000}
RULES=${2:-500}
DATA="$HERE/data"
mkdir -p "$DATA"
cd "$ROOT"
swift build -c release --product yingshang-eligibility-bench
echo "== yingshang"
"$ROOT/.build/release/yingshang-eligibility-bench" --enterprises "$N" --rules "$RULES" --rounds 7 --rematches 2000 --out "$DATA"
cd "$HERE"
for peer in numpy numpy-cache; do
    echo "== $peer"
    python3 peers.py "$DATA" --peer "$peer" --rounds 5
done
echo "== sqlite"
python3 peers.py "$DATA" --peer sqlite --rounds 1
python3 table.py "$DATA"
