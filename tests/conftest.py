"""Shared fixtures: a real store built once from the bundled articles, with the real model.

Tests that change a store build their own in ``tmp_path``; the session store is only read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests_support import make_service

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's own NEWSBOT_* variables, ./newsbot.toml or .env."""
    for name in list(os.environ):
        if name.startswith("NEWSBOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this clone (CI always has it; a user's clone does not)")
    return SHARED


@pytest.fixture(scope="session")
def seed_questions(shared: Path) -> list[dict]:
    return [json.loads(line) for line in (shared / "seed_questions.jsonl").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The bundled sample corpus, ingested once into a private embedded store."""
    service = make_service(tmp_path_factory.mktemp("seed-store"))
    summary = service.ingest(service.load())
    assert summary.embedded == 77
    yield service
