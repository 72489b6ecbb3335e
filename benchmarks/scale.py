"""A million paragraphs on one machine: build the store by stages and measure each stage.

    nice -n 10 python benchmarks/scale.py --base-store /work/stores/news          # 10k … 1M
    python benchmarks/scale.py --smoke --root /tmp/scale-smoke                    # the CI size

The corpus is ``../shared/evaldata/news`` (73,464 paragraphs) copied until the target size. Copy 0
is the corpus itself; copy ``c`` (1, 2, …) of an article has its own id, URL and date (``c`` years
earlier), every proper name renamed (a capitalised word the corpus never writes in lower case becomes
an invented name, the same all through that copy) and every number raised by ``c``. So no two
paragraphs are duplicates, common words keep their weight, and the vocabulary grows with new names as a
bigger archive's would. The copies' text is written under ``--root``, never into the repository.

Vectors: embedding a million paragraphs on two shared cores would take hours, so the build embeds
honestly only what it must. Copy 0 takes the vectors the base store already holds (``--base-store``,
a ``newsbot ingest`` of the same corpus with the same embedder, read through a copy), or embeds
them once (cached under ``--root``). A copy's paragraph takes its original's vector plus a random
perturbation whose size is calibrated on a sample: the sample's copies are embedded for real, and
the perturbation is chosen so that a derived vector is as far from its original as the real
embedding of the changed text is (the figures print both distances). Paragraphs whose text is
longer than one model window are embedded for real. Dense search over such vectors is as costly as
over real ones (same count, same dimensions), but clusters of near-copies make it somewhat easier
for HNSW than a real archive; the keyword side sees real, changed text.

Everything else is the real thing: each stage is ``newsbot ingest`` of new articles (the real
indexer, Chroma, and the keyword index built by the ingest), in batches of ``--batch`` paragraphs;
each measurement runs in a fresh process that opens the store as ``newsbot ask`` would.

Per size it reports: ingest rate (paragraphs/s, embedding excluded: the vectors are derived), store
size on disk, start-up of a second process (to its first search answered; the page cache is warm),
retrieval p50/p95 (``searcher.search`` over the news questions) with the keyword and dense parts
apart, and that process's RSS. At the last size it adds 10 new articles with the real embedder and
reports the time besides embedding. Ratios are against the smallest size, measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import NEWS, RESULTS, folder_bytes, log, percentile, rows

DEFAULT_SIZES = (10_000, 100_000, 300_000, 1_000_000)
SMOKE_SIZES = (300, 900)
_PROPER = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\d+")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
CALIBRATION_SAMPLE = 300
FILE_ARTICLES = 500  # about 3 MB of .jsonl


# -- the copies --------------------------------------------------------------------------------


class Copier:
    """Copy ``c`` of a news record: same words, other names, other numbers, other id/URL/date."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        lower: set[str] = set()
        for r in records:
            lower.update(w for w in re.findall(r"\b[a-z]+\b", f"{r.get('title', '')} {r['text']}"))
        self._common = lower
        self._names: dict[tuple[int, str], str] = {}

    def name(self, copy: int, word: str) -> str:
        key = (copy, word)
        found = self._names.get(key)
        if found is None:
            rng = random.Random(f"{copy}:{word}")
            found = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            self._names[key] = found
        return found

    def text(self, copy: int, text: str) -> str:
        if copy == 0:
            return text
        text = _PROPER.sub(
            lambda m: m.group(0) if m.group(0).lower() in self._common else self.name(copy, m.group(0)), text
        )
        return _NUMBER.sub(lambda m: str(int(m.group(0)) + copy), text)

    def record(self, copy: int, record: dict[str, Any]) -> dict[str, Any]:
        if copy == 0:
            return record
        published = record.get("published") or ""
        try:
            day = dt.date.fromisoformat(published[:10])
            published = (
                day.replace(year=day.year - copy).isoformat() if not (day.month == 2 and day.day == 29) else published
            )
        except ValueError:
            pass
        return {
            "id": f"{record['id']}-c{copy:02d}",
            "url": f"{record.get('url', '')}?copy={copy}",
            "title": self.text(copy, record.get("title") or ""),
            "published": published,
            "text": self.text(copy, record["text"]),
        }


# -- vectors -------------------------------------------------------------------------------


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).digest()


class DerivedEmbedder:
    """Stands in for the ingest's embedder: known texts get derived vectors, others real ones.

    ``origins`` maps the text the indexer embeds (title prefix + paragraph) to (row of the original's
    vector, copy number); copy 0 gets the original vector itself.
    """

    def __init__(self, real: Any, base: Any, sigma: float) -> None:
        import numpy as np

        self.real = real
        self.base = base
        self.sigma = sigma
        self.origins: dict[bytes, tuple[int, int]] = {}
        self.batch_size = real.batch_size
        self.key = real.key
        self.derived = 0
        self.embedded = 0
        self.embed_seconds = 0.0
        self._np = np

    def windows(self, text: str, prefix: str = "", max_windows: int | None = None) -> list[Any]:
        return self.real.windows(text, prefix, max_windows=max_windows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)  # window_tokens, dimension…: the real model's

    def vector(self, key: bytes, row: int, copy: int) -> Any:
        np = self._np
        vector = np.asarray(self.base[row], dtype=np.float64)
        if copy:
            noise = np.random.default_rng(int.from_bytes(key[:8], "little")).standard_normal(len(vector))
            vector = vector + self.sigma * noise / np.sqrt(len(vector))
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def encode_windows(self, windows: Any) -> Any:
        return self.encode([w.text for w in windows])  # the ingest's entry point: windows carry their text

    def encode(self, texts: list[str]) -> Any:
        np = self._np
        out = np.zeros((len(texts), self.base.shape[1]), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            key = text_key(text)
            found = self.origins.get(key)
            if found is None:
                missing.append(i)
            else:
                out[i] = self.vector(key, *found)
        self.derived += len(texts) - len(missing)
        if missing:
            started = time.perf_counter()
            out[missing] = self.real.encode([texts[i] for i in missing])
            self.embed_seconds += time.perf_counter() - started
            self.embedded += len(missing)
        return out


def embed_text(paragraph: Any) -> str:
    """What the indexer embeds for a one-window paragraph (title prefix on, the default)."""
    return f"{paragraph.title}. {paragraph.text}" if paragraph.title else paragraph.text


def base_vectors(args: argparse.Namespace, base_articles: list[Any], real: Any) -> tuple[Any, dict[bytes, int]]:
    """(vectors, text key → row) for the base corpus's one-window paragraphs."""
    import numpy as np

    cache = Path(args.root) / "vectors"
    cache.mkdir(parents=True, exist_ok=True)
    vectors_file, keys_file = cache / "base.npy", cache / "base-keys.npy"
    paragraphs = [p for a in base_articles for p in a.paragraphs]
    if vectors_file.exists() and keys_file.exists():
        keys = np.load(keys_file)
        return np.load(vectors_file, mmap_mode="r"), {bytes(k): i for i, k in enumerate(keys)}
    texts: dict[bytes, str] = {}
    for p in paragraphs:
        texts.setdefault(text_key(embed_text(p)), embed_text(p))
    found: dict[bytes, Any] = {}
    if args.base_store:
        found = vectors_from_store(Path(args.base_store), Path(args.root), {p.id: p for p in paragraphs})
        log(f"base vectors: {len(found):,} one-window paragraphs from {args.base_store}")
    missing = [k for k in texts if k not in found]
    if missing and not args.base_store:
        log(f"base vectors: embedding {len(missing):,} paragraphs for real (cached in {cache})")
        for start in range(0, len(missing), 512):
            chunk = missing[start : start + 512]
            for k, v in zip(chunk, real.encode([texts[k] for k in chunk]), strict=True):
                found[k] = v
    keys = list(found)
    vectors = np.stack([found[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 384), np.float32)
    np.save(vectors_file, vectors)
    np.save(keys_file, np.frombuffer(b"".join(keys), dtype="S12") if keys else np.zeros(0, "S12"))
    return vectors, {k: i for i, k in enumerate(keys)}


def vectors_from_store(store_dir: Path, root: Path, by_id: dict[str, Any]) -> dict[bytes, Any]:
    """Vectors of one-window paragraphs of a newsbot store, read through a private copy of it."""
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings

    copy = root / "base-store-copy"
    if not copy.exists():
        shutil.copytree(store_dir / "chroma", copy)
    client = chromadb.PersistentClient(path=str(copy), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection("newsbot-paragraphs")
    found: dict[bytes, Any] = {}
    offset = 0
    while True:
        page = collection.get(include=["embeddings", "metadatas"], limit=5000, offset=offset)
        if not page["ids"]:
            break
        for rid, meta, vector in zip(page["ids"], page["metadatas"], page["embeddings"], strict=True):
            pid, window = rid.rsplit("@", 1)
            paragraph = by_id.get(pid)
            if window == "0" and int(meta.get("windows", 1)) == 1 and paragraph is not None:
                found[text_key(embed_text(paragraph))] = np.asarray(vector, dtype=np.float32)
        offset += len(page["ids"])
    return found


def calibrate(copier: Copier, base_articles: list[Any], vectors: Any, rows_of: dict[bytes, int], real: Any) -> dict:
    """The perturbation size: derived vectors as far from their originals as real copies are."""
    import numpy as np

    rng = random.Random(13)
    pool = [p for a in base_articles for p in a.paragraphs if text_key(embed_text(p)) in rows_of]
    sample = rng.sample(pool, min(CALIBRATION_SAMPLE, len(pool)))
    copies = [rng.randint(1, 13) for _ in sample]
    texts = [
        (f"{copier.text(c, p.title)}. " if p.title else "") + copier.text(c, p.text)
        for p, c in zip(sample, copies, strict=True)
    ]
    real_vectors = real.encode(texts)
    originals = np.stack([vectors[rows_of[text_key(embed_text(p))]] for p in sample])
    cos_real = (real_vectors * originals).sum(1)
    changed = cos_real < 0.99999  # copies whose text changed at all
    mean = float(cos_real[changed].mean()) if changed.any() else 1.0
    sigma = float(np.sqrt(max(1.0 / mean**2 - 1.0, 0.0)))
    probe = DerivedEmbedder(real, vectors, sigma)
    derived = np.stack(
        [
            probe.vector(text_key(t), rows_of[text_key(embed_text(p))], c)
            for t, p, c in zip(texts, sample, copies, strict=True)
        ]
    )
    return {
        "sample": len(sample),
        "changed_in_sample": int(changed.sum()),
        "cos_real_copy_to_original": round(mean, 4),
        "cos_derived_to_original": round(float((derived * originals).sum(1)[changed].mean()), 4),
        "cos_derived_to_real_copy": round(float((derived * real_vectors).sum(1)[changed].mean()), 4),
        "sigma": round(sigma, 4),
    }


# -- stages --------------------------------------------------------------------------------


def plan_stages(records: list[dict], sizes: list[int], copies_needed: int) -> list[list[tuple[int, dict]]]:
    """For each size, the (copy, record) pairs its stage adds (whole articles; the last one cut)."""
    ordered = [(c, r) for c in range(copies_needed) for r in records]
    stages, total, at = [], 0, 0
    for size in sizes:
        stage = []
        while total < size and at < len(ordered):
            copy, record = ordered[at]
            parts = [p for p in record["text"].split("\n\n") if p.strip()]
            if total + len(parts) > size:
                record = {**record, "text": "\n\n".join(parts[: size - total])}
                parts = parts[: size - total]
            stage.append((copy, record))
            total += len(parts)
            at += 1
        stages.append(stage)
    return stages


def make_service(data_dir: Path, **settings: Any) -> Any:
    from bot.service import NewsbotService
    from config import load_settings

    # Titles as a prefix: the base vectors come from the news store, built that way, and each copy's
    # derived vector stands for its whole embedded text (the "vector" mode's title sum would not).
    settings.setdefault("embed_title", "prefix")
    return NewsbotService(load_settings(data_dir=data_dir, **settings))


def ingest_stage(
    service: Any,
    stage: list[tuple[int, dict]],
    copier: Copier,
    embedder: DerivedEmbedder,
    root: Path,
    batch: int,
    name: str,
) -> dict:
    """Write the stage's articles as .jsonl batches and ingest each (one `newsbot ingest` per batch)."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    seconds = paragraphs = 0.0
    batches, current, count = [], [], 0
    for copy, record in stage:
        current.append(copier.record(copy, record))
        count += len([p for p in record["text"].split("\n\n") if p.strip()])
        if count >= batch:
            batches.append(current)
            current, count = [], 0
    if current:
        batches.append(current)
    keyword_seconds = 0.0
    for number, records in enumerate(batches):
        paths = []
        for part in range(0, len(records), FILE_ARTICLES):  # files stay under NEWSBOT_MAX_FILE_MB
            path = corpus / f"{name}-{number:03d}-{part // FILE_ARTICLES:02d}.jsonl"
            chunk = records[part : part + FILE_ARTICLES]
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk), encoding="utf-8")
            paths.append(path)
        loaded = service.load(paths)
        if loaded.failed:
            raise SystemExit(f"the copies did not load: {loaded.failed[0]}")
        for article in loaded.articles:
            copy = _copy_of(article.id)
            for p in article.paragraphs:
                row = _original_row(copier, p, copy)
                if row is not None:
                    embedder.origins[text_key(embed_text(p))] = (row, copy)
        timer = _Timer(service.searcher.keyword_store, ("update", "rebuild"))
        started = time.perf_counter()
        summary = service.ingest(loaded)
        seconds += time.perf_counter() - started
        keyword_seconds += timer.seconds
        timer.undo()
        paragraphs += summary.embedded
        embedder.origins.clear()
        log(f"  {name} batch {number + 1}/{len(batches)}: {summary.embedded:,} paragraphs in {summary.seconds:.0f} s")
    return {
        "paragraphs": int(paragraphs),
        "seconds": round(seconds, 1),
        "keyword_update_seconds": round(keyword_seconds, 1),
    }


def _copy_of(article_id: str) -> int:
    match = re.search(r"-c(\d\d)$", article_id)
    return int(match.group(1)) if match else 0


def _original_row(copier: Copier, paragraph: Any, copy: int) -> int | None:
    """The row of the original's vector, if this paragraph is exactly the copy of a one-window one."""
    base_id = paragraph.article_id[: -len(f"-c{copy:02d}")] if copy else paragraph.article_id
    found = _BASE.get((base_id, paragraph.number))
    if found is None:
        return None
    row, original = found
    same = copier.text(copy, original.text) == paragraph.text and copier.text(copy, original.title) == paragraph.title
    return row if same else None


_BASE: dict[tuple[str, int], tuple[int, Any]] = {}  # (article id, number) → (vector row, paragraph)


class _Timer:
    """Adds up the time spent in some methods of an object (and puts them back with ``undo``)."""

    def __init__(self, target: Any, names: tuple[str, ...]) -> None:
        self.target, self.names, self.seconds = target, names, 0.0
        self._saved = {n: getattr(target, n) for n in names}
        for n in names:
            setattr(target, n, self._wrap(self._saved[n]))

    def _wrap(self, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed

    def undo(self) -> None:
        for n, fn in self._saved.items():
            setattr(self.target, n, fn)


# -- measuring a second process -------------------------------------------------------------


def probe(data_dir: Path, questions: int) -> dict:
    """Run in a fresh process: open the store as `newsbot ask` does, search, report times and memory."""
    started = time.perf_counter()
    import numpy as np

    from bot.service import NewsbotService
    from config import load_settings

    imported = time.perf_counter()
    service = NewsbotService(load_settings(data_dir=data_dir))
    service.store.version()
    store_opened = time.perf_counter()
    snapshot = service.searcher.snapshot()
    keyword_loaded = time.perf_counter()
    service.embedder.encode(["warm up"])
    model_loaded = time.perf_counter()
    asked = [r["question"] for r in rows(NEWS / "questions.jsonl")][:questions]
    service.searcher.search(asked[0], service.settings.top_k)
    first = time.perf_counter()
    print("READY", flush=True)
    k = service.settings.top_k
    total, keyword, dense = [], [], []
    for question in asked:
        t0 = time.perf_counter()
        service.searcher.search(question, k)
        t1 = time.perf_counter()
        snapshot.index.search(question, service.settings.candidates)
        snapshot.articles.search(question, service.settings.candidates)
        t2 = time.perf_counter()
        service.store.query(service.embedder.encode([question])[0], service.settings.candidates)
        t3 = time.perf_counter()
        total.append(t1 - t0)
        keyword.append(t2 - t1)
        dense.append(t3 - t2)
    status = {
        line.split(":")[0]: int(line.split()[1]) / 1024
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith(("VmRSS", "VmHWM", "RssAnon", "RssFile"))
    }
    ms = 1000.0
    return {
        "paragraphs": len(snapshot.index),
        "segments": len(snapshot.index.parts),
        "startup_s": {
            "imports": round(imported - started, 2),
            "store_open": round(store_opened - imported, 2),
            "keyword_index_open": round(keyword_loaded - store_opened, 3),
            "model_load": round(model_loaded - keyword_loaded, 2),
            "first_search": round(first - model_loaded, 2),
            "to_first_answer": round(first - started, 2),
        },
        "search_ms": {
            "n": len(total),
            "p50": round(percentile(total, 50) * ms, 1),
            "p95": round(percentile(total, 95) * ms, 1),
        },
        "keyword_ms": {"p50": round(percentile(keyword, 50) * ms, 2), "p95": round(percentile(keyword, 95) * ms, 2)},
        "dense_ms": {"p50": round(percentile(dense, 50) * ms, 1), "p95": round(percentile(dense, 95) * ms, 1)},
        "rss_mb": {k: round(v) for k, v in status.items()},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "numpy": np.__version__,
    }


def second_process(data_dir: Path, questions: int, env: dict[str, str] | None = None) -> dict:
    """Start a probe process; start-up is timed from spawning it to its first search answered."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--probe", str(data_dir), "--questions", str(questions)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", **(env or {})},
    )
    assert proc.stdout is not None
    ready = None
    lines = []
    for line in proc.stdout:
        if line.strip() == "READY" and ready is None:
            ready = time.perf_counter() - started
        else:
            lines.append(line)
    if proc.wait() != 0:
        raise SystemExit("the probe process failed")
    result = json.loads("".join(lines))
    result["startup_s"]["spawn_to_first_answer"] = round(ready or float("nan"), 2)
    return result


@contextlib.contextmanager
def chroma_server(data_dir: Path) -> Iterator[tuple[dict[str, str], int]]:
    """A `chroma run` server on the store for the duration: (settings for newsbot, its pid)."""
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    chroma = Path(sys.executable).with_name("chroma")
    log_path = data_dir.parent / f"{data_dir.name}-chroma.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(
            [str(chroma), "run", "--path", str(data_dir / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"chroma run did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.2)  # polling a starting server
            yield {"NEWSBOT_CHROMA_HOST": "127.0.0.1", "NEWSBOT_CHROMA_PORT": str(port)}, server.pid
        finally:
            server.terminate()
            server.wait(timeout=60)


def through_a_server(data_dir: Path, questions: int) -> dict:
    """The same probe against a `chroma run` server on the store (already up and warmed by a first
    process's question): the asking process then holds no vector index of its own."""
    with chroma_server(data_dir) as (env, pid):
        first = second_process(data_dir, 5, env)  # the first asker: the server loads its index
        result = second_process(data_dir, questions, env)
        result["first_process_startup_s"] = first["startup_s"]["spawn_to_first_answer"]
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        result["server_rss_mb"] = next(int(x.split()[1]) // 1024 for x in status if x.startswith("VmRSS"))
    return result


def sizes_on_disk(data_dir: Path) -> dict:
    keyword = sum(folder_bytes(p) for p in (data_dir / "cache").glob("keyword-*"))
    total = folder_bytes(data_dir)
    return {
        "total_mb": round(total / 1e6),
        "chroma_mb": round(folder_bytes(data_dir / "chroma") / 1e6),
        "keyword_mb": round(keyword / 1e6),
    }


def add_articles(
    data_dir: Path, records: list[dict], copier: Copier, root: Path, count: int, copy: int = 99, **settings: Any
) -> dict:
    """Add ``count`` new articles with the real embedder: total time, embedding, keyword index."""
    service = make_service(data_dir, **settings)
    service.embedder.encode(["warm up"])  # a running writer has its model loaded
    chosen = records[:count]
    path = root / "corpus" / f"add-{copy}.jsonl"
    path.write_text(
        "".join(json.dumps(copier.record(copy, r), ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8"
    )
    folder = service.searcher.keyword_store.folder
    before = _segment_names(folder, service.store.version())
    embed = _Timer(service.embedder, ("encode",))
    keyword = _Timer(service.searcher.keyword_store, ("update", "rebuild"))
    writes = _Timer(service.store, ("upsert", "delete"))
    started = time.perf_counter()
    summary = service.ingest(service.load([path]))
    seconds = time.perf_counter() - started
    for timer in (embed, keyword, writes):
        timer.undo()
    after = _segment_names(folder, service.store.version())
    return {
        "articles": summary.articles,
        "paragraphs": summary.embedded,
        "seconds": round(seconds, 2),
        "embedding_seconds": round(embed.seconds, 2),
        "besides_embedding_seconds": round(seconds - embed.seconds, 2),
        "keyword_update_seconds": round(keyword.seconds, 2),
        "chroma_write_seconds": round(writes.seconds, 2),
        "rest_seconds": round(seconds - embed.seconds - keyword.seconds - writes.seconds, 2),
        "keyword_segments_before_after": [len(before), len(after)],
        "rebuilt_keyword_index": bool(before) and before[0] not in after,
    }


def _segment_names(folder: Path, version: str) -> list[str]:
    meta = json.loads((folder / f"manifest-{version}.json").read_text(encoding="utf-8"))
    return [segment["name"] for segment in meta["segments"]]


# -- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root", default="/work/scale-stores/scale", help="stores, copies, vector cache (not the repo)"
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--base-store", default="", help="a newsbot data folder holding the news corpus's vectors")
    parser.add_argument("--batch", type=int, default=100_000, help="paragraphs per ingest run")
    parser.add_argument("--questions", type=int, default=206)
    parser.add_argument("--add", type=int, default=10, help="articles added at the last size")
    parser.add_argument("--smoke", action="store_true", help=f"sizes {SMOKE_SIZES}, small batches, 20 questions")
    parser.add_argument("--fresh", action="store_true", help="delete the stores under --root first")
    parser.add_argument("--measure-only", action="store_true", help="measure the stores a previous run kept")
    parser.add_argument("--server", action="store_true", help="also measure asking through a `chroma run` server")
    parser.add_argument("--add-only", action="store_true", help="only the adding step, merged into --out's figures")
    parser.add_argument("--out", default="")
    parser.add_argument("--probe", default="", help=argparse.SUPPRESS)
    parser.add_argument("--ingest-stage", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(Path(args.probe), args.questions)))
        return
    if args.smoke:
        args.sizes, args.batch, args.questions, args.add = ",".join(map(str, SMOKE_SIZES)), 300, 20, 2
    sizes = sorted(int(s) for s in args.sizes.split(","))
    root = Path(args.root)
    if args.fresh:
        for path in [root / "data", root / "corpus", *root.glob("at-*")]:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    setup = Setup(args, sizes)
    if args.ingest_stage:
        setup.ingest(args.ingest_stage)
        return

    out = Path(args.out) if args.out else (root / "scale-smoke.json" if args.smoke else RESULTS / "scale.json")
    if args.add_only:
        result = json.loads(out.read_text(encoding="utf-8"))
        result["add_articles"] = add_measured(root, sizes[-1], setup, args)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(report(result))
        return
    result: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "load_average_start": [round(x, 2) for x in os.getloadavg()]},
        "corpus": {"base_paragraphs": setup.base_count, "copies": setup.copies},
        "calibration": setup.calibration(),
        "sizes": [],
    }
    for size in sizes:
        kept = root / f"at-{size}"
        if not kept.exists():
            if args.measure_only:
                raise SystemExit(f"{kept} is missing: build it first (without --measure-only)")
            log(f"{size:,}: ingesting (a `newsbot ingest` per batch of {args.batch:,} paragraphs)")
            command = [sys.executable, __file__, "--ingest-stage", str(size), *_passed(args)]
            subprocess.run(command, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
            shutil.copytree(root / "data", kept)
        figures = json.loads((root / f"at-{size}.json").read_text())
        entry = {"size": size, **figures, "disk": sizes_on_disk(kept)}
        log(f"{size:,}: measuring a second process")
        entry["second_process"] = second_process(kept, args.questions)
        entry["paragraphs"] = entry["second_process"]["paragraphs"]
        if args.server:
            log(f"{size:,}: measuring a second process through a `chroma run` server")
            entry["through_server"] = through_a_server(kept, args.questions)
        result["sizes"].append(entry)
        log(json.dumps(entry))
    if args.add:
        result["add_articles"] = add_measured(root, sizes[-1], setup, args)
    result["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))


def add_measured(root: Path, size: int, setup: Setup, args: argparse.Namespace) -> dict:
    """Add articles to a copy of the largest store (the kept one stays as built), then ask it."""
    work = root / "add-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(root / f"at-{size}", work)
    log(f"adding {args.add} articles with the real embedder")
    added = add_articles(work, setup.records, setup.copier, root, args.add)
    added["load_average"] = [round(x, 2) for x in os.getloadavg()]
    added["second_process_after"] = second_process(work, args.questions)
    if args.server:
        log(f"adding {args.add} more articles through a `chroma run` server that is already serving")
        with chroma_server(work) as (env, _):
            second_process(work, 5, env)  # the server has its index loaded, as a serving one has
            settings = {"chroma_host": env["NEWSBOT_CHROMA_HOST"], "chroma_port": int(env["NEWSBOT_CHROMA_PORT"])}
            added["through_server"] = add_articles(work, setup.records, setup.copier, root, args.add, 98, **settings)
    shutil.rmtree(work, ignore_errors=True)
    return added


def _passed(args: argparse.Namespace) -> list[str]:
    return ["--root", args.root, "--sizes", args.sizes, "--base-store", args.base_store, "--batch", str(args.batch)]


class Setup:
    """The corpus, its copies and the vectors, shared by the stage builds and the measurements."""

    def __init__(self, args: argparse.Namespace, sizes: list[int]) -> None:
        from corpus import load_articles

        self.args, self.sizes, self.root = args, sizes, Path(args.root)
        self.records = rows(NEWS / "articles.jsonl")
        self.base_count = sum(len([p for p in r["text"].split("\n\n") if p.strip()]) for r in self.records)
        self.copies = -(-sizes[-1] // self.base_count)
        self.stages = plan_stages(self.records, sizes, self.copies)
        self.base_articles = load_articles([NEWS / "articles.jsonl"]).articles
        if args.smoke or sizes[-1] < self.base_count:
            needed = {r["id"] for stage in self.stages for c, r in stage if c == 0}
            self.base_articles = [a for a in self.base_articles if a.id in needed]
        self.copier = Copier(self.records)
        self._real: Any = None
        self._vectors: Any = None

    @property
    def real(self) -> Any:
        if self._real is None:
            from config import load_settings
            from retrieval.embeddings import ParagraphEmbedder

            settings = load_settings(data_dir=self.root / "data")
            self._real = ParagraphEmbedder(
                batch_size=settings.embed_batch_size,
                backend=settings.embed_backend,
                cache_dir=settings.resolved_model_cache_dir,
            )
        return self._real

    def vectors(self) -> tuple[Any, dict[bytes, int]]:
        if self._vectors is None:
            self._vectors = base_vectors(self.args, self.base_articles, self.real)
            _BASE.clear()
            rows_of = self._vectors[1]
            for a in self.base_articles:
                for p in a.paragraphs:
                    row = rows_of.get(text_key(embed_text(p)))
                    if row is not None:
                        _BASE[(a.id, p.number)] = (row, p)
        return self._vectors

    def calibration(self) -> dict:
        path = self.root / "calibration.json"
        if path.exists():
            return json.loads(path.read_text())
        vectors, rows_of = self.vectors()
        found = calibrate(self.copier, self.base_articles, vectors, rows_of, self.real)
        log(f"calibration: {found}")
        path.write_text(json.dumps(found), encoding="utf-8")
        return found

    def ingest(self, size: int) -> None:
        """Build the stage of ``size`` into ``root/data`` (this process is the only writer)."""
        vectors, _ = self.vectors()
        embedder = DerivedEmbedder(self.real, vectors, self.calibration()["sigma"])
        service = make_service(self.root / "data")
        service.embedder = embedder  # the writer only: asking processes use the real model
        stage = self.stages[self.sizes.index(size)]
        figures = ingest_stage(service, stage, self.copier, embedder, self.root, self.args.batch, f"s{size}")
        figures["paragraphs_per_s"] = (
            round(figures["paragraphs"] / figures["seconds"], 1) if figures["seconds"] else None
        )
        besides = figures["seconds"] - embedder.embed_seconds  # minus the paragraphs embedded for real
        figures["paragraphs_per_s_without_embedding"] = (
            round(figures["paragraphs"] / besides, 1) if besides > 0 else None
        )
        figures.update(
            derived_vectors=embedder.derived,
            embedded_for_real=embedder.embedded,
            real_embedding_seconds=round(embedder.embed_seconds, 1),
            load_average=[round(x, 2) for x in os.getloadavg()],
        )
        (self.root / f"at-{size}.json").write_text(json.dumps({"ingest": figures}), encoding="utf-8")


def report(result: dict) -> str:
    sizes = result["sizes"]
    base = sizes[0]
    lines = [
        f"| paragraphs | ingest p/s (no embedding) | disk MB (keyword) | start-up s (×{base['paragraphs']:,}) "
        "| keyword open s | "
        "search p50/p95 ms (p95 ×) | keyword p95 ms | dense p95 ms | RSS MB (anon/file) | segments |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in sizes:
        p = s["second_process"]
        startup = p["startup_s"]["spawn_to_first_answer"]
        ratio = startup / base["second_process"]["startup_s"]["spawn_to_first_answer"]
        p95 = p["search_ms"]["p95"]
        p95_ratio = p95 / base["second_process"]["search_ms"]["p95"]
        disk, rss = s["disk"], p["rss_mb"]
        cells = [
            f"{s['paragraphs']:,}",
            str(s["ingest"].get("paragraphs_per_s_without_embedding") or "–"),
            f"{disk['total_mb']:,} ({disk['keyword_mb']:,})",
            f"{startup} (×{ratio:.2f})",
            str(p["startup_s"]["keyword_index_open"]),
            f"{p['search_ms']['p50']}/{p95} (×{p95_ratio:.2f})",
            str(p["keyword_ms"]["p95"]),
            str(p["dense_ms"]["p95"]),
            f"{rss.get('VmRSS', 0):,} ({rss.get('RssAnon', 0):,}/{rss.get('RssFile', 0):,})",
            str(p["segments"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    served = [s for s in sizes if "through_server" in s]
    if served:
        lines += [
            "\nThrough a `chroma run` server (already serving: the asking process holds no vector index):\n",
            "| paragraphs | start-up s | search p50/p95 ms | dense p95 ms | asking RSS MB | server RSS MB |",
            "|---|---|---|---|---|---|",
        ]
        for s in served:
            p = s["through_server"]
            lines.append(
                f"| {s['paragraphs']:,} | {p['startup_s']['spawn_to_first_answer']} | {p['search_ms']['p50']}/"
                f"{p['search_ms']['p95']} | {p['dense_ms']['p95']} | {p['rss_mb'].get('VmRSS', 0):,} | "
                f"{p['server_rss_mb']:,} |"
            )
    add = result.get("add_articles")
    if add:
        lines.append(
            f"\nAdding {add['articles']} articles ({add['paragraphs']} paragraphs): {add['seconds']} s, of which "
            f"{add['embedding_seconds']} s embedding → {add['besides_embedding_seconds']} s besides embedding "
            f"(Chroma writes {add.get('chroma_write_seconds', '?')} s, keyword index update "
            f"{add['keyword_update_seconds']} s); a second process then starts in "
            f"{add['second_process_after']['startup_s']['spawn_to_first_answer']} s."
        )
        served = add.get("through_server")
        if served:
            lines.append(
                f"Through a `chroma run` server already serving: {served['seconds']} s, of which "
                f"{served['embedding_seconds']} s embedding → {served['besides_embedding_seconds']} s besides "
                f"(Chroma writes {served['chroma_write_seconds']} s, "
                f"keyword index {served['keyword_update_seconds']} s)."
            )
    c = result["calibration"]
    lines.append(
        f"Vectors: cos(real copy, original) {c['cos_real_copy_to_original']}, cos(derived, original) "
        f"{c['cos_derived_to_original']}, cos(derived, real copy) {c['cos_derived_to_real_copy']} (σ={c['sigma']}, "
        f"{c['changed_in_sample']}/{c['sample']} sampled copies changed). Load average "
        f"{result['machine']['load_average_start']} → {result['machine']['load_average_end']}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
