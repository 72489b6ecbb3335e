"""The same ingest and ask against a real `chroma run` server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from robustness_support import chroma_server as running_chroma
from robustness_support import free_port
from tests_support import make_service

from config.errors import StoreUnavailableError

pytestmark = pytest.mark.server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """The port of a `chroma run` on a free loopback port, stopped after the test."""
    with running_chroma(tmp_path) as server:
        yield server.port


def test_ingest_and_ask_through_a_chroma_server(tmp_path: Path, chroma_server: int) -> None:
    service = make_service(tmp_path / "client-data", chroma_host="127.0.0.1", chroma_port=chroma_server)
    summary = service.ingest(service.load())
    assert summary.embedded == 77
    again = service.ingest(service.load())
    assert again.embedded == 0

    other_process_view = make_service(tmp_path / "other-client", chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert other_process_view.stats()["paragraphs"] == 77
    answer = other_process_view.ask("What did Carter's letter say about David Cunliffe?")
    assert answer.grounded
    assert (answer.citations[0].article_id, answer.citations[0].paragraph) == ("000_0a1940cb40f05bde", 13)
    assert "big smile" in answer.citations[0].quote


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    service = make_service(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreUnavailableError, match="article store is unavailable"):
        service.stats()


def test_tenant_database_and_token_settings_reach_the_server(tmp_path: Path, chroma_server: int, monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_CHROMA_TOKEN", "not-checked-by-a-plain-chroma-run")
    service = make_service(
        tmp_path / "client", chroma_host="127.0.0.1", chroma_port=chroma_server, chroma_database="no-such-database"
    )
    with pytest.raises(StoreUnavailableError, match="no-such-database"):
        service.stats()
    assert "not-checked-by-a-plain-chroma-run" not in service.settings.describe_store()
    ok = make_service(tmp_path / "client2", chroma_host="127.0.0.1", chroma_port=chroma_server)
    assert ok.settings.chroma_tenant == "default_tenant" and ok.stats()["paragraphs"] == 0
