"""Warming in the background: a running bot fills the sentence vectors itself, and questions come first.

The real service over the bundled sample, real models and a real SQLite file; the only thing held
by hand is a question "being answered" (``service.foreground.running()``), to see the warming wait."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from rich.console import Console
from tests_support import make_service

from bot.background_warming import BackgroundWarmer
from bot.discord_bot.messages import stats_text
from bot.progress import print_summary
from bot.repl import Repl
from retrieval.indexer import IngestSummary

WAIT_S = 120  # generous: two busy cores; every wait below ends as soon as its condition holds


@pytest.fixture
def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    service = make_service(tmp_path / "data")
    service.ingest(service.load())
    return service


def test_a_running_bot_warms_the_whole_archive(service) -> None:  # type: ignore[no-untyped-def]
    warmer = BackgroundWarmer(service)
    assert warmer.state == "idle"
    try:
        warmer.request()
        assert warmer.wait(WAIT_S)
        assert warmer.state == "warmed"  # what /newsbot stats says
    finally:
        warmer.stop()
    assert warmer.passes == 1
    assert service.sentence_vectors.count() == 87 * 3  # what `newsbot warm` computes (test_sentence_vectors)
    assert service.warm().computed == 0


def test_warming_waits_while_a_question_is_answered(service) -> None:  # type: ignore[no-untyped-def]
    warmer = BackgroundWarmer(service)
    try:
        with service.foreground.running():  # a question under way
            warmer.request()
            assert warmer.paused.wait(WAIT_S)
            assert warmer.state == "warming"
            assert service.sentence_vectors.count() == 0  # not one chunk beside the answer
            assert warmer.paused.is_set()  # and still waiting for it
        assert warmer.wait(WAIT_S)
        assert service.sentence_vectors.count() == 87 * 3
    finally:
        warmer.stop()
    # A real question counts as foreground work too, and is answered as before.
    answer = service.ask("Why was Chris Carter expelled from the Labour Party?")
    assert answer.grounded and "foment internal discontent" in answer.text


def test_stopping_ends_a_waiting_pass_and_keeps_what_was_done(service) -> None:  # type: ignore[no-untyped-def]
    warmer = BackgroundWarmer(service)
    with service.foreground.running():
        warmer.request()
        assert warmer.paused.wait(WAIT_S)
        warmer.stop()  # the bot closing while a long question runs: no wait for the question
        assert warmer.passes == 1 and warmer.wait(0) and warmer.state == "stopped"
    warmer.request()  # a stopped warmer starts nothing more
    assert warmer.requested == 1


def test_an_empty_archive_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    warmer = BackgroundWarmer(make_service(tmp_path / "empty"))
    with caplog.at_level(logging.INFO, logger="newsbot.warming"):
        warmer.request()
        assert warmer.wait(WAIT_S)
        warmer.stop()
    assert "not warmed: The store is empty" in caplog.text


class TypedRepl(Repl):
    """The REPL as a person at a terminal uses it (``interactive``: it warms only then), with the lines
    typed given ahead instead of read by ``input()``, and no history file."""

    def __init__(self, service, typed: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(service, stdin=io.StringIO(), stdout=io.StringIO())
        self.interactive = True
        self.typed = iter(typed)

    def read(self) -> str | None:
        return next(self.typed, None)

    def _setup_history(self) -> None:
        pass


def test_the_repl_warms_after_its_first_answer(service) -> None:  # type: ignore[no-untyped-def]
    idle = TypedRepl(service, [":help", ":quit"])
    idle.run()
    assert idle.warmer is not None and idle.warmer.requested == 0  # no answer yet: the models are not built
    repl = TypedRepl(service, [":help", "why was carter expelled", ":quit"])
    repl.run()
    assert "[1]" in repl.stdout.getvalue()  # answered, citing
    assert repl.warmer is not None and repl.warmer.requested == 1  # once, after the answer
    assert repl.warmer.wait(0)  # stopped at :quit: nothing left running


def test_a_script_piping_questions_warms_nothing(service) -> None:  # type: ignore[no-untyped-def]
    repl = Repl(service, stdin=io.StringIO("why was carter expelled\n"), stdout=io.StringIO())
    repl.run()
    assert repl.warmer is None


def test_stats_say_whether_the_bot_is_still_warming() -> None:
    kept = {"sentence_vectors": 1234}
    assert "kept: 1,234 (warming the rest in the background" in stats_text(kept, warming="warming")
    assert "kept: 1,234 (every sentence warmed)" in stats_text(kept, warming="warmed")


def test_a_large_ingest_tells_about_warming() -> None:
    def printed(embedded: int) -> str:
        console = Console(file=io.StringIO(), width=200)
        print_summary(console, IngestSummary(articles=10, paragraphs=embedded, embedded=embedded))
        return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]

    assert "`newsbot warm` does it ahead (about 2 min)" in printed(5600)
    assert "Tip" not in printed(77)  # the sample: nothing worth a tip


def test_an_uploads_sentences_are_warmed_before_the_rest(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service.warm()  # the archive as it was: all warmed
    upload = tmp_path / "upload" / "harbour.md"
    upload.parent.mkdir()
    first = "The harbour board voted on Friday to close the northern wharf for repairs."
    upload.write_text(f"# Harbour wharf to close\n\n{first} Work starts in March.\n", encoding="utf-8")
    service.ingest(service.load([upload.parent]))
    graph = service.embedder.graph_id
    assert service.sentence_vectors.missing(graph, [first]) == [first]
    # One step of the background pass (one model's part of the first few sentences), then stopped.
    steps = iter([False, True])
    summary = service.warm_beside_questions(lambda: next(steps, True), chunk=4)
    assert summary.interrupted
    assert service.sentence_vectors.missing(graph, [first]) == []  # the upload came first
