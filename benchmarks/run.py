"""Speed benchmark: newsbot against a plain LangChain pipeline, measured in the same run on the same data.

    .venv/bin/python benchmarks/run.py                 # 5,000-paragraph ingest + full 73k-paragraph serving
    .venv/bin/python benchmarks/run.py --smoke         # tiny sizes, well under a minute (run by the tests)
    .venv/bin/python benchmarks/run.py --build-full    # only build the cached full store (long; run once)
    .venv/bin/python benchmarks/run.py --serve-only --store /work/stores/news   # serve an existing store (a copy)

Measures (a) ingest throughput, (b) re-ingest of the unchanged corpus, (c) query latency p50/p95 of
retrieval alone and of the full extractive answer, (d) peak RSS of a serving process and the store's size
on disk. Every measurement runs in its own child process (no shared thread pools or caches), one after
the other. Writes ``benchmarks/results/<mode>-<time>.json`` and prints a Markdown table.

The full store (all 73,464 news paragraphs) is built once into ``benchmarks/.cache/full-<backend>-<corpus>/``
and reused; the plain pipeline's 73k Chroma collection is filled with the vectors of that store (one per
paragraph, window 0) instead of embedding everything again, so the plain side's *query* costs are its own
(HuggingFaceEmbeddings for the query, Chroma, rank_bm25 BM25Retriever, EnsembleRetriever), while its
*ingest* is timed on the 5,000-paragraph subset only. ``--store DIR`` serves an existing data folder
instead (copied into the run's temporary folder first, so it is never written).

The machine is shared: retrieval p95 is printed with the 1-minute load average as the timed loop began and
ended, and ingest and retrieval also report CPU time, which other processes disturb much less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common
from benchmarks.common import CACHE, MODELS, NEWS, RESULTS, log, percentile

DEFAULT_BACKEND = "onnx-int8"


# -- child processes ---------------------------------------------------------------------------


def guarded(result: dict[str, Any], key: str, task: str, **params: Any) -> dict[str, Any] | None:
    """``child`` whose failure is recorded in ``result["errors"]`` instead of losing the whole run."""
    try:
        result[key] = child(task, **params)
    except RuntimeError as exc:
        log(str(exc))
        result.setdefault("errors", {})[key] = str(exc)
        return None
    return result[key]


def child(task: str, **params: Any) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter; its last stdout line is the JSON result."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", task, "--params", json.dumps(params)],
        stdout=subprocess.PIPE,  # the result; progress and errors go straight to our stderr
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {task} failed (exit {proc.returncode}): see its messages above")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 2)
    return result


def load_records(path: str) -> list[dict[str, Any]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def task_ingest_newsbot(p: dict[str, Any]) -> dict[str, Any]:
    from corpus import LoadResult
    from retrieval.embeddings import Window

    articles = common.articles_from(load_records(p["records"]))
    data_dir = Path(p["data_dir"])
    service = common.make_service(data_dir, p["backend"], Path(p["models_dir"]))
    started = time.perf_counter()
    service.embedder.encode(["warm up"])  # the questions' graph, which serving loads
    service.embedder.encode_windows([Window(0, "warm up")])  # the paragraphs' graph (onnx-int8: its own)
    model_load = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    first = service.ingest(LoadResult(articles=articles))
    service.searcher.keyword_index()  # the BM25 index is part of ingest (built now, cached on disk)
    first_seconds, first_cpu = time.perf_counter() - started, time.process_time() - cpu

    again = common.make_service(data_dir, p["backend"], Path(p["models_dir"]))  # new process state, no model
    started = time.perf_counter()
    second = again.ingest(LoadResult(articles=articles))
    reingest_seconds = time.perf_counter() - started
    return {
        "paragraphs": first.paragraphs,
        "embedded": first.embedded,
        "records": service.store.record_count(),
        "model_load_seconds": round(model_load, 3),
        "ingest_seconds": round(first_seconds, 3),
        "ingest_cpu_seconds": round(first_cpu, 3),
        "paragraphs_per_second": round(first.paragraphs / first_seconds, 2),
        "reingest_seconds": round(reingest_seconds, 4),
        "reingest_embedded": second.embedded,
        "reingest_model_loaded": any(
            m is not None for m in (again.embedder._model, again.embedder._onnx, again.embedder._onnx_paragraphs)
        ),
        "store_bytes": common.folder_bytes(data_dir / "chroma"),
        "keyword_cache_bytes": common.folder_bytes(data_dir / "cache") if (data_dir / "cache").exists() else 0,
    }


def task_ingest_plain(p: dict[str, Any]) -> dict[str, Any]:
    from benchmarks import plain

    articles = common.articles_from(load_records(p["records"]))
    started = time.perf_counter()
    embedder = plain.embeddings()
    embedder.embed_query("warm up")
    model_load = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    docs = plain.documents(articles)
    plain.ingest(docs, embedder, Path(p["data_dir"]), p["k"])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    import torch

    return {
        "torch_threads": torch.get_num_threads(),  # torch's default: one per core
        "paragraphs": len(docs),
        "model_load_seconds": round(model_load, 3),
        "ingest_seconds": round(seconds, 3),
        "ingest_cpu_seconds": round(cpu, 3),
        "paragraphs_per_second": round(len(docs) / seconds, 2),
        "store_bytes": common.folder_bytes(Path(p["data_dir"])),
    }


def task_build_full(p: dict[str, Any]) -> dict[str, Any]:
    """Ingest the whole news corpus into ``data_dir`` (resumable: an interrupted run continues)."""
    from corpus import LoadResult

    records = common.rows(NEWS / "articles.jsonl")
    if p.get("limit"):
        records = common.subset_records(records, int(p["limit"]))
    articles = common.articles_from(records)
    data_dir = Path(p["data_dir"])
    service = common.make_service(data_dir, p["backend"], Path(p["models_dir"]))
    done = [0]
    started = time.perf_counter()

    def progress(n: int) -> None:
        before = done[0] // 2000
        done[0] += n
        if done[0] // 2000 != before:
            rate = done[0] / (time.perf_counter() - started)
            log(f"[build-full] {done[0]} paragraphs embedded, {rate:.1f}/s")

    summary = service.ingest(LoadResult(articles=articles), progress=progress)
    embed_seconds = time.perf_counter() - started
    service.searcher.keyword_index()
    seconds = time.perf_counter() - started
    info = {
        "backend": p["backend"],
        "paragraphs": summary.paragraphs,
        "embedded": summary.embedded,
        "records": service.store.record_count(),
        "ingest_seconds": round(seconds, 1),
        "embed_and_write_seconds": round(embed_seconds, 1),
        "complete": summary.embedded == 0 or not summary.interrupted,
        "resumed": summary.embedded < summary.paragraphs,
    }
    if summary.embedded:  # keep the figures of the run that did the work
        (data_dir / "build.json").write_text(json.dumps(info, indent=1))
    log(f"[build-full] done: {info}")
    return info


def task_reingest(p: dict[str, Any]) -> dict[str, Any]:
    from corpus import LoadResult

    records = common.rows(NEWS / "articles.jsonl")
    if p.get("limit"):
        records = common.subset_records(records, int(p["limit"]))
    articles = common.articles_from(records)
    service = common.make_service(Path(p["data_dir"]), p["backend"], Path(p["models_dir"]))
    started = time.perf_counter()
    summary = service.ingest(LoadResult(articles=articles))
    return {"paragraphs": summary.paragraphs, "embedded": summary.embedded, "seconds": time.perf_counter() - started}


def _latency(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
        "max_ms": round(max(ms), 2),
        "n": len(ms),
    }


def task_serve_newsbot(p: dict[str, Any]) -> dict[str, Any]:
    questions = [q["question"] for q in common.rows(NEWS / "questions.jsonl")][: p["queries"]]
    data_dir = Path(p["data_dir"])
    started = time.perf_counter()
    service = common.make_service(data_dir, p["backend"], Path(p["models_dir"]))
    service.warm_up()
    startup = time.perf_counter() - started
    for question in questions[:3]:
        service.ask(question)
    service.embedder.clear_cache()  # no vector computed before a timed call is reused
    retrieval, answers, answered = [], [], 0
    load_before, cpu = os.getloadavg(), time.process_time()
    for question in questions:
        t = time.perf_counter()
        service.searcher.search(question, service.settings.top_k)
        retrieval.append(time.perf_counter() - t)
    retrieval_cpu, load_after = time.process_time() - cpu, os.getloadavg()
    service.embedder.clear_cache()
    for question in questions:
        t = time.perf_counter()
        answer = service.ask(question)
        answers.append(time.perf_counter() - t)
        answered += bool(answer.citations)
    shown = ("top_k", "candidates", "rrf_k", "embed_title", "embed_backend", "embed_batch_size", "answerer")
    settings = service.settings.model_dump(mode="json")
    return {
        "backend": p["backend"],
        "settings": {k: v for k, v in settings.items() if k in shown or k.startswith(("keyword_", "dense_"))},
        "paragraphs": int(service.store.info().get("paragraphs", 0)),
        "records": service.store.record_count(),
        "startup_seconds": round(startup, 2),
        "retrieval": {**_latency(retrieval), "cpu_ms_per_query": round(retrieval_cpu / len(questions) * 1000, 2)},
        # 1-minute load average of the machine as the retrieval loop started and ended (2 cores: above
        # ~2, other processes were taking CPU time from these searches)
        "retrieval_load": [round(load_before[0], 2), round(load_after[0], 2)],
        "answer": _latency(answers),
        "answered": answered,
        "torch_imported": "torch" in sys.modules,
        "peak_rss_mb": round(common.peak_rss_mb(), 1),
        "store_bytes": common.folder_bytes(data_dir / "chroma"),
        "keyword_cache_bytes": common.folder_bytes(data_dir / "cache"),
    }


def newsbot_records(data_dir: Path) -> tuple[list, Any, list, list]:
    """Window-0 records of a newsbot store (one vector per paragraph), as the plain pipeline's documents."""
    import numpy as np

    service = common.make_service(data_dir, DEFAULT_BACKEND)
    ids, vectors, texts, metas = [], [], [], []
    offset = 0
    while True:
        page = service.store.collection.get(include=["embeddings", "documents", "metadatas"], limit=5000, offset=offset)
        if not page["ids"]:
            break
        for rid, vec, doc, meta in zip(
            page["ids"], page["embeddings"], page["documents"], page["metadatas"], strict=True
        ):
            if int(meta.get("window", 0)) == 0:
                ids.append(rid.rsplit("@", 1)[0])
                vectors.append(vec)
                texts.append(meta.get("text") or doc)  # retrieval/store.py keeps short texts as metadata
                metas.append({"article_id": meta["article_id"], "paragraph": meta["paragraph"], "title": meta["title"]})
        offset += len(page["ids"])
    return ids, np.asarray(vectors, dtype=np.float32), texts, metas


def task_build_plain(p: dict[str, Any]) -> dict[str, Any]:
    from benchmarks import plain

    started = time.perf_counter()
    records = newsbot_records(Path(p["source"]))
    plain.store_from_vectors(Path(p["data_dir"]), None, records)  # vectors given: no model needed
    return {"paragraphs": len(records[0]), "seconds": round(time.perf_counter() - started, 1)}


def task_serve_plain(p: dict[str, Any]) -> dict[str, Any]:
    from langchain_core.documents import Document

    from benchmarks import plain

    questions = [q["question"] for q in common.rows(NEWS / "questions.jsonl")][: p["queries"]]
    started = time.perf_counter()
    embedder = plain.embeddings()
    embedder.embed_query("warm up")
    store = plain.open_store(Path(p["data_dir"]), embedder)
    docs: list[Document] = []
    while True:  # paged: one get() of 73k records passes SQLite's variable limit
        got = store.get(include=["documents", "metadatas"], limit=5000, offset=len(docs))
        if not got["ids"]:
            break
        docs += [
            Document(id=i, page_content=t, metadata=m)
            for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
    keyword = plain.bm25(docs, p["k"])
    retriever = plain.hybrid(store, keyword, p["k"])
    startup = time.perf_counter() - started
    for question in questions[:3]:
        retriever.invoke(question)
    retrieval = []
    for question in questions:
        t = time.perf_counter()
        retriever.invoke(question)
        retrieval.append(time.perf_counter() - t)
    return {
        "paragraphs": len(docs),
        "startup_seconds": round(startup, 2),
        "retrieval": _latency(retrieval),
        "peak_rss_mb": round(common.peak_rss_mb(), 1),
        "store_bytes": common.folder_bytes(Path(p["data_dir"])),
    }


TASKS = {
    "ingest-newsbot": task_ingest_newsbot,
    "ingest-plain": task_ingest_plain,
    "build-full": task_build_full,
    "reingest": task_reingest,
    "serve-newsbot": task_serve_newsbot,
    "build-plain": task_build_plain,
    "serve-plain": task_serve_plain,
}


# -- orchestration -----------------------------------------------------------------------------


def full_store_dir(backend: str, limit: int | None = None) -> Path:
    corpus = common.file_key(NEWS / "articles.jsonl") + (f"-first{limit}" if limit else "")
    return CACHE / f"full-{backend}-{corpus}"


def ensure_full_store(backend: str, models_dir: Path, limit: int | None = None) -> tuple[Path, dict[str, Any]]:
    folder = full_store_dir(backend, limit)
    build = folder / "build.json"
    info = json.loads(build.read_text()) if build.is_file() else {}
    if not info.get("complete"):
        log(f"building the full store in {folder} (long: ~10 min onnx-int8, ~25 min torch on 2 cores)")
        result = child("build-full", data_dir=str(folder), backend=backend, models_dir=str(models_dir), limit=limit)
        info = json.loads(build.read_text()) if build.is_file() else result
    return folder, info


def run(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import plain

    smoke = args.smoke
    paragraphs = args.paragraphs or (300 if smoke else 5000)
    queries = args.queries or (20 if smoke else 206)
    backend = args.backend
    compare = [b for b in (args.compare or ([] if smoke else ["torch"])) if b != backend]
    models_dir = Path(args.models_dir)
    k = 8
    skip_plain = "disabled with --no-plain" if args.no_plain else plain.missing()
    work = Path(tempfile.mkdtemp(prefix="run-", dir=_mkdir(CACHE)))
    result: dict[str, Any] = {
        "mode": ("smoke" if smoke else "full")
        + ("-serve-only" if args.serve_only else "")
        + ("-ingest-only" if args.ingest_only else ""),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "backend": backend,
        "paragraphs": paragraphs,
        "queries": queries,
        "k": k,
        "plain_skipped": skip_plain,
        "python": sys.version.split()[0],
    }
    try:
        records = common.subset_records(common.rows(NEWS / "articles.jsonl"), paragraphs)
        subset = work / "subset.json"
        subset.write_text(json.dumps(records))
        assert common.paragraph_count(records) == paragraphs

        # (a) ingest + (b) re-ingest on the subset, each pipeline --repeat times, interleaved
        ingest = {} if args.serve_only else measure_ingest(args, work, subset, backend, compare, skip_plain, k)
        result["ingest"] = ingest
        result["repeat"] = args.repeat
        result.setdefault("errors", {}).update({f"ingest:{k}": v for k, v in ingest.pop("errors", {}).items()})

        if not args.ingest_only:
            serve(result, args, work, ingest, models_dir, skip_plain)
        result["models_bytes"] = {p.name: p.stat().st_size for p in models_dir.glob("*.onnx")}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["ratios"] = ratios(result)
    return result


def measure_ingest(
    args: argparse.Namespace, work: Path, subset: Path, backend: str, compare: list[str], skip_plain: str, k: int
) -> dict[str, Any]:
    """Each pipeline's ingest ``args.repeat`` times, in alternating order (newsbot then plain, then
    plain then newsbot, …), so a change in the machine's load falls on both about equally.

    A pipeline's figure is its median run (by paragraphs/s), with every run and the 1-minute load
    average before and after it kept in ``runs``; ``paired_ratios`` are newsbot / plain per round.
    On 2 shared cores one extra busy process halves a 2-thread pipeline's rate, so a ratio from runs
    minutes apart can be off by 2x either way (docs/speed.md)."""
    pipelines: list[tuple[str, str, dict[str, Any]]] = [
        (
            f"newsbot:{name}",
            "ingest-newsbot",
            {"records": str(subset), "backend": name, "models_dir": str(args.models_dir)},
        )
        for name in [backend, *compare]
    ]
    if not skip_plain:
        pipelines.append(("plain", "ingest-plain", {"records": str(subset), "k": k}))
    runs: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _ in pipelines}
    errors: dict[str, str] = {}
    for round_ in range(max(1, args.repeat)):
        for key, task, params in pipelines if round_ % 2 == 0 else pipelines[::-1]:
            if key in errors:
                continue
            log(f"[ingest] {key}, {args.paragraphs or 'subset'} paragraphs, round {round_ + 1}/{args.repeat}")
            folder = work / f"ingest-{key.replace(':', '-')}-{round_}"
            load_before = os.getloadavg()[0]
            one: dict[str, Any] = {}
            if guarded(one, key, task, data_dir=str(folder), **params) is None:
                errors[key] = one["errors"][key]
                continue
            load = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            runs[key].append({**one[key], "round": round_, "load": load, "data_dir": str(folder)})
    ingest: dict[str, Any] = {}
    for key, done in runs.items():
        if done:
            ranked = sorted(done, key=lambda run: run["paragraphs_per_second"])
            ingest[key] = {**ranked[(len(ranked) - 1) // 2], "runs": done}
    ours, plain_runs = runs.get(f"newsbot:{backend}", []), runs.get("plain", [])
    if ours and plain_runs:
        by_round = {run["round"]: run for run in plain_runs}
        ingest["paired_ratios"] = [
            round(run["paragraphs_per_second"] / by_round[run["round"]]["paragraphs_per_second"], 2)
            for run in ours
            if run["round"] in by_round
        ]
    if errors:
        ingest["errors"] = errors
    return ingest


def serve(
    result: dict[str, Any],
    args: argparse.Namespace,
    work: Path,
    ingest: dict[str, Any],
    models_dir: Path,
    skip_plain: str,
) -> None:
    """(b) on the full corpus, (c) and (d): newsbot and the plain pipeline serving the same corpus."""
    smoke, backend, queries, k = args.smoke, args.backend, result["queries"], result["k"]
    # (c) + (d) serving the full corpus (smoke: the subset store)
    if smoke:
        build = ingest.get(f"newsbot:{backend}", {})
        serving_dir = Path(build.get("data_dir", work / "none"))
    elif args.store:
        # An existing store (e.g. a full `newsbot ingest` of the news corpus), served from a copy: serving
        # may write keyword caches, and the store's own folder stays untouched. No re-ingest row: a store
        # made by another version may hash paragraphs differently and be embedded again.
        source = Path(args.store).expanduser().resolve()
        log(f"[serve] copying {source} (serving reads a copy)")
        serving_dir = work / "store"
        shutil.copytree(source, serving_dir, ignore=shutil.ignore_patterns("*.lock"))
        build = {"store": str(source)}
    else:
        serving_dir, build = ensure_full_store(backend, models_dir, args.full_limit)
        log("[reingest] full corpus, unchanged")
        guarded(
            result,
            "full_reingest",
            "reingest",
            data_dir=str(serving_dir),
            backend=backend,
            models_dir=str(models_dir),
            limit=args.full_limit,
        )
    result["full_build"] = build
    log("[serve] newsbot")
    guarded(
        result,
        "serve_newsbot",
        "serve-newsbot",
        data_dir=str(serving_dir),
        backend=backend,
        models_dir=str(models_dir),
        queries=queries,
    )
    if not skip_plain:
        if smoke:
            plain_dir = work / "plain-serving"
        elif args.store:  # keyed by the store's content: a changed store gets a new plain copy
            source_db = Path(args.store).expanduser().resolve() / "chroma" / "chroma.sqlite3"
            plain_dir = CACHE / f"plain-of-{common.file_key(source_db)}"
        else:
            plain_dir = serving_dir.with_name(serving_dir.name + "-plain")
        log("[serve] plain: filling its Chroma collection with the newsbot store's vectors")
        if guarded(result, "build_plain", "build-plain", source=str(serving_dir), data_dir=str(plain_dir)):
            log("[serve] plain")
            guarded(result, "serve_plain", "serve-plain", data_dir=str(plain_dir), queries=queries, k=k)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def ratios(r: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    ingest = r.get("ingest", {})
    ours = ingest.get(f"newsbot:{r['backend']}")
    if ours:
        out["reingest_speedup_subset"] = round(ours["ingest_seconds"] / max(ours["reingest_seconds"], 1e-6), 1)
        for name, other in ingest.items():
            if name != f"newsbot:{r['backend']}" and isinstance(other, dict) and "paragraphs_per_second" in other:
                out[f"ingest_vs_{name}"] = round(ours["paragraphs_per_second"] / other["paragraphs_per_second"], 2)
                if other.get("ingest_cpu_seconds") and ours.get("ingest_cpu_seconds"):
                    out[f"ingest_cpu_vs_{name}"] = round(other["ingest_cpu_seconds"] / ours["ingest_cpu_seconds"], 2)
        paired = ingest.get("paired_ratios")
        if paired:
            out["ingest_vs_plain_paired_median"] = round(percentile(paired, 50), 2)
    full = r.get("full_reingest")
    if full and r.get("full_build", {}).get("ingest_seconds"):
        out["reingest_speedup_full"] = round(r["full_build"]["ingest_seconds"] / full["seconds"], 1)
    serve, plain_serve = r.get("serve_newsbot"), r.get("serve_plain")
    if serve and plain_serve:
        for stat in ("p50_ms", "p95_ms"):
            out[f"retrieval_{stat}_vs_plain"] = round(plain_serve["retrieval"][stat] / serve["retrieval"][stat], 1)
        out["rss_vs_plain"] = round(serve["peak_rss_mb"] / plain_serve["peak_rss_mb"], 2)
    return out


def markdown(r: dict[str, Any]) -> str:
    b = r["backend"]
    ingest = r.get("ingest", {})
    ours = ingest.get(f"newsbot:{b}", {})
    lines = [
        f"Mode {r['mode']}; newsbot backend {b}; {r['paragraphs']} paragraphs for ingest; "
        f"{r['queries']} queries; k={r['k']}"
        + (f"; plain pipeline skipped: {r['plain_skipped']}" if r["plain_skipped"] else ""),
        "",
        "| measure | newsbot | plain LangChain | ratio | target |",
        "|---|---|---|---|---|",
    ]
    plain_ingest = ingest.get("plain")
    if ours:
        lines.append(
            f"| (a) ingest {ours['paragraphs']} paragraphs, paragraphs/s (median of {len(ours.get('runs', [ours]))} "
            f"interleaved runs) | {ours['paragraphs_per_second']} "
            f"({ours['ingest_seconds']:.1f} s) | "
            + (
                f"{plain_ingest['paragraphs_per_second']} ({plain_ingest['ingest_seconds']:.1f} s)"
                if plain_ingest
                else "–"
            )
            + " | "
            + (f"{r['ratios'].get('ingest_vs_plain', '–')}×" if plain_ingest else "–")
            + " | ≥3× |"
        )
        if plain_ingest and "ingest_cpu_seconds" in ours and "ingest_cpu_seconds" in plain_ingest:
            lines.append(
                f"| (a) same ingest, CPU seconds (all threads) | {ours['ingest_cpu_seconds']:.1f} | "
                f"{plain_ingest['ingest_cpu_seconds']:.1f} | {r['ratios'].get('ingest_cpu_vs_plain')}× less | |"
            )
        runs = [(name, run) for name in (f"newsbot:{b}", "plain") for run in ingest.get(name, {}).get("runs", [])]
        if len(runs) > 2:
            shown = ", ".join(
                f"{name.split(':')[0]} {run['paragraphs_per_second']} (load {run['load'][0]:.1f}→{run['load'][1]:.1f})"
                for name, run in sorted(runs, key=lambda x: (x[1]["round"], x[0] != f"newsbot:{b}"))
            )
            lines.append(
                f"| (a) runs, paragraphs/s, interleaved (medians above) | {shown} | | "
                f"paired median {r['ratios'].get('ingest_vs_plain_paired_median', '–')}× | |"
            )
        for name, other in ingest.items():
            if name.startswith("newsbot:") and name != f"newsbot:{b}":
                lines.append(
                    f"| (a) ingest, {name} (same indexer, other backend) | {other['paragraphs_per_second']} "
                    f"({other['ingest_seconds']:.1f} s) | | {b} is {r['ratios'].get('ingest_vs_' + name)}× | |"
                )
        lines.append(
            f"| (b) re-ingest unchanged {ours['paragraphs']} paragraphs | {ours['reingest_seconds']:.3f} s "
            f"(embedded {ours['reingest_embedded']}) | full re-embed (no incremental mode) | "
            f"{r['ratios'].get('reingest_speedup_subset')}× faster than first ingest | ≥50× |"
        )
    full = r.get("full_reingest")
    if full:
        lines.append(
            f"| (b) re-ingest unchanged full corpus ({full['paragraphs']} paragraphs) | {full['seconds']:.1f} s vs "
            f"{r['full_build'].get('ingest_seconds')} s build | | {r['ratios'].get('reingest_speedup_full')}× | ≥50× |"
        )
    s, p = r.get("serve_newsbot"), r.get("serve_plain")
    if s:
        size = f"{s['paragraphs']} paragraphs"

        def cell(x: dict[str, Any] | None, part: str, stat: str) -> str:
            return f"{x[part][stat]:.1f}" if x and part in x else "–"

        load = s.get("retrieval_load")
        for stat in ("p50_ms", "p95_ms"):
            ratio = r["ratios"].get(f"retrieval_{stat}_vs_plain")
            beside = f" (load average {load[0]:.2f} → {load[1]:.2f})" if load and stat == "p95_ms" else ""
            lines.append(
                f"| (c) hybrid retrieval {stat.split('_')[0]} ms, {size} | {cell(s, 'retrieval', stat)}{beside} | "
                f"{cell(p, 'retrieval', stat)} (EnsembleRetriever) | "
                + (f"{ratio}× faster" if ratio else "–")
                + f" | {'≤15 ms, ' if stat == 'p95_ms' else ''}≥4× |"
            )
        if "cpu_ms_per_query" in s.get("retrieval", {}):
            cpu_ms = s["retrieval"]["cpu_ms_per_query"]
            lines.append(f"| (c) hybrid retrieval, CPU time per search (all threads) | {cpu_ms:.1f} ms | | | |")
        for stat in ("p50_ms", "p95_ms"):
            lines.append(
                f"| (c) full extractive answer {stat.split('_')[0]} ms | {cell(s, 'answer', stat)} | – | – | "
                f"{'≤150 ms' if stat == 'p95_ms' else ''} |"
            )
        lines.append(
            f"| (d) peak RSS serving, MiB | {s['peak_rss_mb']:.0f} | "
            + (f"{p['peak_rss_mb']:.0f}" if p else "–")
            + " | "
            + (f"{r['ratios'].get('rss_vs_plain')}" if p else "–")
            + " | |"
        )
        store = s["store_bytes"] + s["keyword_cache_bytes"]
        lines.append(
            f"| (d) store on disk, MiB | {store / 2**20:.0f} (Chroma {s['store_bytes'] / 2**20:.0f} + BM25 cache "
            f"{s['keyword_cache_bytes'] / 2**20:.0f}) | "
            + (f"{p['store_bytes'] / 2**20:.0f} (Chroma; BM25 in memory only)" if p else "–")
            + " | | |"
        )
        lines.append(
            f"| startup (model + indexes), s | {s['startup_seconds']} | "
            + (f"{p['startup_seconds']}" if p else "–")
            + " | | |"
        )
    for key, error in (r.get("errors") or {}).items():
        lines.append(f"\n**{key} failed**: {error.splitlines()[0]}")
    models = r.get("models_bytes") or {}
    if models:
        lines.append("")
        lines.append("ONNX model files: " + ", ".join(f"{n} {v / 2**20:.0f} MiB" for n, v in sorted(models.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (300 paragraphs, 20 queries)")
    parser.add_argument("--paragraphs", type=int, help="paragraphs for the ingest comparison (default 5000)")
    parser.add_argument("--queries", type=int, help="questions to time (default all 206)")
    parser.add_argument("--backend", default=DEFAULT_BACKEND, choices=["torch", "onnx", "onnx-int8"])
    parser.add_argument("--compare", nargs="*", help="other newsbot backends to time for ingest (default: torch)")
    parser.add_argument("--serve-only", action="store_true", help="skip (a)/(b) on the subset: serving figures only")
    parser.add_argument("--ingest-only", action="store_true", help="skip (c)/(d): subset ingest figures only")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain LangChain pipeline")
    parser.add_argument(
        "--repeat", type=int, help="ingest runs per pipeline, interleaved; medians reported (default 3, smoke 1)"
    )
    parser.add_argument("--build-full", action="store_true", help="only build the cached full store, then exit")
    parser.add_argument("--full-limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--store",
        help="serve this existing data folder (copied first, never written) instead of the cached full store",
    )
    parser.add_argument("--models-dir", default=str(MODELS), help="where the ONNX exports are cached")
    parser.add_argument("--out", help="result JSON path (default benchmarks/results/<mode>-<time>.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary stores")
    parser.add_argument("--child", choices=sorted(TASKS), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.repeat is None:
        args.repeat = 1 if args.smoke else 3
    if args.smoke and args.serve_only:
        parser.error("--serve-only needs the full store: not with --smoke")
    if args.store and not (Path(args.store).expanduser() / "chroma").is_dir():
        parser.error(f"--store {args.store}: not a newsbot data folder (no chroma/ inside)")
    if args.child:
        print(json.dumps(TASKS[args.child](json.loads(args.params or "{}"))))
        return 0
    if not (NEWS / "articles.jsonl").is_file():
        print(f"needs the evaluation data at {NEWS} (../shared/evaldata beside the repository)", file=sys.stderr)
        return 2
    if args.build_full:
        folder, info = ensure_full_store(args.backend, Path(args.models_dir), args.full_limit)
        print(json.dumps({"folder": str(folder), **info}, indent=1))
        return 0
    result = run(args)
    out = Path(args.out) if args.out else _mkdir(RESULTS) / f"{result['mode']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    table = markdown(result)
    result_md = out.with_suffix(".md")
    result_md.write_text(table + "\n")
    print(table)
    print(f"\nwritten: {out}", file=sys.stderr)
    return 1 if result.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
