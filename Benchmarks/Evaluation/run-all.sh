#!/usr/bin/env bash
# One benchmark run of the evaluation: the scoring engine beside its two peers on the same data (one after
# another), then the dashboards of a release server holding that data. Benchmarks/RESULTS.md quotes the output.
#
#   bash Benchmarks/Evaluation/run-all.sh [PLACES] [QUARTERS]      (default 200 × 20; 300 indicators)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PLACES=${1:-200}
QUARTERS=${2:-20}
DATA="$HERE/data"
mkdir -p "$DATA"
cd "$ROOT"
swift build -c release --product yingshang-evaluation-bench
swift build -c release --product yingshang
echo "== yingshang engine"
"$ROOT/.build/release/yingshang-evaluation-bench" engine --places "$PLACES" --quarters "$QUARTERS" --rounds 15 --out "$DATA/engine"
echo "== numpy"
python3 "$HERE/peers.py" "$DATA/engine" --peer numpy --rounds 7
echo "== sqlite"
python3 "$HERE/peers.py" "$DATA/engine" --peer sqlite --rounds 3
echo "== dashboards"
"$ROOT/.build/release/yingshang-evaluation-bench" dashboards --places "$PLACES" --quarters "$QUARTERS" --requests 200 \
    --server "$ROOT/.build/release/yingshang" --data "$DATA/server"
