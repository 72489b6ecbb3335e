"""Where the time goes: each step's share of an ingest, and of one retrieval, measured in one run.

    .venv/bin/python benchmarks/profile_steps.py ingest              # 5,000 news paragraphs into a fresh store
    .venv/bin/python benchmarks/profile_steps.py query --store DIR   # the news questions against an existing store
    .venv/bin/python benchmarks/profile_steps.py model               # the embedding model's own operators

The steps are timed by wrapping the functions that do them (this script only: newsbot itself carries
no timers), in wall time and in process CPU time (all threads). On 2 shared cores wall time swings with
the other jobs; the CPU time of a step and each step's share of the total move much less, so read those.
Nested steps are reported apart: a step's time excludes the steps timed inside it ("rest" is whatever
no timer covers). To give each step its own CPU time, the ingest profile runs the model's batches one
after the other in one thread and the query profile runs the dense and keyword sides one after the
other; the query profile first times the searches as newsbot runs them (p50/p95, CPU per search).
The model profile asks ONNX Runtime's own profiler which operators of the int8 graph take the
model's time (one thread, batches one after the other), to tell whether anything besides the int8
matrix products is left to optimise. ``benchmarks/run.py`` measures the end-to-end figures. Results:
``benchmarks/results/profile-<mode>-<time>.json`` + the printed table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common
from benchmarks.common import MODELS, NEWS, RESULTS, log, percentile


class Timers:
    """Exclusive wall and CPU time per named step (a step's time excludes the steps nested in it)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []  # per open step: [wall spent in children, cpu spent in children]

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        self._stack.append([0.0, 0.0])
        try:
            yield
        finally:
            inner_wall, inner_cpu = self._stack.pop()
            spent_wall, spent_cpu = time.perf_counter() - wall, time.process_time() - cpu
            self.wall[name] += spent_wall - inner_wall
            self.cpu[name] += spent_cpu - inner_cpu
            self.calls[name] += 1
            if self._stack:
                self._stack[-1][0] += spent_wall
                self._stack[-1][1] += spent_cpu

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        """Time every call of ``owner.attribute`` (a class or an instance) as step ``name``."""
        original: Callable[..., Any] = getattr(owner, attribute)
        is_static = isinstance(owner, type) and isinstance(owner.__dict__.get(attribute), staticmethod)
        is_class = isinstance(owner, type) and isinstance(owner.__dict__.get(attribute), classmethod)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.step(name):
                return original(*args, **kwargs)

        if is_static:
            setattr(owner, attribute, staticmethod(timed))
        elif is_class:
            setattr(owner, attribute, classmethod(lambda cls, *a, **k: timed(*a, **k)))
        else:
            setattr(owner, attribute, timed)

    def table(self, total_wall: float, total_cpu: float) -> list[dict[str, Any]]:
        rows = [
            {
                "step": name,
                "calls": self.calls[name],
                "wall_s": round(self.wall[name], 3),
                "cpu_s": round(self.cpu[name], 3),
                "wall_share": round(self.wall[name] / total_wall, 4),
                "cpu_share": round(self.cpu[name] / total_cpu, 4),
            }
            for name in sorted(self.wall, key=self.cpu.__getitem__, reverse=True)
        ]
        rest_wall = total_wall - sum(self.wall.values())
        rest_cpu = total_cpu - sum(self.cpu.values())
        rows.append(
            {
                "step": "rest",
                "calls": 1,
                "wall_s": round(rest_wall, 3),
                "cpu_s": round(rest_cpu, 3),
                "wall_share": round(rest_wall / total_wall, 4),
                "cpu_share": round(rest_cpu / total_cpu, 4),
            }
        )
        return rows


class _Proxy:
    """Forwards to a Rust object whose methods cannot be replaced, so one of them can be timed."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


def instrument_ingest(timers: Timers, service: Any) -> None:
    from retrieval import indexer, keyword_store, onnx_backend, store

    onnx = service.embedder.onnx_paragraphs if service.embedder.backend != "torch" else service.embedder.onnx
    if hasattr(onnx, "workers"):
        onnx.workers = 1  # batches one after the other, in this thread: each step's CPU time is its own
    indexer.Indexer.background_writes = False  # store writes in this thread too: the timers are one stack
    timers.wrap(indexer.Indexer, "plan", "plan (read stored hashes)")
    timers.wrap(indexer.Indexer, "paragraph_hash", "hashes")
    timers.wrap(indexer.Indexer, "_write_manifest", "manifest")
    if hasattr(indexer.Indexer, "_with_titles"):
        timers.wrap(indexer.Indexer, "_with_titles", "title vectors (once per article)")
    timers.wrap(type(service.embedder), "windows", "windows (tokenise for cutting)")
    onnx.tokenizer = _Proxy(onnx.tokenizer)  # a Rust object: its methods cannot be replaced in place
    timers.wrap(onnx.tokenizer, "encode_batch", "tokenise for the model")
    timers.wrap(onnx.session, "run", "model (onnxruntime run)")
    timers.wrap(onnx_backend, "mean_pool_normalise", "pooling")
    timers.wrap(store.ParagraphStore, "upsert", "Chroma upsert")
    timers.wrap(store.ParagraphStore, "mark_changed", "Chroma metadata")
    timers.wrap(store.ParagraphStore, "mark_writing", "Chroma metadata")
    # The ingest writes the keyword index as segments (retrieval/keyword_store.py): building the new
    # segment, merging it into older ones, saving; reading paragraphs back only when it must rebuild.
    timers.wrap(store.ParagraphStore, "paragraphs", "keyword: read paragraphs back")
    timers.wrap(keyword_store, "build_segment", "keyword: build segment")
    timers.wrap(keyword_store, "merge_segments", "keyword: merge segments")
    timers.wrap(keyword_store.KeywordStore, "_write", "keyword: save segments")
    timers.wrap(keyword_store.KeywordStore, "update", "keyword: update (rest)")


def profile_ingest(args: argparse.Namespace) -> dict[str, Any]:
    import shutil
    import tempfile

    from corpus import LoadResult

    records = common.subset_records(common.rows(NEWS / "articles.jsonl"), args.paragraphs)
    articles = common.articles_from(records)
    work = Path(tempfile.mkdtemp(prefix="profile-", dir=_mkdir(common.CACHE)))
    try:
        service = common.make_service(work, args.backend, Path(args.models_dir), **_overrides(args))
        service.embedder.encode(["warm up"])
        timers = Timers()
        instrument_ingest(timers, service)
        wall, cpu = time.perf_counter(), time.process_time()
        summary = service.ingest(LoadResult(articles=articles))
        service.searcher.keyword_index()  # loads the segments the ingest saved (benchmarks/run.py counts it too)
        total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
        windows = service.store.record_count()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "mode": "ingest",
        "paragraphs": summary.paragraphs,
        "embedded": summary.embedded,
        "records": windows,
        "wall_s": round(total_wall, 2),
        "cpu_s": round(total_cpu, 2),
        "paragraphs_per_cpu_second": round(summary.paragraphs / total_cpu, 1),
        "steps": timers.table(total_wall, total_cpu),
    }


def instrument_query(timers: Timers, service: Any) -> None:
    from chromadb.api.models.Collection import Collection

    from retrieval import hybrid, keyword, store

    searcher = service.searcher
    timers.wrap(searcher, "snapshot", "keyword snapshot (version check)")
    timers.wrap(searcher.embedder, "encode", "query embedding")
    timers.wrap(store.ParagraphStore, "record_count", "Chroma count")
    timers.wrap(store.ParagraphStore, "info", "Chroma collection metadata")
    timers.wrap(Collection, "query", "Chroma HNSW query")
    timers.wrap(Collection, "get", "Chroma get (metadata, documents)")
    timers.wrap(keyword.KeywordIndex, "search", "BM25 (paragraphs + articles)")
    timers.wrap(hybrid, "fuse_rankings", "fusion + date ranking")


def profile_query(args: argparse.Namespace) -> dict[str, Any]:
    """Two passes over the questions: the steps one after the other under timers (their shares), then
    untimed as newsbot runs them (dense and keyword sides at once where the code does that: p50/p95)."""
    questions = [q["question"] for q in common.rows(NEWS / "questions.jsonl")][: args.queries]
    service = common.make_service(Path(args.store), args.backend, Path(args.models_dir), **_overrides(args))
    service.warm_up()
    searcher = service.searcher
    for question in questions[:3]:
        searcher.search(question, service.settings.top_k)

    def timed_loop() -> tuple[list[float], float, float]:
        service.embedder.clear_cache()  # every question is embedded in the timed loop
        latencies = []
        wall, cpu = time.perf_counter(), time.process_time()
        for question in questions:
            started = time.perf_counter()
            searcher.search(question, service.settings.top_k)
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies, time.perf_counter() - wall, time.process_time() - cpu

    parallel = getattr(searcher, "parallel", None)
    untimed: list[float] = []
    sequential: list[float] = []
    untimed_cpu = 0.0
    for _ in range(2):  # as newsbot runs it, then with the dense side in this thread too, twice, interleaved
        latencies, _, cpu = timed_loop()
        untimed += latencies
        untimed_cpu += cpu / 2
        if parallel is not None:
            searcher.parallel = False
            sequential += timed_loop()[0]
            searcher.parallel = parallel
    if parallel is not None:
        searcher.parallel = False  # the steps' shares are read one after the other
    timers = Timers()
    instrument_query(timers, service)
    steps, total_wall, total_cpu = timed_loop()
    return {
        "mode": "query",
        "store": str(args.store),
        "paragraphs": len(searcher.keyword_index()),
        "queries": len(questions),
        "parallel_sides": bool(parallel),
        "p50_ms": round(percentile(untimed, 50), 2),
        "p95_ms": round(percentile(untimed, 95), 2),
        "cpu_ms_per_query": round(untimed_cpu / len(questions) * 1000, 2),
        # the same searches with the dense side in the calling thread (no worker thread)
        "sequential_p50_ms": round(percentile(sequential, 50), 2) if sequential else None,
        "sequential_p95_ms": round(percentile(sequential, 95), 2) if sequential else None,
        "steps_p50_ms": round(percentile(steps, 50), 2),
        "steps_p95_ms": round(percentile(steps, 95), 2),
        "wall_s": round(total_wall, 3),
        "cpu_s": round(total_cpu, 3),
        "steps": timers.table(total_wall, total_cpu),
    }


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in args.set or []:
        key, _, value = item.partition("=")
        try:
            out[key] = json.loads(value)  # numbers, true/false, lists
        except ValueError:
            out[key] = value
    return out


def profile_model(args: argparse.Namespace) -> dict[str, Any]:
    """Each ONNX operator type's share of the model's kernel time while embedding news paragraphs."""
    import tempfile

    import onnxruntime as ort

    from retrieval import onnx_backend

    records = common.subset_records(common.rows(NEWS / "articles.jsonl"), args.paragraphs)
    texts = [p.strip() for r in records for p in r["text"].split("\n\n") if p.strip()][: args.paragraphs]
    variant = onnx_backend.ONNX_VARIANTS.get(args.backend)
    if variant == "int8":
        variant = "int8-7bit"  # the paragraphs' graph, which ingest runs (retrieval/embeddings.py)
    if variant is None:
        raise SystemExit("model: profiles an ONNX backend (--backend onnx or onnx-int8)")
    folder = onnx_backend.model_dir()
    path = onnx_backend.ensure_exported(Path(args.models_dir), variant, folder)
    seven_bits = variant == "int8-7bit"
    encoder = onnx_backend.OnnxEncoder(path, folder, threads=1, seven_bit_weights=seven_bits)
    encoder.encode(["warm up"])
    with tempfile.TemporaryDirectory() as scratch:
        options = onnx_backend.session_options(seven_bits)  # as newsbot's ingest runs it, profiled
        options.enable_profiling = True
        options.profile_file_prefix = str(Path(scratch) / "ort")
        encoder.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        wall, cpu = time.perf_counter(), time.process_time()
        encoder.encode(texts)
        total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
        events = json.loads(Path(encoder.session.end_profiling()).read_text())
    kernel: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            kernel[event["args"]["op_name"]] += event["dur"] / 1e6
            calls[event["args"]["op_name"]] += 1
    total_kernel = sum(kernel.values()) or 1.0
    steps = [
        {
            "step": op,
            "calls": calls[op],
            "wall_s": round(seconds, 3),
            "cpu_s": round(seconds, 3),
            "wall_share": seconds / total_wall,
            "cpu_share": seconds / total_kernel,
        }
        for op, seconds in sorted(kernel.items(), key=lambda item: -item[1])
    ]
    tokens = [len(encoder.tokenizer.encode(t).ids) for t in texts]
    return {
        "mode": "model",
        "backend": args.backend,
        "paragraphs": len(texts),
        "tokens_mean": round(sum(tokens) / max(len(tokens), 1), 1),
        "wall_s": round(total_wall, 2),
        "cpu_s": round(total_cpu, 2),
        "kernel_s": round(total_kernel, 2),
        "paragraphs_per_cpu_second": round(len(texts) / total_cpu, 1),
        "steps": steps,
    }


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def markdown(result: dict[str, Any]) -> str:
    lines = [f"{result['mode']}: wall {result['wall_s']} s, CPU {result['cpu_s']} s, load average {result['load']}"]
    if result["mode"] == "query":
        lines.append(
            f"search p50 / p95 {result['p50_ms']} / {result['p95_ms']} ms, CPU {result['cpu_ms_per_query']} ms per "
            f"search (as newsbot runs it; dense side in the calling thread: "
            f"{result.get('sequential_p50_ms')} / {result.get('sequential_p95_ms')} ms); "
            f"the steps below were timed one after the other "
            f"(p50 / p95 {result['steps_p50_ms']} / {result['steps_p95_ms']} ms)"
        )
    elif result["mode"] == "model":
        lines.append(
            f"{result['paragraphs']} paragraphs ({result['tokens_mean']} word pieces on average), "
            f"{result['paragraphs_per_cpu_second']} per CPU second; operator kernels {result['kernel_s']} s "
            "(share of CPU = share of the kernel time)"
        )
    else:
        lines.append(f"{result['paragraphs_per_cpu_second']} paragraphs per CPU second")
    lines += [
        "",
        "| step | calls | wall s | CPU s | share of wall | share of CPU |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["steps"]:
        lines.append(
            f"| {row['step']} | {row['calls']} | {row['wall_s']:.3f} | {row['cpu_s']:.3f} | "
            f"{row['wall_share']:.1%} | {row['cpu_share']:.1%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["ingest", "query", "model"])
    parser.add_argument("--paragraphs", type=int, default=5000, help="ingest, model: news paragraphs (default 5000)")
    parser.add_argument("--store", help="query: the data folder of an existing store (it is not written)")
    parser.add_argument("--queries", type=int, default=206, help="query: news questions to time (default all)")
    parser.add_argument("--backend", default="onnx-int8", choices=["torch", "onnx", "onnx-int8"])
    parser.add_argument("--models-dir", default=str(MODELS), help="where the ONNX exports are cached")
    parser.add_argument("--set", action="append", help="a setting for this run, e.g. --set embed_title=false")
    parser.add_argument("--out", help="result JSON (default benchmarks/results/profile-<mode>-<time>.json)")
    args = parser.parse_args(argv)
    if args.mode == "query" and not args.store:
        parser.error("query needs --store DATA_DIR (e.g. a copy of a full store built by benchmarks/run.py)")
    load = os.getloadavg()
    profile = {"ingest": profile_ingest, "query": profile_query, "model": profile_model}[args.mode]
    result = profile(args)
    result["load"] = f"{load[0]:.2f} → {os.getloadavg()[0]:.2f}"
    out = Path(args.out) if args.out else _mkdir(RESULTS) / f"profile-{args.mode}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(markdown(result))
    log(f"written: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
