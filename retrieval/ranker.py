"""The learned paragraph ranker: the fused ranking's first paragraphs reordered by a fitted model.

Reciprocal-rank fusion reads only where a paragraph stands in each list, and its weights were set
on the public quiz. It throws away what the lists know: how close the paragraph's meaning is to the
question (not only its place), how much of the question's rarer words it holds, whether its article
is the one the whole question matches. A logistic model over those, fitted on our train questions
(``benchmarks/fit_ranker.py``), reorders the fusion's first ``depth`` paragraphs; on our dev split
it puts the gold paragraph among the first 12 for 0.846 of the questions against the fusion's 0.800.
It is off by default (``ranker = "fusion"``): the extractive answers did not follow (docs/quality.md,
"A learned ranker for the paragraphs").

The features are computed here for serving and for fitting alike, so the two cannot drift apart.
Weights, their scaling and the depth live in ``ranker.json`` beside this module: a small reviewed
file, rewritten only by the fitting script.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from corpus import Paragraph
from retrieval.text import terms

RANKER_FILE = Path(__file__).with_name("ranker.json")
RANK_DAMPING = 30  # the k of the rank features' 1 / (k + rank): fixed, so RRF_K cannot change what was fitted

FEATURES = (
    "dense_rank",  # 1 / (k + place) in the dense list; 0 when not in it
    "keyword_rank",  # the same in the paragraph BM25 list
    "article_rank",  # the same for the paragraph's article in the whole-article BM25 list
    "dense_similarity",  # cosine of question and paragraph (fetched when only BM25 found it)
    "below_best_dense",  # that cosine minus the best of the dense list: how far from the closest
    "keyword_score",  # BM25 score over the question's best
    "article_score",  # the article's BM25 score over the best article's
    "question_terms_held",  # share of the question's terms (IDF-weighted) in the paragraph
    "question_terms_held_with_title",  # the same, counting the article title's words
    "early_paragraph",  # 1 / paragraph number: leads state the story
    "length",  # log(1 + words)
    "below_article_best",  # best cosine among the article's ranked paragraphs minus this one's
    "article_paragraphs_ranked",  # log(1 + how many of the article's paragraphs are ranked)
    "first_article",  # the article is the whole-article list's first
)


@dataclass(frozen=True)
class Rankings:
    """What each retriever found for one question: (paragraph id, cosine), (paragraph id, BM25
    score) and (article id, BM25 score), best first."""

    dense: Sequence[tuple[str, float]]
    keyword: Sequence[tuple[str, float]]
    articles: Sequence[tuple[str, float]]


def features(
    candidates: Sequence[Paragraph],
    rankings: Rankings,
    similarity: Mapping[str, float],
    question_terms: Sequence[str],
    term_weights: np.ndarray,
) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate paragraph.

    ``similarity`` holds every candidate's cosine with the question (the dense list's, plus the
    stored vectors' for paragraphs only BM25 found); ``question_terms`` are the question's terms as
    the keyword index reads them, ``term_weights`` their IDF."""
    k = RANK_DAMPING
    dense_place = {pid: at for at, (pid, _) in enumerate(rankings.dense)}
    keyword_place = {pid: at for at, (pid, _) in enumerate(rankings.keyword)}
    article_place = {aid: at for at, (aid, _) in enumerate(rankings.articles)}
    keyword_score = dict(rankings.keyword)
    article_score = dict(rankings.articles)
    best_keyword = max(keyword_score.values(), default=0.0) or 1.0
    best_article = max(article_score.values(), default=0.0) or 1.0
    best_dense = max((s for _, s in rankings.dense), default=0.0)
    article_best: dict[str, float] = {}
    article_count: dict[str, int] = {}
    for p in candidates:
        own = similarity.get(p.id, 0.0)
        article_best[p.article_id] = max(article_best.get(p.article_id, own), own)
        article_count[p.article_id] = article_count.get(p.article_id, 0) + 1
    total_weight = float(term_weights.sum()) or 1.0
    rows = []
    for p in candidates:
        held = set(terms(p.text))
        in_title = set(terms(p.title)) if p.title else set()
        found = np.asarray([t in held for t in question_terms], dtype=bool)
        found_with_title = np.asarray([t in held or t in in_title for t in question_terms], dtype=bool)
        cosine = similarity.get(p.id, 0.0)
        place = article_place.get(p.article_id)
        rows.append(
            [
                1 / (k + dense_place[p.id] + 1) if p.id in dense_place else 0.0,
                1 / (k + keyword_place[p.id] + 1) if p.id in keyword_place else 0.0,
                1 / (k + place + 1) if place is not None else 0.0,
                cosine,
                cosine - best_dense,
                keyword_score.get(p.id, 0.0) / best_keyword,
                article_score.get(p.article_id, 0.0) / best_article,
                float(term_weights[found].sum()) / total_weight if len(question_terms) else 0.0,
                float(term_weights[found_with_title].sum()) / total_weight if len(question_terms) else 0.0,
                1.0 / max(1, p.number),
                math.log1p(len(p.text.split())),
                article_best[p.article_id] - cosine,
                math.log1p(article_count[p.article_id]),
                float(place == 0),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES))


@dataclass(frozen=True)
class ParagraphRanker:
    """A fitted linear model over :func:`features`: higher is likelier to be the paragraph asked about."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    depth: int  # how many of the fusion's first paragraphs are reordered

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParagraphRanker:
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"ranker file lists features {names}, this code computes {FEATURES}")
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            depth=int(data["depth"]),
        )

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The model's log-odds for each row of :func:`features`."""
        if not len(rows):
            return np.zeros(0)
        scores: np.ndarray = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return scores


@cache
def shipped_ranker() -> ParagraphRanker:
    """The ranker in ``ranker.json`` (read once, on the first search that uses it)."""
    return ParagraphRanker.from_dict(json.loads(RANKER_FILE.read_text(encoding="utf-8")))
