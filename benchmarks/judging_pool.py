"""List the paragraphs a person should judge for each hand-written question (pooled relevance judging).

A question's gold list is written by reading its own article; another paragraph may answer as well
(a story the archive tells twice, the same fact further down). Every paragraph the answer step
considers for a question (the retrieved ones and their neighbours, as ``fit_answerer.py`` collects
them) that holds one of the question's key words but is not gold goes into the pool, whatever the
answer step chose: the pool does not depend on which questions it gets wrong, so judging it cannot
bias a held-out split towards the answerer. Paragraphs the checker would refuse as gold (an article of
another split or of the public news quiz) are left out.

A judge reads each pooled paragraph beside the gold one and says yes / partial / no; the verdicts
are kept in ``benchmarks/judgements/`` (ids, numbers and a few words of the judge's own, no article
text), and the "yes" ones of the dev and test splits were added to their gold lists (docs/quality.md).
Stop 53 judged the dev sets written since (``pooled-2026-12-04.jsonl``): two judges read every pooled
paragraph independently, and only a paragraph both called "yes" was added.

    python benchmarks/judging_pool.py --news-store ~/newsbot-eval-news --out pool.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common
from benchmarks.check_questions import paragraphs_by_article, public_articles
from benchmarks.fit_answerer import _ensure, _service, handwritten


def article_of(name: str) -> str:
    return Path(name).stem


def pool(question: dict[str, Any], candidates: list[Any], paragraphs: dict[str, list[str]]) -> list[tuple[str, int]]:
    """The non-gold candidate paragraphs of ``question`` that hold one of its key words."""
    gold = {(article_of(a), int(n)) for a, n in question["gold_any"]}
    keys = [k.lower() for k in question["answer_any"] if k]
    found: list[tuple[str, int]] = []
    for candidate in candidates:
        where = (candidate.paragraph.article_id, candidate.paragraph.number)
        texts = paragraphs.get(where[0], [])
        if where in gold or where in found or not 1 <= where[1] <= len(texts):
            continue
        if any(k in texts[where[1] - 1].lower() for k in keys):
            found.append(where)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news-store", type=Path, required=True, help="data folder of a store of the news corpus")
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--out", type=Path, required=True, help="where to write the pool (JSON lines)")
    parser.add_argument(
        "--split", choices=["train", "dev", "test"], action="append", help="only these splits (default: all three)"
    )
    args = parser.parse_args(argv)

    from corpus import bundled_articles_dir, load_articles

    seeds = _service(common.CACHE / "fit" / "seeds", args.backend)
    _ensure(seeds, load_articles([bundled_articles_dir()]).articles)
    news = _service(args.news_store, args.backend)
    paragraphs, public = paragraphs_by_article(), public_articles()
    questions = [q for split in ("train", "dev", "test") for q in handwritten(split)]
    split_of: dict[str, str] = {}
    for q in questions:
        for article in [q["article"], *(a for a, _ in q["gold_any"])]:
            split_of.setdefault(article_of(article), q["split"])
    written = 0
    with args.out.open("w", encoding="utf-8") as out:
        for q in questions:
            if not q["answerable"] or (args.split and q["split"] not in args.split):
                continue
            service = news if q["article"].startswith("rtqa-") else seeds
            hits = service.searcher.search(q["question"], service.settings.top_k)
            found = [
                (a, n)
                for a, n in pool(q, service.extractive.candidates(q["question"], hits), paragraphs)
                if a not in public and split_of.get(a, q["split"]) == q["split"]
            ]
            if found:
                row = {"id": q["id"], "split": q["split"], "question": q["question"], "answer_any": q["answer_any"]}
                out.write(json.dumps({**row, "gold": q["gold_any"], "candidates": found}, ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} questions with paragraphs to judge: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
