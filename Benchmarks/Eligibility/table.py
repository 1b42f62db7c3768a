#!/usr/bin/env python3
"""The comparison table of one run-all.sh run: times, ratios and whether every engine found the same result sets."""
import json
import os
import sys

directory = sys.argv[1]
engines = [e for e in ["yingshang", "numpy", "numpy-cache", "sqlite"] if os.path.exists(os.path.join(directory, e + ".json"))]
runs = {e: json.load(open(os.path.join(directory, e + ".json"))) for e in engines}
ours = runs["yingshang"]
labels = {"yingshang": "yingshang (Swift, columnar bitsets)", "numpy": "numpy, rule by rule (OpenFisca style)",
          "numpy-cache": "numpy, shared conditions cached", "sqlite": "SQLite, one indexed SELECT per rule"}
print(f'{ours["enterprises"]:,} enterprises × {ours["rules"]} rules ({ours["distinct_conditions"]} distinct conditions)\n')
print("| engine | full match (median) | yingshang is faster by | eligible sets identical | unknown counts identical |")
print("|---|---:|---:|---|---|")
for e in engines:
    run = runs[e]
    same = [a["eligible"] == b["eligible"] and a["hash"] == b["hash"] for a, b in zip(ours["per_rule"], run["per_rule"])]
    unknown = [a["unknown"] == b["unknown"] for a, b in zip(ours["per_rule"], run["per_rule"])]
    ratio = run["full_match_ms_median"] / ours["full_match_ms_median"]
    print(f'| {labels[e]} | {run["full_match_ms_median"]:,.0f} ms | {ratio:,.1f}× | '
          f'{"yes" if all(same) else f"NO ({same.count(False)} differ)"} ({sum(r["eligible"] for r in run["per_rule"]):,} rows in all) | '
          f'{"yes" if all(unknown) else f"NO ({unknown.count(False)} differ)"} |')
print()
print(f'yingshang on one thread: {ours["full_match_single_thread_ms_median"]:,.0f} ms; '
      f'single-enterprise rematch against all rules: median {ours["rematch_us_median"]:.1f} µs, p99 {ours["rematch_us_p99"]:.1f} µs; '
      f'matcher memory {ours["matcher_bytes_per_enterprise"]:.0f} bytes per enterprise '
      f'(columns {ours["columns_bytes_per_enterprise"]:.0f}, results {ours["results_bytes_per_enterprise"]:.1f}, ids 16).')
