"""The dense search's question model: a paraphrase finds its paragraph nearer the top than plain MiniLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests_support import make_service

from config import NewsbotError
from retrieval.question_encoder import QuestionEncoder

QUESTION_MODEL = QuestionEncoder()  # the packaged file; loaded on first use, shared by the tests

# Questions over the bundled articles that share few words with their answer paragraph. The question
# model was fitted on news questions only (benchmarks/train_question_encoder.py), never on these.
PARAPHRASES = {
    "Would Labour's handling of Chris Carter survive a court case, in Andrew Little's view?": "002_d45b3a8c4a730c3c#13",
    "where will carter sit in parliment once labour kicks him out": "000_0a1940cb40f05bde#4",
    "how late did the councl argue about expelling carter": "002_d45b3a8c4a730c3c#7",
}


def _dense_rank(service, vector: np.ndarray, paragraph_id: str) -> int:
    ranked = [pid for pid, _ in service.store.query(vector, 100)]
    return ranked.index(paragraph_id) + 1


@pytest.mark.parametrize("question", PARAPHRASES)
def test_the_question_model_ranks_a_paraphrases_paragraph_above_where_plain_minilm_does(seed_service, question) -> None:
    gold = PARAPHRASES[question]
    plain = _dense_rank(seed_service, seed_service.embedder.query_vector(question), gold)
    tuned = _dense_rank(seed_service, QUESTION_MODEL.vector(question), gold)
    assert tuned < plain, (plain, tuned)


def test_the_question_model_searches_the_same_space_as_the_paragraph_vectors(seed_service) -> None:
    # Only the question side was trained: its vector must stay close to plain MiniLM's, else the
    # stored paragraph vectors (embedded by plain MiniLM) would no longer be comparable.
    question = "Why was Chris Carter expelled from the Labour Party?"
    tuned = QUESTION_MODEL.vector(question)
    assert tuned.shape == (384,)
    assert abs(float(np.linalg.norm(tuned)) - 1) < 1e-4
    assert float(tuned @ seed_service.embedder.query_vector(question)) > 0.7


def test_the_tuned_setting_brings_a_typed_paraphrases_paragraph_into_the_top_four(seed_service) -> None:
    question = "where will carter sit in parliment once labour kicks him out"
    tuned = make_service(seed_service.settings.resolved_data_dir, question_encoder="tuned")
    ranked = {
        name: [h.paragraph.id for h in s.searcher.search(question, 12)]
        for name, s in (("plain", seed_service), ("tuned", tuned))
    }
    assert "000_0a1940cb40f05bde#4" not in ranked["plain"][:4]
    assert "000_0a1940cb40f05bde#4" in ranked["tuned"][:4]


def test_the_default_searches_with_the_paragraph_model(tmp_path: Path) -> None:
    service = make_service(tmp_path)
    question = "Who is Chris Carter?"
    assert service.searcher.question_encoder is None
    np.testing.assert_array_equal(service.searcher.search_vector(question), service.embedder.query_vector(question))


def test_a_missing_question_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NewsbotError, match="question model .* is missing: reinstall newsbot .*QUESTION_ENCODER=plain"):
        QuestionEncoder(tmp_path / "question-int8.onnx").vector("Why?")


def test_warming_up_loads_the_question_model_so_the_first_question_does_not_wait(seed_service) -> None:
    tuned = make_service(seed_service.settings.resolved_data_dir, question_encoder="tuned")
    assert tuned.searcher.question_encoder._encoder is None
    tuned.warm_up()
    assert tuned.searcher.question_encoder._encoder is not None
