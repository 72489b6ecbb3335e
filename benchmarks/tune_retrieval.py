"""Try retrieval settings on an already-built store without re-embedding anything.

Every ranking a variant could use is computed once per question and cached as JSON beside the
store: dense top 100 (from the store), BM25 top 100 over paragraphs with each keyword context,
BM25 top 100 over whole articles. A variant then only re-fuses them, so dozens take seconds.
Prints strict/lenient paragraph hit@k and article Hits@k per variant, for the README's quality table.

    NEWSBOT_EMBED_BACKEND=onnx-int8 NEWSBOT_DATA_DIR=benchmarks/.cache/<store> \
        .venv/bin/python benchmarks/tune_retrieval.py ../shared/evaldata/news/questions.jsonl

``--no-dense`` reads the paragraphs from ``--articles`` instead of a store (keyword variants only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.common import ROOT  # the offline environment of every benchmark is set there

CONTEXTS = ("none", "title", "title+previous")
DEPTH = 100


def _paragraphs(args: argparse.Namespace) -> tuple[list[Any], Any]:
    """The corpus paragraphs (store order when a store is used) and the service, if any."""
    if args.no_dense:
        from corpus.loaders import load_articles

        loaded = load_articles([Path(args.articles)])
        return [p for a in loaded.articles for p in a.paragraphs], None
    from bot.service import NewsbotService
    from config import load_settings

    service = NewsbotService(load_settings())
    return list(service.searcher.keyword_index().paragraphs), service


def _rankings(args: argparse.Namespace, questions: list[Any]) -> tuple[dict[str, Any], list[Any]]:
    from retrieval.keyword import KeywordIndex

    paragraphs, service = _paragraphs(args)
    encoder = service.settings.question_encoder if service is not None else None
    key = hashlib.sha256(
        json.dumps([args.questions, len(paragraphs), paragraphs[-1].id, CONTEXTS, args.no_dense, encoder]).encode()
    ).hexdigest()[:10]
    cache = ROOT / "benchmarks" / ".cache" / f"tune-rankings-{key}.json"
    if cache.is_file():
        return json.loads(cache.read_text()), paragraphs
    runs: dict[str, Any] = {q.id: {} for q in questions}
    for context in CONTEXTS:
        index = KeywordIndex.build(paragraphs, "tuning", context=context)
        for q in questions:
            runs[q.id][f"bm25:{context}"] = [index.paragraphs[i].id for i, _ in index.search(q.question, DEPTH)]
    articles = KeywordIndex.build_for_articles(paragraphs, "tuning")
    for q in questions:
        runs[q.id]["articles"] = [articles.paragraphs[i].article_id for i, _ in articles.search(q.question, DEPTH)]
    if service is not None:
        for q in questions:  # the question's vector as the search makes it (the question model, if on)
            vector = service.searcher.search_vector(q.question)
            runs[q.id]["dense"] = [pid for pid, _ in service.store.query(vector, DEPTH)]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(runs))
    return runs, paragraphs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions")
    parser.add_argument("--no-dense", action="store_true", help="keyword variants only; no store needed")
    parser.add_argument("--articles", default=str(ROOT.parent / "shared/evaldata/news/articles.jsonl"))
    parser.add_argument(
        "--grid",
        default="main",
        choices=["main", "wide", "dense"],
        help="which variants to try (dense: the dense ranking weighted up to 5x the keyword one, undated)",
    )
    args = parser.parse_args(argv)

    from bot.evaluation.questions import content_tokens, load_questions, normalise
    from retrieval.ranking import FusionWeights, fuse_rankings

    questions = load_questions(Path(args.questions))
    runs, paragraphs = _rankings(args, questions)
    by_id = {p.id: p for p in paragraphs}
    published = {p.article_id: p.published for p in paragraphs}

    def measure(ranker: Callable[[Any, dict[str, list[str]]], list[str]]) -> dict[str, float]:
        strict: dict[int, list[bool]] = {1: [], 4: [], 10: []}
        lenient: dict[int, list[bool]] = {1: [], 4: [], 10: []}
        article: dict[int, list[bool]] = {4: [], 10: []}
        for question in questions:
            top = ranker(question, runs[question.id])
            texts = [by_id[p].text for p in top[:10]]
            arts: list[str] = []
            for p in top:
                if by_id[p].article_id not in arts:
                    arts.append(by_id[p].article_id)
            for k in strict:
                if question.has_paragraph_gold:
                    by_text = any(normalise(t) in question.gold_texts for t in texts[:k])
                    strict[k].append(by_text or bool(set(top[:k]) & question.gold_ids))
                if question.evidence:
                    share = [len(question.evidence & content_tokens(t)) / len(question.evidence) for t in texts[:k]]
                    ok = any(x >= 0.5 for x in share)
                else:
                    ok = any(a.lower() in t.lower() for t in texts[:k] for a in question.answers if a)
                lenient[k].append(ok)
            for k in article:
                article[k].append(bool(set(arts[:k]) & question.gold_articles))
        result = {f"hit@{k}": sum(v) / len(v) for k, v in strict.items() if v}
        result |= {f"lenient@{k}": sum(v) / len(v) for k, v in lenient.items()}
        result |= {f"article@{k}": sum(v) / len(v) for k, v in article.items()}
        return result

    def variant(context: str, weights: FusionWeights, dated: bool) -> Callable[[Any, dict[str, list[str]]], list[str]]:
        def rank(question: Any, lists: dict[str, list[str]]) -> list[str]:
            as_of = dt.date.fromisoformat(question.asked_on) if dated and question.asked_on else None
            return fuse_rankings(
                lists.get("dense", []),
                lists[f"bm25:{context}"],
                lists["articles"],
                article_of=lambda pid: by_id[pid].article_id,
                published_of=published.get,
                weights=weights,
                as_of=as_of,
                exclude_later=as_of is not None,
                limit=DEPTH,
            )

        return rank

    rows: dict[str, dict[str, float]] = {}
    if "dense" in next(iter(runs.values())):
        rows["dense only"] = measure(lambda q, lists: lists["dense"])
    for context in CONTEXTS:
        rows[f"bm25 only, context={context}"] = measure(lambda q, lists, c=context: lists[f"bm25:{c}"])
    dense_weights = (1.0, 0.7, 0.5) if "dense" in next(iter(runs.values())) else (0.0,)
    wide = args.grid == "wide"
    if args.grid == "dense":  # our own questions: how far above the keyword ranking the dense one belongs
        dense_up = (0.7, 1.0, 1.5, 2.0, 3.0, 5.0)
        grid: Any = itertools.product(("none",), (60, 30, 20), dense_up, (0.0, 0.5, 1.0), (0.0,), (False,))
    else:
        grid = itertools.product(
            CONTEXTS if wide else ("none", "title+previous"),
            (60, 30, 20, 10) if wide else (60, 20, 10),
            dense_weights,
            (0.0, 0.5, 1.0, 1.5) if wide else (0.0, 0.5, 1.0),  # article weight
            (0.0, 1.0, 2.0, 3.0, 4.0, 6.0) if wide else (0.0, 1.0, 2.0),  # recency weight
            (False, True),  # the question's date known (recency counted from it, later articles left out)
        )
    for context, k, wd, wa, wr, dated in grid:
        if wr and not dated:
            continue  # recency needs a date to count from
        weights = FusionWeights(rrf_k=k, dense=wd, keyword=1.0, article=wa, recency=wr)
        name = f"ctx={context} k={k} dense={wd} article={wa} recency={wr} dated={int(dated)}"
        rows[name] = measure(variant(context, weights, dated=dated))
    for name, figures in sorted(rows.items(), key=lambda item: -item[1].get("hit@4", 0)):
        print(f"{name:60} " + "  ".join(f"{k}={v:.3f}" for k, v in figures.items()))
    out = ROOT / "benchmarks" / ".cache" / "tune-last.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"(all rows in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
