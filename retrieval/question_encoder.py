"""The question side of dense retrieval: MiniLM fine-tuned on questions, the paragraphs' vectors unchanged.

Plain MiniLM embeds a question and the paragraph that answers it with the same weights, and a
paraphrase ("how long did the meeting go on for") lands nearer the paragraphs that repeat its words
than the one that holds the answer. ``benchmarks/train_question_encoder.py`` fine-tunes a copy of
the model on the hand-written train questions only, against the store's own paragraph vectors, which
stay frozen: so a store needs no re-ingest, and the paragraph side (ingest speed, the answer step's
similarities) is untouched. Only the search's question vector comes from this model.

It ships as an int8 ONNX graph (``question-int8.onnx``, about 23 MB) with the packaged model's
tokenizer and pooling, run by onnxruntime like the paragraph model; it costs one more small
embedding per question (about 4 ms). The ``question_encoder`` setting turns it on ("tuned"). It is
off by default: retrieval finds more, but the answer model, fitted on plain retrieval, does not yet
turn that into more right answers (docs/quality.md, "A question model for the dense search").
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from config import NewsbotError
from retrieval.vector_cache import VectorCache

if TYPE_CHECKING:
    from retrieval.onnx_backend import OnnxEncoder

QUESTION_MODEL_FILE = "question-int8.onnx"
CACHE_QUESTIONS = 256  # a question is searched again by a follow-up or an eval re-run


class QuestionEncoder:
    """The fine-tuned question model, loaded on first use (nothing heavy at import)."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        self.path = path or Path(str(resources.files("retrieval") / QUESTION_MODEL_FILE))
        self.threads = threads
        self._encoder: OnnxEncoder | None = None
        self._lock = threading.Lock()
        self._cache = VectorCache(CACHE_QUESTIONS)

    @property
    def encoder(self) -> OnnxEncoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._load()
        return self._encoder

    def _load(self) -> OnnxEncoder:
        from retrieval.embeddings import _quiet_offline_environment
        from retrieval.onnx_backend import OnnxEncoder, model_dir

        _quiet_offline_environment()
        if not self.path.is_file():
            raise NewsbotError(
                f"The question model {self.path} is missing: reinstall newsbot (pip install -e .), "
                "or set NEWSBOT_QUESTION_ENCODER=plain."
            )
        return OnnxEncoder(self.path, model_dir(), threads=self.threads)

    def vector(self, question: str) -> np.ndarray:
        """The unit vector of ``question`` to search the paragraphs' vectors with (cached)."""
        found = self._cache.get(question)
        if found is not None:
            return found
        vector: np.ndarray = self.encoder.encode([question])[0]
        self._cache.put(question, vector)
        return vector
