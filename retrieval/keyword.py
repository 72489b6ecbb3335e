"""BM25 keyword search over paragraphs and over whole articles, across index segments.

A :class:`KeywordIndex` answers for one kind of document (paragraphs, or articles: title and all
paragraphs) from a list of segments (``retrieval/segment.py``): a large base one and a few small
recent ones, each with the rows of articles re-ingested or removed since marked dead. Scores use
the whole index's document count, document frequencies and average length
(``retrieval/postings.py``), so a paragraph scores the same whichever segment holds it.

Who builds what (``retrieval/keyword_store.py``): the ingest that changes the store writes the
change as a new segment next to the store, under the store's new version, before it publishes
that version; asking processes memory-map the segments, so opening the index costs about the same
at a million paragraphs as at ten thousand. Nothing on disk is a pickle.

Positions: documents are numbered across segments in order (``segment offset + row``); dead rows
keep their numbers but never match, and :attr:`KeywordIndex.paragraphs` skips them when iterated.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from corpus import Paragraph
from retrieval.irregular import other_forms
from retrieval.postings import Postings, idf, length_norms, score, top
from retrieval.segment import Segment, Vocabulary, build_segment, group_articles
from retrieval.spelling import correct_all
from retrieval.synonyms import SYNONYM_WEIGHT, synonyms
from retrieval.text import terms

_VERSION = re.compile(r"[A-Za-z0-9]{1,64}")
Kind = Literal["paragraphs", "articles"]
LIVE_CACHE = 100_000  # article ids whose segment and row an index remembers


def safe_version(version: str) -> bool:
    """Whether a store version may name a cache file: letters and digits only, at most 64."""
    return bool(_VERSION.fullmatch(version))


@dataclass(frozen=True)
class Part:
    """A segment as one index version sees it: where its positions start and what is dead in it."""

    segment: Segment
    paragraph_offset: int
    article_offset: int
    dead_articles: np.ndarray  # article rows
    alive_articles: np.ndarray
    dead_paragraphs: np.ndarray  # paragraph rows of the dead articles
    alive_paragraph_count: int

    @classmethod
    def of(cls, segment: Segment, dead: np.ndarray, paragraph_offset: int, article_offset: int) -> Part:
        dead = np.asarray(dead, dtype=np.int64)
        first = segment.arrays["a_first"]
        dead_paragraphs = (
            np.concatenate([np.arange(int(first[r]), int(first[r + 1])) for r in dead])
            if len(dead)
            else np.zeros(0, np.int64)
        )
        return cls(
            segment,
            paragraph_offset,
            article_offset,
            dead,
            segment.alive_articles(dead),
            dead_paragraphs,
            segment.paragraph_count - len(dead_paragraphs),
        )


class KeywordIndex:
    """BM25 over one kind of document; built by :mod:`retrieval.keyword_store` or :meth:`build`."""

    def __init__(
        self,
        kind: Kind,
        parts: Sequence[Part],
        vocabulary: Vocabulary,
        df: np.ndarray,
        documents: int,
        total_length: float,
        version: str,
    ) -> None:
        self.kind: Kind = kind
        self.parts = list(parts)
        self.version = version
        self._vocabulary = vocabulary
        self._vocab = vocabulary.ids
        self._df = df
        self._documents = documents
        self._average_length = total_length / documents if documents else 0.0
        self._starts = [p.paragraph_offset if kind == "paragraphs" else p.article_offset for p in self.parts]
        self._live: dict[str, tuple[Part, int] | None] = {}
        self._length_norms: list[np.ndarray | None] = [None] * len(self.parts)
        self.paragraphs = Documents(self)
        self.positions = _Positions(self)
        self.published = _Published(self)

    # -- in-memory builds (tuning, tests) ---------------------------------------------------

    @classmethod
    def build(cls, paragraphs: Sequence[Paragraph], version: str, context: str = "none") -> KeywordIndex:
        """Index each paragraph's words, plus its article title and/or previous paragraph by ``context``
        ("none", "title", "previous", "title+previous"), so a paragraph that says "he" still matches
        a question that names the person. Kept in memory (the store's own index is on disk)."""
        return cls._of_segment(paragraphs, version, context, "paragraphs")

    @classmethod
    def build_for_articles(cls, paragraphs: Sequence[Paragraph], version: str) -> KeywordIndex:
        """BM25 over whole articles (title and every paragraph), one entry per article."""
        return cls._of_segment(paragraphs, version, "none", "articles")

    @classmethod
    def _of_segment(cls, paragraphs: Sequence[Paragraph], version: str, context: str, kind: Kind) -> KeywordIndex:
        vocabulary = Vocabulary()
        segment = build_segment("memory", group_articles(paragraphs), vocabulary, context)
        postings = segment.paragraph_postings if kind == "paragraphs" else segment.article_postings
        part = Part.of(segment, np.zeros(0, np.int64), 0, 0)
        return cls(
            kind,
            [part],
            vocabulary,
            postings.document_frequency(),
            postings.documents,
            float(postings.lengths.sum()),
            version,
        )

    # -- searching -------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._documents

    def _postings(self, part: Part) -> Postings:
        return part.segment.paragraph_postings if self.kind == "paragraphs" else part.segment.article_postings

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Top ``n`` documents for ``query``: (position, BM25 score), best first.

        A question word the index does not hold is read as its closest indexed spelling
        (``retrieval/spelling.py``): "cartr" finds Carter; an irregular verb is searched in all its
        forms (``retrieval/irregular.py``): "leave" finds "left"."""
        spelled = self.spelled(terms(query))
        asked = list(dict.fromkeys([*spelled, *(other for t in spelled for other in other_forms(t))]))
        known = [t for t in asked if self._holds(t)]
        # A word the question does not use but means the same counts less ("beat" finds "defeat"), and
        # never more than the question's own word: "center" is common, "epicenter" rare.
        standing_in: dict[str, str] = {}
        for term in spelled:
            for other in synonyms(term):
                if other not in asked and self._holds(other):
                    standing_in.setdefault(other, term)
        if not known or not self._documents or n <= 0:
            return []
        ids = [self._vocab[t] for t in [*known, *standing_in]]
        weights = idf(np.asarray([self._df[i] if i < len(self._df) else 0 for i in ids]), self._documents)
        if standing_in:
            own = dict(zip(known, weights[: len(known)], strict=True))
            extra = [
                min(w, own.get(standing_in[t], w)) * SYNONYM_WEIGHT
                for t, w in zip(standing_in, weights[len(known) :], strict=True)
            ]
            weights = np.concatenate([weights[: len(known)], np.asarray(extra)])
        found_positions, found_scores = [], []
        for at, (part, start) in enumerate(zip(self.parts, self._starts, strict=True)):
            scores = score(self._postings(part), ids, weights, self._norms(at))
            dead = part.dead_paragraphs if self.kind == "paragraphs" else part.dead_articles
            if len(dead):
                scores[dead] = 0.0
            positions, values = top(scores, n)
            found_positions.append(positions + start)
            found_scores.append(values)
        positions, values = np.concatenate(found_positions), np.concatenate(found_scores)
        order = np.lexsort((-positions, -values))[:n]  # ties: the later position first, as in top()
        return [(int(positions[i]), float(values[i])) for i in order]

    def _norms(self, at: int) -> np.ndarray:
        """The length norms of part ``at`` (computed on its first query; two threads may both compute)."""
        found = self._length_norms[at]
        if found is None:
            found = self._length_norms[at] = length_norms(self._postings(self.parts[at]), self._average_length)
        return found

    def spelled(self, found: list[str]) -> list[str]:
        """``found`` with each term the index does not hold replaced by its closest indexed spelling."""
        if all(self._holds(t) for t in found):
            return found
        return correct_all(found, self.frequencies(), self.vocabulary())

    def term_weights(self, found: Sequence[str]) -> np.ndarray:
        """The BM25 IDF of each term (a term the index does not hold weighs as the rarest)."""
        limit = len(self._df)
        df = [self._df[at] if (at := self._vocab.get(t)) is not None and at < limit else 0 for t in found]
        return idf(np.asarray(df, dtype=np.float64), self._documents)

    def _holds(self, term: str) -> bool:
        """Whether a live document has ``term`` (terms of removed articles stay numbered, unused)."""
        at = self._vocab.get(term)
        return at is not None and at < len(self._df) and self._df[at] > 0

    def frequencies(self) -> dict[str, int]:
        """:meth:`document_frequency`, computed once per index (it is immutable)."""
        cached = self.__dict__.get("_frequencies")
        if cached is None:
            cached = self.__dict__["_frequencies"] = self.document_frequency()
        return cached

    def vocabulary(self) -> list[str]:
        cached = self.__dict__.get("_vocabulary_list")
        if cached is None:
            cached = self.__dict__["_vocabulary_list"] = list(self.frequencies())
        return cached

    def document_frequency(self) -> dict[str, int]:
        """How many live documents contain each stemmed term (terms of none left out)."""
        df = np.asarray(self._df)
        limit = len(df)
        return {term: int(df[i]) for term, i in self._vocab.items() if i < limit and df[i] > 0}

    # -- positions -------------------------------------------------------------------------

    def locate(self, position: int) -> tuple[Part, int]:
        at = bisect.bisect_right(self._starts, position) - 1
        if at < 0:
            raise IndexError(position)
        part = self.parts[at]
        local = position - self._starts[at]
        count = part.segment.paragraph_count if self.kind == "paragraphs" else part.segment.article_count
        if local >= count:
            raise IndexError(position)
        return part, local

    def document(self, position: int) -> Paragraph:
        part, local = self.locate(position)
        return part.segment.paragraph(local) if self.kind == "paragraphs" else part.segment.article(local)

    def live_article(self, article_id: str) -> tuple[Part, int] | None:
        """The segment and row holding ``article_id`` now (older copies are dead); remembered, since
        a search asks for the same articles' dates and paragraphs many times."""
        cache = self._live
        if article_id in cache:
            return cache[article_id]
        found = None
        for part in reversed(self.parts):
            row = part.segment.article_row(article_id)
            if row is not None and part.alive_articles[row]:
                found = (part, row)
                break
        if len(cache) >= LIVE_CACHE:
            cache.clear()
        cache[article_id] = found
        return found


class Documents(Sequence[Paragraph]):
    """``index.paragraphs``: documents by position; iterating yields the live ones only."""

    def __init__(self, index: KeywordIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    def __getitem__(self, position: int) -> Paragraph:  # type: ignore[override]
        return self._index.document(int(position))

    def __iter__(self) -> Iterator[Paragraph]:
        return self._documents_of(self._index.parts)

    def newest_first(self) -> Iterator[Paragraph]:
        """The live documents, the latest ingest's segment first (each segment's in its own order): the
        bot's background warming reaches an upload's paragraphs before the rest of the archive."""
        return self._documents_of(list(reversed(self._index.parts)))

    def _documents_of(self, parts: Sequence[Part]) -> Iterator[Paragraph]:
        index = self._index
        for part in parts:
            segment = part.segment
            if index.kind == "articles":
                rows = np.flatnonzero(part.alive_articles)
                yield from (segment.article(int(r)) for r in rows)
                continue
            for row in np.flatnonzero(part.alive_articles):
                start, end = segment.paragraph_range(int(row))
                yield from (segment.paragraph(p) for p in range(start, end))


class _Positions(Mapping[str, int]):
    """Paragraph id → position, found through the article id's hash (nothing built at start-up)."""

    def __init__(self, index: KeywordIndex) -> None:
        self._index = index

    def __getitem__(self, paragraph_id: str) -> int:
        article_id, _, number = paragraph_id.rpartition("#")
        found = self._index.live_article(article_id) if number.isascii() and number.isdigit() and article_id else None
        if found is not None:
            part, row = found
            local = part.segment.paragraph_position(row, int(number))
            if local is not None:
                return part.paragraph_offset + local
        raise KeyError(paragraph_id)

    def __iter__(self) -> Iterator[str]:
        return (p.id for p in self._index.paragraphs)

    def __len__(self) -> int:
        return sum(part.alive_paragraph_count for part in self._index.parts)


class _Published(Mapping[str, str]):
    """Article id → its publication date ("" when undated)."""

    def __init__(self, index: KeywordIndex) -> None:
        self._index = index

    def __getitem__(self, article_id: str) -> str:
        found = self._index.live_article(article_id)
        if found is None:
            raise KeyError(article_id)
        part, row = found
        return part.segment.article_fields(row)["published"]

    def __iter__(self) -> Iterator[str]:
        for part in self._index.parts:
            for row in np.flatnonzero(part.alive_articles):
                yield part.segment.article_field(int(row), "id")

    def __len__(self) -> int:
        return sum(int(part.alive_articles.sum()) for part in self._index.parts)


def indexed_texts(paragraphs: Sequence[Paragraph], context: str = "none") -> list[str]:
    """The text BM25 sees for each paragraph (the answer and the quote still use the paragraph alone).

    ``context`` names what is added: ``title``, ``previous`` and/or ``next`` paragraph, joined by
    ``+`` ("title+previous"), or ``none``. (The index adds the same words without joining texts:
    ``retrieval/segment.py``.)
    """
    parts_wanted = set(context.split("+"))
    by_article: dict[str, dict[int, str]] = {}
    if parts_wanted & {"previous", "next"}:
        for p in paragraphs:
            by_article.setdefault(p.article_id, {})[p.number] = p.text
    texts = []
    for p in paragraphs:
        neighbours = by_article.get(p.article_id, {})
        parts = [p.title] if "title" in parts_wanted and p.title else []
        if "previous" in parts_wanted:
            parts.append(neighbours.get(p.number - 1, ""))
        parts.append(p.text)
        if "next" in parts_wanted:
            parts.append(neighbours.get(p.number + 1, ""))
        texts.append(" ".join(part for part in parts if part))
    return texts
