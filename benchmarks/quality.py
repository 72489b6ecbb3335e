"""Do quantised vectors (or titles embedded another way) retrieve as well? Paragraph hit@1/4/10.

    .venv/bin/python benchmarks/quality.py                      # XQuAD + 5,000-paragraph news subset
    .venv/bin/python benchmarks/quality.py --datasets xquad --backends torch onnx-int8
    .venv/bin/python benchmarks/quality.py --backends onnx-int8 --titles vector prefix none   # EMBED_TITLE

Retrieval is newsbot's own hybrid search (``NewsbotService(...).searcher.search(question, 10)``) and,
to isolate the embedding, dense-only search (``store.query``). The news subset holds every article
with a gold paragraph (175 articles, 4,360 paragraphs), then distractors in file order up to 5,000;
the scores count the 165 questions that have gold paragraphs. Strict hit@k as in the evaluation data's
README: a gold paragraph (whitespace-free, lowercased) among the top k. Stores are cached per dataset
and backend in ``benchmarks/.cache/quality-*`` (re-runs only re-embed what changed, i.e. nothing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common
from benchmarks.common import CACHE, MODELS, NEWS, RESULTS, XQUAD, log, squash

KS = (1, 4, 10)


def dataset(name: str, paragraphs: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if name == "xquad":
        return common.rows(XQUAD / "articles.jsonl"), common.rows(XQUAD / "questions.jsonl")
    questions = [q for q in common.rows(NEWS / "questions.jsonl") if q["gold_paragraphs"]]
    gold_articles = [a for q in questions for a in q["gold_article_ids"]]
    records = common.subset_records(common.rows(NEWS / "articles.jsonl"), paragraphs, first=gold_articles)
    kept = {squash(p) for r in records for p in r["text"].split("\n\n")}
    questions = [q for q in questions if any(squash(g) in kept for g in q["gold_paragraphs"])]
    return records, questions


def scores(ranked: list[list[str]], questions: list[dict[str, Any]]) -> dict[str, float]:
    hits = {k: 0 for k in KS}
    mrr = 0.0
    for texts, question in zip(ranked, questions, strict=True):
        gold = {squash(g) for g in question["gold_paragraphs"]}
        first = next((i for i, text in enumerate(texts[:10]) if squash(text) in gold), None)
        if first is not None:
            mrr += 1.0 / (first + 1)
            for k in KS:
                hits[k] += first < k
    n = len(questions)
    return {**{f"hit@{k}": round(hits[k] / n, 4) for k in KS}, "mrr@10": round(mrr / n, 4), "questions": n}


def evaluate(name: str, backend: str, paragraphs: int, models_dir: Path, title: str | None = None) -> dict[str, Any]:
    from corpus import LoadResult

    records, questions = dataset(name, paragraphs)
    corpus_key = common.file_key(XQUAD / "articles.jsonl" if name == "xquad" else NEWS / "articles.jsonl")
    folder = CACHE / f"quality-{name}-{paragraphs if name == 'news' else 'all'}-{corpus_key}-{backend}"
    overrides = {"embed_title": title} if title else {}
    if title:
        folder = folder.with_name(f"{folder.name}-title-{title}")
    service = common.make_service(folder, backend, models_dir, **overrides)
    started, cpu = time.perf_counter(), time.process_time()
    summary = service.ingest(LoadResult(articles=common.articles_from(records)))
    ingest_seconds, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
    index = service.searcher.keyword_index()
    text_of = {p.id: p.text for p in index.paragraphs}

    hybrid, dense = [], []
    started = time.perf_counter()
    for q in questions:
        hybrid.append([h.paragraph.text for h in service.searcher.search(q["question"], 10)])
    search_seconds = time.perf_counter() - started
    for q in questions:
        vector = service.embedder.encode([q["question"]])[0]
        dense.append([text_of[pid] for pid, _ in service.store.query(vector, 10) if pid in text_of])
    settings = service.settings.model_dump(mode="json")
    shown = ("top_k", "candidates", "rrf_k", "embed_title", "title_weight", "embed_backend")
    return {
        "dataset": name,
        "backend": backend,
        "settings": {k: v for k, v in settings.items() if k in shown or k.startswith(("keyword_", "dense_"))},
        "paragraphs": summary.paragraphs,
        "embedded_now": summary.embedded,
        "ingest_seconds": round(ingest_seconds, 1),
        "ingest_cpu_seconds": round(ingest_cpu, 1),  # of this run: 0 when the cached store was current
        "hybrid_seconds_per_query": round(search_seconds / len(questions), 4),
        "hybrid": scores(hybrid, questions),
        "dense": scores(dense, questions),
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| dataset | backend | title | retrieval | hit@1 | hit@4 | hit@10 | MRR@10 | questions |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for kind in ("hybrid", "dense"):
            s = r[kind]
            title = r["settings"].get("embed_title", "")
            lines.append(
                f"| {r['dataset']} ({r['paragraphs']} paragraphs) | {r['backend']} | {title} | {kind} | "
                f"{s['hit@1']:.3f} | {s['hit@4']:.3f} | {s['hit@10']:.3f} | {s['mrr@10']:.3f} | {s['questions']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", default=["xquad", "news"], choices=["xquad", "news"])
    parser.add_argument("--backends", nargs="+", default=["torch", "onnx-int8"], choices=["torch", "onnx", "onnx-int8"])
    parser.add_argument("--paragraphs", type=int, default=5000, help="size of the news subset")
    parser.add_argument(
        "--titles",
        nargs="+",
        choices=["vector", "prefix", "none"],
        help="compare how titles are embedded (EMBED_TITLE) instead of only the default",
    )
    parser.add_argument("--models-dir", default=str(MODELS))
    parser.add_argument("--out", default=str(RESULTS / "quality.json"))
    args = parser.parse_args(argv)
    if not (NEWS / "articles.jsonl").is_file():
        print(f"needs the evaluation data at {NEWS}", file=sys.stderr)
        return 2
    results = []
    for name in args.datasets:
        for backend in args.backends:
            for title in args.titles or [None]:
                log(f"[quality] {name} with {backend}" + (f", titles: {title}" if title else ""))
                results.append(evaluate(name, backend, args.paragraphs, Path(args.models_dir), title))
                log(json.dumps(results[-1]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
