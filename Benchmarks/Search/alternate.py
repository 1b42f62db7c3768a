#!/usr/bin/env python3
"""Query latency of the platform's search and tantivy + jieba, measured in alternation.

run-all.sh runs the engines one after another, so a shared machine that slows down in between (runs differ by up to
±50 % here) skews the ratio of one engine to the other. This script times the same latency queries several times,
ours then tantivy's then ours again, and reports each round's ratio (ours / tantivy, per class, p50 and p99) and the
median ratio over the rounds.

    python3 Benchmarks/Search/alternate.py [--rounds 3] [--corpus DIR]

It needs the release bench (`swift build -c release --product yingshang-search-bench`) and the peers' requirements;
tantivy's index is built once, in a temporary folder, and every round opens it afresh in a new process.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLASSES = ("1", "2", "3-4", "multi")


def ours(corpus: str, out: str) -> dict:
    subprocess.run([os.path.join(ROOT, ".build/release/yingshang-search-bench"), "--corpus", corpus,
                    "--latency", os.path.join(HERE, "queries-latency.json"), "--rounds", "5",
                    "--snippet-pass", "0", "--summary", out], check=True, stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)["latency"]


def tantivy(corpus: str, index: str, out: str, build: bool) -> dict:
    subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), "--peer", "tantivy", "--corpus", corpus,
                    "--index-dir", index, "--out", out] + ([] if build else ["--skip-build"]),
                   check=True, stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)["latency"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "laws"))
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    with tempfile.TemporaryDirectory(prefix="search-alternate-") as tmp:
        index = os.path.join(tmp, "tantivy")
        ratios = {(cls, p): [] for cls in CLASSES for p in ("p50_ms", "p99_ms")}
        print("| round | class | ours p50 / p99 (ms) | tantivy p50 / p99 (ms) | ratio p50 / p99 |")
        print("|---|---|---|---|---|")
        for r in range(args.rounds):
            a = ours(corpus, os.path.join(tmp, "ours.json"))
            b = tantivy(corpus, index, os.path.join(tmp, "tantivy.json"), build=(r == 0))
            for cls in CLASSES:
                for p in ("p50_ms", "p99_ms"):
                    ratios[(cls, p)].append(a[cls][p] / b[cls][p])
                print(f"| {r + 1} | {cls} | {a[cls]['p50_ms']:.3f} / {a[cls]['p99_ms']:.3f} | "
                      f"{b[cls]['p50_ms']:.3f} / {b[cls]['p99_ms']:.3f} | "
                      f"{ratios[(cls, 'p50_ms')][-1]:.2f} / {ratios[(cls, 'p99_ms')][-1]:.2f} |", flush=True)
        print("\nmedian ratio ours / tantivy over the rounds (below 1: ours faster)")
        for cls in CLASSES:
            print(f"  {cls:>5}: p50 {statistics.median(ratios[(cls, 'p50_ms')]):.2f}, "
                  f"p99 {statistics.median(ratios[(cls, 'p99_ms')]):.2f}")


if __name__ == "__main__":
    main()
