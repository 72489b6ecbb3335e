"""Would answerable questions with their answer taken away make realistic near-miss traps?

    .venv/bin/python benchmarks/synthetic_traps.py                       # train-unfitted, the suite's store
    .venv/bin/python benchmarks/synthetic_traps.py --files news-za news-zb --json out.json

The answer check is fitted on a few hundred hand-written traps, too few to learn what a near miss
looks like (docs/quality.md). Every answerable question becomes a near miss when the paragraphs that
answer it are hidden: the story stays in the archive, the asked detail does not. Whether such
questions could stand in for hand-written traps, in a training set for the next check reader, depends
on whether the answer step treats them alike. This script asks each answerable question of a
``--files`` set twice, through the real searcher and extractive answerer on the answer suite's news
store:

- as it is (its answer available), and
- with its gold paragraphs and every paragraph of the archive that holds one of its key words
  (``answer_any``) hidden from retrieval, from the neighbours the answerer adds and from the closest
  paragraphs of the first stories it reads: a *synthetic trap*;

and the set's hand-written traps once. It prints how often each is answered (a trap should not be)
and the share answered from the question's own story. Nothing is fitted; questions are asked undated
and one at a time, without the follow-up chain, so the first column is close to, not equal to, the
suite's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import common

QUESTIONS = common.ROOT / "benchmarks" / "questions"
SUITE = common.ROOT / "benchmarks" / ".cache" / "answer-suite"
TRAIN_UNFITTED = ("news-za", "news-zb", "news-zc", "news-zg", "news-zh", "news-zi", "news-zj")


def hiding(question: dict[str, Any]) -> Callable[[Any], bool]:
    """Which paragraphs a synthetic trap hides: its gold paragraphs, and any paragraph of the archive
    that holds one of its key words (``answer_any``): a lead that restates the answer, or the same
    story told by another article."""
    gold = {f"{Path(article).stem}#{number}" for article, number in question["gold_any"]}
    keys = [k.lower() for k in question.get("answer_any") or []]
    return lambda paragraph: paragraph.id in gold or any(key in paragraph.text.lower() for key in keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", nargs="+", default=list(TRAIN_UNFITTED), help="question files (train only)")
    parser.add_argument("--json", type=Path, help="write every question's outcome here")
    args = parser.parse_args()

    from bot.answering.extractive import ExtractiveAnswerer
    from bot.service import NewsbotService
    from config import load_settings

    service = NewsbotService(load_settings(data_dir=SUITE / "stores" / "news"))
    searcher, settings = service.searcher, service.settings
    rows = [
        json.loads(line)
        for name in args.files
        for line in (QUESTIONS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if any(row["split"] != "train" for row in rows):
        raise SystemExit("synthetic traps are for training: use train files only")

    def ask(question: str, hidden: Callable[[Any], bool]) -> Any:
        def neighbour(article: str, number: int) -> Any:
            paragraph = searcher.paragraph(article, number)
            return None if paragraph is None or hidden(paragraph) else paragraph

        def closest(query: str, articles: Sequence[str], n: int, exclude: set[str]) -> list[Any]:
            # Ask for more, so that the closest paragraph not hidden is among them.
            found = searcher.closest_in_articles(query, articles, n + 10, exclude)
            kept: dict[str, list[Any]] = {}
            for paragraph, similarity in found:
                if not hidden(paragraph) and len(kept.setdefault(paragraph.article_id, [])) < n:
                    kept[paragraph.article_id].append((paragraph, similarity))
            return [pair for pairs in kept.values() for pair in pairs]

        answerer = ExtractiveAnswerer(
            service.embedder, service._document_frequency, neighbour=neighbour, closest_in_articles=closest
        )
        hits = [h for h in searcher.search(question, settings.top_k + 40) if not hidden(h.paragraph)]
        return answerer.answer(question, hits[: settings.top_k])

    def nothing(paragraph: Any) -> bool:
        return False

    outcomes: list[dict[str, Any]] = []
    for n, row in enumerate(rows, 1):
        if row["answerable"]:
            kinds: tuple[tuple[str, Callable[[Any], bool]], ...] = (
                ("answerable", nothing), ("synthetic trap", hiding(row))
            )  # fmt: skip
        else:
            kinds = (("trap", nothing),)
        for kind, hide in kinds:
            answer = ask(row["question"], hide)
            cited = [f"{c.article_id}#{c.paragraph}" for c in answer.citations]
            outcomes.append({
                "id": row["id"], "kind": kind, "question": row["question"], "answered": answer.grounded,
                "own_story": any(c.article_id == row["article"] for c in answer.citations),
                "gold_cited": bool(set(cited) & {f"{Path(a).stem}#{p}" for a, p in row.get("gold_any") or []}),
            })  # fmt: skip
        if n % 50 == 0:
            common.log(f"{n}/{len(rows)} questions")

    print("| asked as | questions | answered | from its own story | a gold paragraph cited |")
    print("|---|---|---|---|---|")
    for kind in ("answerable", "synthetic trap", "trap"):
        some = [o for o in outcomes if o["kind"] == kind]
        if not some:
            continue
        answered = sum(o["answered"] for o in some)
        own = sum(o["answered"] and o["own_story"] for o in some)
        gold = sum(o["gold_cited"] for o in some)
        print(f"| {kind} | {len(some)} | {answered} ({answered / len(some):.0%}) | {own} | {gold} |")
    if args.json:
        args.json.write_text(json.dumps(outcomes, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
