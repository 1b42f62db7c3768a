#!/usr/bin/env python3
"""Check the search synonym table against the law corpus: how often each full form occurs.

Every full form in Sources/YingshangCore/Resources/search-synonyms.txt should occur in real legal text
(default corpus /work/shared/corpus/laws, every *.md but _index.md). Prints, per abbreviation, the count of
occurrences / documents of the abbreviation itself and of each full form, and exits 1 if a full form never occurs.

  scripts/check-search-synonyms.py [--table FILE] [--corpus DIR] [--quiet]

With --filter SOURCE --out FILE it instead writes FILE from a candidate table SOURCE (same format), dropping full
forms that never occur (and the identity full form) and abbreviations left with none; comment lines are kept.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TABLE = REPO / "Sources" / "YingshangCore" / "Resources" / "search-synonyms.txt"
DEFAULT_CORPUS = Path("/work/shared/corpus/laws")


def load_corpus(root: Path) -> list[str]:
    texts = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".md") and name != "_index.md":
                texts.append((Path(dirpath) / name).read_text(encoding="utf-8"))
    return texts


def parse(line: str) -> tuple[str, list[str]] | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    key, _, rest = line.partition("\t")
    return key.strip(), [v.strip() for v in rest.split("|") if v.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--table", type=Path, default=DEFAULT_TABLE)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--filter", type=Path, help="candidate table to filter")
    ap.add_argument("--out", type=Path, help="where --filter writes")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    texts = load_corpus(args.corpus)
    cache: dict[str, tuple[int, int]] = {}

    def occurs(s: str) -> tuple[int, int]:
        if s not in cache:
            cache[s] = (sum(t.count(s) for t in texts), sum(1 for t in texts if s in t))
        return cache[s]

    source = args.filter or args.table
    out_lines: list[str] = []
    missing: list[str] = []
    entries = kept_forms = dropped_forms = dropped_entries = 0
    for raw in source.read_text(encoding="utf-8").splitlines():
        parsed = parse(raw)
        if parsed is None:
            out_lines.append(raw)
            continue
        key, forms = parsed
        present = []
        for form in forms:
            if form == key:
                continue
            n, docs = occurs(form)
            if n:
                present.append((form, n, docs))
            else:
                missing.append(f"{key} → {form}")
        dropped_forms += len([f for f in forms if f != key]) - len(present)
        kn, kd = occurs(key)
        if not args.quiet:
            shown = " | ".join(f"{f} {n}/{d}" for f, n, d in present) or "(none occurs)"
            print(f"{key} [{kn}/{kd}]\t{shown}")
        if present:
            entries += 1
            kept_forms += len(present)
            out_lines.append(key + "\t" + "|".join(f for f, _, _ in present))
        else:
            dropped_entries += 1

    print(
        f"{len(texts)} documents; {entries} abbreviations with {kept_forms} full forms that occur; "
        f"{dropped_forms} full forms and {dropped_entries} abbreviations never occur",
        file=sys.stderr,
    )
    if missing:
        print("never occur: " + "; ".join(missing), file=sys.stderr)
    if args.filter:
        if not args.out:
            sys.exit("--filter needs --out")
        args.out.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
        return 0
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
