"""The learned paragraph ranker (``ranker = "learned"``): what it reads and the order it gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from tests_support import make_service

from corpus import Paragraph
from retrieval.ranker import FEATURES, ParagraphRanker, Rankings, features, shipped_ranker

# seed_questions.jsonl's seed-dev-10: the council's finding is in the third paragraph of article 003.
BREACH_QUESTION = "What did the council find Carter had breached?"
BREACH_PARAGRAPH = "003_ac9ca953e05f51c2#3"


@pytest.fixture
def learned(seed_service) -> Iterator[object]:
    """The shared sample service with the learned ranker on, for one test."""
    searcher = seed_service.searcher
    searcher.ranker = shipped_ranker()
    try:
        yield seed_service
    finally:
        searcher.ranker = None


def _first_ids(service, question: str) -> list[str]:
    return [hit.paragraph.id for hit in service.searcher.search(question, 12)]


def test_the_learned_ranker_puts_the_paragraph_that_answers_first(learned) -> None:
    assert _first_ids(learned, BREACH_QUESTION)[0] == BREACH_PARAGRAPH


def test_the_fusion_alone_ranks_that_paragraph_lower(seed_service) -> None:
    ids = _first_ids(seed_service, BREACH_QUESTION)
    assert ids[0] != BREACH_PARAGRAPH and BREACH_PARAGRAPH in ids[:4]


def test_the_ranker_is_off_by_default_and_on_when_set(tmp_path: Path) -> None:
    assert make_service(tmp_path / "a").searcher.ranker is None
    assert make_service(tmp_path / "b", ranker="learned").searcher.ranker is shipped_ranker()


def test_a_paragraph_holding_the_questions_rare_words_scores_them_held() -> None:
    holds = Paragraph(article_id="a", number=2, text="The council found Carter breached party rules.", title="")
    misses = Paragraph(article_id="b", number=1, text="Rain is expected on Tuesday.", title="Carter expelled")
    rankings = Rankings(dense=[("a#2", 0.6)], keyword=[("a#2", 9.0)], articles=[("a", 12.0), ("b", 3.0)])
    asked = ["council", "carter", "breach"]
    rows = features([holds, misses], rankings, {"a#2": 0.6, "b#1": 0.2}, asked, np.asarray([2.0, 5.0, 3.0]))
    column = {name: rows[:, at] for at, name in enumerate(FEATURES)}
    assert column["question_terms_held"].tolist() == [1.0, 0.0]
    assert column["question_terms_held_with_title"][1] == pytest.approx(0.5)  # "Carter" is in its title
    assert column["first_article"].tolist() == [1.0, 0.0]
    assert column["keyword_rank"][1] == 0.0  # BM25 did not find it


def test_a_ranker_file_written_for_other_features_is_refused() -> None:
    data = {"features": ["dense_rank"], "mean": [0], "scale": [1], "weights": [1], "bias": 0, "depth": 40}
    with pytest.raises(ValueError, match="ranker file lists features"):
        ParagraphRanker.from_dict(data)
