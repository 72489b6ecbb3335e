"""How long an extractive answer takes at 73k paragraphs, and where its time goes (the README's `ask` row).

    .venv/bin/python benchmarks/answer_latency.py                  # the suite's news store, 150 test questions
    .venv/bin/python benchmarks/answer_latency.py --store DIR --questions 60 --runs 3
    .venv/bin/python benchmarks/answer_latency.py --store DIR --file questions.jsonl   # other questions
    .venv/bin/python benchmarks/answer_latency.py --warm-paragraphs 2000   # also time `newsbot warm`

Asks the first N questions of the test split (``benchmarks/questions/news-j`` … ``-o``, in file order:
2–6 questions an article, as a channel asks about a few stories) with the real service and the default
settings (``NewsbotService.ask``, the extractive answerer), after one warm-up question, in one process.
Each run prints p50 / p95 / max of an answer's wall time, the CPU time an answer takes (all threads: on a
2-core machine an answer that keeps both cores busy takes about half its CPU time), the texts each ONNX
graph embedded per answer (MiniLM for the question and the candidate sentences, the reader, the answer
check's reader), and the load average as the run began and ended: the machine is shared.

Each run asks them twice. "cold": no sentence vector kept yet (a new file), so each candidate sentence
is embedded the first time a question reads it, as in a channel that never ran ``newsbot warm`` (later
questions about the same story reuse them); "warm": the same questions with the vectors the cold pass
kept, which is what a warmed archive gives every question (docs/speed.md, "Sentence vectors kept").
``--warm-paragraphs N`` first times ``newsbot warm``'s work on N paragraphs of the store.
``--beside-warming`` adds a third pass to each run: cold again (a new file), with the background warming
a running bot does (bot/background_warming.py) started on the whole store as the first question is
asked. It pauses for questions and for a second after each (bot/background_warming.py): asked back to back
(``--gap-s 0``) the questions never meet it; with a pause longer than that second (1.5 s by default) a
question may come in the middle of a chunk and share the CPU with it.

Retrieval alone (``searcher.search``) is timed over the same questions in the same process first: the
part of an answer that does not depend on the answer step, measured beside it in the same run. The
vectors it computed are dropped before each run of answers, so every answer embeds its own question.

The store is only read (the sentence vectors go to temporary files). ``benchmarks/answer_suite.py``
builds it (``benchmarks/.cache/answer-suite/stores/news``).
The answer step's cost is mostly the ONNX graphs' (docs/speed.md, "Where an answer's time goes"), and an
int8 graph runs about twice as fast on a CPU with VNNI as on one with AVX2 only: the script prints which
this one has.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import common
from retrieval.sentence_vectors import FILE_NAME, SentenceVectors

TEST_FILES = tuple(common.ROOT / "benchmarks" / "questions" / f"news-{letter}.jsonl" for letter in "jklmno")
DEFAULT_STORE = common.CACHE / "answer-suite" / "stores" / "news"


def first_questions(limit: int, file: Path | None = None) -> list[str]:
    """The first ``limit`` questions of ``file`` (JSON lines with a "question"), else of the test split,
    in file order."""
    found = []
    for path in [file] if file else TEST_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if file or row.get("split") == "test":
                    found.append(row["question"])
    return found[:limit]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_flags() -> str:
    """Whether this CPU multiplies int8 with VNNI (fast and exact) or AVX2 only (Linux; "unknown" elsewhere)."""
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return "unknown"
    return "VNNI" if "vnni" in flags else "AVX2, no VNNI" if "avx2" in flags else "no AVX2"


class TextCounter:
    """Counts the texts each ONNX graph embeds, by wrapping :meth:`OnnxEncoder.encode` for this process."""

    def __init__(self) -> None:
        from retrieval import onnx_backend

        self.counts: Counter[str] = Counter()
        original = onnx_backend.OnnxEncoder.encode
        counts = self.counts

        def encode(encoder: Any, texts: Any, pieces: Any = None, alone: bool = False) -> Any:
            counts[getattr(encoder, "graph_name", "?")] += len(texts)
            return original(encoder, texts, pieces, alone)

        original_init = onnx_backend.OnnxEncoder.__init__

        def init(encoder: Any, path: Path, *args: Any, **kwargs: Any) -> None:
            original_init(encoder, path, *args, **kwargs)
            encoder.graph_name = "MiniLM" if "MiniLM" in Path(path).name else Path(path).stem

        onnx_backend.OnnxEncoder.encode = encode  # type: ignore[method-assign]
        onnx_backend.OnnxEncoder.__init__ = init  # type: ignore[method-assign]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(common.percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
    }


def ask_all(
    service: Any, questions: list[str], counter: TextCounter, kept: SentenceVectors, gap_s: float = 0.0
) -> dict[str, Any]:
    """Ask every question once, timed; nothing kept in memory from before (the question vectors of the
    search pass, the sentence vectors of an earlier run): only what ``kept``'s file holds is reused."""
    service.embedder.clear_cache()
    kept.clear_memory()
    counter.counts.clear()
    load_before, cpu_before = os.getloadavg()[0], cpu_seconds()
    ms: list[float] = []
    for question in questions:
        time.sleep(gap_s)  # a channel's pause between questions, when asked for
        started = time.perf_counter()
        service.ask(question)
        ms.append((time.perf_counter() - started) * 1000)
    cpu_ms = (cpu_seconds() - cpu_before) / len(questions) * 1000
    return {
        **summary(ms),
        "cpu_ms_per_answer": round(cpu_ms, 1),
        "texts_per_answer": {name: round(n / len(questions), 1) for name, n in sorted(counter.counts.items())},
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def beside_warming(
    service: Any, questions: list[str], counter: TextCounter, path: Path, gap_s: float
) -> dict[str, Any]:
    """The cold pass again (a new file), with a bot's background warming over the whole store beside it."""
    from bot.background_warming import BackgroundWarmer

    kept = SentenceVectors(path)
    service.extractive.sentence_vectors = kept
    service.__dict__["sentence_vectors"] = kept  # what ``service.warm`` fills
    warmer = BackgroundWarmer(service)
    warmer.request()
    try:
        row = ask_all(service, questions, counter, kept, gap_s)
    finally:
        warmer.stop()
    # The counters also counted the warming's texts and CPU: an answer's own are a cold pass's.
    del row["texts_per_answer"], row["cpu_ms_per_answer"]
    row["sentence_vectors"] = f"cold, warming beside, {gap_s:g} s between questions"
    row["warmed_beside"] = kept.count()  # vectors kept by the end: the answers' and the warming's
    kept.close()
    return row


def time_warm(service: Any, paragraphs: int, folder: Path) -> dict[str, Any]:
    """``newsbot warm``'s work on the store's first ``paragraphs`` paragraphs, into a new file."""
    from bot.answering.warming import warm

    chosen = service.store.paragraphs()[:paragraphs]
    kept = SentenceVectors(folder / FILE_NAME)
    load_before, cpu_before = os.getloadavg()[0], cpu_seconds()
    done = warm(service.extractive, kept, chosen)
    kept.close()  # the write-ahead log goes into the file
    size = sum(f.stat().st_size for f in folder.iterdir())
    row = {
        "paragraphs": len(chosen),
        "sentences": done.sentences,
        "vectors": done.computed,
        "seconds": round(done.seconds, 1),
        "paragraphs_per_minute": round(len(chosen) / done.seconds * 60),
        "cpu_seconds": round(cpu_seconds() - cpu_before, 1),
        "file_mb": round(size / 1e6, 1),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    print(
        f"warm: {row['paragraphs']} paragraphs, {row['sentences']} sentences, {row['vectors']} vectors in "
        f"{row['seconds']} s ({row['paragraphs_per_minute']} paragraphs a minute), {row['file_mb']} MB; "
        f"load {row['load'][0]} → {row['load'][1]}"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE, help="a newsbot data folder (only read)")
    parser.add_argument("--questions", type=int, default=150, help="how many test questions (default 150)")
    parser.add_argument("--file", type=Path, help="JSON lines to ask instead of the test split")
    parser.add_argument("--runs", type=int, default=1, help="how many cold + warm pairs of runs (default 1)")
    parser.add_argument(
        "--warm-paragraphs", type=int, default=0, help="also time `newsbot warm` on the store's first N paragraphs"
    )
    parser.add_argument(
        "--beside-warming", action="store_true", help="also ask cold with the background warming running"
    )
    parser.add_argument(
        "--gap-s",
        type=float,
        nargs="+",
        default=[0.0, 1.5],
        help="with --beside-warming: seconds between questions, one pass each (default 0 and 1.5)",
    )
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if not (args.store / "chroma").is_dir():
        sys.exit(f"no newsbot store at {args.store}: run benchmarks/answer_suite.py once to build it, or pass --store")
    if args.file is not None and not args.file.is_file():
        sys.exit(f"no such file: {args.file}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    counter = TextCounter()
    from bot.service import NewsbotService
    from config import load_settings

    service = NewsbotService(load_settings(data_dir=args.store))
    questions = first_questions(args.questions, args.file)
    scratch = Path(tempfile.mkdtemp(prefix="answer-latency-"))
    # The store stays as it is: sentence vectors go to files of this run's own, deleted at the end.
    service.extractive.sentence_vectors = SentenceVectors(scratch / "warm-up" / FILE_NAME)
    service.warm_up()
    service.ask("Who is the leader of the Labour Party?")
    search: list[float] = []
    for question in questions:
        started = time.perf_counter()
        service.searcher.search(question, service.settings.top_k)
        search.append((time.perf_counter() - started) * 1000)
    figures: dict[str, Any] = {
        "cpu": cpu_flags(),
        "store_paragraphs": int(service.store.info().get("paragraphs", 0)),
        "questions": len(questions),
        "retrieval": summary(search),
        "runs": [],
    }
    print(f"CPU: {figures['cpu']}; {figures['store_paragraphs']:,} paragraphs; {len(questions)} questions")
    print(f"retrieval alone: p50 {figures['retrieval']['p50_ms']} / p95 {figures['retrieval']['p95_ms']} ms")

    def report(run: int, row: dict[str, Any]) -> None:
        figures["runs"].append(row)
        print(
            f"run {run}, {row['sentence_vectors']}: ask p50 {row['p50_ms']} / p95 {row['p95_ms']} / max "
            f"{row['max_ms']} ms; CPU {row.get('cpu_ms_per_answer', '—')} ms an answer; texts an answer "
            f"{row.get('texts_per_answer', '—')}; load {row['load'][0]} → {row['load'][1]}"
            + (f"; warmed beside: {row['warmed_beside']} vectors" if "warmed_beside" in row else "")
        )

    try:
        if args.warm_paragraphs:
            figures["warm"] = time_warm(service, args.warm_paragraphs, scratch / "warm")
        for run in range(1, args.runs + 1):
            # Each run starts with no sentence vector kept (a new file): "cold", each sentence embedded the
            # first time a question reads it, as a live channel asks; then the same questions again with
            # that file, as a warmed archive answers them ("warm").
            kept = SentenceVectors(scratch / f"run-{run}" / FILE_NAME)
            service.extractive.sentence_vectors = kept
            for state in ("cold", "warm"):
                row = ask_all(service, questions, counter, kept)
                row["sentence_vectors"] = state
                report(run, row)
            kept.close()
            if args.beside_warming:
                for gap_s in args.gap_s:
                    where = scratch / f"run-{run}-beside-{gap_s:g}" / FILE_NAME
                    report(run, beside_warming(service, questions, counter, where, gap_s))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # The process's peak resident memory: the model graphs, the store's indexes and the kept vectors.
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    read_all = " (with --warm-paragraphs, which reads every paragraph of the store)" if args.warm_paragraphs else ""
    print(f"peak RSS: {figures['peak_rss_mib']} MiB{read_all}")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.out}")


if __name__ == "__main__":
    main()
