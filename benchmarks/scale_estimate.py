"""Per-paragraph costs on this machine, for the "Growing past one machine" estimate in the README.

Measures, with the real code paths:

1. embedding throughput (torch backend): ``ParagraphEmbedder.encode`` on realistic paragraphs (the
   bundled articles' paragraphs, cycled), and a full ``Indexer`` ingest into an embedded store;
2. bytes on disk per paragraph: ``du`` of that store's folder divided by its paragraphs;
3. query latency as the store grows: dense ``ParagraphStore.query`` and the full hybrid search
   (dense + BM25) at several sizes, filled with real paragraph text and random unit vectors (the
   vector index's cost depends on count and dimension, not on what the vectors mean), plus the time
   to build the BM25 keyword index each process keeps, and its size on disk (a proxy for its memory).

    .venv/bin/python benchmarks/scale_estimate.py --sizes 1000,10000,50000

Prints one JSON object. Nothing here is part of the test suite: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import benchmarks.common  # noqa: F401  (the offline environment every benchmark starts with)

QUERIES = [
    "Why was Chris Carter expelled from the Labour Party?",
    "What did the council decide about the harbour?",
    "Who complained about bullying in Parliament?",
    "When will the decision be made?",
    "What did the letter say about the leader?",
]


def bundled_paragraphs() -> list[str]:
    from corpus import bundled_articles_dir, load_articles

    loaded = load_articles([bundled_articles_dir()])
    return [p.text for a in loaded.articles for p in a.paragraphs]


def du_bytes(path: Path) -> int:
    """Bytes the folder occupies on disk (``du -sb`` when available, else the sum of file sizes)."""
    try:
        out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout
        return int(out.split()[0])
    except (OSError, subprocess.CalledProcessError, ValueError):
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure_embedding(texts: list[str]) -> dict[str, Any]:
    from retrieval.embeddings import ParagraphEmbedder

    embedder = ParagraphEmbedder(backend="torch")  # the figures here are for the torch backend
    embedder.encode(["warm up"])
    started = time.perf_counter()
    embedder.encode(texts)
    seconds = time.perf_counter() - started
    words = statistics.fmean(len(t.split()) for t in texts)
    return {"paragraphs": len(texts), "mean_words": round(words, 1), "paragraphs_per_s": round(len(texts) / seconds, 1)}


def measure_ingest(folder: Path, texts: list[str], per_article: int = 45) -> dict[str, Any]:
    """A real ingest of ``len(texts)`` paragraphs (45 per article) into an embedded store; time and disk."""
    from bot.service import NewsbotService
    from config import load_settings
    from corpus import Article, LoadResult

    articles = [
        Article(id=f"scale-{i:05d}", text="\n\n".join(texts[start : start + per_article]), source="scale")
        for i, start in enumerate(range(0, len(texts), per_article))
    ]
    service = NewsbotService(load_settings(data_dir=folder))
    service.embedder.encode(["warm up"])
    started = time.perf_counter()
    summary = service.ingest(LoadResult(articles=articles))
    seconds = time.perf_counter() - started
    records = service.store.record_count()
    size = du_bytes(folder / "chroma")
    return {
        "articles": len(articles),
        "paragraphs": summary.paragraphs,
        "records": records,
        "seconds": round(seconds, 1),
        "paragraphs_per_s": round(summary.paragraphs / seconds, 1),
        "store_bytes": size,
        "bytes_per_paragraph": round(size / max(1, summary.paragraphs)),
    }


def fill_store(folder: Path, texts: list[str], size: int) -> Any:
    """An embedded store of ``size`` records: real paragraph text, random unit vectors, real metadata."""
    from bot.service import NewsbotService
    from config import load_settings
    from retrieval.embeddings import DIMENSION

    service = NewsbotService(load_settings(data_dir=folder))
    rng = np.random.default_rng(0)
    batch = 5000
    for start in range(0, size, batch):
        count = min(batch, size - start)
        vectors = rng.standard_normal((count, DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ids, docs, metas = [], [], []
        for n in range(start, start + count):
            article, paragraph = divmod(n, 45)
            ids.append(f"scale-{article:06d}#{paragraph + 1}@0")
            docs.append(f"{texts[n % len(texts)]} (copy {n})")
            metas.append({"article_id": f"scale-{article:06d}", "paragraph": paragraph + 1, "window": 0, "windows": 1})
        service.store.upsert(ids, vectors, docs, metas)
    service.store.mark_changed(size // 45 + 1, size, "random-vectors")
    return service


def measure_queries(service: Any, rounds: int = 40) -> dict[str, Any]:
    """Dense query and full hybrid search latency (ms), and the keyword index's build cost."""
    embedder_vectors = service.embedder.encode(QUERIES)
    started = time.perf_counter()
    index = service.searcher.keyword_index()
    build_s = time.perf_counter() - started
    dense, hybrid = [], []
    for i in range(rounds):
        vector = embedder_vectors[i % len(QUERIES)]
        started = time.perf_counter()
        service.store.query(vector, service.settings.candidates)
        dense.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        service.searcher.search(QUERIES[i % len(QUERIES)], service.settings.top_k)
        hybrid.append(1000 * (time.perf_counter() - started))
    dense.sort()
    hybrid.sort()
    return {
        "records": service.store.record_count(),
        "dense_query_ms_p50": round(dense[len(dense) // 2], 1),
        "dense_query_ms_p95": round(dense[int(0.95 * len(dense))], 1),
        "hybrid_search_ms_p50": round(hybrid[len(hybrid) // 2], 1),
        "hybrid_search_ms_p95": round(hybrid[int(0.95 * len(hybrid))], 1),
        "keyword_index_build_s": round(build_s, 2),
        "keyword_index_paragraphs": len(index),
        # The pickled index (texts + BM25 matrix): a proxy for the memory every asking process holds.
        "keyword_cache_bytes": du_bytes(service.settings.resolved_data_dir / "cache"),
        "store_bytes": du_bytes(service.settings.resolved_data_dir / "chroma"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embed", type=int, default=1000, help="paragraphs for the embedding throughput run")
    parser.add_argument("--ingest", type=int, default=2250, help="paragraphs for the real ingest (45 per article)")
    parser.add_argument("--sizes", default="1000,10000,50000", help="store sizes for the query latency runs")
    args = parser.parse_args(argv)

    base = bundled_paragraphs()
    texts = [f"{base[i % len(base)]} Update {i}." for i in range(max(args.embed, args.ingest))]
    report: dict[str, Any] = {"cpu_count": os.cpu_count(), "load_average_start": list(os.getloadavg())}
    report["embedding"] = measure_embedding(texts[: args.embed])
    print(json.dumps(report["embedding"]), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="newsbot-scale-") as folder:
        report["ingest"] = measure_ingest(Path(folder) / "ingest", texts[: args.ingest])
        print(json.dumps(report["ingest"]), file=sys.stderr, flush=True)
        report["queries"] = []
        for size in [int(s) for s in args.sizes.split(",") if s]:
            service = fill_store(Path(folder) / f"size-{size}", texts, size)
            report["queries"].append(measure_queries(service))
            print(json.dumps(report["queries"][-1]), file=sys.stderr, flush=True)
    report["load_average_end"] = list(os.getloadavg())
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
