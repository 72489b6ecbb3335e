"""Fit the learned paragraph ranker (``retrieval/ranker.json``) on the train split only.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fit_ranker.py            # fits, writes, prints the table
    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fit_ranker.py --dry-run  # prints what it would write

For every answerable hand-written ``train`` question (``benchmarks/questions/*.jsonl``: news
articles outside the public quiz and the bundled sample) the real searcher fuses its rankings as
newsbot does without the ranker, and the fusion's first ``--depth`` paragraphs get the ranker's
features (``retrieval/ranker.py``, the code serving uses). A paragraph is a positive example when
it is a gold paragraph of the question. A logistic regression (classes balanced, features
standardised, L2) learns the weights. Questions whose gold paragraph is not among those first
paragraphs teach nothing and are left out of the fit, not of the table.

The table then gives, for each split, how often a gold paragraph is first, in the first 4 and in the
first 12 (what the answerer reads), in the fusion's order and in the ranker's: train (fitted on),
dev and test (never fitted on; booleans only, so the unread sets stay unread) and the public quiz
asked without its dates (``newsbot eval --ignore-dates``: the issue's strict hit@4 target).

Needs the suite's stores (``benchmarks/answer_suite.py`` builds them; this script ingests what is
missing, re-embedding nothing that is unchanged). About a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import common
from benchmarks.answer_suite import QUESTIONS, SUITE, service_for
from benchmarks.fit_answerer import fit_logistic

OUT = common.ROOT / "retrieval" / "ranker.json"
DEPTH = 40  # reordering the first 40 measured better on dev than 25 or every candidate (stop 75)
L2 = 5.0  # scikit-learn's C = 0.1 for the balanced weights below; C from 0.01 to 1 measured the same
KS = (1, 4, 12)
Example = tuple[Any, list[Any], Any, list[bool]]  # question, its paragraphs, their features, which are gold


def questions_of(split: str | None, store: str) -> list[Any]:
    """Answerable questions with gold paragraphs of one split over one store."""
    from bot.evaluation.questions import load_questions

    if store == "quiz":
        return [q for q in load_questions(common.NEWS / "questions.jsonl") if q.has_paragraph_gold]
    found = []
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        if (path.stem.startswith("seeds") and store == "sample") or (path.stem.startswith("news-") and store == "news"):
            found += [q for q in load_questions(path) if q.split == split and q.answerable and q.has_paragraph_gold]
    return found


def heads(service: Any, questions: Sequence[Any], depth: int) -> list[Example]:
    """For each question: the fusion's first ``depth`` paragraphs, their ranker features and which are gold."""
    from bot.evaluation.questions import normalise

    searcher = service.searcher
    searcher.ranker = None  # the fusion's own order: what serving reorders
    found = []
    for q in questions:
        hits = searcher.search(q.question, depth)
        paragraphs = [h.paragraph for h in hits]
        rows = searcher.ranker_features(paragraphs, searcher.rankings(q.question), q.question)
        gold = [p.id in q.gold_ids or normalise(p.text) in q.gold_texts for p in paragraphs]
        found.append((q, paragraphs, rows, gold))
    return found


def fit(examples: Sequence[Example], depth: int, l2: float) -> dict[str, Any]:
    import numpy as np

    from retrieval.ranker import FEATURES

    used = [(rows, gold) for _, _, rows, gold in examples if any(gold)]
    X = np.vstack([rows for rows, _ in used])
    y = np.concatenate([np.asarray(gold, dtype=np.float64) for _, gold in used])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    positives = y.sum()
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * (len(y) - positives)))
    design = np.hstack([np.ones((len(y), 1)), (X - mean) / scale])
    w = fit_logistic(design, y, weight, l2)
    return {
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in w[1:]],
        "bias": round(float(w[0]), 6),
        "depth": depth,
        "fitted_on": {
            "questions": len(used),
            "questions_without_gold_in_depth": len(examples) - len(used),
            "paragraphs": len(y),
            "l2": l2,
            "script": "benchmarks/fit_ranker.py",
            "day": dt.date.today().isoformat(),
        },
    }


def hit_rates(examples: Sequence[Example], model: Any) -> tuple[list[float], list[float]]:
    """Share of questions with a gold paragraph in the first k, in the fusion's order and in the model's."""
    import numpy as np

    fused = [0] * len(KS)
    learned = [0] * len(KS)
    for _, _, rows, gold in examples:
        order = np.argsort(-model.scores(rows), kind="stable") if len(gold) else []
        for i, k in enumerate(KS):
            fused[i] += any(gold[:k])
            learned[i] += any(gold[int(at)] for at in order[:k])
    n = max(1, len(examples))
    return [v / n for v in fused], [v / n for v in learned]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=DEPTH, help="how many of the fusion's paragraphs are reordered")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--dry-run", action="store_true", help="print the fit and the table; write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    from retrieval.ranker import ParagraphRanker

    services = {store: service_for(store, SUITE) for store in ("news", "sample")}
    examples = {
        split: [e for store in services for e in heads(services[store], questions_of(split, store), args.depth)]
        for split in ("train", "dev", "test")
    }
    examples["quiz, undated"] = heads(services["news"], questions_of(None, "quiz"), args.depth)
    fitted = fit(examples["train"], args.depth, args.l2)
    model = ParagraphRanker.from_dict(fitted)
    print("| split | questions | gold first: fusion → ranker | in the first 4 | in the first 12 |")
    print("|---|---|---|---|---|")
    for split, found in examples.items():
        fused, learned = hit_rates(found, model)
        cells = " | ".join(f"{a:.3f} → {b:.3f}" for a, b in zip(fused, learned, strict=True))
        print(f"| {split} | {len(found)} | {cells} |")
    print(json.dumps(fitted["fitted_on"]))
    if not args.dry_run:
        args.out.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        common.log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
