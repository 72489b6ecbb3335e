"""Calibrate the extractive answerer's abstention threshold (evaluation data: ../shared only).

Positives: XQuAD questions asked of the XQuAD articles (they are answerable). Negatives: XQuAD and
news-quiz questions asked of the bundled sample corpus (they are not). Prints, per threshold, the
share of positives answered and of negatives wrongly answered, and the current answerer's figures.

    .venv/bin/python benchmarks/calibrate_abstention.py
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "evaldata"
CACHE = ROOT / "benchmarks" / ".cache"


def main() -> int:
    if not SHARED.is_dir():
        print("needs ../shared/evaldata beside the repository", file=sys.stderr)
        return 2
    from bot.service import NewsbotService
    from config import load_settings

    random.seed(0)
    xquad = [json.loads(line) for line in (SHARED / "xquad/questions.jsonl").open()]
    random.shuffle(xquad)
    xquad = xquad[:250]
    news = [json.loads(line) for line in (SHARED / "news/questions.jsonl").open()][:120]

    answerable = NewsbotService(load_settings(data_dir=CACHE / "xquad"))
    answerable.ingest(answerable.load([SHARED / "xquad/articles.jsonl"]))
    unrelated = NewsbotService(load_settings(data_dir=CACHE / "seeds"))
    unrelated.ingest(unrelated.load())

    def best(service: NewsbotService, question: str) -> tuple[float, float]:
        hits = service.searcher.search(question, service.settings.top_k)
        ranked = sorted(service.extractive.candidates(question, [h.paragraph for h in hits]), key=lambda c: c.score)
        if not ranked:
            return 0.0, 0.0
        top = ranked[-1]
        return top.support, max(top.coverage, top.paragraph_coverage)

    positives = np.array([best(answerable, q["question"]) for q in xquad])
    negatives = np.array([best(unrelated, q["question"]) for q in xquad[:150] + news])
    for threshold in (0.36, 0.40, 0.43, 0.46, 0.50):
        for floor in (0.30, 0.34, 0.40):
            answered = np.mean((positives[:, 0] >= threshold) & (positives[:, 1] >= floor))
            wrong = np.mean((negatives[:, 0] >= threshold) & (negatives[:, 1] >= floor))
            print(
                f"threshold={threshold:.2f} coverage>={floor:.2f} answered={answered:.3f} wrong={wrong:.3f}"
            )
    grounded = contains = 0
    for q in xquad:
        answer = answerable.ask(q["question"])
        grounded += answer.grounded
        contains += answer.grounded and q["answer"].lower() in answer.text.lower()
    print(
        f"current answerer on {len(xquad)} XQuAD questions: answered {grounded / len(xquad):.3f}, "
        f"answer contains the gold span {contains / len(xquad):.3f}"
    )
    print(f"negatives: highest support {negatives[:, 0].max():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
