"""Vectors of the answer step's sentences, each embedded alone, kept in memory and in the data folder.

An answer embeds its candidate sentences twice (MiniLM, then the reader): on a CPU without VNNI that
was most of its time (docs/speed.md, "Where an answer's time goes"). A sentence's vector does not
depend on the question, so once computed it serves every later question that reads the sentence, if
it does not depend on the batch it was computed in either. An int8 graph quantises a batch as a
whole, so every text here is embedded alone (``OnnxEncoder.encode(..., alone=True)``): then a vector
is the same whether it was just computed, kept from an earlier question or read from disk, and an
answer depends only on the question and the archive, not on what was asked before.

Vectors are kept as float16 (half the disk; a cosine moves by about 1e-4) and always used as kept,
freshly computed ones too, for the same reason. On disk they live in one SQLite file of the data
folder (``cache/sentence-vectors.sqlite``), keyed by the graph's :attr:`~OnnxEncoder.graph_id` and a
hash of the text: a new model or runtime starts afresh, and ``newsbot warm`` fills it for the whole
archive ahead of questions. The file is only a cache: when it cannot be opened or written (a
read-only folder, another process holding the write lock), vectors are computed and kept in memory.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from retrieval.vector_cache import VectorCache

log = logging.getLogger(__name__)

MEMORY_VECTORS = 20_000  # per process, all graphs together: about 15 MB of float16 at 384 dimensions
FILE_NAME = "sentence-vectors.sqlite"
SCHEMA = 2  # the file's layout (PRAGMA user_version)

Compute = Callable[[list[str]], np.ndarray]


def digest(text: str, size: int = 16) -> bytes:
    """A text's key in the file (a graph's name is keyed by 8 bytes: it is in every row)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).digest()


class SentenceVectors:
    """The kept vectors of one data folder (``path``: its SQLite file; None: memory only)."""

    def __init__(self, path: Path | None = None, memory: int = MEMORY_VECTORS) -> None:
        self.path = path
        self._memory = VectorCache(memory)
        self._lock = threading.RLock()  # the file's connection, made once, used by one thread at a time
        self._db: sqlite3.Connection | None = None
        self._disk_failed = path is None

    # -- the file ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        """The open file (created on first use), or None when it cannot be used: then memory only."""
        with self._lock:
            if self._db is None and not self._disk_failed and self.path is not None:
                self._db = self._open(self.path)
            return self._db

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=0.5, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:  # an older layout: start afresh
                db.execute("DROP TABLE IF EXISTS vectors")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            # A rowid table: rows are appended in order and fill their pages (keyed by random hashes, a
            # WITHOUT ROWID table splits its pages part full: 980 bytes a vector against 860, stop 83).
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (graph BLOB NOT NULL, text BLOB NOT NULL, "
                "vector BLOB NOT NULL, UNIQUE (graph, text))"
            )
            return db
        except (sqlite3.Error, OSError) as error:
            log.info("sentence vectors kept in memory only: %s cannot be used (%s)", path, error)
            self._disk_failed = True
            return None

    def _read(self, graph: str, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        db = self._connection()
        if db is None or not keys:
            return {}
        found: dict[bytes, np.ndarray] = {}
        try:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(
                    f"SELECT text, vector FROM vectors WHERE graph = ? AND text IN ({marks})", (digest(graph, 8), *part)
                )
                for key, blob in rows:
                    found[bytes(key)] = np.frombuffer(blob, dtype=np.float16).copy()
        except sqlite3.Error as error:
            log.info("sentence vectors not read from %s (%s)", self.path, error)
        return found

    def _write(self, graph: str, rows: list[tuple[bytes, np.ndarray]]) -> None:
        db = self._connection()
        if db is None or not rows:
            return
        try:
            with db:  # one transaction
                db.executemany(
                    "INSERT OR IGNORE INTO vectors (graph, text, vector) VALUES (?, ?, ?)",
                    [(digest(graph, 8), key, np.asarray(v, dtype=np.float16).tobytes()) for key, v in rows],
                )
        except sqlite3.Error as error:  # busy or read-only: the vectors stay in memory
            log.info("sentence vectors not written to %s (%s)", self.path, error)

    # -- use ---------------------------------------------------------------------------------

    def vectors(self, graph: str, texts: Sequence[str], compute: Compute, keep: bool = True) -> np.ndarray:
        """The kept vectors of ``texts`` under ``graph`` (float32 of their float16 form), computing the
        missing ones with ``compute`` (which must embed each text alone). ``keep=False``: kept in memory
        but not written to disk (a question)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        found: dict[str, np.ndarray] = {}  # float16, as kept
        for text in texts:
            vector = self._memory.get(f"{graph}\0{text}")
            if vector is not None:
                found[text] = vector
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        keys = {t: digest(t) for t in missing} if keep else {}
        if missing and keep:
            with self._lock:
                on_disk = self._read(graph, list(keys.values()))
            for text in missing:
                vector = on_disk.get(keys[text])
                if vector is not None:
                    found[text] = vector
                    self._memory.put(f"{graph}\0{text}", vector)
            missing = [t for t in missing if t not in found]
        if missing:
            fresh = np.asarray(compute(missing), dtype=np.float16)
            for text, vector in zip(missing, fresh, strict=True):
                found[text] = vector
                self._memory.put(f"{graph}\0{text}", vector)
            if keep:
                with self._lock:
                    self._write(graph, [(keys[t], found[t]) for t in missing])
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def fill(self, graph: str, texts: Sequence[str], compute: Compute) -> int:
        """Compute and write to disk the vectors of those ``texts`` the file lacks (``newsbot warm``),
        leaving memory alone; how many were computed (0 when there is no usable file)."""
        if self._connection() is None:
            return 0
        todo = self.missing(graph, list(dict.fromkeys(texts)))
        if todo:
            fresh = compute(todo)
            with self._lock:
                self._write(graph, [(digest(t), v) for t, v in zip(todo, fresh, strict=True)])
        return len(todo)

    @property
    def on_disk(self) -> bool:
        """Whether vectors are written to a file (else kept in memory only)."""
        return self._connection() is not None

    def missing(self, graph: str, texts: Sequence[str]) -> list[str]:
        """Which of ``texts`` have no vector on disk under ``graph`` (all of them without a file)."""
        keys = [digest(t) for t in texts]
        with self._lock:
            on_disk = self._read(graph, keys)
        return [t for t, key in zip(texts, keys, strict=True) if key not in on_disk]

    def count(self, graph: str | None = None) -> int:
        """Vectors on disk (under ``graph``, else under any)."""
        db = self._connection()
        if db is None:
            return 0
        with self._lock:
            if graph is None:
                return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])
            return int(db.execute("SELECT count(*) FROM vectors WHERE graph = ?", (digest(graph, 8),)).fetchone()[0])

    def drop_other_graphs(self, graphs: Sequence[str]) -> int:
        """Delete the vectors of every graph but ``graphs`` (an older model's); how many went."""
        db = self._connection()
        if db is None:
            return 0
        marks = ",".join("?" * len(graphs))
        with self._lock, db:
            keep = tuple(digest(graph, 8) for graph in graphs)
            return db.execute(f"DELETE FROM vectors WHERE graph NOT IN ({marks})", keep).rowcount

    def drop_other_texts(self, graph: str, texts: Sequence[str]) -> int:
        """Delete ``graph``'s vectors of every text but ``texts`` (sentences no longer in the archive:
        an article edited or pruned); how many went."""
        db = self._connection()
        if db is None:
            return 0
        wanted = {digest(t) for t in texts}
        key = digest(graph, 8)
        with self._lock:
            stale = [(key, bytes(t)) for (t,) in db.execute("SELECT text FROM vectors WHERE graph = ?", (key,))]
            stale = [row for row in stale if row[1] not in wanted]
            with db:
                db.executemany("DELETE FROM vectors WHERE graph = ? AND text = ?", stale)
        return len(stale)

    def clear_memory(self) -> None:
        self._memory.clear()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


_memory_only = SentenceVectors(None)


def memory_only() -> SentenceVectors:
    """The process's vectors kept in memory only (for answerers built without a data folder)."""
    return _memory_only
