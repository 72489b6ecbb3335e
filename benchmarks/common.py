"""Shared helpers of the speed and quality benchmarks: evaluation data, services, measurements.

The evaluation data is read from ``../shared/evaldata`` (beside the repository) and never copied
into the repository; caches go to ``benchmarks/.cache/`` (git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# The start-up every benchmark script shares (each imports this module first): offline model, no
# telemetry, quiet tokenizers, and the repository importable when a script is run by its path.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EVALDATA = Path(os.environ.get("NEWSBOT_EVALDATA", str(ROOT.parent / "shared" / "evaldata")))
NEWS = EVALDATA / "news"
XQUAD = EVALDATA / "xquad"
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results"
MODELS = CACHE / "models"


def rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def file_key(path: Path) -> str:
    """A short content hash of a data file (the corpus part of a cache key)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def articles_from(records: Iterable[dict[str, Any]]) -> list[Any]:
    """Evaluation-data records as newsbot articles (paragraphs = the blank-line-separated blocks)."""
    from corpus import Article

    return [
        Article(
            id=str(r["id"]),
            text=r["text"],
            title=r.get("title") or "",
            url=r.get("url") or "",
            published=r.get("published") or "",
            source=f"evaldata:{r['id']}",
        )
        for r in records
    ]


def subset_records(records: Sequence[dict[str, Any]], paragraphs: int, first: Iterable[str] = ()) -> list[dict]:
    """Whole articles (those named in ``first`` first, then in file order) until ``paragraphs`` paragraphs.

    The last article is cut so the total is exact.
    """
    by_id = {r["id"]: r for r in records}
    wanted = [by_id[i] for i in dict.fromkeys(first) if i in by_id]
    seen = {r["id"] for r in wanted}
    ordered = wanted + [r for r in records if r["id"] not in seen]
    chosen, total = [], 0
    for record in ordered:
        parts = [p.strip() for p in record["text"].split("\n\n") if p.strip()]
        if not parts:
            continue
        take = parts[: paragraphs - total]
        chosen.append({**record, "text": "\n\n".join(take)})
        total += len(take)
        if total >= paragraphs:
            break
    return chosen


def paragraph_count(records: Iterable[dict[str, Any]]) -> int:
    return sum(len([p for p in r["text"].split("\n\n") if p.strip()]) for r in records)


def make_service(data_dir: Path, backend: str, models_dir: Path = MODELS, **overrides: Any) -> Any:
    """A NewsbotService on ``data_dir`` whose embedder uses ``backend``.

    Uses the ``embed_backend`` setting when the settings have it, else sets the embedder directly.
    """
    from bot.service import NewsbotService
    from config import Settings, load_settings
    from retrieval.embeddings import ParagraphEmbedder

    if "embed_backend" in Settings.model_fields:
        overrides["embed_backend"] = backend
    service = NewsbotService(load_settings(data_dir=data_dir, **overrides))
    service.embedder = ParagraphEmbedder(
        batch_size=service.settings.embed_batch_size, backend=backend, cache_dir=models_dir
    )
    return service


def squash(text: str) -> str:
    """Whitespace-free lowercase text: how gold paragraphs are compared (evaldata README)."""
    return re.sub(r"\s+", "", text).lower()


def percentile(values: Sequence[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
