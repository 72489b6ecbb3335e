"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds names and rare words that MiniLM blurs. Reciprocal-rank
fusion needs no score calibration between the two. BM25 over whole articles and the article's date
then reorder the candidates (``retrieval/ranking.py`` says why). The result is a LangChain
retriever, so it drops into any LCEL chain.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
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
from retrieval.ranking import FusionWeights, fuse_rankings
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
                "lead": p.lead,
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
        lead=m.get("lead", ""),
    )


class HybridSearcher:
    """Keeps the keyword indexes in step with the store and answers ranked searches."""

    def __init__(
        self,
        store: ParagraphStore,
        embedder: ParagraphEmbedder,
        cache_dir: Path,
        candidates: int = 50,
        weights: FusionWeights | None = None,
        keyword_context: str = "none",
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.candidates = candidates
        self.weights = weights or FusionWeights()
        self.keyword_context = keyword_context
        self._index: KeywordIndex | None = None
        self._articles: KeywordIndex | None = None
        self._by_id: dict[str, int] = {}
        self._published: dict[str, str] = {}
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
                index = self._load_or_build(version, self.keyword_context, self.store.paragraphs)
                self._by_id = {p.id: i for i, p in enumerate(index.paragraphs)}
                self._published = {p.article_id: p.published for p in index.paragraphs}
                self._articles = self._load_or_build(version, "articles", lambda: index.paragraphs, context="articles")
                self._index = index
            return self._index

    def article_index(self) -> KeywordIndex:
        """BM25 over whole articles (title and all paragraphs), in step with :meth:`keyword_index`."""
        self.keyword_index()
        assert self._articles is not None
        return self._articles

    def _load_or_build(
        self, version: str, name: str, paragraphs: Callable[[], list[StoredParagraph]], context: str | None = None
    ) -> KeywordIndex:
        key = f"{self.store.settings.collection}-{name.replace('+', '_')}"
        path = KeywordIndex.cache_path(self.cache_dir, key, version)
        index = KeywordIndex.load(path) if version else None
        if index is None or index.version != version:
            if context == "articles":
                index = KeywordIndex.build_for_articles(paragraphs(), version)
            else:
                index = KeywordIndex.build(paragraphs(), version, context=context or name)
            if version:
                try:
                    index.save(path)
                except OSError:
                    pass  # a read-only data folder only costs a rebuild next time
        return index

    def search(
        self, query: str, k: int, as_of: dt.date | None = None, prefer_articles: Sequence[str] = ()
    ) -> list[Hit]:
        """The ``k`` best paragraphs for ``query``; with ``as_of``, as the archive stood that day
        (later articles left out, the days before it preferred), else recent news preferred a little.

        ``prefer_articles`` (a conversation's cited articles) go first in the article ranking, so a
        follow-up leans toward the stories being discussed without being confined to them."""
        index = self.keyword_index()
        articles = self.article_index()
        if not len(index):
            raise EmptyStoreError("No articles have been ingested yet: run `newsbot ingest` first.")
        vector = self.embedder.encode([query])[0]
        dense = self.store.query(vector, self.candidates)
        keyword = [(index.paragraphs[position].id, score) for position, score in index.search(query, self.candidates)]
        ranked_articles = (
            [articles.paragraphs[position].article_id for position, _ in articles.search(query, self.candidates)]
            if self.weights.article
            else []
        )
        if prefer_articles:
            ranked_articles = [*prefer_articles, *(a for a in ranked_articles if a not in set(prefer_articles))]
        dense_sim = dict(dense)
        keyword_score = dict(keyword)
        fused = fuse_rankings(
            [pid for pid, _ in dense],
            [pid for pid, _ in keyword],
            ranked_articles,
            article_of=lambda pid: pid.rsplit("#", 1)[0],
            published_of=self._published.get,
            weights=self.weights,
            as_of=as_of or dt.date.today(),
            exclude_later=as_of is not None,
            limit=len(dense_sim) + len(keyword_score),
            with_scores=True,
        )
        hits = []
        for pid, score in fused:
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

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        as_of: dt.date | None = None,
        prefer_articles: Sequence[str] = (),
    ) -> list[Document]:
        hits = self.searcher.search(query, self.k, as_of=as_of, prefer_articles=prefer_articles)
        return [hit.to_document() for hit in hits]
