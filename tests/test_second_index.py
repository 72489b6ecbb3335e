"""The optional second embedder (``second_embedder = "e5"``): kept in step by the ingest, fused into search."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests_support import make_service, run_cli

from retrieval import second_index
from retrieval.store import record_id

CARTER = "002_d45b3a8c4a730c3c"


@pytest.fixture(scope="module")
def e5_service(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The bundled sample ingested with the second embedder on."""
    service = make_service(tmp_path_factory.mktemp("e5-store"), second_embedder="e5")
    summary = service.ingest(service.load())
    assert (summary.embedded, summary.second_embedded) == (77, 77)
    return service


def _e5_ids(service) -> set[str]:
    return {rid for rid, _, _ in service.second_index.store.iter_records()}


def _stored_ids(service) -> set[str]:
    return {record_id(p.id, 0) for p in service.store.paragraphs()}


def test_the_ingest_gives_every_paragraph_an_e5_vector_and_an_unchanged_archive_costs_none(e5_service) -> None:
    assert len(_e5_ids(e5_service)) == 77
    assert e5_service.second_index.is_current()
    again = e5_service.ingest(e5_service.load())
    assert (again.embedded, again.second_embedded) == (0, 0)
    assert e5_service.stats()["second_embedder"] == {
        "model": "multilingual-e5-small-q4",
        "paragraphs": 77,
        "in_step": True,
    }


def test_a_paraphrase_with_no_word_of_its_paragraph_is_found_through_e5(e5_service, seed_service) -> None:
    # "dispatch the unsigned notes to political reporters" is "sent anonymous letters to journalists
    # in Parliament's Press Gallery": MiniLM and BM25 leave the paragraph out of the first 12.
    question = "On what date did Carter dispatch the unsigned notes to political reporters?"
    gold = f"{CARTER}#2"
    assert gold not in [h.paragraph.id for h in seed_service.searcher.search(question, 12)]
    hits = e5_service.searcher.search(question, 12)
    found = next(h for h in hits if h.paragraph.id == gold)
    assert hits.index(found) < 6
    # Found by e5 alone, it still carries MiniLM's similarity (the answer model reads it).
    assert found.dense_similarity is not None and found.dense_similarity > 0.2


def test_a_changed_or_removed_article_is_changed_in_the_e5_collection_too(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Bridge closed\n\nThe bridge closed on Monday.\n\nRepairs will take a month.\n")
    (folder / "b.txt").write_text("Storm\n\nA storm hit the coast.\n")
    service = make_service(tmp_path / "data", second_embedder="e5")
    service.ingest(service.load([folder]))
    assert _e5_ids(service) == _stored_ids(service) and any(i.startswith("b#") for i in _e5_ids(service))

    (folder / "a.txt").write_text("Bridge closed\n\nThe bridge closed on Monday.\n\nRepairs will take a year.\n")
    (folder / "b.txt").unlink()
    summary = service.ingest(service.load([folder]), prune=True)
    assert summary.second_embedded == 1  # only the changed paragraph
    assert _e5_ids(service) == _stored_ids(service) and not any(i.startswith("b#") for i in _e5_ids(service))
    assert service.searcher.search("how long will the repairs take", 1)[0].paragraph.text == "Repairs will take a year."


def test_an_interrupted_e5_sync_is_finished_by_the_next_ingest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(second_index, "SYNC_BATCH", 20)
    service = make_service(tmp_path, second_embedder="e5")
    batches = []
    summary = service.ingest(
        service.load(), should_stop=lambda: len(batches) >= 2, second_progress=batches.append
    )
    assert summary.interrupted and summary.second_embedded == 40
    assert not service.second_index.is_current()
    assert service.stats()["second_embedder"]["in_step"] is False

    summary = service.ingest(service.load())
    assert (summary.embedded, summary.second_embedded, summary.interrupted) == (0, 37, False)
    assert len(_e5_ids(service)) == 77 and service.second_index.is_current()


def test_the_cli_shows_the_e5_bar_and_its_count(tmp_path: Path) -> None:
    result = run_cli(["ingest"], tmp_path, NEWSBOT_SECOND_EMBEDDER="e5")
    assert result.returncode == 0, result.stderr
    assert "embedded for e5: 77" in result.stderr
    stats = run_cli(["stats"], tmp_path, NEWSBOT_SECOND_EMBEDDER="e5")
    assert "e5 search: 77 paragraphs (in step)" in stats.stdout


def test_off_by_default_nothing_of_e5_is_made(tmp_path: Path) -> None:
    service = make_service(tmp_path)
    assert service.second_index is None and service.searcher.weights.second == 0
    assert "second_embedder" not in service.stats()


def test_discord_stats_say_whether_the_e5_search_is_in_step() -> None:
    from bot.discord_bot.messages import stats_text

    behind = stats_text({"articles": 4, "second_embedder": {"paragraphs": 40, "in_step": False}})
    assert "E5 search: 40 paragraphs (behind the store: the next ingest finishes it)" in behind
    assert "E5 search" not in stats_text({"articles": 4})
