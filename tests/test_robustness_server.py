"""Server mode under stress: answering while another process ingests, and surviving a server restart."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from robustness_support import chroma_server, finish, run_cli, start_cli, stop, wait_until, write_synthetic_corpus
from tests_support import make_service

from config.errors import StoreUnavailableError

pytestmark = [pytest.mark.server, pytest.mark.slow]

QUESTION = "What did Carter's letter say about David Cunliffe?"
GOLD = ("000_0a1940cb40f05bde", 13)


def _server_env(port: int) -> dict[str, str]:
    return {"NEWSBOT_CHROMA_HOST": "127.0.0.1", "NEWSBOT_CHROMA_PORT": str(port)}


def _assert_the_gold_answer(answer) -> None:  # type: ignore[no-untyped-def]
    assert answer.grounded
    assert (answer.citations[0].article_id, answer.citations[0].paragraph) == GOLD


def test_questions_are_answered_while_another_process_ingests(tmp_path: Path) -> None:
    synthetic = write_synthetic_corpus(tmp_path / "synthetic", articles=30, paragraphs=20)
    with chroma_server(tmp_path) as server:
        service = make_service(tmp_path / "asker", chroma_host="127.0.0.1", chroma_port=server.port)
        assert service.ingest(service.load()).embedded == 77
        log = tmp_path / "writer.log"
        writer = start_cli(["ingest", str(synthetic)], tmp_path / "writer", log, **_server_env(server.port))
        answered_during_ingest = 0
        try:
            deadline = time.monotonic() + 300
            while writer.poll() is None and time.monotonic() < deadline:
                _assert_the_gold_answer(service.ask(QUESTION))
                answered_during_ingest += 1
            assert finish(writer) == 0, log.read_text()
        finally:
            stop(writer)

        assert answered_during_ingest >= 3, "the ingest ended before the asker got going"
        assert service.stats()["paragraphs"] == 77 + 600
        # The asker's keyword index notices the new version on its own (checked at most once a second).
        wait_until(lambda: len(service.searcher.keyword_index()) == 677, 30, "the asker to see the new paragraphs")
        _assert_the_gold_answer(service.ask(QUESTION))


def test_a_stopped_server_is_a_clear_error_and_the_same_service_reconnects(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsbot.store")
    with chroma_server(tmp_path) as server:
        service = make_service(tmp_path / "asker", chroma_host="127.0.0.1", chroma_port=server.port)
        service.ingest(service.load())
        _assert_the_gold_answer(service.ask(QUESTION))

        server.stop()
        with pytest.raises(StoreUnavailableError, match="the article store is unavailable") as caught:
            service.ask(QUESTION)
        assert f"Chroma server at http://127.0.0.1:{server.port}" in str(caught.value)
        assert "\n" not in str(caught.value)
        cli = run_cli(["ask", QUESTION], tmp_path / "cli", **_server_env(server.port))
        assert cli.returncode == 1
        assert cli.stderr.strip().startswith("Error: the article store is unavailable (Chroma server at")
        assert "\n" not in cli.stderr.strip() and "Traceback" not in cli.stderr

        server.start()  # same port, same data folder
        _assert_the_gold_answer(service.ask(QUESTION))

    messages = [r.getMessage() for r in caplog.records if r.name == "newsbot.store"]
    assert any(m.startswith("the article store is unavailable") for m in messages), messages
    assert f"reconnected to the article store (Chroma server at http://127.0.0.1:{server.port})" in messages
