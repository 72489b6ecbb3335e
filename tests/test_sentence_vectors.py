"""The answer step's sentence vectors: each embedded alone, kept in the data folder, warmed ahead.

An answer must not depend on which questions came before it or on whether ``newsbot warm`` ran: a
vector is the same computed now, kept from an earlier question or read back after a restart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests_support import make_service, run_cli

from config import NewsbotError
from retrieval.sentence_vectors import FILE_NAME, SentenceVectors

# Of about the same length, so that embedded together they would share a batch (and its int8 scale).
SENTENCES = [
    "The council met for more than six hours on Tuesday night.",
    "The party's leader spoke to reporters on Wednesday morning.",
    "Mr Carter said he would appeal against the decision soon.",
]


class Counted:
    """The real embedder's ``encode_alone``, counting the texts it is given."""

    def __init__(self, compute) -> None:  # type: ignore[no-untyped-def]
        self.compute = compute
        self.texts = 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.compute(texts)  # type: ignore[no-any-return]


def test_a_sentence_embedded_alone_does_not_depend_on_the_others(seed_service) -> None:  # type: ignore[no-untyped-def]
    embedder = seed_service.embedder
    together = embedder.encode_alone(SENTENCES)
    for i, sentence in enumerate(SENTENCES):
        np.testing.assert_array_equal(embedder.encode_alone([sentence])[0], together[i])
    reader = seed_service.extractive.reader
    np.testing.assert_array_equal(reader.encode_alone(SENTENCES)[2], reader.encode_alone([SENTENCES[2]])[0])


def test_kept_vectors_outlive_the_process_and_are_used_as_kept(seed_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    embedder = seed_service.embedder
    first = Counted(embedder.encode_alone)
    kept = SentenceVectors(tmp_path / FILE_NAME)
    fresh = kept.vectors(embedder.graph_id, SENTENCES, first)
    assert first.texts == 3 and kept.count(embedder.graph_id) == 3
    kept.close()

    again = Counted(embedder.encode_alone)
    reopened = SentenceVectors(tmp_path / FILE_NAME)
    np.testing.assert_array_equal(reopened.vectors(embedder.graph_id, SENTENCES, again), fresh)
    assert again.texts == 0  # read back, not computed
    # Another model's vectors are never taken for this one's.
    other = Counted(embedder.encode_alone)
    reopened.vectors("another-graph", SENTENCES[:1], other)
    assert other.texts == 1


def test_a_folder_that_cannot_be_written_keeps_vectors_in_memory(seed_service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    kept = SentenceVectors(blocker / FILE_NAME)
    counted = Counted(seed_service.embedder.encode_alone)
    kept.vectors(seed_service.embedder.graph_id, SENTENCES, counted)
    kept.vectors(seed_service.embedder.graph_id, SENTENCES, counted)
    assert counted.texts == 3  # computed once, then from memory
    assert not kept.on_disk


def test_a_warmed_archive_answers_as_a_cold_one_does(tmp_path: Path) -> None:
    questions = [
        "Why was Chris Carter expelled from the Labour Party?",
        "How long did the meeting last?",
        "What is the capital of France?",
    ]
    cold = make_service(tmp_path / "cold", keep_sentence_vectors=False)
    cold.ingest(cold.load())
    cold_answers = [cold.ask(q).to_json() for q in questions]
    assert not (tmp_path / "cold" / "cache" / FILE_NAME).exists()  # the setting off: nothing written
    with pytest.raises(NewsbotError, match="keep_sentence_vectors is off"):
        cold.warm()

    warmed = make_service(tmp_path / "warm")
    warmed.ingest(warmed.load())
    stopped = warmed.warm(should_stop=iter([False, True]).__next__)  # Ctrl-C after the first chunk
    assert stopped.interrupted and 0 < stopped.computed < stopped.sentences
    summary = warmed.warm()
    assert not summary.interrupted and summary.graphs == 3
    assert stopped.computed + summary.computed == summary.sentences * summary.graphs  # nothing done twice
    # A sentence kept once but in no article now (an edited article) goes; nothing is computed again.
    graph = warmed.embedder.graph_id
    warmed.sentence_vectors.vectors(graph, ["A sentence no article holds."], warmed.embedder.encode_alone)
    assert warmed.warm().computed == 0
    assert warmed.sentence_vectors.count() == summary.sentences * summary.graphs
    assert [warmed.ask(q).to_json() for q in questions] == cold_answers


def test_newsbot_warm_as_a_user_runs_it(tmp_path: Path) -> None:
    empty = run_cli(["warm"], tmp_path / "empty")
    assert empty.returncode != 0
    assert "The store is empty: run `newsbot ingest` first" in empty.stderr
    assert "Traceback" not in empty.stderr

    data = tmp_path / "data"
    assert run_cli(["ingest"], data).returncode == 0
    first = run_cli(["warm"], data)
    assert first.returncode == 0, first.stderr
    assert "Embedding sentences for the answers" in first.stderr  # the progress bar
    assert "Sentences: 87  models: 3  vectors computed: 261" in first.stderr
    again = run_cli(["warm", "--json"], data)
    assert json.loads(again.stdout)["computed"] == 0
    assert json.loads(run_cli(["stats", "--json"], data).stdout)["sentence_vectors"] == 261
    assert "ahead of the questions" in run_cli(["warm", "--help"], data).stdout
