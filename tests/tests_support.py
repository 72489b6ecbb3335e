"""Helpers importable by test modules (conftest fixtures cover the rest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def make_service(data_dir: Path, **overrides: Any) -> Any:
    from bot.service import NewsbotService
    from config import load_settings

    return NewsbotService(load_settings(data_dir=data_dir, **overrides))


def run_cli(args: list[str], data_dir: Path, stdin: str | None = None, **env: str) -> Any:
    """Run ``python -m bot ARGS`` in a subprocess with its own data folder, as a user would."""
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    environment.update({"NEWSBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "COLUMNS": "200", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )
