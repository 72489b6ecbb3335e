"""Issue 9: hostile stores, odd files and hung servers. Nothing runs, nothing is lost, nothing hangs.

Real parts throughout: the embedded Chroma store, the real model, the `newsbot` command in a
subprocess; the only things faked are outsiders (a stopped server, a hostile writer of metadata).
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from robustness_support import wait_until
from tests_support import make_service

from retrieval.keyword_store import forget_loaded_keyword_indexes

ARTICLE_A = (
    "The harbour board approved a new ferry terminal on Tuesday after a four-hour meeting.\n\n"
    "The terminal will cost 40 million dollars and open in 2027, the board chair said."
)
ARTICLE_B = (
    "Farmers in the valley say the drought has cut the wheat harvest by half this year.\n\n"
    "The regional council will meet on Friday to discuss water restrictions."
)


def _two_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ferry.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "drought.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


class _Payload:
    """A pickle that creates a folder when it is loaded: proof that unpickling ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


# -- 1. the keyword cache runs nothing and deletes nothing outside the data folder ---------------


def test_a_hostile_store_version_runs_no_pickle_and_deletes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = make_service(data)
    service.ingest(service.load([_two_articles(tmp_path / "articles")]))
    assert service.ask("How much will the ferry terminal cost?").grounded  # the caches now exist

    # Someone who can write to the store sets its version to a path that climbs out of the cache
    # and plants a pickle (and has a file of their own beside it) where the old cache path landed.
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "keep-me.pickle"
    victim.write_bytes(b"not newsbot's")
    marker = tmp_path / "code-ran"
    cache = data / "cache" / f"keyword-{service.settings.collection}-none"
    version = os.path.relpath(outside / "evil", cache)
    (outside / "evil-v2.pickle").write_bytes(pickle.dumps(_Payload(marker)))
    info = service.store.info()
    service.store.collection.modify(metadata={**info, "version": version})

    fresh = make_service(data)  # a new `newsbot ask`
    answer = fresh.ask("How much will the ferry terminal cost?")

    assert answer.grounded and answer.citations[0].article_id == "ferry"
    assert not marker.exists(), "a pickle planted through the store's version was loaded"
    assert sorted(p.name for p in outside.iterdir()) == ["evil-v2.pickle", "keep-me.pickle"]
    assert not list(data.rglob("*.pickle"))


def test_keyword_caches_are_data_only_and_memory_mapped_by_the_next_process(tmp_path: Path) -> None:
    data = tmp_path / "data"
    service = make_service(data)
    service.ingest(service.load([_two_articles(tmp_path / "articles")]))
    assert service.ask("How much will the ferry terminal cost?").grounded

    files = [p for p in (data / "cache").rglob("*") if p.is_file() and "keyword-" in str(p) and p.name != ".lock"]
    assert files and {p.suffix for p in files} <= {".json", ".npy"}
    for array in (p for p in files if p.suffix == ".npy"):
        np.load(array, allow_pickle=False)  # raises if any array needed a pickle

    second = make_service(data)
    second.store.paragraphs = lambda: pytest.fail("the keyword index was rebuilt from the store")  # type: ignore[method-assign]
    index = second.searcher.keyword_index()
    assert isinstance(index.parts[0].segment.paragraph_postings.docs, np.memmap)  # mapped, not read into memory
    assert second.ask("How much will the ferry terminal cost?").citations[0].article_id == "ferry"

    # A damaged cache is rebuilt, never trusted (read as a new process would: nothing kept in memory).
    for vocab in (data / "cache").rglob("vocab-*.json"):
        vocab.write_text('{"ferri": 999999}', encoding="utf-8")
    forget_loaded_keyword_indexes()
    third = make_service(data)
    assert third.ask("How much will the ferry terminal cost?").citations[0].article_id == "ferry"


# -- 11. a rebuild during a search never mixes two indexes ----------------------------------------


def _batch(folder: Path, batch: int, articles: int = 12, paragraphs: int = 25) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for a in range(articles):
        body = [
            f"The harbour council report number {batch}-{a}-{p} covered ferry fares, storm damage "
            f"and the new bridge toll in district {batch * 100 + a}."
            for p in range(paragraphs)
        ]
        (folder / f"batch{batch}_{a:02d}.txt").write_text("\n\n".join(body), encoding="utf-8")
    return folder


def _ranking_report(service: Any, hits: list[Any]) -> str:
    """What a failed ranking saw, side by side (this test failed twice under heavy load, never alone):
    each hit's fused, dense and BM25 scores, and the keyword index's version against the store's."""
    snapshot = service.searcher.snapshot()
    keyword = snapshot.index.search("How much will the ferry terminal cost?", 5)
    ranked = [f"{h.paragraph.id} {h.score:.4f} dense={h.dense_similarity} bm25={h.keyword_score}" for h in hits]
    bm25 = [f"{snapshot.index.paragraphs[p].id} {s:.2f}" for p, s in keyword]
    index = f"keyword index {snapshot.index.version} ({len(snapshot.index)} paragraphs)"
    return f"hits {', '.join(ranked)}; bm25 now {', '.join(bm25)}; {index}, store {service.store.version()}"


def test_ingesting_while_four_threads_ask_never_mixes_indexes(tmp_path: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([_two_articles(tmp_path / "base")]))
    service.ask("How much will the ferry terminal cost?")  # model loaded before the race starts

    stop = threading.Event()
    errors: list[BaseException] = []
    asked = [0] * 4

    def ask(slot: int) -> None:
        while not stop.is_set():
            try:
                hits = service.searcher.search("What did the harbour council report say about ferry fares?", 8)
                ids = [h.paragraph.id for h in hits]
                assert len(ids) == len(set(ids)), f"one paragraph returned twice: {ids}"
                ferry = service.searcher.search("How much will the ferry terminal cost?", 3)
                assert ferry[0].paragraph.id == "ferry#2", _ranking_report(service, ferry)
                asked[slot] += 1
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=ask, args=(slot,)) for slot in range(4)]
    for thread in threads:
        thread.start()
    try:
        folders = [tmp_path / "base"]
        for batch in range(6):
            folders.append(_batch(tmp_path / f"batch{batch}", batch))
            service.ingest(service.load(folders), prune=True)
            if errors:
                break
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, repr(errors[0])
    assert min(asked) >= 1
    # The last version is noticed on its own (checked at most once a second).
    wait_until(lambda: len(service.searcher.keyword_index()) == 4 + 6 * 12 * 25, 30, "the last batch in the index")


# -- 4. a hung Chroma server is "unavailable" after a timeout, not a hang -------------------------


def test_a_hung_chroma_server_is_a_one_line_error_after_the_timeout(tmp_path: Path) -> None:
    import signal
    import time

    from robustness_support import chroma_server, run_cli

    with chroma_server(tmp_path) as server:
        env = {"NEWSBOT_CHROMA_HOST": "127.0.0.1", "NEWSBOT_CHROMA_PORT": str(server.port)}
        articles = _two_articles(tmp_path / "articles")
        assert run_cli(["ingest", str(articles)], tmp_path / "cli", **env).returncode == 0
        assert server.process is not None
        server.process.send_signal(signal.SIGSTOP)  # the server accepts connections and never answers
        try:
            started = time.monotonic()
            cli = run_cli(
                ["ask", "How much will the ferry terminal cost?"], tmp_path / "cli", NEWSBOT_CHROMA_TIMEOUT_S="2", **env
            )
            elapsed = time.monotonic() - started
            for args in (["stats"], ["ingest", str(articles)]):
                other = run_cli(args, tmp_path / "cli", NEWSBOT_CHROMA_TIMEOUT_S="2", **env)
                assert other.returncode == 1 and "the article store is unavailable" in other.stderr, other.stderr
        finally:
            server.process.send_signal(signal.SIGCONT)
    assert cli.returncode == 1, cli.stderr
    assert cli.stderr.strip().startswith("Error: the article store is unavailable (Chroma server at")
    assert "no answer within 2 s (NEWSBOT_CHROMA_TIMEOUT_S)" in cli.stderr
    assert "\n" not in cli.stderr.strip() and "Traceback" not in cli.stderr
    assert elapsed < 60


# -- 2 and 12. odd .jsonl lines are named, the rest is ingested -----------------------------------


def test_a_lone_surrogate_or_a_numeric_text_loses_nothing_else(tmp_path: Path) -> None:
    import json

    from robustness_support import run_cli

    folder = _two_articles(tmp_path / "articles")
    lines = [
        '{"id": "bad-1", "text": "A broken character \\ud800 in the ferry story."}',
        json.dumps({"id": "num-1", "text": 12345}),
        json.dumps({"id": "good-1", "text": "The new library opens in March with 40,000 books."}),
    ]
    (folder / "upload.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = run_cli(["ingest", "--json", str(folder)], tmp_path / "data")
    assert "Traceback" not in cli.stderr, cli.stderr
    summary = json.loads(cli.stdout)
    assert summary["articles"] == 4  # ferry, drought, bad-1 (character replaced), good-1
    assert any("upload.jsonl:1" in w and "replaced" in w for w in summary["warnings"]), summary
    assert any("upload.jsonl:2: 'text' is a number" in f for f in summary["failed"]), summary
    assert cli.returncode == 1  # something failed, and it is named


# -- 3. two articles with one name stay two articles ----------------------------------------------


def test_two_files_with_the_same_name_stay_two_answerable_articles(tmp_path: Path) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    b.mkdir()
    (a / "news.txt").write_text(ARTICLE_A, encoding="utf-8")
    (b / "news.txt").write_text(ARTICLE_B, encoding="utf-8")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([a / "news.txt"]))
    second = service.ingest(service.load([b / "news.txt"]))

    assert service.stats()["articles"] == 2
    assert any("article id 'news' is already used by" in str(w) for w in second.warnings), second.warnings
    ferry = service.ask("How much will the ferry terminal cost?")
    drought = service.ask("How much has the drought cut the wheat harvest?")
    assert ferry.citations[0].article_id == "news"
    assert drought.citations[0].article_id.startswith("news-")
    # The same file again keeps its suffixed id: nothing re-embedded, nothing duplicated.
    again = service.ingest(service.load([b / "news.txt"]))
    assert again.embedded == 0 and service.stats()["articles"] == 2

    # Repeated .jsonl ids across files, likewise.
    (tmp_path / "one.jsonl").write_text('{"id": "rtqa-1", "text": "The mayor resigned on Monday."}\n')
    (tmp_path / "two.jsonl").write_text('{"id": "rtqa-1", "text": "The bridge reopened after repairs."}\n')
    service.ingest(service.load([tmp_path / "one.jsonl"]))
    clash = service.ingest(service.load([tmp_path / "two.jsonl"]))
    assert any("'rtqa-1' is already used by" in str(w) for w in clash.warnings)
    assert service.stats()["articles"] == 4


def test_the_same_article_in_two_folders_is_stored_once_and_says_so(tmp_path: Path) -> None:
    first, second = tmp_path / "clone-1", tmp_path / "clone-2"
    for folder in (first, second):
        folder.mkdir()
        (folder / "news.txt").write_text(ARTICLE_A, encoding="utf-8")
    (second / "copy of news.txt").write_text(ARTICLE_A, encoding="utf-8")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([first]))
    copied = service.ingest(service.load([second]))

    assert service.stats()["articles"] == 1, copied
    assert copied.embedded == 0
    notices = [str(w) for w in copied.warnings]
    assert any("same text as article 'news'" in w and "not stored again" in w for w in notices), notices
    answer = service.ask("How much will the ferry terminal cost?")
    assert {c.article_id for c in answer.citations} == {"news"}, answer
    # Asked again, the shortcut for an unchanged corpus says the same and stores nothing.
    again = service.ingest(service.load([second]))
    assert service.stats()["articles"] == 1 and again.embedded == 0
    assert any("same text as article 'news'" in str(w) for w in again.warnings), again.warnings
    # The kept copy's folder deleted: the other copy takes its place (nothing lost).
    for path in first.iterdir():
        path.unlink()
    first.rmdir()
    service.ingest(service.load([second]), prune=True)
    assert service.stats()["articles"] == 1
    assert len(service.ask("How much will the ferry terminal cost?").citations) == 1


def test_a_moved_folder_ingested_again_replaces_its_articles_instead_of_duplicating_them(tmp_path: Path) -> None:
    old, new = tmp_path / "inbox", tmp_path / "archive"
    old.mkdir()
    (old / "news.txt").write_text(ARTICLE_A, encoding="utf-8")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([old]))
    old.rename(new)
    moved = service.ingest(service.load([new]))

    assert service.stats()["articles"] == 1 and moved.embedded == 0, moved
    assert not any("already used" in str(w) for w in moved.warnings), moved.warnings
    assert service.ask("How much will the ferry terminal cost?").citations[0].article_id == "news"


# -- 8. change detection depends on content, not on where you stand --------------------------------


def test_ingest_does_not_depend_on_the_path_spelling_or_line_positions(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    lines = [
        '{"id": "rtqa-0021", "text": "The council approved the harbour budget on Monday."}',
        '{"text": "Farmers say the drought cut the wheat harvest by half."}',
    ]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    service = make_service(tmp_path / "data")
    monkeypatch.chdir(folder)
    first = service.ingest(service.load([Path("a.jsonl")]))
    assert first.embedded == 2
    assert service.ingest(service.load([folder / "a.jsonl"])).embedded == 0  # absolute path: same articles
    # A new line at the top embeds that line only, and the ids stay the same.
    (folder / "a.jsonl").write_text(
        '{"id": "rtqa-0001", "text": "A new museum opened downtown."}\n' + "\n".join(lines) + "\n", encoding="utf-8"
    )
    loaded = service.load([folder / "a.jsonl"])
    assert {a.id for a in loaded.articles} >= {"rtqa-0021", "rtqa-0001"}
    assert service.ingest(loaded).embedded == 1
    assert service.stats()["articles"] == 3


# -- 12. --prune removes only articles whose files are gone -----------------------------------------


def test_prune_of_one_folder_keeps_articles_whose_files_exist(tmp_path: Path) -> None:
    one = _two_articles(tmp_path / "one")
    other = tmp_path / "other"
    other.mkdir()
    (other / "library.txt").write_text("The new library opens in March with 40,000 books.", encoding="utf-8")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([one, other]))
    assert service.stats()["articles"] == 3

    kept = service.ingest(service.load([one]), prune=True)
    assert kept.removed_articles == 0 and service.stats()["articles"] == 3

    (one / "drought.txt").unlink()
    gone = service.ingest(service.load([one]), prune=True)
    assert gone.removed_articles == 1 and service.stats()["articles"] == 2


# -- 10 and 12. what the terminal shows -------------------------------------------------------------


def test_terminal_escapes_in_articles_never_reach_the_terminal(tmp_path: Path) -> None:
    import json

    from robustness_support import run_cli

    folder = tmp_path / "articles"
    folder.mkdir()
    hostile = "The ferry terminal will cost \x1b[2J40 million dollars\x1b]0;pwned\x07 [1] and open in 2027\x00."
    (folder / "feed.jsonl").write_text(json.dumps({"id": "ferry", "text": hostile}) + "\n", encoding="utf-8")
    assert run_cli(["ingest", str(folder)], tmp_path / "data").returncode == 0

    shown = run_cli(["ask", "How much will the ferry terminal cost?"], tmp_path / "data")
    assert shown.returncode == 0, shown.stderr
    assert "40 million dollars" in shown.stdout
    assert not any(ch in shown.stdout for ch in "\x1b\x07\x00"), repr(shown.stdout)
    # The article's own "[1]" is not a citation marker in the answer; the answer's marker is.
    answer_text = " ".join(shown.stdout.split("Sources:")[0].split())  # as read, whatever the line wrapping
    assert "(1) and open in 2027" in answer_text and answer_text.count("[1]") == 1
    assert answer_text.startswith("40 million dollars: ")  # the lead reads the amount as shown

    exact = run_cli(["ask", "--json", "How much will the ferry terminal cost?"], tmp_path / "data")
    assert json.loads(exact.stdout)["citations"][0]["quote"] == hostile  # --json keeps the quote exact


def test_a_question_cut_for_length_says_so(tmp_path: Path) -> None:
    service = make_service(tmp_path / "data")
    service.ingest(service.load([_two_articles(tmp_path / "articles")]))
    long = "How much will the ferry terminal cost? " + "Please explain in detail. " * 800
    answer = service.ask(long)
    assert any("cut to its first 1,000 characters" in note for note in answer.notes)
    from bot.terminal import render_answer

    assert "cut to its first 1,000 characters" in render_answer(answer)
    assert answer.to_json()["notes"]
    assert not service.ask("How much will the ferry terminal cost?").notes


def test_stats_after_a_killed_ingest_counts_what_is_stored(tmp_path: Path) -> None:
    from retrieval.indexer import Indexer

    service = make_service(tmp_path / "data")
    service.ingest(service.load([_two_articles(tmp_path / "articles")]))
    assert service.stats()["articles"] == 2
    more = tmp_path / "more"
    more.mkdir()
    (more / "library.txt").write_text("The new library opens in March.\n\nIt holds 40,000 books.", encoding="utf-8")
    # The writing half of an ingest, killed before it records its counts (as SIGKILL would leave it).
    indexer = Indexer(service.store, service.embedder)
    plans, stored = indexer.plan(service.load([more]).articles)
    indexer._write(plans, stored, None)
    figures = service.stats()
    assert (figures["articles"], figures["paragraphs"]) == (3, 6)


def test_invite_url_with_a_token_that_is_set(tmp_path: Path) -> None:
    import base64

    from robustness_support import run_cli

    app_id = base64.b64encode(b"123456789012345678").decode().rstrip("=")
    pasted = run_cli(["discord", "--invite-url"], tmp_path / "data", DISCORD_TOKEN=f"Bot {app_id}.abc.def")
    assert pasted.returncode == 0 and "client_id=123456789012345678" in pasted.stdout, pasted.stderr
    odd = run_cli(["discord", "--invite-url"], tmp_path / "data", DISCORD_TOKEN="not-a-bot-token")
    assert odd.returncode != 0
    assert "DISCORD_TOKEN is set" in odd.stderr and "set DISCORD_TOKEN," not in odd.stderr
    assert "not-a-bot-token" not in odd.stderr


# -- 9. one giant paragraph has a bounded cost --------------------------------------------------------


def test_a_giant_paragraph_costs_a_bounded_amount_and_says_so(tmp_path: Path) -> None:
    import json
    import time

    from bot.answering.extractive import MAX_SCORED_SENTENCES
    from retrieval.indexer import MAX_WINDOWS_PER_PARAGRAPH

    folder = _two_articles(tmp_path / "articles")
    sentence = "The harbour board discussed ferry timetables, dredging and berth fees at length. "
    giant = sentence * 4000  # ~330 kB on one line: several hundred model windows
    (folder / "giant.jsonl").write_text(json.dumps({"id": "giant", "text": giant}) + "\n", encoding="utf-8")
    service = make_service(tmp_path / "data")
    steps: list[float] = []
    summary = service.ingest(service.load([folder]), progress=steps.append)

    assert any("giant" in str(w) and "searchable by meaning" in str(w) for w in summary.warnings), summary.warnings
    assert service.stats()["records"] <= 4 + MAX_WINDOWS_PER_PARAGRAPH
    assert abs(sum(steps) - 5) < 1e-6  # progress counts windows as fractions of their paragraph

    embedded: list[int] = []
    encode, encode_alone = service.embedder.encode, service.embedder.encode_alone
    service.embedder.encode = lambda texts: (embedded.append(len(texts)), encode(texts))[1]  # type: ignore[method-assign]
    service.embedder.encode_alone = lambda texts: (embedded.append(len(texts)), encode_alone(texts))[1]  # type: ignore[method-assign]
    started = time.monotonic()
    service.ask("What did the harbour board discuss about ferry timetables?")
    assert sum(embedded) > 1  # the question, and the sentences (each alone: see retrieval/sentence_vectors.py)
    assert max(embedded) <= 1 + 8 * MAX_SCORED_SENTENCES  # the question and the capped sentences of 8 paragraphs
    assert time.monotonic() - started < 60
