"""Fit the extractive answer model (``bot/answering/answer_model.json``) on the train split only.

    .venv/bin/python benchmarks/fit_answerer.py --news-store ~/newsbot-eval-news

Training questions: the hand-written sets' ``train`` split (``benchmarks/questions/*.jsonl``: the
bundled sample articles and news articles outside the public quiz) and the XQuAD articles with an
even number (CC BY-SA 4.0; the odd ones are XQuAD's dev half). Nothing of the ``dev`` split, the
public news quiz or ``seed_questions.jsonl`` is read. For each question the real service retrieves
the paragraphs and lists the candidate sentences with their features; a sentence is a positive
example when it is in a gold paragraph and holds the question's key words. A logistic regression
(scikit-learn) learns the weights; the answer threshold is the one that makes the most train
questions right in 5-fold cross-validation grouped by article (answerable: a gold paragraph cited;
traps: abstained), so it too is chosen without the dev split.

Needs: a store of the news corpus (``newsbot ingest ../shared/evaldata/news/articles.jsonl`` into
``--news-store``); the sample and XQuAD stores are built under ``benchmarks/.cache/fit/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import common

QUESTIONS = common.ROOT / "benchmarks" / "questions"
OUT = common.ROOT / "bot" / "answering" / "answer_model.json"
XQUAD_SHARE = 0.3  # of the total weight: encyclopaedia questions teach sentence choice; ours are what users ask


@dataclass
class Example:
    qid: str
    group: str  # the article: cross-validation folds never split one
    answerable: bool
    rows: Any
    labels: list[int]
    gold_paragraph: list[bool]
    weight: float
    handwritten: bool


def _service(data_dir: Path, backend: str, **overrides: Any) -> Any:
    import numpy as np

    from bot.answering.extractive import ExtractiveAnswerer
    from bot.answering.features import NAMES
    from bot.answering.model import AnswerModel

    service = common.make_service(data_dir, backend, **overrides)
    blank = AnswerModel(NAMES, np.zeros(len(NAMES)), 0.0, 0.5, 0.5)
    service.extractive = ExtractiveAnswerer(
        service.embedder, service._document_frequency, neighbour=service.searcher.paragraph, model=blank
    )
    return service


def _ensure(service: Any, articles: list[Any]) -> None:
    from corpus import LoadResult

    if service.store.record_count() == 0:
        common.log(f"building {service.settings.resolved_data_dir} ({len(articles)} articles)")
        service.ingest(LoadResult(articles=articles))


def handwritten(split: str) -> Iterable[dict[str, Any]]:
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        for record in common.rows(path):
            if record["split"] == split:
                yield record


def xquad(half: int) -> tuple[list[Any], list[dict[str, Any]]]:
    records = [r for r in common.rows(common.XQUAD / "articles.jsonl") if int(r["id"].split("-")[1]) % 2 == half]
    ids = {r["id"] for r in records}
    questions = [q for q in common.rows(common.XQUAD / "questions.jsonl") if q["gold_article_ids"][0] in ids]
    return common.articles_from(records), questions


def examples_for(service: Any, question: str, gold: set[str], gold_texts: set[str], keys: list[str]) -> Any:
    from bot.evaluation.questions import normalise

    hits = service.searcher.search(question, service.settings.top_k)
    candidates = service.extractive.candidates(question, hits)
    in_gold = [c.paragraph.id in gold or normalise(c.paragraph.text) in gold_texts for c in candidates]
    lowered = [k.lower() for k in keys if k]
    keyed = {
        c.paragraph.id
        for c, g in zip(candidates, in_gold, strict=True)
        if g and any(k in c.text.lower() for k in lowered)
    }
    labels = [
        int(g and (c.paragraph.id not in keyed or any(k in c.text.lower() for k in lowered)))
        for c, g in zip(candidates, in_gold, strict=True)
    ]
    return candidates, labels, in_gold


def collect(news_store: Path | None, backend: str) -> list[Example]:
    import numpy as np

    from corpus import bundled_articles_dir, load_articles

    fit = common.CACHE / "fit"
    seeds = _service(fit / "seeds", backend)
    _ensure(seeds, load_articles([bundled_articles_dir()]).articles)
    news = _service(news_store, backend) if news_store else None
    if news is not None and news.store.record_count() == 0:
        raise SystemExit(f"{news_store} holds no store: ingest ../shared/evaldata/news/articles.jsonl into it first")
    xquad_articles, xquad_questions = xquad(0)
    wiki = _service(fit / "xquad-train", backend)
    _ensure(wiki, xquad_articles)

    found: list[Example] = []

    def add(
        service: Any,
        qid: str,
        group: str,
        question: str,
        answerable: bool,
        gold: set[str],
        gold_texts: set[str],
        keys: list[str],
        weight: float,
        own: bool,
    ) -> None:
        candidates, labels, in_gold = examples_for(service, question, gold, gold_texts, keys)
        rows = np.stack([c.row for c in candidates]) if candidates else np.zeros((0, 0))
        found.append(Example(qid, group, answerable, rows, labels, in_gold, weight, own))

    for record in handwritten("train"):
        service = seeds if not record["article"].startswith("rtqa-") else news
        if service is None:
            continue
        gold = {f"{Path(a).stem}#{n}" for a, n in record.get("gold_any", [])}
        add(
            service,
            record["id"],
            record["article"],
            record["question"],
            bool(record["answerable"]),
            gold,
            set(),
            record.get("answer_any", []),
            1.0,
            True,
        )
    from bot.evaluation.questions import normalise

    for q in xquad_questions:
        add(
            wiki,
            q["id"],
            q["gold_article_ids"][0],
            q["question"],
            True,
            set(),
            {normalise(p) for p in q["gold_paragraphs"]},
            [q["answer"]],
            1.0,
            False,
        )
    own = sum(e.handwritten for e in found)
    wiki_count = len(found) - own
    if own and wiki_count:
        for e in found:
            if not e.handwritten:
                e.weight = XQUAD_SHARE / (1 - XQUAD_SHARE) * own / wiki_count
    return found


def fit(examples: list[Example]) -> tuple[Any, Any, float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    used = [e for e in examples if len(e.labels)]
    X = np.vstack([e.rows for e in used])
    y = np.concatenate([e.labels for e in used])
    # Every question counts alike, however many candidate sentences it has.
    w = np.concatenate([[e.weight / len(e.labels)] * len(e.labels) for e in used])
    w *= len(w) / w.sum()
    scaler = StandardScaler().fit(X)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=0.3, max_iter=5000).fit((X - scaler.mean_) / scale, y, sample_weight=w)
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (model.coef_[0] * scaler.mean_ / scale).sum())
    return weights, bias, float(y.mean())


def best_of(example: Example, weights: Any, bias: float) -> tuple[float, bool]:
    import numpy as np

    if not len(example.labels):
        return 0.0, False
    p = 1 / (1 + np.exp(-(example.rows @ weights + bias)))
    i = int(np.argmax(p))
    return float(p[i]), bool(example.gold_paragraph[i])


def cross_validated(examples: list[Example], folds: int = 5) -> list[tuple[Example, float, bool]]:
    """Each question's best probability and whether its best sentence is gold, from a model not fitted on it."""
    groups = sorted({e.group for e in examples})
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    out = []
    for k in range(folds):
        weights, bias, _ = fit([e for e in examples if fold_of[e.group] != k])
        out += [(e, *best_of(e, weights, bias)) for e in examples if fold_of[e.group] == k]
    return out


def choose_thresholds(scored: list[tuple[Example, float, bool]]) -> tuple[float, float, dict[str, float]]:
    own = [s for s in scored if s[0].handwritten]

    def correct(t: float) -> float:
        return sum((p >= t and gold) if e.answerable else p < t for e, p, gold in own) / len(own)

    grid = [i / 100 for i in range(2, 96)]
    best = max(grid, key=lambda t: (round(correct(t), 4), -abs(t - 0.5)))
    traps = sorted(p for e, p, _ in own if not e.answerable)
    related = min(best, traps[len(traps) // 4]) if traps else best / 2
    answerable = [s for s in own if s[0].answerable]
    report = {
        "train_cv_correct": round(correct(best), 3),
        "train_cv_answerable_cited": round(sum(p >= best and g for _, p, g in answerable) / max(1, len(answerable)), 3),
        "train_cv_wrong_abstentions": round(sum(p < best for _, p, _ in answerable) / max(1, len(answerable)), 3),
        "train_cv_traps_abstained": round(sum(p < best for p in traps) / max(1, len(traps)), 3),
    }
    return best, related, report


def write_model(examples: list[Example], out: Path) -> dict[str, Any]:
    """Choose the thresholds by cross-validation, fit on all train questions, write the model file."""
    from bot.answering.features import NAMES

    scored = cross_validated(examples)
    threshold, related, report = choose_thresholds(scored)
    weights, bias, base_rate = fit(examples)
    own = [e for e in examples if e.handwritten]
    model = {
        "about": "Logistic regression over bot/answering/features.py, written by benchmarks/fit_answerer.py "
        "from the train split only (hand-written train questions and the even XQuAD articles).",
        "fitted": dt.date.today().isoformat(),
        "training": {
            "handwritten_questions": len(own),
            "handwritten_unanswerable": sum(not e.answerable for e in own),
            "xquad_questions": len(examples) - len(own),
            "candidate_sentences": int(sum(len(e.labels) for e in examples)),
            "positive_share": round(base_rate, 4),
            **report,
        },
        "features": list(NAMES),
        "weights": {n: round(float(v), 5) for n, v in zip(NAMES, weights, strict=True)},
        "bias": round(bias, 5),
        "answer_threshold": threshold,
        "related_threshold": round(related, 3),
    }
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--news-store", type=Path, help="data folder of a store of the news corpus (else: no news questions)"
    )
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    examples = collect(args.news_store, args.backend)
    model = write_model(examples, args.out)
    print(json.dumps({k: model[k] for k in ("training", "answer_threshold", "related_threshold")}, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
