"""Helpers for the robustness tests: real `newsbot` subprocesses, a real `chroma run`, a synthetic corpus.

Everything here waits by polling a condition against a deadline, never by sleeping for a guessed time,
so a slow shared machine makes the tests slower, not flaky.
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests_support import NEWSBOT, cli_env, run_cli

__all__ = ["cli_env", "run_cli"]  # re-exported: the robustness tests import them from here

ROOT = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.05

# Words for synthetic paragraphs: ordinary news vocabulary, so the model and BM25 treat them as text.
_WORDS = (
    "council minister harbour election budget railway farmers police court hospital school river storm market "
    "union strike vote party leader report city region tax water power price bridge museum airport mayor "
    "teachers nurses drought festival library museum stadium ferry tunnel forest port factory"
).split()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_SECONDS)


# -- the `newsbot` command -------------------------------------------------------------------


def start_cli(args: list[str], data_dir: Path, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """Start `newsbot ARGS` in the background, stdout and stderr to ``log`` (a pipe could fill and block it)."""
    with log.open("wb") as sink:
        return subprocess.Popen(
            [*NEWSBOT, *args], stdout=sink, stderr=subprocess.STDOUT, env=cli_env(data_dir, **env), cwd=ROOT
        )


def finish(process: subprocess.Popen[bytes], timeout: float = 300) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"process {process.args} did not finish in {timeout:.0f} s")


def stop(process: subprocess.Popen[Any]) -> None:
    """Kill a process this test started, if it is still running (test clean-up)."""
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


# -- the embedded store, read without opening it -----------------------------------------------


def queued_records(data_dir: Path) -> int:
    """Records a writer has handed to the embedded store so far (read-only SQLite; 0 before it exists).

    Reading Chroma's SQLite file directly, instead of opening a second Chroma client on a store that
    another process is writing, keeps the observer from disturbing what it observes.
    """
    database = data_dir / "chroma" / "chroma.sqlite3"
    if not database.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM embeddings_queue").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:  # tables not created yet, or a write in progress
        return 0


_SNAPSHOT = """
import json, sys
from bot.service import NewsbotService
from config import load_settings
service = NewsbotService(load_settings(data_dir=sys.argv[1]))
store = service.store
records = {rid: [str(m.get("hash")), doc or ""] for rid, m, doc in store.iter_records(("metadatas", "documents"))}
count = store.record_count()
indexed = set()
if count:
    import numpy as np
    hits = store.collection.query(query_embeddings=[np.ones(384).tolist()], n_results=count, include=[])
    indexed = set(hits["ids"][0])
stats = service.stats()
print(json.dumps({"records": records, "count": count, "indexed": sorted(indexed),
                  "articles": stats["articles"], "paragraphs": stats["paragraphs"]}))
"""


@dataclass
class Snapshot:
    """What a fresh process sees in a store: records, the vector index, and the counts ``stats`` reports."""

    records: dict[str, tuple[str, str]]
    count: int
    indexed: set[str]
    articles: int
    paragraphs: int

    def assert_consistent(self, counts: bool = True) -> None:
        """One record per id, every record findable by vector search, and (``counts``) stats that match.

        Right after a SIGKILL the counts are legitimately stale (the writer died before updating
        them); the next ingest refreshes them, so callers check counts only after a finished run.
        """
        assert self.count == len(self.records), "Chroma's count disagrees with its records"
        assert self.indexed == set(self.records), "the vector index and the records disagree"
        if not counts:
            return
        first_windows = [rid for rid in self.records if rid.endswith("@0")]
        assert self.paragraphs == len(first_windows), "stats' paragraph count is stale"
        assert self.articles == len({rid.split("#")[0] for rid in first_windows}), "stats' article count is stale"


def snapshot(data_dir: Path) -> Snapshot:
    """Read an embedded store from a fresh process, as the next `newsbot` command would see it.

    A separate process (rather than a client in the test process) opens the store from disk, exactly
    like a user's next command, with no cached state from earlier looks.
    """
    result = subprocess.run(
        [sys.executable, "-c", _SNAPSHOT, str(data_dir)],
        capture_output=True,
        text=True,
        env=cli_env(data_dir),
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout)
    return Snapshot(
        records={rid: (h, doc) for rid, (h, doc) in data["records"].items()},
        count=data["count"],
        indexed=set(data["indexed"]),
        articles=data["articles"],
        paragraphs=data["paragraphs"],
    )


# -- a synthetic corpus ----------------------------------------------------------------------


def write_synthetic_corpus(folder: Path, articles: int = 100, paragraphs: int = 20, words: int = 10) -> Path:
    """``articles`` × ``paragraphs`` short, distinct paragraphs of news-like words (seeded: same every run)."""
    rng = random.Random(20240607)
    folder.mkdir(parents=True, exist_ok=True)
    for a in range(articles):
        body = [
            " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + f". Item {a}-{p}."
            for p in range(paragraphs)
        ]
        (folder / f"synthetic_{a:03d}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return folder


# -- a real Chroma server --------------------------------------------------------------------


def chroma_executable() -> str:
    exe = Path(sys.executable).with_name("chroma")
    if exe.exists():
        return str(exe)
    found = shutil.which("chroma")
    if not found:
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    return found


class ChromaServer:
    """`chroma run` on a loopback port, which can be stopped and started again on the same port and path."""

    def __init__(self, path: Path, log: Path, port: int | None = None) -> None:
        self.path = path
        self.log = log
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [chroma_executable(), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._ready, timeout, f"`chroma run` on port {self.port} (log: {self.log})")

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            pytest.fail(f"chroma run exited: {self.log.read_text(errors='replace')[-2000:]}")
        try:
            return httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextmanager
def chroma_server(folder: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(folder / "server-data", folder / "chroma.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
