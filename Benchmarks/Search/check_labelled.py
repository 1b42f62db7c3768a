#!/usr/bin/env python3
"""Validate labelled.json against the corpus (via corpus_units).

    python3 check_labelled.py [--corpus /work/shared/corpus/laws] [--labelled labelled.json]

Checks: JSON shape, allowed kinds, unique queries, every relevant ``doc`` is a
document of the corpus, every relevant ``article`` is a unit label of that
document, no duplicate relevant items, and (informational) per-kind counts.
For docnumber queries it also reports whether the number is in the
document's ``number`` field.  Exit status 1 on any error.
"""

import argparse
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus_units import iter_documents  # noqa: E402

KINDS = {"topic", "abbreviation", "docnumber", "article", "misspelled", "phrase"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="/work/shared/corpus/laws")
    ap.add_argument("--labelled", default=os.path.join(HERE, "labelled.json"))
    args = ap.parse_args()

    docs, labels = {}, {}
    for d, units in iter_documents(args.corpus):
        docs[d.doc] = d
        labels[d.doc] = {u.article for u in units if u.article}

    with open(args.labelled, encoding="utf-8") as fh:
        data = json.load(fh)

    errors, notes = [], []
    seen = set()
    for i, q in enumerate(data):
        where = f"#{i} {q.get('query')!r}"
        if set(q) - {"query", "kind", "relevant", "note"} or not {"query", "kind", "relevant"} <= set(q):
            errors.append(f"{where}: keys must be query, kind, relevant, note")
            continue
        if not isinstance(q["query"], str) or not q["query"].strip():
            errors.append(f"{where}: empty query")
        if q["query"] in seen:
            errors.append(f"{where}: duplicate query")
        seen.add(q["query"])
        if q["kind"] not in KINDS:
            errors.append(f"{where}: unknown kind {q['kind']!r}")
        if not q["relevant"]:
            errors.append(f"{where}: no relevant items")
        items = set()
        for item in q["relevant"]:
            key = (item.get("doc"), item.get("article"))
            if set(item) != {"doc", "article"}:
                errors.append(f"{where}: relevant item needs exactly doc and article: {item}")
            if key in items:
                errors.append(f"{where}: duplicate relevant item {item}")
            items.add(key)
            if item.get("doc") not in docs:
                errors.append(f"{where}: no such document {item.get('doc')!r}")
                continue
            art = item.get("article")
            if art is not None and art not in labels[item["doc"]]:
                errors.append(f"{where}: {item['doc']} has no {art}")
        # An item naming the whole document and an article of it is redundant.
        whole = {d for d, a in items if a is None}
        for d, a in items:
            if a is not None and d in whole:
                errors.append(f"{where}: {d} listed both whole and {a}")
        if q["kind"] == "docnumber":
            hits = [d for d, _ in items if d in docs and q["query"] in docs[d].number]
            notes.append(f"docnumber {q['query']}: number field matches {len(hits)}/{len(items)} relevant docs")
        if len(items) > 10:
            notes.append(f"{q['query']}: {len(items)} relevant items, recall@10 is at most {10/len(items):.3f}")

    counts = Counter(q.get("kind") for q in data)
    print(f"{len(data)} queries: {dict(counts)}")
    print(f"{sum(len(q.get('relevant', [])) for q in data)} relevant items")
    for n in notes:
        print("note:", n)
    for e in errors:
        print("ERROR:", e)
    if errors:
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
