"""One search: the dense side (question vector, one Chroma query) beside the two BM25 searches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests_support import make_service


def _ranked(service, question: str, **kwargs) -> list[tuple[str, float]]:
    return [(hit.paragraph.id, hit.score) for hit in service.searcher.search(question, 12, **kwargs)]


def test_both_sides_at_once_rank_exactly_as_one_after_the_other(seed_service, seed_questions) -> None:
    searcher = seed_service.searcher
    questions = [q["question"] for q in seed_questions]
    in_turn = [_ranked(seed_service, q, as_of=dt.date(2024, 6, 1)) for q in questions]
    searcher.parallel = True
    try:
        at_once = [_ranked(seed_service, q, as_of=dt.date(2024, 6, 1)) for q in questions]
    finally:
        searcher.parallel = False
    assert at_once == in_turn
    assert all(at_once)


def test_a_question_vector_given_by_the_caller_ranks_like_one_computed_here(seed_service) -> None:
    question = "Why will Chris Carter be a lonely MP?"
    vector = seed_service.searcher.search_vector(question)
    seed_service.embedder.clear_cache()
    assert _ranked(seed_service, question, vector=vector) == _ranked(seed_service, question)


def test_dense_search_returns_what_a_small_store_has(seed_service, tmp_path: Path) -> None:
    vector = seed_service.embedder.query_vector("Who is Chris Carter?")
    found = seed_service.store.query(vector, 1000)  # more than the store holds: all of it, no error
    assert len(found) == seed_service.stats()["paragraphs"] == 77
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert make_service(tmp_path / "empty").store.query(vector, 10) == []


def test_the_same_articles_ingested_from_two_clones_are_stored_once_and_show_both_accounts(tmp_path: Path) -> None:
    import shutil

    from corpus import bundled_articles_dir

    service = make_service(tmp_path / "data")
    first, second = tmp_path / "one-clone", tmp_path / "another-clone"
    shutil.copytree(bundled_articles_dir(), first)
    shutil.copytree(bundled_articles_dir(), second)
    service.ingest(service.load([first]))  # as `make run` in one clone of newsbot…
    again = service.ingest(service.load([second]))  # …and in another: the same four texts
    assert service.stats()["articles"] == 4 and again.embedded == 0, again
    assert sum("not stored again" in str(w) for w in again.warnings) == 4, again.warnings

    hits = service.searcher.search("How long did the meeting last?", 12)
    texts = [" ".join(h.paragraph.text.split()) for h in hits]
    assert len(hits) == 12 and len(set(texts)) == 12, "a copy took a second place in the results"
    answer = service.ask("How long did the meeting last?")
    assert answer.conflict and "seven-hour" in answer.text and "six hours" in answer.text, answer.text


def test_a_storys_further_paragraphs_closest_to_the_question_come_best_first(seed_service) -> None:
    # The answerer adds these to its candidates: the paragraph of the top story that answers a
    # paraphrase can rank below the first k of the whole archive.
    story = "002_d45b3a8c4a730c3c"
    question = "What did Mr Carter send to journalists in the Press Gallery?"
    found = seed_service.searcher.closest_in_articles(question, [story], 2, exclude={f"{story}#1"})
    assert [paragraph.article_id for paragraph, _ in found] == [story, story]
    assert found[0][0].id == f"{story}#2"  # "...when he sent anonymous letters to journalists in ... Press Gallery"
    assert found[0][1] >= found[1][1]
    without = seed_service.searcher.closest_in_articles(question, [story], 2, exclude={f"{story}#2"})
    assert f"{story}#2" not in {paragraph.id for paragraph, _ in without}


def test_a_question_asked_today_prefers_the_latest_news_only_when_it_asks_about_now(tmp_path: Path) -> None:
    import json

    today = dt.date.today()
    records = [
        {"id": "spring", "title": "Harbour ferry fares", "published": str(today - dt.timedelta(days=300)),
         "text": "The harbour ferry fare for adults is five dollars, the harbour board said."},
        {"id": "latest", "title": "Board raises fares", "published": str(today - dt.timedelta(days=1)),
         "text": "Adults pay nine dollars to ride the boat from Monday, the board said."},
    ]
    articles = tmp_path / "fares.jsonl"
    articles.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([articles]))

    def first(question: str, **kwargs: dt.date) -> str:
        return service.searcher.search(question, 2, **kwargs)[0].paragraph.article_id

    # A story of any month is asked about as often as this week's: the better match comes first…
    assert first("What is the harbour ferry fare for adults?") == "spring"
    # …unless the question says it wants the latest, or is asked as of a day (the days before it preferred).
    assert first("What is the harbour ferry fare for adults now?") == "latest"
    assert first("What is the harbour ferry fare for adults?", as_of=today) == "latest"
