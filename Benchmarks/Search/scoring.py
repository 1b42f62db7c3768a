"""Quality metrics for labelled.json, shared by peers.py and score.py.

Every engine (tantivy, FTS5, the Swift engine) is scored by this one
implementation so the figures are comparable.

Definitions (K = 10):

* A hit is ``{"doc": <relative path>, "article": <label or null>}``; only the
  first K hits of a query count.
* A relevant item with ``article: null`` is FOUND if any of the top-K hits is
  from that document (any unit of it).  A relevant item with an article label
  is found only if a top-K hit has exactly that doc and article.
* recall@K of a query = found items / relevant items; the reported recall@K is
  the mean over queries.
* A hit is RELEVANT if it matches at least one relevant item by the rule
  above.  Reciprocal rank = 1 / (1-based rank of the first relevant hit in the
  top K), 0 if none; MRR is its mean over queries.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Dict, List

K = 10


def load_labelled(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    seen = set()
    for q in data:
        if q["query"] in seen:
            raise ValueError(f"duplicate labelled query: {q['query']!r}")
        seen.add(q["query"])
    return data


def _item_matches(item: dict, hit: dict) -> bool:
    if hit.get("doc") != item["doc"]:
        return False
    return item.get("article") is None or hit.get("article") == item["article"]


def score_query(relevant: List[dict], hits: List[dict], k: int = K) -> dict:
    """Recall@k, reciprocal rank and per-item/per-hit flags for one query."""
    top = list(hits)[:k]
    found = [any(_item_matches(item, h) for h in top) for item in relevant]
    hit_relevant = [any(_item_matches(item, h) for item in relevant) for h in top]
    first = next((i for i, r in enumerate(hit_relevant) if r), None)
    return {
        "recall": (sum(found) / len(relevant)) if relevant else 0.0,
        "rr": (1.0 / (first + 1)) if first is not None else 0.0,
        "first_relevant_rank": (first + 1) if first is not None else None,
        "found": found,
        "hit_relevant": hit_relevant,
    }


def score_run(labelled: List[dict], results: Dict[str, List[dict]], k: int = K) -> dict:
    """Score a whole run.

    ``results`` maps query text -> ranked hits.  A labelled query with no entry
    in ``results`` scores 0 and is listed under ``missing``.
    Returns {"overall": {...}, "per_kind": {...}, "details": [...], "missing": [...]}.
    """
    details = []
    missing = []
    for q in labelled:
        hits = results.get(q["query"])
        if hits is None:
            missing.append(q["query"])
            hits = []
        s = score_query(q["relevant"], hits, k)
        details.append({
            "query": q["query"],
            "kind": q["kind"],
            "recall": s["recall"],
            "rr": s["rr"],
            "first_relevant_rank": s["first_relevant_rank"],
            "relevant": [dict(item, found=f) for item, f in zip(q["relevant"], s["found"])],
            "hits": [dict(h, relevant=r) for h, r in zip(hits[:k], s["hit_relevant"])],
        })

    def summarise(rows: List[dict]) -> dict:
        n = len(rows)
        return {
            "queries": n,
            f"recall@{k}": round(sum(r["recall"] for r in rows) / n, 4) if n else None,
            "mrr": round(sum(r["rr"] for r in rows) / n, 4) if n else None,
            "zero_recall": sum(1 for r in rows if r["recall"] == 0),
        }

    kinds: "OrderedDict[str, List[dict]]" = OrderedDict()
    for d in details:
        kinds.setdefault(d["kind"], []).append(d)
    return {
        "overall": summarise(details),
        "per_kind": {kind: summarise(rows) for kind, rows in kinds.items()},
        "details": details,
        "missing": missing,
    }


def read_results_jsonl(path: str) -> Dict[str, List[dict]]:
    """Read ``{"query": ..., "hits": [{"doc":..., "article":...}, ...]}`` lines.

    Extra keys are ignored, so a details file written by peers.py can be
    re-scored too.  A later line for the same query replaces an earlier one.
    """
    out: Dict[str, List[dict]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            if "query" not in row or "hits" not in row:
                raise ValueError(f"{path}:{n}: needs 'query' and 'hits'")
            out[row["query"]] = [{"doc": h.get("doc"), "article": h.get("article")}
                                 for h in row["hits"]]
    return out
