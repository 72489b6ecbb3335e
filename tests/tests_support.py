"""Helpers importable by test modules (conftest fixtures cover the rest): a service on its own data
folder, and the real `newsbot` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

NEWSBOT = [sys.executable, "-m", "bot"]


def make_service(data_dir: Path, **overrides: Any) -> Any:
    from bot.service import NewsbotService
    from config import load_settings

    return NewsbotService(load_settings(data_dir=data_dir, **overrides))


def cli_env(data_dir: Path, **env: str) -> dict[str, str]:
    """This process's environment without NEWSBOT_* settings, with its own data folder and ``env``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    environment.update({"NEWSBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "COLUMNS": "200", **env})
    return environment


def run_cli(
    args: list[str], data_dir: Path, stdin: str | None = None, prefix: list[str] | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `newsbot ARGS` to completion, as a user would, with its own data folder.

    It runs in the test's working folder (conftest gives each test an empty one, so no ./newsbot.toml
    or .env of the developer's is read); ``prefix`` wraps the command (e.g. to drop privileges).
    """
    return subprocess.run(
        [*(prefix or []), *NEWSBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=cli_env(data_dir, **env),
        timeout=600,
        check=False,
    )
