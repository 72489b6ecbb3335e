"""BM25 over paragraph text with ``bm25s`` (sparse matrices; about 1 ms a query at 73k paragraphs).

The index is rebuilt from the store when the store's version changes, and cached on disk under the
data folder so a new process does not pay for the rebuild again.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retrieval.ranking import article_documents
from retrieval.store import StoredParagraph
from retrieval.text import terms, terms_many

CACHE_FORMAT = 2  # 2: the article index keeps no text


@dataclass
class KeywordIndex:
    """The paragraphs of the store, their BM25 index, and document frequencies."""

    paragraphs: list[StoredParagraph]
    version: str
    _bm25: object
    _vocab: dict[str, int]

    @classmethod
    def build(cls, paragraphs: list[StoredParagraph], version: str, context: str = "none") -> KeywordIndex:
        """Index each paragraph's words, plus its article title and/or previous paragraph by ``context``
        ("none", "title", "previous", "title+previous"), so a paragraph that says "he" still matches
        a question that names the person."""
        import bm25s

        tokens = terms_many(indexed_texts(paragraphs, context))
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if paragraphs:
            bm25.index(tokens, show_progress=False)
        vocab = dict(getattr(bm25, "vocab_dict", {}) or {})
        return cls(paragraphs, version, bm25, vocab)

    @classmethod
    def build_for_articles(cls, paragraphs: list[StoredParagraph], version: str) -> KeywordIndex:
        """BM25 over whole articles (title and every paragraph), one entry per article.

        Only the article ids are kept beside the index: the text is already in the paragraph
        index, and a second copy would cost memory in every serving process.
        """
        articles = article_documents(paragraphs)
        index = cls.build(articles, version, context="title")
        index.paragraphs = [replace(a, text="") for a in articles]
        return index

    def __len__(self) -> int:
        return len(self.paragraphs)

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Top ``n`` paragraphs for ``query``: (position in ``paragraphs``, BM25 score)."""
        known = [t for t in terms(query) if t in self._vocab]
        if not known or not self.paragraphs:
            return []
        k = min(n, len(self.paragraphs))
        docs, scores = self._bm25.retrieve([known], k=k, show_progress=False, n_threads=1)  # type: ignore[attr-defined]
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def document_frequency(self) -> dict[str, int]:
        """How many paragraphs contain each stemmed term."""
        matrix = self._bm25.scores  # type: ignore[attr-defined]
        indptr = np.asarray(matrix["indptr"])
        counts = np.diff(indptr)
        return {term: int(counts[idx]) for term, idx in self._vocab.items() if idx < len(counts)}

    # -- disk cache --------------------------------------------------------------------------

    @staticmethod
    def cache_path(folder: Path, name: str, version: str) -> Path:
        """One folder per index (paragraphs, articles, per collection): saving a new version
        removes that index's older versions and never another index's file."""
        return folder / f"keyword-{name}" / f"{version}-v{CACHE_FORMAT}.pickle"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> KeywordIndex | None:
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            return None
        return index if isinstance(index, KeywordIndex) else None


def indexed_texts(paragraphs: list[StoredParagraph], context: str = "none") -> list[str]:
    """The text BM25 sees for each paragraph (the answer and the quote still use the paragraph alone).

    ``context`` names what is added: ``title``, ``previous`` and/or ``next`` paragraph, joined by
    ``+`` ("title+previous"), or ``none``.
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
