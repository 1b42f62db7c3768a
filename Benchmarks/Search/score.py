#!/usr/bin/env python3
"""Score ranked results for the labelled queries (recall@10 and MRR).

Input: JSON lines ``{"query": "...", "hits": [{"doc": "...", "article": "第三十六条" | null}, ...]}``,
one line per labelled query, hits best first (as written by the Swift
engine's bench tool, or the ``--details`` file of peers.py).

    python3 score.py RESULTS.jsonl [--labelled labelled.json] [--out SUMMARY.json] [--details DETAILS.jsonl]

Prints a JSON summary (overall and per kind).  The metric code is
scoring.py, the same one peers.py uses.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scoring import K, load_labelled, read_results_jsonl, score_run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    ap = argparse.ArgumentParser(description="recall@10 / MRR over labelled.json")
    ap.add_argument("results", help="JSON lines of {query, hits}")
    ap.add_argument("--labelled", default=os.path.join(HERE, "labelled.json"))
    ap.add_argument("--out", help="write the summary JSON here as well")
    ap.add_argument("--details", help="write per-query scoring as JSON lines")
    args = ap.parse_args()

    labelled = load_labelled(args.labelled)
    results = read_results_jsonl(args.results)
    scored = score_run(labelled, results, K)
    known = {q["query"] for q in labelled}
    summary = {
        "results": os.path.abspath(args.results),
        "overall": scored["overall"],
        "per_kind": scored["per_kind"],
        "missing_queries": scored["missing"],
        "unknown_queries": sorted(q for q in results if q not in known),
        "failed_queries": [d["query"] for d in scored["details"] if d["recall"] == 0],
    }
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    if args.details:
        with open(args.details, "w", encoding="utf-8") as fh:
            for d in scored["details"]:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    if scored["missing"]:
        print(f"warning: {len(scored['missing'])} labelled queries have no results (scored 0)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
