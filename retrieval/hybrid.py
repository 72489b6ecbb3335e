"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds names and rare words that MiniLM blurs. Reciprocal-rank
fusion needs no score calibration between the two. The result is a LangChain retriever, so it
drops into any LCEL chain.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from config.errors import EmptyStoreError
from retrieval.embeddings import ParagraphEmbedder
from retrieval.keyword import KeywordIndex
from retrieval.store import ParagraphStore, StoredParagraph

VERSION_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Hit:
    """A retrieved paragraph with the evidence for its rank."""

    paragraph: StoredParagraph
    score: float
    dense_similarity: float | None
    keyword_score: float | None

    def to_document(self) -> Document:
        p = self.paragraph
        return Document(
            id=p.id,
            page_content=p.text,
            metadata={
                "paragraph_id": p.id,
                "article_id": p.article_id,
                "paragraph": p.number,
                "title": p.title,
                "label": p.label,
                "url": p.url,
                "published": p.published,
                "score": self.score,
                "dense_similarity": self.dense_similarity,
                "keyword_score": self.keyword_score,
            },
        )


def paragraph_of(document: Document) -> StoredParagraph:
    m = document.metadata
    return StoredParagraph(
        id=m["paragraph_id"],
        article_id=m["article_id"],
        number=int(m["paragraph"]),
        text=document.page_content,
        title=m.get("title", ""),
        url=m.get("url", ""),
        published=m.get("published", ""),
        source="",
    )


class HybridSearcher:
    """Keeps the keyword index in step with the store and answers ranked searches."""

    def __init__(
        self,
        store: ParagraphStore,
        embedder: ParagraphEmbedder,
        cache_dir: Path,
        candidates: int = 50,
        rrf_k: int = 60,
        dense_weight: float = 1.0,
        keyword_weight: float = 1.0,
        keyword_context: str = "none",
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self.keyword_context = keyword_context
        self._index: KeywordIndex | None = None
        self._by_id: dict[str, int] = {}
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def keyword_index(self) -> KeywordIndex:
        """The current keyword index, rebuilt (or loaded from cache) when the store changed."""
        now = time.monotonic()
        if self._index is not None and now - self._checked_at < VERSION_CHECK_SECONDS:
            return self._index
        with self._lock:
            version = self.store.version()
            self._checked_at = time.monotonic()
            if self._index is None or self._index.version != version:
                self._index = self._load_or_build(version)
                self._by_id = {p.id: i for i, p in enumerate(self._index.paragraphs)}
            return self._index

    def _load_or_build(self, version: str) -> KeywordIndex:
        name = f"{self.store.settings.collection}-{self.keyword_context.replace('+', '_')}"
        path = KeywordIndex.cache_path(self.cache_dir, name, version)
        index = KeywordIndex.load(path) if version else None
        if index is None or index.version != version:
            index = KeywordIndex.build(self.store.paragraphs(), version, context=self.keyword_context)
            if version:
                try:
                    index.save(path)
                except OSError:
                    pass  # a read-only data folder only costs a rebuild next time
        return index

    def search(self, query: str, k: int) -> list[Hit]:
        index = self.keyword_index()
        if not len(index):
            raise EmptyStoreError("No articles have been ingested yet: run `newsbot ingest` first.")
        vector = self.embedder.encode([query])[0]
        dense = self.store.query(vector, self.candidates)
        keyword = index.search(query, self.candidates)

        fused: dict[str, float] = {}
        dense_sim: dict[str, float] = {}
        keyword_score: dict[str, float] = {}
        for rank, (pid, similarity) in enumerate(dense):
            fused[pid] = fused.get(pid, 0.0) + self.dense_weight / (self.rrf_k + rank + 1)
            dense_sim[pid] = similarity
        for rank, (position, score) in enumerate(keyword):
            pid = index.paragraphs[position].id
            fused[pid] = fused.get(pid, 0.0) + self.keyword_weight / (self.rrf_k + rank + 1)
            keyword_score[pid] = score

        hits = []
        for pid, score in sorted(fused.items(), key=lambda item: item[1], reverse=True):
            position = self._by_id.get(pid)
            if position is None:  # written after our index was built; picked up next refresh
                continue
            hits.append(Hit(index.paragraphs[position], score, dense_sim.get(pid), keyword_score.get(pid)))
            if len(hits) == k:
                break
        return hits


class HybridRetriever(BaseRetriever):
    """LangChain face of :class:`HybridSearcher`: a question in, paragraph documents out."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 6

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit.to_document() for hit in self.searcher.search(query, self.k)]
