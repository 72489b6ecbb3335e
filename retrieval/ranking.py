"""Fusing rankings into one: reciprocal rank, plus the whole article's match and its date.

A paragraph is ranked by the dense and keyword lists it appears in (reciprocal-rank fusion: no
score calibration between them). Two article-level signals can then lift it:

- *article*: BM25 over whole articles. A quiz question names several things that one article
  covers across paragraphs; the paragraph holding the answer often matches only one of them.
- *recency*: when the question is asked as of a date (``--as-of``; the evaluation sets carry the
  day each question was asked), news from the days before it is likelier to be what "this week"
  means, and an article published after that date cannot be what the asker had read. A question
  asked today (no date) gets it only when it asks about now (:func:`asks_about_now`): on a live
  archive the ranking buried older stories (stop 61; figures in docs/quality.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from config.settings import default
from corpus import Paragraph


@dataclass(frozen=True)
class FusionWeights:
    """How much each ranking counts; ``rrf_k`` damps the difference between the first ranks."""

    rrf_k: int = default("rrf_k")
    dense: float = 1.0
    keyword: float = 1.0
    article: float = 0.0
    recency: float = 0.0
    second: float = 0.0  # the optional second embedder's dense ranking (``retrieval/second_index.py``)


# "whats the latest on brittney griner", "who is the uk prime minister now", "how many home runs
# has judge hit this season": a question asked today that says it is about now.
_ABOUT_NOW = re.compile(
    r"\b(?:now|nowadays|currently|current|latest|newest|recent|recently|lately|today|tonight|yesterday"
    r"|still|anymore|so far|to date|update[sd]?|this (?:week|weekend|month|year|season|morning|evening))\b",
    re.IGNORECASE,
)


def asks_about_now(question: str) -> bool:
    """Whether a question asked today (no ``--as-of`` day) says it wants the newest news.

    Measured at stop 61 by asking the read question sets as if on the day after the archive's last
    article (a newsroom's live archive): the recency ranking for every question cost 27 of 359 test
    questions and 6 of 209 dev ones, since most questions are about a story of any month. The
    evaluation's archive is years old, so "today" was far from every article and no set ever showed it."""
    return bool(_ABOUT_NOW.search(question))


def age_in_days(published: str | None, as_of: dt.date) -> int | None:
    """Days from publication to ``as_of`` (negative: published later); None when undated or unparsable."""
    if not published:
        return None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return (as_of - day).days


def recency_score(age: int | None, weights: FusionWeights) -> float:
    """What an article's closeness to the asking day adds to its paragraphs' scores (nothing when
    undated); a later date kept is as far away as the same number of days before."""
    if age is None or not weights.recency:
        return 0.0
    return weights.recency / (weights.rrf_k + 1 + abs(age))


def fuse_rankings(
    dense: Sequence[str],
    keyword: Sequence[str],
    articles: Sequence[str],
    *,
    article_of: Callable[[str], str],
    published_of: Callable[[str], str | None],
    weights: FusionWeights,
    as_of: dt.date | None = None,
    exclude_later: bool = False,
    limit: int = 100,
    with_scores: bool = False,
    second: Sequence[str] = (),
) -> list[Any]:
    """Paragraph ids, best first (``(id, score)`` pairs ``with_scores``), from a dense and a keyword
    ranking of paragraphs and a keyword ranking of article ids (``second``: the second embedder's
    dense ranking, when it is on).

    Only paragraphs in ``dense``, ``keyword`` or ``second`` are candidates: the article signals reorder them,
    they never pull in a paragraph that matched nothing. Recency counts from ``as_of``;
    ``exclude_later`` drops articles published after it. Undated articles get no recency bonus.
    """
    k = weights.rrf_k
    scores: dict[str, float] = {}
    for ranking, weight in ((dense, weights.dense), (keyword, weights.keyword), (second, weights.second)):
        if weight:
            for rank, pid in enumerate(ranking):
                scores[pid] = scores.get(pid, 0.0) + weight / (k + rank + 1)
    article_rank = {aid: rank for rank, aid in enumerate(articles)} if weights.article else {}
    for pid in list(scores):
        article = article_of(pid)
        position = article_rank.get(article)
        if position is not None:
            scores[pid] += weights.article / (k + position + 1)
        if as_of is not None:
            age = age_in_days(published_of(article), as_of)
            if age is not None and age < 0 and exclude_later:
                del scores[pid]  # published after the day the question is asked about
            else:
                scores[pid] += recency_score(age, weights)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:limit]
    return [(pid, scores[pid]) for pid in ranked] if with_scores else ranked


def article_documents(paragraphs: Iterable[Paragraph]) -> list[Paragraph]:
    """One pseudo-paragraph per article holding all its text, for the article-level keyword index."""
    texts: dict[str, list[str]] = {}
    first: dict[str, Paragraph] = {}
    for p in paragraphs:
        texts.setdefault(p.article_id, []).append(p.text)
        first.setdefault(p.article_id, p)
    return [
        Paragraph(
            article_id=aid,
            number=0,
            text="\n\n".join(parts),
            title=first[aid].title,
            url=first[aid].url,
            published=first[aid].published,
            source=first[aid].source,
            lead=first[aid].lead,
        )
        for aid, parts in texts.items()
    ]
