#!/usr/bin/env python3
"""Select the demo subset of policy documents for a business-environment office (优化营商环境).

Reads the Markdown law corpus (default /work/shared/corpus/laws: folders named by kind, 行政法规, 部门规章,
经济法, 行政法, 地方性法规/<省>地方法规/..., 司法解释, 民法商法, 社会法, ...) and copies the chosen documents,
keeping their relative folder structure, into Resources/Demo/policies/.

The selection is deterministic: it depends only on the corpus files (names, sizes, text), never on directory
listing order, time or randomness, so re-running it on the same corpus gives the same set.

How documents are chosen, in priority order (a document is taken if it still fits the size budget):
  0. the required documents (优化营商环境条例, 行政许可法, 中小企业促进法, 价格法, 外商投资法, 公司法, 反垄断法,
     招标投标法, 政府采购法, 行政处罚法), newest version;
  1. laws, 行政法规 and 部门规章 whose title names a business-environment topic, or whose text says 营商环境
     at least twice;
  2. local regulations (地方性法规) on the business environment: title with 营商 / 优化 / 企业, or 促进 together
     with an economic word (文明行为促进条例 and the like are not taken here), or text that says 营商环境 at
     least twice;
  3. 司法解释 whose title names a topic (or whose text says 营商环境 at least twice);
  4. laws, 行政法规 and 部门规章 whose text is dense in topic words;
  5. other local regulations whose title names a topic;
  6. other 司法解释 and local regulations whose text is dense in topic words (and whose title names a related
     topic, or whose text is very dense).
Within a group: higher score first, then path. Case collections (案例) and 其他 are never taken, nor truncated
stubs, nor military/police rules that share a word with the topics. Of several versions of one title (file names
that differ only in the date suffix or punctuation, in any folder) only the newest is considered.

Usage: scripts/select-demo-policies.py [--corpus DIR] [--dest DIR] [--max-bytes N] [--dry-run] [--list]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/work/shared/corpus/laws")
DEFAULT_DEST = REPO / "Resources" / "Demo" / "policies"
DEFAULT_MAX_BYTES = 11_500_000  # stays under ~12 MB with margin
MIN_COUNT = 520

REQUIRED = [
    "优化营商环境条例",
    "行政许可法",
    "中小企业促进法",
    "价格法",
    "外商投资法",
    "公司法",
    "反垄断法",
    "招标投标法",
    "政府采购法",
    "行政处罚法",
]

# Folders of national laws (法律) by kind; plus 行政法规 and 部门规章 these are the preferred sources.
LAW_FOLDERS = {"宪法", "宪法相关法", "民法典", "民法商法", "经济法", "行政法", "社会法", "刑法", "诉讼与非诉讼程序法"}
NATIONAL_FOLDERS = LAW_FOLDERS | {"行政法规", "部门规章"}
EXCLUDED_FOLDERS = {"案例", "其他"}

# Topic words with weights. 3: the office's own topics; 2: closely related business law; 1: generic.
TOPICS: dict[str, int] = {
    # 3 - the office's own topics
    "营商环境": 3, "市场主体": 3, "行政许可": 3, "政务服务": 3, "中小企业": 3, "民营经济": 3, "民营企业": 3,
    "非公有制": 3, "私营": 3, "个体工商户": 3, "招标投标": 3, "招标": 3, "政府采购": 3, "税收": 3, "税": 3,
    "知识产权": 3, "专利": 3, "商标": 3, "著作权": 3, "不动产登记": 3, "企业": 3, "公司": 3, "市场监管": 3,
    "市场监督管理": 3, "价格": 3, "垄断": 3, "不正当竞争": 3, "公平竞争": 3, "外商投资": 3, "外资": 3, "商事": 3,
    "信用": 3, "行政处罚": 3, "行政复议": 3, "安全生产": 3, "劳动合同": 3, "社会保险": 3, "工伤保险": 3,
    "失业保险": 3, "养老保险": 3, "医疗保险": 3, "一网通办": 3, "证照": 3, "审批": 3, "营业执照": 3,
    "最多跑一次": 3, "一业一证": 3, "告知承诺": 3, "证明事项": 3, "放管服": 3,
    # 2 - closely related business law
    "优化": 2, "行政强制": 2, "行政诉讼": 2, "信息公开": 2, "产品质量": 2, "消费者权益": 2, "食品安全": 2,
    "标准化": 2, "计量": 2, "认证认可": 2, "电子商务": 2, "广告": 2, "合伙": 2, "破产": 2, "担保": 2,
    "合同": 2, "证券": 2, "银行": 2, "保险": 2, "票据": 2, "拍卖": 2, "海关": 2, "进出口": 2, "对外贸易": 2,
    "统计": 2, "仲裁": 2, "就业": 2, "工资": 2, "住房公积金": 2, "融资": 2, "金融": 2, "会计": 2, "审计": 2,
    "个人信息": 2, "数据": 2, "电子签名": 2, "投资": 2, "经营": 2, "商业": 2, "贸易": 2, "创业": 2,
    "科技成果": 2, "高新技术": 2, "数字经济": 2, "收费": 2, "特种设备": 2, "劳动": 2, "职工": 2,
    "商品": 2, "市场": 2, "产业": 2, "罚款": 2, "规范性文件": 2, "反洗钱": 2, "资产评估": 2, "期货": 2,
    "便民": 2, "12345": 2, "开发区": 2, "自主创新示范区": 2, "经营者": 2, "预付": 2,
    # 1 - generic, only tips the balance
    "登记": 1, "监督管理": 1, "许可": 1, "服务": 1, "建设工程": 1, "招商": 1, "经济": 1, "发展": 1,
}

# Words counted in the text to measure how much a document is about the office's topics.
BODY_WORDS = [
    "营商环境", "市场主体", "行政许可", "政务服务", "中小企业", "民营经济", "招标投标", "政府采购", "税收",
    "纳税", "知识产权", "专利", "商标", "不动产登记", "企业", "公司", "市场监督管理", "价格", "垄断",
    "不正当竞争", "外商投资", "登记注册", "信用", "行政处罚", "行政复议", "安全生产", "劳动合同", "社会保险",
    "许可证", "审批", "营业执照", "经营者", "投资", "罚款",
]

# Local regulations: business environment titles.
LOCAL_BUSINESS_TITLE = re.compile(r"营商|优化|企业")
LOCAL_PROMOTION_ECONOMIC = re.compile(
    r"经济|产业|就业|科技|专利|电子商务|金融|数字|民营|中小企业|私营|创业|创新|会展|商事|一网通办|高新技术|信息化|"
    r"大数据|人才|贸易|保税|区块链|新旧动能|清洁生产|投资|行业协会|快递"
)

OFF_TOPIC_TITLE = re.compile(r"军|国防|武器|警械|警衔|关衔|使馆")

DATED_NAME = re.compile(r"^(?P<title>.*?)(?:\((?P<date>\d{4}-\d{2}-\d{2})\))?\.md$")


@dataclass
class Doc:
    rel: str  # path relative to the corpus, with "/" separators
    title: str  # file name without the date suffix and extension
    date: str  # "YYYY-MM-DD" or "" when the file name has none
    size: int
    folder: str  # first path component
    title_score: int = 0
    body_density: float = 0.0  # topic words per 1,000 characters
    body_distinct: int = 0  # distinct topic words in the text
    business_environment: int = 0  # how often the text says 营商环境
    stub: bool = False  # a truncated file (the corpus has a few)
    group: int = 99
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def title_score(title: str) -> tuple[int, list[str]]:
    title = title.replace("民商事", "民事")  # 民商事案件 is civil procedure, not 商事登记
    title = title.replace("经济特区", "特区")  # 深圳经济特区… says where, not what
    # Count each topic once; a longer topic that matched hides the shorter ones inside it (市场监督管理 > 监督管理).
    hits = [w for w in TOPICS if w in title]
    hits = [w for w in hits if not any(w != o and w in o for o in hits)]
    return sum(TOPICS[w] for w in hits), sorted(hits)


def body_stats(text: str) -> tuple[float, int, int]:
    body = text.split("<!-- INFO END -->", 1)[-1]
    n = max(len(body), 1)
    total = 0
    distinct = 0
    for w in BODY_WORDS:
        c = body.count(w)
        total += c
        distinct += c > 0
    return 1000.0 * total / n, distinct, body.count("营商环境")


def scan(corpus: Path) -> list[Doc]:
    docs: list[Doc] = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md") or name == "_index.md":
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(corpus).as_posix()
            folder = rel.split("/", 1)[0]
            if folder in EXCLUDED_FOLDERS or "/" not in rel:
                continue
            m = DATED_NAME.match(name)
            assert m
            docs.append(Doc(rel=rel, title=m["title"], date=m["date"] or "", size=path.stat().st_size, folder=folder))
    return docs


def title_key(title: str) -> str:
    """One key for the spellings of one title (最高人民法院 最高人民检察院… / 最高人民法院、最高人民检察院…)."""
    return re.sub(r"[\s、，,]", "", title)


def folder_rank(folder: str) -> int:
    return 0 if folder in LAW_FOLDERS else 1 if folder == "行政法规" else 2 if folder == "部门规章" else 3


def newest_versions(docs: list[Doc]) -> list[Doc]:
    """Of the versions of one title (names differing only in the date suffix or punctuation, in any folder),
    keep the newest; among copies of one date, the one in the most preferred folder, then the first path."""
    best: dict[str, Doc] = {}
    for d in docs:
        key = title_key(d.title)
        cur = best.get(key)
        if cur is None or (d.date, -folder_rank(d.folder), cur.rel) > (cur.date, -folder_rank(cur.folder), d.rel):
            best[key] = d
    return sorted(best.values(), key=lambda d: d.rel)


def is_stub(text: str, size: int) -> bool:
    """The corpus has a few truncated files: an empty body, or a short file that opens 第一章 and stops before
    第二章 (进出口商品检验法实施条例, 麻醉药品和精神药品管理条例, 浙江省广告管理条例, ...). Genuinely short
    documents (烟叶税法, one-paragraph 批复) are kept."""
    body = text.split("<!-- INFO END -->", 1)[-1].strip()
    return len(body) < 100 or (size < 2_500 and "第一章" in body and "第二章" not in body)


def classify(d: Doc, text: str) -> None:
    d.stub = is_stub(text, d.size)
    d.title_score, hits = title_score(d.title)
    d.body_density, d.body_distinct, d.business_environment = body_stats(text)
    if hits:
        d.reasons.append("title:" + "、".join(hits))
    national = d.folder in NATIONAL_FOLDERS
    local = d.folder == "地方性法规"
    strong_title = d.title_score >= 3  # at least one office topic, or two related ones
    # For laws one related topic in the title is enough; 行政法规 and 部门规章 need the text to touch the topics too.
    topical_title = d.title_score >= 3 or (
        d.title_score == 2 and (d.folder in LAW_FOLDERS or d.body_distinct >= 2)
    )
    dense = d.body_density >= 8.0 and d.body_distinct >= 6
    about_business_environment = d.business_environment >= 2  # says 营商环境 more than in passing
    if about_business_environment:
        d.reasons.append(f"营商环境×{d.business_environment}")
    plain_title = d.title.replace("经济特区", "")  # 深圳经济特区… says where, not what
    local_business = bool(LOCAL_BUSINESS_TITLE.search(plain_title)) or (
        "促进" in plain_title and bool(LOCAL_PROMOTION_ECONOMIC.search(plain_title))
    )
    if d.title in REQUIRED and national:
        d.group = 0
    elif d.stub:
        pass  # nothing to show in a demo
    elif OFF_TOPIC_TITLE.search(d.title):
        pass  # military, police and customs-rank rules that share a word with the topics
    elif national and (topical_title or about_business_environment):
        d.group = 1
    elif local and (local_business or about_business_environment):
        d.group = 2
    elif d.folder == "司法解释" and (strong_title or about_business_environment):
        d.group = 3
    elif national and dense:
        d.group = 4
    elif local and strong_title:
        d.group = 5
    elif dense and (d.title_score >= 2 or d.body_density >= 15.0):
        d.group = 6
    # Folder preference: laws, then 行政法规, then 部门规章; ties broken by topic density of the text.
    folder_bonus = 3 - folder_rank(d.folder)
    d.score = d.title_score * 10 + folder_bonus * 5 + min(d.body_density, 40.0) + d.body_distinct
    if d.group < 99:
        d.reasons.append(f"density:{d.body_density:.1f}/{d.body_distinct}")


def select(corpus: Path, max_bytes: int) -> tuple[list[Doc], list[Doc]]:
    docs = newest_versions(scan(corpus))
    for d in docs:
        classify(d, (corpus / d.rel).read_text(encoding="utf-8"))
    found_required = {d.title for d in docs if d.group == 0}
    missing = [t for t in REQUIRED if t not in found_required]
    if missing:
        sys.exit(f"required documents not found in {corpus}: {', '.join(missing)}")
    candidates = sorted((d for d in docs if d.group < 99), key=lambda d: (d.group, -d.score, d.rel))
    chosen: list[Doc] = []
    skipped: list[Doc] = []
    total = 0
    for d in candidates:
        if total + d.size <= max_bytes:
            chosen.append(d)
            total += d.size
        elif d.group == 0:
            sys.exit(f"required document {d.rel} does not fit in {max_bytes} bytes")
        else:
            skipped.append(d)
    return sorted(chosen, key=lambda d: d.rel), skipped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    ap.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    ap.add_argument("--dry-run", action="store_true", help="select and report, copy nothing")
    ap.add_argument("--list", action="store_true", help="print every chosen document with its group and reasons")
    args = ap.parse_args()

    chosen, skipped = select(args.corpus, args.max_bytes)
    total = sum(d.size for d in chosen)
    if len(chosen) < MIN_COUNT:
        print(f"warning: only {len(chosen)} documents chosen (wanted at least {MIN_COUNT})", file=sys.stderr)

    if args.list:
        for d in sorted(chosen, key=lambda d: (d.group, -d.score, d.rel)):
            print(f"{d.group}\t{d.score:.1f}\t{d.size}\t{d.rel}\t{' '.join(d.reasons)}")
        for d in skipped:
            print(f"skipped:{d.group}\t{d.score:.1f}\t{d.size}\t{d.rel}\t{' '.join(d.reasons)}")

    if not args.dry_run:
        dest: Path = args.dest
        if dest.exists():
            shutil.rmtree(dest)  # the folder holds nothing but this script's output
        for d in chosen:
            target = dest / d.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.corpus / d.rel, target)
            os.chmod(target, 0o644)

    by_group: dict[int, int] = {}
    for d in chosen:
        by_group[d.group] = by_group.get(d.group, 0) + 1
    by_folder: dict[str, int] = {}
    for d in chosen:
        by_folder[d.folder] = by_folder.get(d.folder, 0) + 1
    print(f"chosen {len(chosen)} documents, {total} bytes ({total / 1e6:.2f} MB)", file=sys.stderr)
    print("by group: " + ", ".join(f"{g}: {n}" for g, n in sorted(by_group.items())), file=sys.stderr)
    print("by folder: " + ", ".join(f"{f}: {n}" for f, n in sorted(by_folder.items())), file=sys.stderr)
    if skipped:
        print(f"{len(skipped)} candidates left out for size (lowest priority first dropped)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
