#!/usr/bin/env python3
"""Build and query two reference search engines ("peers") over the law corpus.

    python3 peers.py --corpus /work/shared/corpus/laws --peer tantivy|fts5 \
        [--index-dir DIR] [--out FILE] [--details FILE] [--passes N] [--boosts T,N,B]
        [--smoke] [--skip-build]

Both peers index the same units (corpus_units.iter_units): one engine
document per unit with fields title, number (文号) and body (unit text), and
return (doc, article) of the top 10 units.

tantivy
    Text of every field is segmented with jieba (``jieba.cut_for_search`` at
    index time, ``jieba.cut`` at query time), joined with spaces and indexed
    with tantivy's ``default`` tokenizer (splits on non-alphanumerics, so the
    jieba tokens survive and punctuation is dropped).  Queries go through
    tantivy's query parser over title, number and body with field boosts
    title=10, number=10, body=1 (``--boosts``), each jieba token quoted and
    OR-combined (BM25 ranks units that contain more of them first); the
    tokens of a quoted phrase ("..." or “...”) are all required (+), an
    approximation of a phrase query because the overlapping cut_for_search
    tokens make positions unreliable.  The writer uses one thread (the
    benchmark machine has 2 cores).

fts5
    SQLite FTS5 table with ``tokenize='trigram'``, columns title, number,
    body (+ UNINDEXED doc, article), ranked with ``bm25(units, 10, 10, 1)``
    (``--boosts``).  A query is split on whitespace into terms (a quoted
    phrase is one term); terms of 3+ characters are quoted and AND-ed in the
    MATCH expression (a quoted trigram string is a substring match).  FTS5's trigram tokenizer
    cannot match a string shorter than 3 characters (it has no trigram), so
    shorter terms fall back to ``(title LIKE '%t%' OR number LIKE '%t%' OR
    body LIKE '%t%')`` filters AND-ed to the MATCH.  A query made only of
    short terms is LIKE-only: it has no bm25, so it is ordered by "term in
    title", then "term in number", then unit order.  (LIKE with a pattern
    under 3 characters is a full scan of the table.)

Measurements (one JSON object per peer):
* build phase, in a fresh subprocess: corpus parse seconds, index build wall
  seconds (segmentation included, parse excluded), peak RSS of that process
  (ru_maxrss), RSS after parsing (for context), index size on disk.
* query phase, in another fresh subprocess that opens the index from disk:
  latency p50/p99 (ms) per class of queries-latency.json, top 10, one
  warm-up pass then ``--passes`` measured passes; each timing covers query
  segmentation/parsing, the search, and reading doc/article of the hits.
  Quality over labelled.json (recall@10, MRR, overall and per kind) with
  scoring.py, and a per-query details file (JSON lines; it can be re-scored
  with score.py).

``--smoke`` indexes only the first 50 documents and runs one pass: a check
that everything works, in seconds.  Its quality figures mean nothing.
``--skip-build`` reruns only the query phase on an index kept with
``--index-dir`` (e.g. to try other ``--boosts``; bm25 weights and tantivy
boosts are query-time settings, so the index does not change).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from corpus_units import iter_units  # noqa: E402
from scoring import K, load_labelled, score_run  # noqa: E402

SMOKE_DOCS = 50
INDEX_MARKER = ".peers-index"   # marks a directory peers.py may wipe and rebuild
# Field weights (title, number, body) for both peers: tantivy field boosts and
# FTS5 bm25() column weights.  Overridable with --boosts.
TITLE_BOOST = 10.0
NUMBER_BOOST = 10.0
BODY_BOOST = 1.0


def set_boosts(spec: str) -> None:
    global TITLE_BOOST, NUMBER_BOOST, BODY_BOOST
    TITLE_BOOST, NUMBER_BOOST, BODY_BOOST = (float(x) for x in spec.split(","))


# --------------------------------------------------------------------------
# Process measurements
# --------------------------------------------------------------------------

def peak_rss_bytes() -> int:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss_bytes() -> Optional[int]:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def dir_size(path: str) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            if f == INDEX_MARKER:
                continue
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


# --------------------------------------------------------------------------
# Query syntax shared by both peers
# --------------------------------------------------------------------------

QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d"}   # "..." and “...”


def split_query(q: str) -> List[tuple]:
    """Split a query into (term, quoted) pairs.

    Whitespace separates terms; text inside "..." or “...” is one quoted term
    (a phrase, inner spaces kept).  An unclosed quote runs to the end.
    """
    terms, i, n = [], 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTE_PAIRS:
            j = q.find(QUOTE_PAIRS[ch], i + 1)
            j = n if j < 0 else j
            phrase = q[i + 1 : j].strip()
            if phrase:
                terms.append((phrase, True))
            i = j + 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in QUOTE_PAIRS:
                j += 1
            terms.append((q[i:j], False))
            i = j
    return terms


# --------------------------------------------------------------------------
# tantivy peer
# --------------------------------------------------------------------------

class TantivyPeer:
    name = "tantivy"

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        import jieba
        import logging
        jieba.setLogLevel(logging.WARNING)
        self.jieba = jieba

    @staticmethod
    def _schema():
        import tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("title", stored=False, tokenizer_name="default")
        sb.add_text_field("number", stored=False, tokenizer_name="default")
        sb.add_text_field("body", stored=False, tokenizer_name="default")
        # Returned with each hit; raw tokenizer, doc ids only.
        sb.add_text_field("doc", stored=True, tokenizer_name="raw", index_option="basic")
        sb.add_text_field("article", stored=True, tokenizer_name="raw", index_option="basic")
        return sb.build()

    def _seg_index(self, text: str) -> str:
        return " ".join(t for t in self.jieba.cut_for_search(text) if not t.isspace())

    def build(self, units) -> dict:
        import tantivy
        t0 = time.perf_counter()
        self.jieba.initialize()
        t_init = time.perf_counter() - t0
        index = tantivy.Index(self._schema(), path=self.index_dir)
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        seg_cache: Dict[str, str] = {}   # title/number repeat for every unit of a doc
        n = 0
        for u in units:
            key = u.doc
            if key not in seg_cache:
                seg_cache.clear()
                seg_cache[key] = (self._seg_index(u.title), self._seg_index(" ".join(u.number)))
            title, number = seg_cache[key]
            writer.add_document(tantivy.Document(
                title=title, number=number, body=self._seg_index(u.text),
                doc=u.doc, article=u.article or ""))
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        return {"indexed_units": n, "segmenter_init_seconds": round(t_init, 3)}

    def open(self) -> None:
        import tantivy
        self.jieba.initialize()
        self.index = tantivy.Index.open(self.index_dir)
        self.index.reload()
        self.searcher = self.index.searcher()

    def _tokens(self, text: str) -> List[str]:
        toks = []
        for t in self.jieba.cut(text):
            t = t.replace('"', "").replace("\\", "").strip()
            # Tokens without any letter/digit would be dropped by the
            # tokenizer anyway (punctuation); an empty phrase is an error.
            if t and any(ch.isalnum() for ch in t):
                toks.append(t)
        return toks

    def query_string(self, q: str) -> str:
        """Tantivy query text: every jieba token quoted; the tokens of an
        unquoted term are OR-ed, the tokens of a quoted phrase are all
        required (``+``) - an approximation of a phrase, because the
        overlapping cut_for_search tokens make index positions unreliable."""
        parts = []
        for term, quoted in split_query(q):
            for t in self._tokens(term):
                parts.append(f'+"{t}"' if quoted else f'"{t}"')
        return " ".join(parts)

    def search(self, q: str, k: int = K) -> List[dict]:
        qs = self.query_string(q)
        if not qs:
            return []
        query = self.index.parse_query(
            qs, ["title", "number", "body"],
            field_boosts={"title": TITLE_BOOST, "number": NUMBER_BOOST, "body": BODY_BOOST})
        out = []
        for _score, addr in self.searcher.search(query, k).hits:
            d = self.searcher.doc(addr)
            art = d["article"][0] if d["article"] else ""
            out.append({"doc": d["doc"][0], "article": art or None})
        return out

    def versions(self) -> dict:
        import tantivy
        return {"tantivy": getattr(tantivy, "__version__", "?"),
                "jieba": getattr(self.jieba, "__version__", "?")}


# --------------------------------------------------------------------------
# SQLite FTS5 trigram peer
# --------------------------------------------------------------------------

def _sqlite():
    """sqlite3 module with FTS5 trigram support (3.34+), else pysqlite3."""
    import sqlite3
    if sqlite3.sqlite_version_info >= (3, 34, 0):
        return sqlite3
    try:
        import pysqlite3.dbapi2 as sq  # pip install pysqlite3-binary
        return sq
    except ImportError:
        sys.exit(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer; "
                 "pip install pysqlite3-binary")


def _like_escape(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Fts5Peer:
    name = "fts5"
    MIN_TRIGRAM = 3   # FTS5 trigram cannot match shorter strings

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self.path = os.path.join(index_dir, "units.sqlite")
        self.sq = _sqlite()

    def build(self, units) -> dict:
        con = self.sq.connect(self.path)
        con.execute("CREATE VIRTUAL TABLE units USING fts5("
                    "title, number, body, doc UNINDEXED, article UNINDEXED, "
                    "tokenize='trigram')")
        n = 0

        def rows():
            nonlocal n
            for u in units:
                n += 1
                yield (u.title, " ".join(u.number), u.text, u.doc, u.article)

        with con:
            con.executemany("INSERT INTO units(title, number, body, doc, article) "
                            "VALUES (?, ?, ?, ?, ?)", rows())
        with con:
            con.execute("INSERT INTO units(units) VALUES ('optimize')")
        con.close()
        return {"indexed_units": n}

    def open(self) -> None:
        self.con = self.sq.connect(self.path)

    def plan(self, q: str):
        """(sql, params) for a query; see the module docstring."""
        terms = [t for t, _quoted in split_query(q)]
        long_terms = [t for t in terms if len(t) >= self.MIN_TRIGRAM]
        short_terms = [t for t in terms if len(t) < self.MIN_TRIGRAM]
        like = "(title LIKE ? ESCAPE '\\' OR number LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')"
        where, params = [], []
        if long_terms:
            where.append("units MATCH ?")
            params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for t in short_terms:
            where.append(like)
            params += [_like_escape(t)] * 3
        if long_terms:
            order = f"bm25(units, {TITLE_BOOST}, {NUMBER_BOOST}, {BODY_BOOST})"
        else:
            # No bm25 without MATCH: title matches first, then number, then unit order.
            p = [_like_escape(t) for t in short_terms]
            order = ("(" + " AND ".join(["title LIKE ? ESCAPE '\\'"] * len(p)) + ") DESC, "
                     "(" + " AND ".join(["number LIKE ? ESCAPE '\\'"] * len(p)) + ") DESC, rowid")
            params += p + p
        sql = (f"SELECT doc, article FROM units WHERE {' AND '.join(where)} "
               f"ORDER BY {order} LIMIT ?")
        return sql, params

    def search(self, q: str, k: int = K) -> List[dict]:
        if not split_query(q):
            return []
        sql, params = self.plan(q)
        rows = self.con.execute(sql, params + [k]).fetchall()
        return [{"doc": d, "article": a} for d, a in rows]

    def versions(self) -> dict:
        return {"sqlite": self.sq.sqlite_version}


PEERS = {"tantivy": TantivyPeer, "fts5": Fts5Peer}


# --------------------------------------------------------------------------
# Phases (each runs in its own subprocess)
# --------------------------------------------------------------------------

def phase_build(args) -> dict:
    limit = SMOKE_DOCS if args.smoke else None
    t0 = time.perf_counter()
    units = list(iter_units(args.corpus, limit))
    parse_s = time.perf_counter() - t0
    rss_after_parse = current_rss_bytes()

    # The index directory is wiped first; refuse to wipe a directory this
    # script did not create (marker file), so a wrong --index-dir is harmless.
    if os.path.isdir(args.index_dir) and os.listdir(args.index_dir):
        if not os.path.exists(os.path.join(args.index_dir, INDEX_MARKER)):
            sys.exit(f"{args.index_dir} is not empty and not a peers.py index; refusing to delete it")
        shutil.rmtree(args.index_dir)
    os.makedirs(args.index_dir, exist_ok=True)
    with open(os.path.join(args.index_dir, INDEX_MARKER), "w") as fh:
        fh.write(f"{args.peer} index written by peers.py\n")
    peer = PEERS[args.peer](args.index_dir)
    t1 = time.perf_counter()
    info = peer.build(units)
    build_s = time.perf_counter() - t1
    return dict(info,
                documents=len({u.doc for u in units}),
                units=len(units),
                corpus_parse_seconds=round(parse_s, 3),
                build_seconds=round(build_s, 3),
                rss_after_parse_bytes=rss_after_parse,
                build_peak_rss_bytes=peak_rss_bytes(),
                index_bytes=dir_size(args.index_dir))


def percentile(sorted_vals: List[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of an ascending list."""
    if not sorted_vals:
        return float("nan")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_vals)))
    return sorted_vals[rank - 1]


def write_per_query(path: str, queries: List[dict], samples: List[List[float]]) -> None:
    """One JSON line per latency query: its class and median time over the passes."""
    with open(path, "w", encoding="utf-8") as fh:
        for q, vals in zip(queries, samples):
            fh.write(json.dumps({"query": q["query"], "class": q["class"],
                                 "median_ms": round(percentile(sorted(vals), 50), 4)}, ensure_ascii=False) + "\n")


def phase_query(args) -> dict:
    peer = PEERS[args.peer](args.index_dir)
    t0 = time.perf_counter()
    peer.open()
    open_s = time.perf_counter() - t0

    with open(args.latency_queries, encoding="utf-8") as fh:
        latency_queries = json.load(fh)
    labelled = load_labelled(args.labelled)

    # Warm-up: every query once (latency and labelled).
    for q in latency_queries:
        peer.search(q["query"])
    for q in labelled:
        peer.search(q["query"])

    passes = 1 if args.smoke else args.passes
    samples: Dict[str, List[float]] = {}
    per_query: List[List[float]] = [[] for _ in latency_queries]
    empty: Dict[str, int] = {}
    for pass_no in range(passes):
        for i, q in enumerate(latency_queries):
            t = time.perf_counter()
            hits = peer.search(q["query"])
            dt = (time.perf_counter() - t) * 1000.0
            samples.setdefault(q["class"], []).append(dt)
            per_query[i].append(dt)
            if pass_no == 0 and not hits:
                empty[q["class"]] = empty.get(q["class"], 0) + 1
    latency = {}
    all_ms: List[float] = []
    for cls, vals in samples.items():
        vals.sort()
        all_ms += vals
        latency[cls] = {"queries": len(vals) // passes, "samples": len(vals),
                        "p50_ms": round(percentile(vals, 50), 3),
                        "p99_ms": round(percentile(vals, 99), 3),
                        "mean_ms": round(sum(vals) / len(vals), 3),
                        "no_hits": empty.get(cls, 0)}
    all_ms.sort()
    if args.per_query:
        write_per_query(args.per_query, latency_queries, per_query)
    latency["all"] = {"samples": len(all_ms), "p50_ms": round(percentile(all_ms, 50), 3),
                      "p99_ms": round(percentile(all_ms, 99), 3)}

    results = {q["query"]: peer.search(q["query"]) for q in labelled}
    scored = score_run(labelled, results, K)
    if args.details:
        with open(args.details, "w", encoding="utf-8") as fh:
            for d in scored["details"]:
                fh.write(json.dumps(dict(d, peer=args.peer), ensure_ascii=False) + "\n")

    return {"open_seconds": round(open_s, 3),
            "latency_passes": passes,
            "latency": latency,
            "quality": {"overall": scored["overall"], "per_kind": scored["per_kind"],
                        "failed_queries": [d["query"] for d in scored["details"]
                                           if d["recall"] == 0]},
            "query_peak_rss_bytes": peak_rss_bytes(),
            "versions": peer.versions()}


# --------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------

def run_child(args, phase: str) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--phase", phase,
           "--peer", args.peer, "--corpus", args.corpus, "--index-dir", args.index_dir,
           "--latency-queries", args.latency_queries, "--labelled", args.labelled,
           "--passes", str(args.passes), "--boosts", args.boosts]
    if args.details:
        cmd += ["--details", args.details]
    if args.per_query:
        cmd += ["--per-query", args.per_query]
    if args.smoke:
        cmd.append("--smoke")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{phase} phase of {args.peer} failed (exit {proc.returncode})")
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description="tantivy / SQLite FTS5 peers for the search benchmark")
    ap.add_argument("--corpus", default="/work/shared/corpus/laws")
    ap.add_argument("--peer", required=True, choices=sorted(PEERS))
    ap.add_argument("--index-dir", help="index location (default: a fresh temp dir, removed after)")
    ap.add_argument("--out", help="write the result JSON here (default: stdout)")
    ap.add_argument("--details", help="per-query quality details, JSON lines "
                    "(default: details-PEER.jsonl next to --out, else none)")
    ap.add_argument("--latency-queries", default=os.path.join(HERE, "queries-latency.json"))
    ap.add_argument("--labelled", default=os.path.join(HERE, "labelled.json"))
    ap.add_argument("--per-query", help="write each latency query's median time here, JSON lines")
    ap.add_argument("--passes", type=int, default=5, help="measured latency passes (default 5)")
    ap.add_argument("--boosts", default="10,10,1",
                    help="field weights TITLE,NUMBER,BODY for both peers (default 10,10,1)")
    ap.add_argument("--smoke", action="store_true", help=f"first {SMOKE_DOCS} documents, 1 pass")
    ap.add_argument("--skip-build", action="store_true",
                    help="reuse the index already in --index-dir (query phase only)")
    ap.add_argument("--phase", choices=["build", "query"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    set_boosts(args.boosts)

    if args.phase:
        res = phase_build(args) if args.phase == "build" else phase_query(args)
        json.dump(res, sys.stdout, ensure_ascii=False)
        return

    tmp = None
    if args.skip_build and not (args.index_dir and os.path.isdir(args.index_dir)):
        sys.exit("--skip-build needs an existing --index-dir")
    if not args.index_dir:
        tmp = tempfile.mkdtemp(prefix=f"search-peer-{args.peer}-")
        args.index_dir = os.path.join(tmp, "index")
    args.index_dir = os.path.abspath(args.index_dir)
    if not args.details and args.out:
        args.details = os.path.join(os.path.dirname(os.path.abspath(args.out)),
                                    f"details-{args.peer}.jsonl")
    try:
        load_before = os.getloadavg()
        t0 = time.time()
        build = None if args.skip_build else run_child(args, "build")
        query = run_child(args, "query")
        result = {
            "peer": args.peer,
            "smoke": args.smoke,
            "boosts": {"title": TITLE_BOOST, "number": NUMBER_BOOST, "body": BODY_BOOST},
            "corpus": os.path.abspath(args.corpus),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t0)),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(),
                        "loadavg_before": [round(x, 2) for x in load_before],
                        "loadavg_after": [round(x, 2) for x in os.getloadavg()]},
            "build": build,
            **query,
            "details_file": os.path.abspath(args.details) if args.details else None,
        }
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
