"""The same ingest and ask against a real `chroma run` server on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests_support import make_service

from config.errors import StoreUnavailableError

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chroma_command() -> list[str]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        found = shutil.which("chroma")
        if not found:
            pytest.skip("the `chroma` command (from the chromadb package) is not installed")
        exe = Path(found)
    return [str(exe)]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen(
        [
            *_chroma_command(),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma run did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
            time.sleep(0.1)  # polling a starting server, not waiting for a guess
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


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
    service = make_service(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=_free_port())
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
