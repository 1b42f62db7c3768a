"""Prints the comparison table of one run-all.sh run (Markdown) from the files it wrote in results/."""
import json
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results")
ys = json.loads((out / "yingshang.json").read_text())
ys_quality = json.loads((out / "score-yingshang.json").read_text())
peers = {name: json.loads((out / f"peer-{name}.json").read_text()) for name in ("tantivy", "fts5")}
mib = 1024 * 1024


def row(label, ours, tantivy, fts5):
    print(f"| {label} | {ours} | {tantivy} | {fts5} |")


print("| | Yingshang (Swift) | tantivy + jieba | SQLite FTS5 trigram |")
print("|---|---|---|---|")
row("index build (s, corpus parsing excluded)", f"{ys['build_seconds']:.1f}",
    *(f"{p['build']['build_seconds']:.1f}" for p in peers.values()))
row("peak RSS (MiB, whole process; ours over build and all queries, reading each file as it indexes it)",
    f"{ys['peak_rss_bytes'] / mib:.0f}", *(f"{p['build']['build_peak_rss_bytes'] / mib:.0f}" for p in peers.values()))
row("index size (MB; ours in memory, peers on disk)", f"{ys['index_bytes'] / 1e6:.1f}",
    *(f"{p['build']['index_bytes'] / 1e6:.1f}" for p in peers.values()))
row("unit texts kept for snippets (MB, in memory)", f"{ys['text_bytes'] / 1e6:.1f}", "not stored", "in the index")
for cls in ("1", "2", "3-4", "multi"):
    ours = ys["latency"][cls]
    row(f"latency `{cls}` p50 / p99 (ms)", f"{ours['p50_ms']:.3f} / {ours['p99_ms']:.3f}",
        *(f"{p['latency'][cls]['p50_ms']:.3f} / {p['latency'][cls]['p99_ms']:.3f}" for p in peers.values()))
snippets = ys["latency_with_snippets"]
row("ours with the snippets of all 30 hits on the page, p50 / p99 (ms): 1 · 2 · 3-4 · multi",
    " · ".join(f"{snippets[c]['p50_ms']:.3f} / {snippets[c]['p99_ms']:.3f}" for c in ("1", "2", "3-4", "multi")), "—", "—")
q = ys_quality["overall"]
row("recall@10 / MRR (68 labelled queries)", f"**{q['recall@10']:.3f} / {q['mrr']:.3f}**",
    *(f"{p['quality']['overall']['recall@10']:.3f} / {p['quality']['overall']['mrr']:.3f}" for p in peers.values()))
for kind, ours in ys_quality["per_kind"].items():
    row(f"— {kind} ({ours['queries']})", f"{ours['recall@10']:.3f} / {ours['mrr']:.3f}",
        *(f"{p['quality']['per_kind'][kind]['recall@10']:.3f} / {p['quality']['per_kind'][kind]['mrr']:.3f}" for p in peers.values()))
print(f"\nraw corpus text: {ys['raw_bytes'] / 1e6:.1f} MB (3× = {3 * ys['raw_bytes'] / mib:.0f} MiB); "
      f"documents {ys['documents']}, units {ys['units']}")
