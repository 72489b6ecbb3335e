"""The optional LLM answerer: its citations are checked against what was actually retrieved."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from tests_support import make_service

from bot.answering.chain import build_chain
from bot.answering.llm import LLMAnswerer
from config.errors import LLMUnavailableError

QUESTION = "What did Carter's letter say about David Cunliffe?"


def _ask_with(seed_service, replies: list[str], fallback=None):
    llm = LLMAnswerer(FakeListChatModel(responses=replies), "fake", fallback=fallback)
    chain = build_chain(seed_service.retriever, llm, condense=llm.condense)
    return chain.invoke({"question": QUESTION, "previous": [], "history": ""})


def _retrieved(seed_service) -> list:
    return [h.paragraph for h in seed_service.searcher.search(QUESTION, seed_service.settings.top_k)]


def test_valid_citations_keep_their_paragraphs_and_quote_the_stored_text(seed_service) -> None:
    retrieved = _retrieved(seed_service)
    reply = 'His letter said David Cunliffe "has a big smile on his face" [1].'
    answer = _ask_with(seed_service, [reply])
    assert answer.grounded
    assert answer.text == reply
    [citation] = answer.citations
    assert (citation.article_id, citation.paragraph) == (retrieved[0].article_id, retrieved[0].number)
    assert citation.quote in retrieved[0].text  # from the store, not from the model's words


def test_unknown_markers_are_removed_and_the_rest_renumbered(seed_service) -> None:
    retrieved = _retrieved(seed_service)
    answer = _ask_with(seed_service, ["Cunliffe was mentioned [3][42]. He backed Goff [99]."])
    assert answer.grounded
    assert "[42]" not in answer.text and "[99]" not in answer.text
    assert answer.text.startswith("Cunliffe was mentioned [1].")
    assert [(c.n, c.paragraph) for c in answer.citations] == [(1, retrieved[2].number)]


@pytest.mark.parametrize("reply", ["Cunliffe smiled a lot.", "NOT_FOUND", "It was about the budget [0] [99]."])
def test_an_answer_without_a_valid_citation_becomes_the_abstention(seed_service, reply: str) -> None:
    answer = _ask_with(seed_service, [reply])
    assert not answer.grounded
    assert answer.citations == ()
    assert answer.text.startswith("The articles don't say")


def test_the_extractive_answer_can_be_the_fallback(seed_service) -> None:
    answer = _ask_with(seed_service, ["No citation here."], fallback=seed_service.extractive)
    assert answer.grounded
    assert "big smile" in answer.text


class _ChatCompletions(BaseHTTPRequestHandler):
    """A loopback stand-in for an OpenAI-compatible server, answering from a canned reply."""

    reply = ""
    requests: list[dict] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        payload = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": type(self).reply}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def openai_stub() -> Iterator[tuple[str, type[_ChatCompletions]]]:
    handler = type("Handler", (_ChatCompletions,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_real_openai_client_against_a_loopback_server(seed_service, openai_stub, monkeypatch) -> None:
    url, handler = openai_stub
    handler.reply = 'The letter said Cunliffe "has a big smile on his face" [1] and invented this [99].'
    monkeypatch.setenv("NEWSBOT_LLM_API_KEY", "sk-test-secret")
    service = make_service(
        seed_service.settings.resolved_data_dir, answerer="openai", llm_base_url=url, llm_model="tiny"
    )
    answer = service.ask(QUESTION)

    assert handler.requests[0]["path"] == "/v1/chat/completions"
    assert handler.requests[0]["auth"] == "Bearer sk-test-secret"
    prompt = json.dumps(handler.requests[0]["body"]["messages"])
    assert "big smile" in prompt and "[1]" in prompt
    assert answer.grounded
    assert "[99]" not in answer.text
    assert [c.n for c in answer.citations] == [1]
    assert "sk-test-secret" not in json.dumps(service.stats())


def test_an_llm_endpoint_that_is_down_is_a_one_line_error(seed_service, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    service = make_service(
        seed_service.settings.resolved_data_dir,
        answerer="openai",
        llm_base_url=f"http://127.0.0.1:{port}/v1",
        llm_timeout_s=5,
    )
    with pytest.raises(LLMUnavailableError, match=r"did not answer") as caught:
        service.ask(QUESTION)
    assert "\n" not in str(caught.value)


class _RefusesTheKey(BaseHTTPRequestHandler):
    """An OpenAI-style endpoint that answers 401 and, like real ones, echoes the key it was given."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        message = f"Incorrect API key provided: {key}. You can find your API key at https://internal.example/keys."
        data = json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key"}})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, *args: object) -> None:
        pass


def test_a_refused_key_is_a_short_category_and_the_log_is_redacted(
    seed_service, monkeypatch, caplog: pytest.LogCaptureFixture
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefusesTheKey)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("NEWSBOT_LLM_API_KEY", "sk-live-secret-0123456789")
        url = f"http://proxyuser:url-secret-pass@127.0.0.1:{server.server_address[1]}/v1"
        service = make_service(seed_service.settings.resolved_data_dir, answerer="openai", llm_base_url=url)
        with pytest.raises(LLMUnavailableError) as caught:
            service.ask(QUESTION)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    shown = str(caught.value)
    assert shown == "The LLM endpoint refused the key (check NEWSBOT_LLM_API_KEY)."
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "newsbot.llm")
    assert "401" in logged or "Incorrect API key" in logged
    for secret in ("sk-live-secret-0123456789", "url-secret-pass"):
        assert secret not in shown and secret not in logged
