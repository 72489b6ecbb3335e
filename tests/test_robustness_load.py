"""The load test script's smoke run: 8 threads share one service over a real `chroma run` server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from robustness_support import ROOT, cli_env

pytestmark = [pytest.mark.slow, pytest.mark.server]


def test_eight_concurrent_askers_get_answers_without_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load_test.py"), "--questions", "40", "--threads", "8"],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert (report["answered"], report["errors"], report["warmup_errors"]) == (40, 0, [])
    assert report["grounded"] > 0 and report["abstained"] > 0  # real answers and real abstentions
    assert 0 < report["latency_ms"]["p50"] <= report["latency_ms"]["p95"]
    assert report["rss_mb"]["client"]["peak"] > 0
    assert not Path(f"/proc/{report['server_pid']}").exists(), "the script left its Chroma server running"


def _load_test_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_test", ROOT / "benchmarks" / "load_test.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_run_too_short_for_quarters_still_reports_its_peak_memory() -> None:
    load_test = _load_test_module()
    short = load_test.rss_trend([500.0, 530.0, 520.0])
    assert (short["start"], short["peak"], short["growth"]) == (500.0, 530.0, None)
    assert not load_test.grew_too_much(short, 50)
    growing = load_test.rss_trend([500.0] * 4 + [520.0] * 4 + [560.0] * 4 + [700.0] * 4)
    assert growing["growth"] == 180.0 and load_test.grew_too_much(growing, 50)
