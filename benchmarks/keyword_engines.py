"""Which keyword engine for a million paragraphs: segments (ours), SQLite FTS5, or one bm25s index.

    nice -n 10 python benchmarks/keyword_engines.py                     # 73k, 300k, 1M paragraphs
    python benchmarks/keyword_engines.py --sizes 2000 --questions 20    # a quick look

The paragraphs are the news corpus and its copies made as ``benchmarks/scale.py`` makes them (other
names, other numbers). Every engine gets the same terms (newsbot's tokenizer: stop words out,
Snowball stems) and answers the news questions with its top 100; per size and engine it reports:

- build: indexing every paragraph from their terms (tokenizing is the same for all, reported apart);
- open: what a new asking process pays before its first query (loading or mapping the saved index);
- query p50/p95 (ms) over the questions;
- add 10 articles: bringing the saved index up to date after an ingest of 10 articles;
- disk size of the saved index.

bm25s is the engine newsbot used before: one index, rebuilt whole after an ingest. FTS5 is
SQLite's full-text index, incremental by nature, ranking by its own ``bm25()`` (same k1 and b, an
IDF without Lucene's +1, so orders differ a little). Results go to benchmarks/results/keyword_engines.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import NEWS, RESULTS, folder_bytes, log, percentile, rows
from benchmarks.scale import Copier, plan_stages

ADDED = 10


def paragraphs_for(size: int, records: list[dict], copier: Copier) -> tuple[list[Any], list[Any]]:
    """(paragraphs of ``size``, 10 articles' paragraphs to add)."""
    from corpus import Article

    base = sum(len([p for p in r["text"].split("\n\n") if p.strip()]) for r in records)
    copies = -(-size // base)
    (stage,) = plan_stages(records, [size], copies)
    extra = [(99, r) for r in records[:ADDED]]

    def convert(pairs: list[tuple[int, dict]]) -> list[Any]:
        out = []
        for copy, record in pairs:
            r = copier.record(copy, record)
            article = Article(
                id=r["id"], text=r["text"], title=r.get("title") or "", url=r["url"], published=r["published"]
            )
            out.extend(article.paragraphs)
        return out

    return convert(stage), convert(extra)


def timed(fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def latency(search: Any, questions: list[str]) -> dict[str, float]:
    search(questions[0])
    times = []
    for q in questions:
        started = time.perf_counter()
        search(q)
        times.append(time.perf_counter() - started)
    return {"p50_ms": round(percentile(times, 50) * 1000, 2), "p95_ms": round(percentile(times, 95) * 1000, 2)}


def segments(paragraphs: list[Any], added: list[Any], questions: list[str], folder: Path) -> dict:
    from retrieval.keyword_store import KeywordStore, forget_loaded_keyword_indexes
    from retrieval.segment import group_articles

    store = KeywordStore(folder / "segments")
    _, build = timed(lambda: store.update(None, "v1", group_articles(paragraphs)))
    forget_loaded_keyword_indexes()
    (index, _), opened = timed(lambda: store.load("v1"))
    query = latency(lambda q: index.search(q, 100), questions)
    _, add = timed(lambda: store.update("v1", "v2", group_articles(added)))
    forget_loaded_keyword_indexes()
    _, reopened = timed(lambda: store.load("v2"))
    return {
        "build_s": round(build, 1),
        "open_s": round(opened, 3),
        **query,
        "add_10_articles_s": round(add, 2),
        "open_after_add_s": round(reopened, 3),
        "disk_mb": round(folder_bytes(folder / "segments") / 1e6),
        "note": "paragraph and article indexes, with paragraph text and metadata",
    }


def fts5(tokens: list[list[str]], added: list[list[str]], questions: list[str], folder: Path) -> dict:
    from retrieval.text import terms

    path = folder / "fts.db"

    def build() -> None:
        db = sqlite3.connect(path)
        db.execute("CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61')")
        db.executemany("INSERT INTO p(body) VALUES (?)", ((" ".join(t),) for t in tokens))
        db.commit()
        db.close()

    _, built = timed(build)
    db, opened = timed(lambda: sqlite3.connect(path))

    def search(question: str) -> list:
        found = [t for t in terms(question) if t.isalnum()]
        if not found:
            return []
        match = " OR ".join(f'"{t}"' for t in found)
        return db.execute(
            "SELECT rowid, bm25(p) FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 100", (match,)
        ).fetchall()

    query = latency(search, questions)

    def add() -> None:
        db.executemany("INSERT INTO p(body) VALUES (?)", ((" ".join(t),) for t in added))
        db.commit()

    _, adding = timed(add)
    db.close()
    return {
        "build_s": round(built, 1),
        "open_s": round(opened, 3),
        **query,
        "add_10_articles_s": round(adding, 2),
        "disk_mb": round(path.stat().st_size / 1e6),
        "note": "paragraph terms only (no article index, no text)",
    }


def bm25s_engine(tokens: list[list[str]], questions: list[str], folder: Path) -> dict:
    import bm25s

    from retrieval.text import terms

    def build() -> Any:
        index = bm25s.BM25(k1=1.2, b=0.75)
        index.index(tokens, show_progress=False)
        return index

    index, built = timed(build)
    index.save(str(folder / "bm25s"), show_progress=False)
    loaded, opened = timed(lambda: bm25s.BM25.load(str(folder / "bm25s"), mmap=True))
    vocab = loaded.vocab_dict

    def search(question: str) -> Any:
        known = [t for t in terms(question) if t in vocab]
        return loaded.retrieve([known], k=100, show_progress=False, n_threads=1) if known else None

    query = latency(search, questions)
    return {
        "build_s": round(built, 1),
        "open_s": round(opened, 3),
        **query,
        "add_10_articles_s": round(built, 1),
        "disk_mb": round(folder_bytes(folder / "bm25s") / 1e6),
        "note": "paragraph terms only; adding articles means building it again (before: in every process)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="73464,300000,1000000")
    parser.add_argument("--questions", type=int, default=206)
    parser.add_argument("--work", default="", help="scratch folder (default: a temporary one)")
    parser.add_argument("--out", default=str(RESULTS / "keyword_engines.json"))
    args = parser.parse_args()
    from retrieval.text import terms_many

    records = rows(NEWS / "articles.jsonl")
    questions = [r["question"] for r in rows(NEWS / "questions.jsonl")][: args.questions]
    copier = Copier(records)
    result: dict[str, Any] = {"load_average_start": [round(x, 2) for x in os.getloadavg()], "sizes": []}
    for size in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="keyword-engines-", dir=args.work or None))
        try:
            paragraphs, added = paragraphs_for(size, records, copier)
            tokens, tokenizing = timed(lambda p=paragraphs: terms_many([x.text for x in p]))
            added_tokens = terms_many([x.text for x in added])
            entry = {"paragraphs": len(paragraphs), "tokenize_s": round(tokenizing, 1), "engines": {}}
            log(f"{len(paragraphs):,} paragraphs: segments")
            entry["engines"]["segments"] = segments(paragraphs, added, questions, work)
            log(f"{len(paragraphs):,} paragraphs: FTS5")
            entry["engines"]["fts5"] = fts5(tokens, added_tokens, questions, work)
            log(f"{len(paragraphs):,} paragraphs: bm25s")
            entry["engines"]["bm25s"] = bm25s_engine(tokens, questions, work)
            entry["load_average"] = [round(x, 2) for x in os.getloadavg()]
            result["sizes"].append(entry)
            log(json.dumps(entry))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| paragraphs | engine | build s | open s | query p50/p95 ms | add 10 articles s | disk MB |")
    print("|---|---|---|---|---|---|---|")
    for entry in result["sizes"]:
        for name, e in entry["engines"].items():
            print(
                f"| {entry['paragraphs']:,} | {name} | {e['build_s']} | {e['open_s']} | {e['p50_ms']}/{e['p95_ms']} "
                f"| {e['add_10_articles_s']} | {e['disk_mb']:,} |"
            )


if __name__ == "__main__":
    main()
