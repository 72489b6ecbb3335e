"""A bounded load test: many threads asking one NewsbotService through a `chroma run` server.

The Discord bot answers each question with ``asyncio.to_thread(service.ask, …)``, so several answers
share one service object, one model and one Chroma client at once. This script reproduces that:
``--threads`` askers call ``service.ask`` until ``--questions`` answers are done (or ``--max-seconds``
pass), while a sampler records the resident memory of this process and of the Chroma server. It
prints one JSON object and exits non-zero if any question failed or memory kept growing.

By default ~20 varied questions are cycled, as a bot sees popular questions asked again: from the
second round on, the embedder's query cache answers for the model. ``--distinct`` asks questions
built from the articles' people and subjects instead ("What did Phil Goff say about the leaked
letter?"), all different, so every answer pays for the model; it measures the uncached path.

    .venv/bin/python benchmarks/load_test.py                  # 500 questions, 8 threads
    .venv/bin/python benchmarks/load_test.py --questions 40   # the smoke run the tests use

Without NEWSBOT_CHROMA_HOST it starts `chroma run` on a free 127.0.0.1 port in a temporary folder
and stops it at the end; with it, it uses that server and a separate ``newsbot-loadtest`` collection.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import benchmarks.common  # noqa: F401  (the offline environment every benchmark starts with)

QUESTIONS = [
    "Why was Chris Carter expelled from the Labour Party?",
    "When will the party council decide whether to expel Chris Carter?",
    "What words did Phil Goff use to describe what Carter did?",
    "What did Carter's letter say about David Cunliffe?",
    "What was Michael Wood's complaint about Gaurav Sharma?",
    "When was Chris Carter first elected?",
    "Who leads the Labour Party?",
    "What did the anonymous letter claim?",
    "Did Carter apologise?",
    "Which electorate does Gaurav Sharma represent?",
    "What happened at the caucus meeting?",
    "Who said the party's constitution had been breached?",
    "What is the capital of France?",
    "Who won the 2023 Rugby World Cup?",
    "How many people live in Wellington?",
    "carter expelled labour letter goff",
    "¿Por qué fue expulsado Chris Carter del Partido Laborista?",
    "Почему Криса Картера исключили из партии?",
    "What did the prime minister say about the bullying complaints against MPs in Parliament this week? " * 8,
    "Was the expulsion unanimous?",
]


# -- a Chroma server of our own --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_executable() -> str:
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise SystemExit("the `chroma` command (from the chromadb package) is not installed")
    return found


@contextmanager
def chroma_server(folder: Path, timeout: float = 60) -> Iterator[tuple[str, int, int]]:
    """`chroma run` on a free loopback port: yields (host, port, pid); always stopped on exit."""
    import httpx

    port = _free_port()
    log = (folder / "chroma.log").open("wb")
    process = subprocess.Popen(
        [_chroma_executable(), "run", "--path", str(folder / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise SystemExit(f"chroma run exited with {process.returncode}; see {folder / 'chroma.log'}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"chroma run did not answer within {timeout:.0f} s")
            time.sleep(0.1)  # polling a starting server against a deadline
        yield "127.0.0.1", port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# -- memory ----------------------------------------------------------------------------------


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (Linux /proc; psutil elsewhere when installed)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except Exception:
        return None


class RssSampler:
    """Samples the RSS of some processes every ``interval`` seconds on a background thread."""

    def __init__(self, pids: dict[str, int], interval: float = 0.1) -> None:
        self.pids = pids
        self.interval = interval
        self.samples: dict[str, list[float]] = {name: [] for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()  # a fast run still ends with a reading taken after the last answer

    def _sample(self) -> None:
        for name, pid in self.pids.items():
            value = rss_mb(pid)
            if value is not None:
                self.samples[name].append(value)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)


def rss_trend(samples: list[float]) -> dict[str, float | None] | None:
    """Start, peak, and the mean of the second and last quarters of the run; growth = last − second.

    A run too short for quarters (under 8 samples, as in a 40-question smoke run on a fast machine)
    still reports start and peak; its quarter means and growth are None rather than guessed.
    """
    if not samples:
        return None
    trend: dict[str, float | None] = {
        "start": round(samples[0], 1),
        "q2_mean": None,
        "q4_mean": None,
        "growth": None,
        "peak": round(max(samples), 1),
        "samples": len(samples),
    }
    if len(samples) >= 8:
        quarter = len(samples) // 4
        second = statistics.fmean(samples[quarter : 2 * quarter])
        last = statistics.fmean(samples[3 * quarter :])
        trend.update(q2_mean=round(second, 1), q4_mean=round(last, 1), growth=round(last - second, 1))
    return trend


def grew_too_much(trend: dict[str, float | None] | None, limit_mb: float) -> bool:
    """Memory grew by more than ``limit_mb`` or 10 % between the second and last quarters."""
    if not trend or trend["growth"] is None or trend["q2_mean"] is None:
        return False
    return trend["growth"] > max(limit_mb, 0.1 * trend["q2_mean"])


# -- the askers ------------------------------------------------------------------------------


# Distinct questions: 8 people × 8 subjects × 8 forms = 512, answerable and not, never repeated.
PEOPLE = [
    "Chris Carter", "Phil Goff", "David Cunliffe", "Andrew Little",
    "Michael Wood", "Gaurav Sharma", "the party council", "the prime minister",
]
SUBJECTS = [
    "the leaked letter", "the expulsion", "the party leadership", "the caucus vote",
    "the bullying complaints", "the election", "the party constitution", "the media",
]
FORMS = [
    "What did {p} say about {s}?", "Why did {p} talk about {s}?", "When did {p} comment on {s}?",
    "How did {p} respond to {s}?", "What was {p}'s view of {s}?", "Did {p} criticise {s}?",
    "Who told {p} about {s}?", "What happened between {p} and {s}?",
]


def question_text(index: int, distinct: bool) -> str:
    """The ``index``-th question: the ~20 cycled, or (``distinct``) the index-th of 512 distinct ones."""
    if not distinct:
        return QUESTIONS[index % len(QUESTIONS)]
    person, rest = divmod(index % (len(PEOPLE) * len(SUBJECTS) * len(FORMS)), len(SUBJECTS) * len(FORMS))
    subject, form = divmod(rest, len(FORMS))
    return FORMS[form].format(p=PEOPLE[person], s=SUBJECTS[subject])


def ask_many(service: Any, total: int, threads: int, max_seconds: float, distinct: bool = False) -> dict[str, Any]:
    """``threads`` workers share a counter and call ``service.ask`` until ``total`` are done or time is up."""
    from config import NewsbotError

    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[str] = []
    grounded = 0
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        nonlocal grounded
        while True:
            with lock:
                index = state["next"]
                if index >= total or time.monotonic() > deadline:
                    return
                state["next"] += 1
            question = question_text(index, distinct)
            started = time.perf_counter()
            try:
                answer = service.ask(question)
            except (NewsbotError, Exception) as exc:  # every failure counts; the kind goes in the report
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                grounded += int(answer.grounded)

    workers = [threading.Thread(target=worker, name=f"asker-{i}") for i in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0

    return {
        "answered": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "timed_out": len(latencies) + len(errors) < total,
        "grounded": grounded,
        "abstained": len(latencies) - grounded,
        "seconds": round(seconds, 1),
        "throughput_qps": round(len(latencies) / seconds, 2) if seconds else 0.0,
        "latency_ms": {
            "p50": percentile(0.50),
            "p95": percentile(0.95),
            "max": percentile(1.0),
            "mean": round(1000 * statistics.fmean(ordered), 1) if ordered else 0.0,
        },
    }


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from bot.service import NewsbotService
    from config import load_settings
    from corpus import bundled_articles_dir

    @contextmanager
    def server() -> Iterator[tuple[str, int, int | None]]:
        host = os.environ.get("NEWSBOT_CHROMA_HOST")
        if host:
            yield host, int(os.environ.get("NEWSBOT_CHROMA_PORT", "8000")), None
        else:
            with chroma_server(workdir) as (own_host, port, pid):
                yield own_host, port, pid

    with server() as (host, port, server_pid):
        settings = load_settings(
            data_dir=workdir / "client", chroma_host=host, chroma_port=port, collection="newsbot-loadtest"
        )
        service = NewsbotService(settings)
        ingest = service.ingest(service.load([bundled_articles_dir()]))
        service.warm_up()
        # One concurrent round first: per-thread buffers and caches are allocated once, not leaked.
        warm = ask_many(service, args.warmup, args.threads, args.max_seconds, args.distinct)
        pids = {"client": os.getpid(), **({"server": server_pid} if server_pid else {})}
        with RssSampler(pids) as sampler:
            result = ask_many(service, args.questions, args.threads, args.max_seconds, args.distinct)
    trends = {name: rss_trend(samples) for name, samples in sampler.samples.items()}
    suspect = [name for name, trend in trends.items() if grew_too_much(trend, args.max_rss_growth_mb)]
    return {
        "questions": args.questions,
        "threads": args.threads,
        "distinct_questions": len({question_text(i, args.distinct) for i in range(args.questions)}),
        "store": settings.describe_store(),
        "server_pid": server_pid,
        "paragraphs": ingest.paragraphs,
        "warmup_questions": warm["answered"],
        "warmup_errors": warm["error_samples"],
        **result,
        "rss_mb": trends,
        "rss_growth_suspect": suspect,
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=500, help="answers to compute in total (default 500)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent askers (default 8)")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="ask all-different questions (no cache hits); default: cycle ~20 questions",
    )
    parser.add_argument("--warmup", type=int, default=16, help="unmeasured questions asked first (default 16)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop asking after this long (default 900)")
    parser.add_argument(
        "--max-rss-growth-mb", type=float, default=50, help="memory growth (last vs second quarter) that fails the run"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsbot-load-") as folder:
        report = run(args, Path(folder))
    print(json.dumps(report, indent=2))
    ok = not (report["errors"] or report["warmup_errors"] or report["timed_out"] or report["rss_growth_suspect"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
