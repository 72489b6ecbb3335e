"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds names and rare words that MiniLM blurs. Reciprocal-rank
fusion needs no score calibration between the two. BM25 over whole articles and the article's date
then reorder the candidates (``retrieval/ranking.py`` says why). The result is a LangChain
retriever, so it drops into any LCEL chain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from config.errors import EmptyStoreError
from config.settings import default
from corpus import Paragraph
from retrieval.embeddings import ParagraphEmbedder
from retrieval.keyword import KeywordIndex, safe_version
from retrieval.keyword_store import KeywordStore
from retrieval.question_encoder import QuestionEncoder
from retrieval.ranker import ParagraphRanker, Rankings, features
from retrieval.ranking import FusionWeights, age_in_days, asks_about_now, fuse_rankings, recency_score
from retrieval.second_index import SecondIndex
from retrieval.store import ParagraphStore, paragraph_id_of, record_id
from retrieval.text import terms

VERSION_CHECK_SECONDS = 1.0
DENSE_WORKERS = 4  # dense searches in flight at once (the Discord bot answers a few questions together)

log = logging.getLogger("newsbot.keyword")


@dataclass(frozen=True)
class Hit:
    """A retrieved paragraph with the evidence for its rank."""

    paragraph: Paragraph
    score: float
    dense_similarity: float | None
    keyword_score: float | None

    def to_document(self) -> Document:
        """The paragraph as a LangChain document: its text, :meth:`Paragraph.metadata`, the id and
        label a LangChain user would look for, and the scores (read back by :func:`hit_of`)."""
        p = self.paragraph
        return Document(
            id=p.id,
            page_content=p.text,
            metadata={
                **p.metadata(),
                "paragraph_id": p.id,
                "label": p.label,
                "score": self.score,
                "dense_similarity": self.dense_similarity,
                "keyword_score": self.keyword_score,
            },
        )


def hit_of(document: Document) -> Hit:
    """A retrieved document back as a :class:`Hit`, with the scores the retriever recorded."""
    m = document.metadata
    paragraph = Paragraph.from_metadata(m, document.page_content)
    return Hit(paragraph, float(m.get("score") or 0.0), m.get("dense_similarity"), m.get("keyword_score"))


def paragraphs_of(items: Sequence[Hit | Paragraph]) -> list[Paragraph]:
    """The paragraphs of retrieved hits (bare paragraphs pass through)."""
    return [item.paragraph if isinstance(item, Hit) else item for item in items]


@dataclass(frozen=True)
class _Snapshot:
    """Everything a search reads from the keyword side, built together and swapped as one.

    A search takes one snapshot and reads only it: a rebuild running at the same time (an ingest
    while serving) can never pair positions of one index with ids or dates of another.
    """

    index: KeywordIndex
    articles: KeywordIndex
    by_id: Mapping[str, int]
    published: Mapping[str, str]


class HybridSearcher:
    """Keeps the keyword indexes in step with the store and answers ranked searches."""

    def __init__(
        self,
        store: ParagraphStore,
        embedder: ParagraphEmbedder,
        cache_dir: Path,
        candidates: int = default("candidates"),
        weights: FusionWeights | None = None,
        keyword_context: str = "none",
        question_encoder: QuestionEncoder | None = None,
        second: SecondIndex | None = None,
        ranker: ParagraphRanker | None = None,
    ) -> None:
        self.store = store
        # The learned ranker that reorders the fusion's first paragraphs (None: the fusion's order).
        self.ranker = ranker
        # The optional second embedder's collection (e5), searched as one more dense ranking.
        self.second = second
        self.embedder = embedder
        # The dense search's question vector: the fine-tuned question model, or (None) the paragraph model.
        self.question_encoder = question_encoder
        self.cache_dir = cache_dir
        self.candidates = candidates
        self.weights = weights or FusionWeights()
        self.undated_weights = dataclasses.replace(self.weights, recency=0.0)  # asked today, not about now
        # What "today" is for a question asked without a day: ``benchmarks/answer_suite.py --live`` sets
        # the day after the archive's newest article, to ask as a newsroom's live archive is asked.
        self.today: Callable[[], dt.date] = dt.date.today
        self.keyword_context = keyword_context
        self._snapshot: _Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        # True runs the dense side (embedding, HNSW) in a worker thread beside the two BM25 searches.
        # Off: since the keyword segments, BM25 is ~1 ms of a ~10 ms search, and the thread handoff cost
        # about what the overlap saved (profile_steps.py query prints both; docs/speed.md).
        self.parallel = False

    def snapshot(self, fresh: bool = False) -> _Snapshot:
        """The current keyword indexes, rebuilt (or loaded from cache) when the store changed
        (``fresh``: check the store's version now, not at most once a second)."""
        current = self._snapshot
        if current is not None and not fresh and time.monotonic() - self._checked_at < VERSION_CHECK_SECONDS:
            return current
        with self._lock:
            version = self.store.version()
            self._checked_at = time.monotonic()
            current = self._snapshot
            if current is None or current.index.version != version:
                index, articles = self._load_or_build(version)
                # Lookups through the index's own arrays: nothing per paragraph is built at start-up.
                current = _Snapshot(index=index, articles=articles, by_id=index.positions, published=index.published)
                self._snapshot = current  # one assignment: readers see the old snapshot or the new one
            return current

    def keyword_index(self) -> KeywordIndex:
        """The current paragraph keyword index (see :meth:`snapshot`)."""
        return self.snapshot().index

    def article_index(self) -> KeywordIndex:
        """BM25 over whole articles (title and all paragraphs), in step with :meth:`keyword_index`."""
        return self.snapshot().articles

    def paragraph(self, article_id: str, number: int) -> Paragraph | None:
        """Paragraph ``number`` of an article, from the keyword index (no store round trip)."""
        current = self.snapshot()
        position = current.by_id.get(f"{article_id}#{number}")
        if position is None:
            return None
        found = current.index.paragraphs[position]
        return found if found.article_id == article_id and found.number == number else None

    @cached_property
    def keyword_store(self) -> KeywordStore:
        """Where the ingest saves the keyword indexes of each store version (``retrieval/keyword_store.py``)."""
        return keyword_store_for(self.cache_dir, self.store.settings.collection, self.keyword_context)

    def _load_or_build(self, version: str) -> tuple[KeywordIndex, KeywordIndex]:
        """The indexes the writer saved for ``version``; built here only when it saved none."""
        if version and not safe_version(version):
            log.warning("the store's version is not a plain token: keyword indexes are not cached")
        store = self.keyword_store
        loaded = store.load(version) if version else None
        if loaded is None:
            if version:
                log.info("no keyword index saved for store version %s: building it from the store", version[:12])
            loaded = store.rebuild(version, self.store.paragraphs)
        return loaded

    def search(
        self,
        query: str,
        k: int,
        as_of: dt.date | None = None,
        prefer_articles: Sequence[str] = (),
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The ``k`` best paragraphs for ``query``; with ``as_of``, as the archive stood that day
        (later articles left out, the days before it preferred); else the latest news is preferred
        only when the question asks about now (:func:`retrieval.ranking.asks_about_now`).

        ``prefer_articles`` (a conversation's cited articles) go first in the article ranking, so a
        follow-up leans toward the stories being discussed without being confined to them.
        ``vector`` is the question's search vector when the caller already has it (else
        :meth:`search_vector`: the paragraph model's, which the answer step then finds in its cache,
        or the question model's).

        The dense side is the question's embedding and one Chroma query (ids and distances only);
        with :attr:`parallel` it runs in a worker thread while this one runs the two BM25 searches."""
        snap = self.snapshot()
        if not len(snap.index):
            raise EmptyStoreError("No articles have been ingested yet: run `newsbot ingest` first.")
        rankings = self.rankings(query, vector, snap)
        second = self.second.ranking(query, self.candidates) if self.second is not None and self.weights.second else []
        ranked_articles = [aid for aid, _ in rankings.articles]
        if prefer_articles:
            ranked_articles = [*prefer_articles, *(a for a in ranked_articles if a not in set(prefer_articles))]
        dense_sim = dict(rankings.dense)
        keyword_score = dict(rankings.keyword)
        dated = as_of is not None or asks_about_now(query)
        weights = self.weights if dated else self.undated_weights
        fused = fuse_rankings(
            [pid for pid, _ in rankings.dense],
            [pid for pid, _ in rankings.keyword],
            ranked_articles,
            article_of=lambda pid: pid.rsplit("#", 1)[0],
            published_of=snap.published.get,
            weights=weights,
            as_of=as_of or self.today(),
            exclude_later=as_of is not None,
            limit=len(dense_sim) + len(keyword_score) + len(second),
            with_scores=True,
            second=[pid for pid, _ in second],
        )
        wanted = max(k, self.ranker.depth) if self.ranker is not None else k
        hits = []
        texts: set[str] = set()
        for pid, score in fused:
            position = snap.by_id.get(pid)
            if position is None:  # written after our index was built; picked up next refresh
                continue
            paragraph = snap.index.paragraphs[position]
            # The same text twice (a folder ingested from two places, a wire story in two articles)
            # is one hit: copies would fill the k places and crowd out the article that disagrees.
            text = " ".join(paragraph.text.split())
            if text in texts:
                continue
            texts.add(text)
            hits.append(Hit(paragraph, score, dense_sim.get(pid), keyword_score.get(pid)))
            if len(hits) == wanted:
                break
        if self.ranker is not None and hits:
            if prefer_articles:  # a conversation's cited articles read as the whole question's best match
                best = max((score for _, score in rankings.articles), default=1.0)
                preferred = [(a, best) for a in prefer_articles]
                others = [(a, score) for a, score in rankings.articles if a not in set(prefer_articles)]
                rankings = dataclasses.replace(rankings, articles=[*preferred, *others])
            hits = self._reranked(hits, rankings, query, vector, snap, weights if dated else None, as_of)
        hits = hits[:k]
        return self._with_dense_similarity(hits, {pid for pid, _ in second}, query, vector) if second else hits

    def rankings(self, query: str, vector: np.ndarray | None = None, snap: _Snapshot | None = None) -> Rankings:
        """What each retriever finds for ``query``, with its scores: the dense list (the question's
        embedding and one Chroma query), BM25 over paragraphs and, when its weight is on, over articles.

        With :attr:`parallel` the dense side runs in a worker thread while this one runs the two BM25 searches."""
        snap = snap or self.snapshot()
        index, articles = snap.index, snap.articles
        pending = self._workers().submit(self._dense, query, vector) if self.parallel else None
        keyword = [(index.paragraphs[position].id, score) for position, score in index.search(query, self.candidates)]
        ranked_articles = (
            [(articles.paragraphs[at].article_id, score) for at, score in articles.search(query, self.candidates)]
            if self.weights.article
            else []
        )
        dense = pending.result() if pending is not None else self._dense(query, vector)
        return Rankings(dense, keyword, ranked_articles)

    def _reranked(
        self,
        hits: list[Hit],
        rankings: Rankings,
        query: str,
        vector: np.ndarray | None,
        snap: _Snapshot,
        dated: FusionWeights | None,
        as_of: dt.date | None,
    ) -> list[Hit]:
        """The first :attr:`ParagraphRanker.depth` hits in the learned ranker's order (``retrieval/ranker.py``).

        A question asked as of a day (or about now) keeps the recency ranking: the ranker's order
        takes the place of the three rankings it reads, at their summed weight, and each article's
        closeness to the day is added as the fusion adds it (the ranker was fitted on undated questions)."""
        assert self.ranker is not None
        head, tail = hits[: self.ranker.depth], hits[self.ranker.depth :]
        rows = self.ranker_features([h.paragraph for h in head], rankings, query, vector, snap)
        order = np.argsort(-self.ranker.scores(rows), kind="stable")
        k = self.weights.rrf_k
        summed = self.weights.dense + self.weights.keyword + self.weights.article
        scored = []
        for place, at in enumerate(order):
            hit = head[int(at)]
            score = summed / (k + place + 1)  # the fusion's scale, which the answer model was fitted on
            if dated is not None:
                age = age_in_days(snap.published.get(hit.paragraph.article_id), as_of or self.today())
                score += recency_score(age, dated)
            scored.append(dataclasses.replace(hit, score=score))
        scored.sort(key=lambda h: -h.score)
        return scored + tail

    def ranker_features(
        self,
        paragraphs: Sequence[Paragraph],
        rankings: Rankings,
        query: str,
        vector: np.ndarray | None = None,
        snap: _Snapshot | None = None,
    ) -> np.ndarray:
        """The learned ranker's features of ``paragraphs`` (``retrieval/ranker.py``), as serving and
        ``benchmarks/fit_ranker.py`` both compute them. A paragraph only BM25 found gets its cosine
        from its stored vector (about 7 ms for the few dozen of a question)."""
        snap = snap or self.snapshot()
        similarity = dict(rankings.dense)
        missing = [record_id(p.id, 0) for p in paragraphs if p.id not in similarity]
        if missing:
            question = vector if vector is not None else self.search_vector(query)
            stored = self.store.embeddings_for(missing)
            similarity |= {paragraph_id_of(rid): float(v @ question) for rid, v in stored.items()}
        asked = list(dict.fromkeys(snap.index.spelled(terms(query))))
        return features(paragraphs, rankings, similarity, asked, snap.index.term_weights(asked))

    def _with_dense_similarity(
        self, hits: list[Hit], second: Collection[str], query: str, vector: np.ndarray | None
    ) -> list[Hit]:
        """Hits the second embedder found and MiniLM's search did not get MiniLM's similarity too, from
        their stored vectors: the answer model reads it as a feature (fitted on MiniLM's hits), and
        the 0 of "not found by meaning" would mark a paragraph found by meaning as far from the question."""
        missing = [
            record_id(hit.paragraph.id, 0)
            for hit in hits
            if hit.dense_similarity is None and hit.paragraph.id in second
        ]
        if not missing:
            return hits
        question = vector if vector is not None else self.search_vector(query)
        found = {paragraph_id_of(rid): float(v @ question) for rid, v in self.store.embeddings_for(missing).items()}
        return [
            dataclasses.replace(hit, dense_similarity=found[hit.paragraph.id]) if hit.paragraph.id in found else hit
            for hit in hits
        ]

    def closest_in_articles(
        self, query: str, article_ids: Sequence[str], n: int, exclude: Collection[str] = ()
    ) -> list[tuple[Paragraph, float]]:
        """The ``n`` paragraphs of each article closest to ``query`` by their stored vectors, leaving
        out ``exclude``: (paragraph, cosine), article by article.

        Fusion ranks paragraphs across the whole archive, so the paragraph of the top story that
        answers a paraphrase can fall below the first ``k`` behind other stories' paragraphs that
        share its words; among that story's own paragraphs it is often first or second. The
        paragraphs are listed from the keyword index and their first window's vector fetched by id
        (a metadata-filtered get cost three times as much); the question's vector is cached."""
        listed: dict[str, Paragraph] = {}
        for article in article_ids:
            number = 1
            while (paragraph := self.paragraph(article, number)) is not None:
                if paragraph.id not in exclude:
                    listed[paragraph.id] = paragraph
                number += 1
        if not listed or n <= 0:
            return []
        vector = self.embedder.query_vector(query)  # the question model here measured no better (stop 36)
        vectors = self.store.embeddings_for([record_id(pid, 0) for pid in listed])
        similarity = {paragraph_id_of(rid): float(v @ vector) for rid, v in vectors.items()}
        picked: list[tuple[Paragraph, float]] = []
        for article in article_ids:
            own = sorted((p for p in similarity if listed[p].article_id == article), key=lambda p: -similarity[p])
            picked += [(listed[p], similarity[p]) for p in own[:n]]
        return picked

    def _dense(self, query: str, vector: np.ndarray | None) -> list[tuple[str, float]]:
        """The dense ranking: the question's vector (computed once, cached) and one Chroma query."""
        if vector is None:
            vector = self.search_vector(query)
        return self.store.query(vector, self.candidates)

    def search_vector(self, query: str) -> np.ndarray:
        """The vector the dense side searches with: the question model's when there is one."""
        if self.question_encoder is not None:
            return self.question_encoder.vector(query)
        return self.embedder.query_vector(query)

    def _workers(self) -> ThreadPoolExecutor:
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(DENSE_WORKERS, thread_name_prefix="newsbot-dense")
        return self._pool


class HybridRetriever(BaseRetriever):
    """LangChain face of :class:`HybridSearcher`: a question in, paragraph documents out."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: HybridSearcher
    k: int = default("top_k")

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


def keyword_store_for(cache_dir: Path, collection: str, context: str) -> KeywordStore:
    """The keyword index folder of a collection and paragraph context (shared by ingest and search)."""
    return KeywordStore(cache_dir / f"keyword-{collection}-{context.replace('+', '_')}", context)
