#!/usr/bin/env python3
"""Split the law corpus (shared/corpus/laws) into search units.

This module is the reference for the UNIT DEFINITION shared with the Swift
search engine.  Any engine scored by this benchmark must produce the same
(doc, article) keys, otherwise its hits cannot be matched against
labelled.json.

Documents
---------
* Every ``*.md`` file under the corpus root except ``_index.md``.
* ``doc``   = path relative to the corpus root, with ``/`` separators,
              e.g. ``行政法规/优化营商环境条例(2019-10-22).md``.
* ``kind``  = first folder of ``doc`` (行政法规, 地方性法规, 司法解释, ...).
* The file is read as UTF-8 (a BOM is dropped, CRLF becomes LF).  An optional
  YAML front matter block (first line ``---`` up to the next ``---`` line) is
  skipped.
* ``title`` = text after ``# `` on the first line starting with ``# ``
  (fallback: file name without ``.md`` and without a trailing ``(YYYY-MM-DD)``).
* Header = lines between the title line and the first ``<!-- INFO END -->``
  line (date/issuer lines).  Body = everything after that marker.  Without a
  marker the body is everything after the title line and there is no header.

Document number (文号), field ``number``
-------------------------------------
For each header line, every match of ``(令第\\d+号|〔\\d{4}〕\\d+号|\\[\\d{4}\\]\\d+号)``
(``\\d`` = any Unicode digit, so full-width ``第１２５号`` matches) is taken
together with its issuer prefix: the maximal run of CJK characters, ASCII
letters and ``、`` directly before the match (looking back no further than
the end of a previous number on the same line; leading ``、`` dropped).  If that prefix contains ``以``
(``最高人民法院以法发〔1993〕15号``) only the part after the last ``以`` is kept.
Stored variants (deduplicated, in order of appearance):

* prefix + match                        ``中华人民共和国国务院令第722号``
* the same with every ``中华人民共和国`` removed   ``国务院令第722号``
* the NFKC form of each (full-width digits -> ASCII) when it differs.

All numbers of a document (including those of amending decisions named in the
header) are searchable; ``number`` is the list of them.  Every unit of the
document carries them.

Units
-----
A unit is ``(doc, article, title, text)``.  In the body, lines that are empty
or consist only of an HTML comment (``<!-- FORCE BREAK -->``) are dropped;
every other line is one paragraph.

* A paragraph matching ``^第[一二三四五六七八九十百千零〇]+条(之[一二三四五六七八九十]+)?``
  followed by a space, U+3000 or end of line starts an ARTICLE.  Its label
  (``article``) is exactly that matched prefix, e.g. ``第三十六条``,
  ``第一百二十条``, ``第十条之一``.
* A heading is a line starting with 1-6 ``#`` followed by a space.
* An article runs from its label paragraph up to (not including) the next
  article start or heading.  Its text includes its label.
* Documents WITH articles: headings are never part of any unit.  The
  non-heading paragraphs before the first article form the PREAMBLE unit
  (article = null) if there are any.  Non-heading paragraphs that follow a
  heading after the first article but precede the next article (appendix or
  closing text) form one more article-null unit per such run.
* Documents WITHOUT any article (amending decisions, cases, replies): the
  whole body is ONE unit with article = null; heading lines are kept in its
  text with their ``#`` marks removed.  A document whose body is empty still
  yields one unit (text = empty string) so that it can be found by title.
* ``text`` = the unit's paragraphs, each stripped of surrounding whitespace,
  joined with ``\\n``.

The same (doc, article) label can occur more than once in a few documents
(e.g. several instruments bundled in one file); scoring treats every unit with
that key as the same answer.

CLI
---
``python3 corpus_units.py --corpus DIR [--stats] [--dump FILE.jsonl]``
prints counts and a SHA-256 over all (doc, article, text) in order, so another
implementation can check that it splits the corpus identically, and can dump
the units as JSON lines for a line-by-line diff.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, List, Optional

ARTICLE_RE = re.compile(
    r"^(第[一二三四五六七八九十百千零〇]+条(?:之[一二三四五六七八九十]+)?)(?=[ \u3000]|$)"
)
HEADING_RE = re.compile(r"^#{1,6} ")
COMMENT_LINE_RE = re.compile(r"^<!--.*-->$")
INFO_END = "<!-- INFO END -->"
NUMBER_RE = re.compile(r"(令第\d+号|〔\d{4}〕\d+号|\[\d{4}\]\d+号)")
# Issuer prefix: CJK ideographs, ASCII letters and the enumeration comma.
ISSUER_TAIL_RE = re.compile(r"[\u3400-\u9fffA-Za-z、]*$")
DATE_SUFFIX_RE = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")


@dataclass
class Document:
    doc: str                      # path relative to the corpus root
    kind: str                     # first folder name
    title: str
    number: List[str]             # 文号 variants, possibly empty
    header: List[str]             # raw header lines (dates, issuers)


@dataclass
class Unit:
    doc: str
    article: Optional[str]        # "第三十六条" or None
    title: str
    text: str
    number: List[str] = field(default_factory=list)
    kind: str = ""
    ordinal: int = 0              # position of the unit within its document


def extract_numbers(header_lines: List[str]) -> List[str]:
    """Document numbers (with issuer prefix variants) found in header lines."""
    out: List[str] = []

    def add(s: str) -> None:
        for v in (s, unicodedata.normalize("NFKC", s)):
            if v and v not in out:
                out.append(v)

    for line in header_lines:
        prev_end = 0
        for m in NUMBER_RE.finditer(line):
            # Look back no further than the previous number on the same line
            # ("…令第1号、国家体育运动委员会令第2号").
            prefix = ISSUER_TAIL_RE.search(line[prev_end : m.start()]).group(0).lstrip("、")
            prev_end = m.end()
            if "以" in prefix:
                prefix = prefix.rsplit("以", 1)[1]
            full = prefix + m.group(1)
            add(full)
            add(full.replace("中华人民共和国", ""))
    return out


def parse_document(path: str, rel: str) -> tuple[Document, List[Unit]]:
    with open(path, encoding="utf-8") as fh:
        raw = fh.read()
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = raw.split("\n")

    # Optional YAML front matter.
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                lines = lines[i + 1 :]
                break

    # Title: first "# " line.
    title_idx = next((i for i, l in enumerate(lines) if l.startswith("# ")), None)
    if title_idx is None:
        stem = os.path.basename(rel)[: -len(".md")]
        title = DATE_SUFFIX_RE.sub("", stem)
        title_idx = -1
    else:
        title = lines[title_idx][2:].strip()

    # Header / body split.
    try:
        info_idx = next(i for i, l in enumerate(lines) if l.strip() == INFO_END)
    except StopIteration:
        info_idx = None
    if info_idx is not None and info_idx > title_idx:
        header = [l.strip() for l in lines[title_idx + 1 : info_idx] if l.strip()]
        body = lines[info_idx + 1 :]
    else:
        header = []
        body = lines[title_idx + 1 :]

    number = extract_numbers(header)
    kind = rel.split("/", 1)[0]
    document = Document(doc=rel, kind=kind, title=title, number=number, header=header)

    paras = []
    for l in body:
        s = l.strip()
        if not s or COMMENT_LINE_RE.match(s):
            continue
        paras.append(s)

    has_articles = any(ARTICLE_RE.match(p) for p in paras)
    units: List[Unit] = []

    def emit(article: Optional[str], chunk: List[str]) -> None:
        units.append(Unit(doc=rel, article=article, title=title, text="\n".join(chunk),
                          number=number, kind=kind, ordinal=len(units)))

    if not has_articles:
        text = [re.sub(r"^#{1,6} ", "", p) if HEADING_RE.match(p) else p for p in paras]
        emit(None, text)
        return document, units

    current_label: Optional[str] = None   # label of the open article, None = null unit
    chunk: List[str] = []

    def flush() -> None:
        if chunk:
            emit(current_label, list(chunk))
        chunk.clear()

    for p in paras:
        if HEADING_RE.match(p):
            flush()
            current_label = None          # text after a heading is a null unit
            continue
        m = ARTICLE_RE.match(p)
        if m:
            flush()
            current_label = m.group(1)
        chunk.append(p)
    flush()
    return document, units


def iter_documents(root: str, limit: Optional[int] = None) -> Iterator[tuple[Document, List[Unit]]]:
    """Yield (Document, units) for every document, in sorted path order.

    ``limit`` keeps only the first N documents of that order (smoke runs).
    """
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            if fn.endswith(".md") and fn != "_index.md":
                full = os.path.join(dirpath, fn)
                paths.append(os.path.relpath(full, root).replace(os.sep, "/"))
    paths.sort()
    if limit is not None:
        paths = paths[:limit]
    for rel in paths:
        yield parse_document(os.path.join(root, rel), rel)


def iter_units(root: str, limit: Optional[int] = None) -> Iterator[Unit]:
    """Yield every unit of the corpus (each carries title, number and kind)."""
    for _, units in iter_documents(root, limit):
        yield from units


def load_documents(root: str, limit: Optional[int] = None) -> dict:
    """Map doc path -> Document (metadata only)."""
    return {d.doc: d for d, _ in iter_documents(root, limit)}


def corpus_fingerprint(units) -> str:
    """SHA-256 over doc, article and text of all units, in order."""
    h = hashlib.sha256()
    for u in units:
        h.update(u.doc.encode())
        h.update(b"\x1f")
        h.update((u.article or "").encode())
        h.update(b"\x1f")
        h.update(u.text.encode())
        h.update(b"\x1e")
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="/work/shared/corpus/laws")
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--dump", help="write units as JSON lines to this file")
    ap.add_argument("--stats", action="store_true", help="print counts (default)")
    args = ap.parse_args()

    docs, units = [], []
    for d, us in iter_documents(args.corpus, args.limit):
        docs.append(d)
        units.extend(us)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for u in units:
                out.write(json.dumps({"doc": u.doc, "article": u.article, "title": u.title,
                                      "number": u.number, "kind": u.kind, "text": u.text},
                                     ensure_ascii=False) + "\n")
    stats = {
        "documents": len(docs),
        "units": len(units),
        "article_units": sum(1 for u in units if u.article),
        "null_units": sum(1 for u in units if not u.article),
        "documents_without_articles": len({d.doc for d in docs} - {u.doc for u in units if u.article}),
        "documents_with_number": sum(1 for d in docs if d.number),
        "text_chars": sum(len(u.text) for u in units),
        "sha256": corpus_fingerprint(units),
    }
    json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
