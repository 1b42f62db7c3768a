#!/usr/bin/env python3
"""Generate queries-latency.json: a fixed, seeded set of latency queries.

    python3 make_latency_queries.py [--corpus /work/shared/corpus/laws] [--out queries-latency.json]

Classes (PER_CLASS queries each, all drawn from the corpus itself):

* ``1``     one CJK character frequent in document titles (税, 药, 船 ...),
            function characters and generic law words (的, 条, 例 ...) excluded;
* ``2``     two-character nouns/verbs (jieba.posseg) frequent in titles and
            article text (审批, 备案 ...);
* ``3-4``   3-4 character terms: half single jieba words (行政许可), half two
            adjacent 2-character words that often occur together (营商环境,
            政务服务);
* ``multi`` 2 or 3 space-separated nouns (2-4 characters) taken from one real article
            (``行政许可 期限``), so every such query has at least one unit
            containing all its terms.

The output depends only on the corpus, the jieba dictionary and SEED; it is
committed, so every engine is timed on the same list.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus_units import iter_units  # noqa: E402

SEED = 20240601
PER_CLASS = 50
SAMPLE_UNITS = 6000           # article units segmented for word statistics
CJK = re.compile(r"^[\u4e00-\u9fff]+$")

# Characters too generic to be a realistic one-character query.
STOP_CHARS = set("的之与和及或于对在为以其中有不是者等各本条例法规定办则实施细暂行"
                 "关若干问题意见通知决国华人民共和省市区县自治州盟旗第次届会号"
                 "一二三四五六七八九十百千年月日修正订改废止试"
                 "可最时间告经由被所将向从到把也都而但如按依应能此并该每已即还再使得")
NUMERALS = set("零〇一二三四五六七八九十百千万两")
# Part-of-speech tags (jieba.posseg) kept as content words: nouns, verbal nouns, verbs.
CONTENT_POS = ("n", "vn", "v")
# Two-character words too generic (grammar of legal text) to be queries.
STOP_WORDS = set("""应当 可以 规定 以下 以上 本条 本法 本条例 本规定 本办法 有关 依照 按照 根据 其他 进行
或者 并且 以及 不得 予以 之日起 之日 没有 未经 属于 对于 由于 因此 但是 如果 可能 需要 通过 具有 相应
上述 前款 第一款 第二款 第三款 规定的 所称 是指 包括 下列 一般 同时 相关 负责 组织 工作 情况 有权 其中
人民 中华 共和国 中华人民共和国 依法 条例 办法 法规 规则 细则 以外 之间 之后 之前 以前 以后 其中 该项 此类 一定 各级 部门 单位 方面""".split())


def load_jieba():
    import jieba
    import jieba.posseg
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def is_content(word: str, flag: str) -> bool:
    """A CJK noun/verb that is not grammar, a numeral or a 本/第/该 reference."""
    return (bool(CJK.match(word)) and word not in STOP_WORDS
            and flag.startswith(CONTENT_POS)
            and not any(ch in NUMERALS for ch in word)
            and word[0] not in "本第该各此其")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="/work/shared/corpus/laws")
    ap.add_argument("--out", default=os.path.join(HERE, "queries-latency.json"))
    args = ap.parse_args()

    jieba = load_jieba()
    rng = random.Random(SEED)

    units = list(iter_units(args.corpus))
    titles = sorted({u.title for u in units if u.kind != "案例"})
    article_units = [u for u in units if u.article]
    sample = rng.sample(article_units, min(SAMPLE_UNITS, len(article_units)))

    # ---- statistics -------------------------------------------------------
    title_chars = Counter(ch for t in titles for ch in t if CJK.match(ch))
    word_df: Counter = Counter()        # in how many segments (titles + sampled units) a word occurs
    pair_df: Counter = Counter()        # adjacent 2+2 character word pairs
    unit_words = []                     # content words per sampled unit (for multi-term)
    for text in titles + [u.text for u in sample]:
        words = [(p.word, p.flag) for p in jieba.posseg.cut(text)]
        seen_w, seen_p = set(), set()
        for i, (w, f) in enumerate(words):
            if is_content(w, f):
                seen_w.add(w)
                if len(w) == 2 and i + 1 < len(words):
                    n, nf = words[i + 1]
                    if len(n) == 2 and is_content(n, nf):
                        seen_p.add(w + n)
        word_df.update(seen_w)
        pair_df.update(seen_p)
        # Multi-term queries use nouns and verbal nouns only.
        unit_words.append(sorted({w for w, f in words if is_content(w, f) and f.startswith(("n", "vn"))}))
    unit_words = unit_words[len(titles):]

    used = set()

    def pick(cands, n):
        cands = [c for c in cands if c not in used]
        chosen = rng.sample(cands, n)
        used.update(chosen)
        return chosen

    # ---- class 1 ----------------------------------------------------------
    c1 = [ch for ch, _ in title_chars.most_common() if ch not in STOP_CHARS][:400]
    q1 = pick(sorted(c1), PER_CLASS)

    # ---- class 2 ----------------------------------------------------------
    c2 = sorted(w for w, df in word_df.items() if len(w) == 2 and df >= 20)
    q2 = pick(c2, PER_CLASS)

    # ---- class 3-4 ----------------------------------------------------------
    c34_words = sorted(w for w, df in word_df.items() if 3 <= len(w) <= 4 and df >= 5)
    c34_pairs = sorted(p for p, df in pair_df.items() if df >= 10 and p not in word_df)
    q34 = pick(c34_words, PER_CLASS // 2) + pick(c34_pairs, PER_CLASS - PER_CLASS // 2)

    # ---- multi ---------------------------------------------------------------
    common = {w for w, df in word_df.items() if 2 <= len(w) <= 4 and df >= 5}
    qm = []
    order = list(range(len(unit_words)))
    rng.shuffle(order)
    for i in order:
        ws = [w for w in unit_words[i] if w in common]
        n_terms = 2 if len(qm) % 5 < 3 else 3      # 60 % two terms, 40 % three
        if len(ws) < n_terms:
            continue
        q = " ".join(rng.sample(ws, n_terms))
        if q not in used:
            used.add(q)
            qm.append(q)
        if len(qm) == PER_CLASS:
            break

    out = ([{"query": q, "class": "1"} for q in q1]
           + [{"query": q, "class": "2"} for q in q2]
           + [{"query": q, "class": "3-4"} for q in q34]
           + [{"query": q, "class": "multi"} for q in qm])

    # Every query must occur in the corpus (all terms in one unit's title+text).
    haystacks = [u.title + "\n" + u.text for u in units]
    for q in out:
        terms = q["query"].split()
        if not any(all(t in h for t in terms) for h in haystacks):
            sys.exit(f"query without any match: {q}")

    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(json.dumps(q, ensure_ascii=False) for q in out) + "\n]\n")
    counts = Counter(q["class"] for q in out)
    print(f"wrote {len(out)} queries to {args.out}: {dict(counts)}")


if __name__ == "__main__":
    main()
