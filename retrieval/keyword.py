"""BM25 over paragraph text with ``bm25s`` (sparse matrices; about 1 ms a query at 73k paragraphs).

The index is rebuilt from the store when the store's version changes, and cached on disk under the
data folder so a new process does not pay for the rebuild again.

The cache is data only, never a pickle: the store's ``version`` comes from whoever can write to the
store (an unauthenticated ``chroma run`` server), so it is checked to be a short token before it names
a folder, and a file in the cache can at worst be wrong, never run. Each cached index is a folder of
bm25s's own numpy arrays (loaded with ``allow_pickle=False`` and memory-mapped, so several processes
share the pages) and JSON for the vocabulary and the paragraphs; ``meta.json`` is written last and
names the version, so a half-written folder is never used.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from corpus import Paragraph
from retrieval.ranking import article_documents
from retrieval.spelling import correct_all
from retrieval.text import terms, terms_many

# 4: paragraphs keep their label (lead); 3: data-only folders (numpy + JSON); 2 was a pickle, never read
CACHE_FORMAT = 4
_VERSION = re.compile(r"[A-Za-z0-9]{1,64}")
_CACHE_ENTRY = re.compile(r"[A-Za-z0-9]{1,64}-v\d+(?:\.\d+\.tmp)?|[^/]*-v\d+\.pickle")
_FIELDS = ("id", "article_id", "number", "text", "title", "url", "published", "source", "lead")
BM25_PARAMS = {"k1": 1.2, "b": 0.75}

log = logging.getLogger("newsbot.keyword")
log.addHandler(logging.NullHandler())


def safe_version(version: str) -> bool:
    """Whether a store version may name a cache folder: letters and digits only, at most 64."""
    return bool(_VERSION.fullmatch(version))


@dataclass
class KeywordIndex:
    """The paragraphs of the store, their BM25 index, and document frequencies."""

    paragraphs: list[Paragraph]
    version: str
    _bm25: object
    _vocab: dict[str, int]

    @classmethod
    def build(cls, paragraphs: list[Paragraph], version: str, context: str = "none") -> KeywordIndex:
        """Index each paragraph's words, plus its article title and/or previous paragraph by ``context``
        ("none", "title", "previous", "title+previous"), so a paragraph that says "he" still matches
        a question that names the person."""
        import bm25s

        tokens = terms_many(indexed_texts(paragraphs, context))
        bm25 = bm25s.BM25(**BM25_PARAMS)
        if paragraphs:
            bm25.index(tokens, show_progress=False)
        vocab = dict(getattr(bm25, "vocab_dict", {}) or {})
        return cls(paragraphs, version, bm25, vocab)

    @classmethod
    def build_for_articles(cls, paragraphs: list[Paragraph], version: str) -> KeywordIndex:
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
        """Top ``n`` paragraphs for ``query``: (position in ``paragraphs``, BM25 score).

        A question word the index does not hold is read as its closest indexed spelling
        (``retrieval/spelling.py``): "cartr" finds Carter."""
        known = [t for t in self.spelled(terms(query)) if t in self._vocab]
        if not known or not self.paragraphs:
            return []
        k = min(n, len(self.paragraphs))
        docs, scores = self._bm25.retrieve([known], k=k, show_progress=False, n_threads=1)  # type: ignore[attr-defined]
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def spelled(self, found: list[str]) -> list[str]:
        """``found`` with each term the index does not hold replaced by its closest indexed spelling."""
        if all(t in self._vocab for t in found):
            return found
        frequency = self.frequencies()
        return correct_all(found, frequency, self.vocabulary())

    def frequencies(self) -> dict[str, int]:
        """:meth:`document_frequency`, computed once per index (it is immutable)."""
        cached = self.__dict__.get("_frequencies")
        if cached is None:
            cached = self.__dict__["_frequencies"] = self.document_frequency()
        return cached

    def vocabulary(self) -> list[str]:
        cached = self.__dict__.get("_vocabulary")
        if cached is None:
            cached = self.__dict__["_vocabulary"] = list(self._vocab)
        return cached

    def document_frequency(self) -> dict[str, int]:
        """How many paragraphs contain each stemmed term."""
        matrix = self._bm25.scores  # type: ignore[attr-defined]
        indptr = np.asarray(matrix["indptr"])
        counts = np.diff(indptr)
        return {term: int(counts[idx]) for term, idx in self._vocab.items() if idx < len(counts)}

    # -- disk cache --------------------------------------------------------------------------

    @staticmethod
    def cache_path(folder: Path, name: str, version: str) -> Path | None:
        """One folder per index (paragraphs, articles, per collection) and version, strictly inside
        ``folder``; None when ``version`` or ``name`` could name anything else (then nothing is cached)."""
        if not safe_version(version) or not re.fullmatch(r"[A-Za-z0-9._+-]{1,600}", name) or name.startswith("."):
            return None
        path = folder / f"keyword-{name}" / f"{version}-v{CACHE_FORMAT}"
        root = folder.resolve()
        if not path.resolve().is_relative_to(root) or path.resolve().parent.parent != root:
            return None
        return path

    def save(self, path: Path) -> None:
        """Write this index to ``path`` (a folder), then remove this index's older versions."""
        parent = path.parent
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f"{path.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            if self.paragraphs:
                self._bm25.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
            columns = {name: [getattr(p, name) for p in self.paragraphs] for name in _FIELDS}
            (tmp / "paragraphs.json").write_text(json.dumps(columns, ensure_ascii=False), encoding="utf-8")
            (tmp / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
            meta = {"version": self.version, "format": CACHE_FORMAT, "count": len(self.paragraphs)}
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")  # last: marks it complete
            try:
                tmp.rename(path)
            except OSError:  # another process saved the same version first: theirs is as good
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in parent.iterdir():
            # Only our own entries (older versions, half-written folders, format-2 pickles), never a link.
            if old == path or old.is_symlink() or not _CACHE_ENTRY.fullmatch(old.name):
                continue
            if old.name.endswith(".tmp") and not old.name.endswith(f".{os.getpid()}.tmp"):
                continue  # another process is writing it right now
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)

    @staticmethod
    def load(path: Path, version: str) -> KeywordIndex | None:
        """The index saved at ``path`` for ``version``, or None if it is absent, another version or
        inconsistent. Nothing read here can run code: JSON, and numpy arrays without pickles."""
        import bm25s

        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("version") != version or meta.get("format") != CACHE_FORMAT:
                return None
            columns = json.loads((path / "paragraphs.json").read_text(encoding="utf-8"))
            vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
            count = int(meta["count"])
            paragraphs = [
                Paragraph(
                    article_id=str(aid),
                    number=int(number),
                    text=str(text),
                    title=str(title),
                    url=str(url),
                    published=str(published),
                    source=str(source),
                    lead=str(lead),
                )
                for _, aid, number, text, title, url, published, source, lead in zip(
                    *(columns[name] for name in _FIELDS), strict=True
                )
            ]
            if len(paragraphs) != count or not isinstance(vocab, dict):
                return None
            vocab = {str(term): int(idx) for term, idx in vocab.items()}
            bm25 = bm25s.BM25(**BM25_PARAMS)
            if paragraphs:
                bm25.load_scores(str(path), num_docs=count, mmap=True, allow_pickle=False)
                bm25.vocab_dict = vocab
                bm25.unique_token_ids_set = set(vocab.values())
                bm25.nonoccurrence_array = None  # the "lucene" method has none (bm25s.load does the same)
                indptr, indices = bm25.scores["indptr"], bm25.scores["indices"]
                columns_ok = all(0 <= idx < len(indptr) - 1 for term, idx in vocab.items() if term)
                rows_ok = not len(indices) or 0 <= int(indices.min()) <= int(indices.max()) < count
                if not columns_ok or not rows_ok or int(indptr[-1]) != len(indices):
                    log.warning("ignoring an inconsistent keyword index cache at %s", path)
                    return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            if (path / "meta.json").exists():
                log.warning("ignoring the keyword index cache at %s: %s", path, exc.__class__.__name__)
            return None
        return KeywordIndex(paragraphs, version, bm25, vocab)


def indexed_texts(paragraphs: list[Paragraph], context: str = "none") -> list[str]:
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
