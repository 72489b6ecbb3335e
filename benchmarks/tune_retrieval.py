"""Try retrieval settings on an already-built store without re-embedding anything.

Dense and BM25 rankings are computed once per question (top 100 each); each variant then only
re-fuses them, so dozens of variants take seconds. Prints strict/lenient paragraph hit@k and
article Hits@k per variant, for the README's quality table.

    NEWSBOT_DATA_DIR=benchmarks/.cache/<store> .venv/bin/python benchmarks/tune_retrieval.py \
        ../shared/evaldata/news/questions.jsonl
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str]) -> int:
    from bot.evaluation.questions import load_questions, normalise
    from bot.service import NewsbotService
    from config import load_settings

    questions = load_questions(Path(argv[0]))
    service = NewsbotService(load_settings())
    index = service.searcher.keyword_index()
    by_id = {p.id: p for p in index.paragraphs}
    vectors = service.embedder.encode([q.question for q in questions])
    from retrieval.keyword import KeywordIndex

    names = tuple(os.environ.get("TUNE_CONTEXTS", "none,title,previous,title+previous,title+previous+next").split(","))
    contexts = {c: KeywordIndex.build(index.paragraphs, "tuning", context=c) for c in names}
    dense_runs = [[pid for pid, _ in service.store.query(vector, 100)] for vector in vectors]
    all_runs = {
        c: [
            (q, dense, [kw.paragraphs[i].id for i, _ in kw.search(q.question, 100)])
            for q, dense in zip(questions, dense_runs, strict=True)
        ]
        for c, kw in contexts.items()
    }

    def fuse(dense: list[str], keyword: list[str], k: int, wd: float, wk: float, depth: int) -> list[str]:
        scores: dict[str, float] = {}
        for rank, pid in enumerate(dense[:depth]):
            scores[pid] = scores.get(pid, 0.0) + wd / (k + rank + 1)
        for rank, pid in enumerate(keyword[:depth]):
            scores[pid] = scores.get(pid, 0.0) + wk / (k + rank + 1)
        return sorted(scores, key=scores.get, reverse=True)[:100]

    def measure(ranker, runs) -> dict[str, float]:
        strict = {1: [], 4: [], 10: []}
        lenient = {1: [], 4: [], 10: []}
        article = {4: [], 10: []}
        for question, dense, keyword in runs:
            top = ranker(dense, keyword)
            texts = [by_id[p].text for p in top if p in by_id]
            arts: list[str] = []
            for p in top:
                if p in by_id and by_id[p].article_id not in arts:
                    arts.append(by_id[p].article_id)
            for k in strict:
                if question.has_paragraph_gold:
                    strict[k].append(
                        any(normalise(t) in question.gold_texts for t in texts[:k])
                        or bool(set(top[:k]) & question.gold_ids)
                    )
                ok = False
                for t in texts[:k]:
                    if question.evidence:
                        from bot.evaluation.questions import content_tokens

                        ok = ok or len(question.evidence & content_tokens(t)) / len(question.evidence) >= 0.5
                    else:
                        ok = ok or any(a.lower() in t.lower() for a in question.answers if a)
                lenient[k].append(ok)
            for k in article:
                article[k].append(bool(set(arts[:k]) & question.gold_articles))
            texts = texts[:10]
        result = {f"hit@{k}": sum(v) / len(v) for k, v in strict.items() if v}
        result |= {f"lenient@{k}": sum(v) / len(v) for k, v in lenient.items()}
        result |= {f"article@{k}": sum(v) / len(v) for k, v in article.items()}
        return result

    first = next(iter(all_runs.values()))
    rows = {"dense only": measure(lambda d, k: d, first)}
    for context, runs in all_runs.items():
        rows[f"bm25 only, context={context}"] = measure(lambda d, k: k, runs)
        for rrf_k, wd, depth in itertools.product((60, 20, 10, 5), (1.0, 0.7, 0.5), (50, 100)):
            rows[f"rrf k={rrf_k} dense_weight={wd} depth={depth} context={context}"] = measure(
                lambda d, k, a=rrf_k, b=wd, c=depth: fuse(d, k, a, b, 1.0, c), runs
            )
    for name, figures in sorted(rows.items(), key=lambda item: -item[1].get("hit@4", 0)):
        print(f"{name:62} " + "  ".join(f"{k}={v:.3f}" for k, v in figures.items()))
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
