"""BM25 postings as plain numpy arrays, scored with corpus-wide statistics at query time.

A block of postings is a compressed sparse column matrix, term by document: for term ``t``, the
documents ``docs[indptr[t]:indptr[t + 1]]`` hold it ``tf[...]`` times; ``lengths`` counts each
document's terms. Term frequencies, not finished scores, are kept, so the IDF and the average
document length come from the whole index when a query is scored: a document scores the same in a
small recent segment as it would after a merge into the base one (``retrieval/segment.py``).

The formula is bm25s's "lucene" variant, which the keyword index used before (``k1=1.2, b=0.75``):
``idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))`` and ``tf / (tf + k1 * (1 - b + b * len / avglen))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Postings:
    """Term-major postings of one block of documents (arrays may be memory-mapped)."""

    indptr: np.ndarray  # int64, one more than the terms this block knows
    docs: np.ndarray  # int32 document numbers, local to the block
    tf: np.ndarray  # float32 term frequencies
    lengths: np.ndarray  # float32 terms per document

    @property
    def terms(self) -> int:
        return len(self.indptr) - 1

    @cached_property
    def bounds(self) -> memoryview:
        """``indptr`` for reading single values (~0.1 µs each, where a memory-mapped array takes ~5)."""
        return np.ascontiguousarray(self.indptr).data

    @property
    def documents(self) -> int:
        return len(self.lengths)

    def document_frequency(self, among: np.ndarray | None = None) -> np.ndarray:
        """Documents holding each term (int64, one per term); ``among`` (a mask) counts only those."""
        if among is None:
            return np.diff(self.indptr).astype(np.int64)
        hits = np.flatnonzero(among[self.docs])  # postings of the chosen documents
        term_of = np.searchsorted(self.indptr, hits, side="right") - 1
        return np.bincount(term_of, minlength=self.terms).astype(np.int64)

    def check(self) -> bool:
        """Whether the arrays are consistent: nothing read from disk may index out of bounds."""
        indptr = self.indptr
        if indptr.ndim != 1 or len(indptr) < 1 or int(indptr[0]) != 0 or int(indptr[-1]) != len(self.docs):
            return False
        if len(self.tf) != len(self.docs) or (len(indptr) > 1 and bool((np.diff(indptr) < 0).any())):
            return False
        return not len(self.docs) or 0 <= int(self.docs.min()) <= int(self.docs.max()) < self.documents


def build_postings(documents: Sequence[np.ndarray], terms: int) -> Postings:
    """Postings for documents given as arrays of term ids (``terms`` is the vocabulary size)."""
    lengths = np.fromiter((len(d) for d in documents), dtype=np.int64, count=len(documents))
    flat = np.concatenate(documents).astype(np.int64, copy=False) if documents else np.zeros(0, np.int64)
    n = max(1, len(documents))
    doc_of = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    keys, counts = np.unique(flat * n + doc_of, return_counts=True)  # sorted by term, then document
    term_of = keys // n
    indptr = np.zeros(terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_of, minlength=terms), out=indptr[1:])
    return Postings(indptr, (keys % n).astype(np.int32), counts.astype(np.float32), lengths.astype(np.float32))


def merge_postings(blocks: Sequence[tuple[Postings, np.ndarray]], terms: int) -> Postings:
    """One block from several, keeping each block's documents where its mask is true, in order.

    Documents are renumbered consecutively (block by block); nothing is tokenized again.
    """
    all_terms, all_docs, all_tf, all_lengths = [], [], [], []
    offset = 0
    for postings, keep in blocks:
        renumber = np.cumsum(keep, dtype=np.int64) - 1 + offset
        term_of = np.repeat(np.arange(postings.terms, dtype=np.int64), np.diff(postings.indptr))
        kept = keep[postings.docs]
        all_terms.append(term_of[kept])
        all_docs.append(renumber[postings.docs[kept]])
        all_tf.append(np.asarray(postings.tf)[kept])
        all_lengths.append(np.asarray(postings.lengths)[keep])
        offset += int(keep.sum())
    term_of = np.concatenate(all_terms) if all_terms else np.zeros(0, np.int64)
    order = np.argsort(term_of, kind="stable")  # blocks stay in order within a term
    indptr = np.zeros(terms + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_of, minlength=terms), out=indptr[1:])
    docs = np.concatenate(all_docs)[order].astype(np.int32) if all_docs else np.zeros(0, np.int32)
    tf = np.concatenate(all_tf)[order].astype(np.float32) if all_tf else np.zeros(0, np.float32)
    lengths = np.concatenate(all_lengths).astype(np.float32) if all_lengths else np.zeros(0, np.float32)
    return Postings(indptr, docs, tf, lengths)


def idf(df: np.ndarray, documents: int) -> np.ndarray:
    """Lucene's BM25 IDF: never negative, so a term in most documents still counts a little."""
    df = np.asarray(df, dtype=np.float64)
    return np.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def length_norms(postings: Postings, average_length: float) -> np.ndarray:
    """``k1 * (1 - b + b * len / avglen)`` of every document: fixed for one index version, so an
    asking process computes it once per segment instead of once per posting per query."""
    slope = K1 * B / max(average_length, 1e-9)
    return (K1 * (1.0 - B) + slope * np.asarray(postings.lengths, dtype=np.float64)).astype(np.float32)


def score(postings: Postings, term_ids: Sequence[int], weights: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """BM25 of every document of the block for the query terms (a term given twice counts twice).

    ``weights`` are the terms' IDFs over the whole index and ``norms`` the documents'
    :func:`length_norms`; terms this block does not know score 0.
    """
    docs_parts, score_parts = [], []
    bounds = postings.bounds
    for term, weight in zip(term_ids, weights, strict=True):
        if term >= postings.terms:
            continue
        start, end = bounds[term], bounds[term + 1]
        if start == end:
            continue
        docs = np.asarray(postings.docs[start:end])
        tf = np.asarray(postings.tf[start:end])
        contribution = tf / (tf + norms[docs])
        contribution *= np.float32(weight)
        docs_parts.append(docs)
        score_parts.append(contribution)
    if not docs_parts:
        return np.zeros(postings.documents, dtype=np.float64)
    return np.bincount(np.concatenate(docs_parts), weights=np.concatenate(score_parts), minlength=postings.documents)


def top(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` best positive scores: (positions, scores), best first; among equal scores the later
    position (the more recently indexed document) first, as bm25s ordered them.

    A partial sort (``argpartition``) over the matched documents only, never a full sort of all.
    """
    matched = np.flatnonzero(scores > 0)
    if not len(matched) or n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    values = scores[matched]
    if len(matched) > n:
        # Ties at the cut keep the later positions too: partition on (score, position) as one key.
        keep = np.lexsort((-matched, -values))[:n] if n >= len(matched) // 4 else _partition(matched, values, n)
        matched, values = matched[keep], values[keep]
    order = np.lexsort((-matched, -values))
    return matched[order], values[order]


def _partition(matched: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` best (score, then later position): argpartition on the score, then the
    documents tied with the n-th score settled by position."""
    keep = np.argpartition(-values, n - 1)[:n]
    cut = values[keep].min()
    if (values == cut).sum() == (values[keep] == cut).sum():
        return keep  # no tie across the cut
    above = np.flatnonzero(values > cut)
    tied = np.flatnonzero(values == cut)
    tied = tied[np.argsort(-matched[tied], kind="stable")][: n - len(above)]
    return np.concatenate([above, tied])
