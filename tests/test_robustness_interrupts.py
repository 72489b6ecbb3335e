"""An ingest that is killed, interrupted or raced by a second writer never loses or duplicates a paragraph.

Each test runs the real `newsbot ingest` on 1,200 synthetic paragraphs (five write batches, so it is hit mid-way),
interrupts it once the store holds some records, and compares what a fresh process then sees with a
clean ingest of the same corpus into another data folder: same record ids, same hashes and text.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from robustness_support import (
    Snapshot,
    finish,
    queued_records,
    run_cli,
    snapshot,
    start_cli,
    stop,
    wait_until,
    write_synthetic_corpus,
)
from tests_support import make_service

pytestmark = pytest.mark.slow

PARAGRAPHS = 1200  # 60 articles × 20 paragraphs: several seconds of embedding, written in 5 batches of ≥256


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_corpus(tmp_path_factory.mktemp("synthetic"), articles=PARAGRAPHS // 20, paragraphs=20)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, synthetic: Path) -> Snapshot:
    """The store after one clean, uninterrupted ingest into its own data folder."""
    data = tmp_path_factory.mktemp("reference-store")
    service = make_service(data)
    summary = service.ingest(service.load([synthetic]))
    assert (summary.embedded, summary.failed) == (PARAGRAPHS, [])
    clean = snapshot(data)
    clean.assert_consistent()
    assert len(clean.records) == PARAGRAPHS
    return clean


def _start_and_wait_for_records(synthetic: Path, data: Path, log: Path):  # type: ignore[no-untyped-def]
    process = start_cli(["ingest", str(synthetic)], data, log)
    wait_until(lambda: queued_records(data) or process.poll() is not None, 300, "the first stored records")
    if process.poll() is not None:
        pytest.fail(f"ingest ended before it could be interrupted (exit {process.returncode}): {log.read_text()}")
    return process


def _assert_a_consistent_part_of(partial: Snapshot, reference: Snapshot, counts: bool = True) -> None:
    partial.assert_consistent(counts)
    assert 0 < len(partial.records) < len(reference.records), "the interruption did not land mid-ingest"
    wrong = [rid for rid, record in partial.records.items() if reference.records.get(rid) != record]
    assert wrong == [], f"records that a clean ingest would not have: {wrong[:5]}"


def test_sigkill_mid_ingest_then_a_rerun_ends_exactly_like_one_clean_run(
    tmp_path: Path, synthetic: Path, reference: Snapshot
) -> None:
    data = tmp_path / "data"
    process = _start_and_wait_for_records(synthetic, data, tmp_path / "killed.log")
    try:
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        stop(process)

    _assert_a_consistent_part_of(snapshot(data), reference, counts=False)

    rerun = run_cli(["ingest", "--json", str(synthetic)], data)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] > 0, "the rerun embedded again what the killed run had already stored"
    assert summary["embedded"] + summary["skipped"] == PARAGRAPHS

    final = snapshot(data)
    final.assert_consistent()
    assert final.records == reference.records
    assert (final.articles, final.paragraphs) == (reference.articles, reference.paragraphs)


def test_ctrl_c_stops_cleanly_with_exit_130_and_a_rerun_finishes(
    tmp_path: Path, synthetic: Path, reference: Snapshot
) -> None:
    data = tmp_path / "data"
    log = tmp_path / "interrupted.log"
    process = _start_and_wait_for_records(synthetic, data, log)
    try:
        process.send_signal(signal.SIGINT)
        code = finish(process)
    finally:
        stop(process)
    output = log.read_text()
    assert code == 130, output
    assert "Traceback" not in output
    assert "run the same command again to finish" in output

    partial = snapshot(data)
    _assert_a_consistent_part_of(partial, reference)

    rerun = run_cli(["ingest", "--json", str(synthetic)], data)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["embedded"], summary["skipped"]) == (PARAGRAPHS - len(partial.records), len(partial.records))
    assert snapshot(data).records == reference.records


def test_a_second_writer_gets_a_one_line_error_and_the_store_stays_sound(
    tmp_path: Path, synthetic: Path, reference: Snapshot
) -> None:
    data = tmp_path / "data"
    log = tmp_path / "first-writer.log"
    first = _start_and_wait_for_records(synthetic, data, log)
    try:
        first.send_signal(signal.SIGSTOP)  # frozen while holding the store: the race is certain, not timed
        second = run_cli(["ingest", str(synthetic)], data)
        first.send_signal(signal.SIGCONT)
        first.send_signal(signal.SIGINT)
        first_code = finish(first)
    finally:
        stop(first)

    assert second.returncode == 1
    message = second.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith("Error: The store is in use by another process")
    assert "Use a Chroma server (NEWSBOT_CHROMA_HOST)" in message
    assert first_code == 130, log.read_text()
    _assert_a_consistent_part_of(snapshot(data), reference)


def test_a_refused_second_writer_prints_nothing_but_the_error(tmp_path: Path) -> None:
    """No empty progress bar before the error: the bar starts only once the writer lock is held."""
    from filelock import FileLock

    data = tmp_path / "data"
    data.mkdir()
    with FileLock(str(data / "ingest.lock")):  # this test process is the first writer
        refused = run_cli(["ingest"], data)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error: The store is in use by another process (an ingest is running). "
        "Use a Chroma server (NEWSBOT_CHROMA_HOST) for several processes."
    )


def test_a_writer_killed_before_updating_the_counts_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """The window SIGKILL can hit between the last upsert and ``mark_changed``, made certain.

    Every record is stored, but the collection still carries the counts and version from before the
    write, flagged unfinished — exactly what such a killed writer leaves. The next ingest has nothing
    to embed and must still put the counts and version right, or `stats` and other processes' keyword
    indexes stay wrong for good.
    """
    service = make_service(tmp_path / "data")
    service.ingest(service.load())
    store = service.store
    store.collection.modify(metadata={"articles": 0, "paragraphs": 0, "version": "before-the-write", "complete": False})

    again = make_service(tmp_path / "data").ingest(service.load())

    assert again.embedded == 0
    assert (service.stats()["articles"], service.stats()["paragraphs"]) == (4, 77)
    assert store.version() not in ("", "before-the-write")
    assert store.is_complete()
