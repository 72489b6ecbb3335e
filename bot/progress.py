"""Ingest with a progress bar and a summary, shared by ``newsbot ingest`` and ``newsbot demo``."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from retrieval.indexer import IngestSummary


def run_ingest(service: Any, paths: list[Path], prune: bool, quiet: bool) -> IngestSummary:
    """Load, embed and store, drawing a bar on stderr; Ctrl-C stops between batches."""
    from bot.cli import install_sigint_flag

    console = Console(stderr=True)
    loaded = service.load(paths or None)
    state, previous = install_sigint_flag()
    progress = Progress(
        TextColumn("Embedding paragraphs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )
    task = progress.add_task("embed", total=None)

    def on_plan(total: int) -> None:
        progress.update(task, total=total)
        progress.start()  # only now: a writer refused by the lock prints nothing but its error

    try:
        summary = service.ingest(
            loaded,
            prune=prune,
            on_plan=on_plan,
            progress=lambda n: progress.advance(task, n),
            should_stop=lambda: state["stop"],
        )
    finally:
        if progress.live.is_started:  # never started when the writer lock refused us
            progress.stop()
        signal.signal(signal.SIGINT, previous)
    if not quiet:
        print_summary(console, summary)
    return summary


def print_summary(console: Console, summary: IngestSummary) -> None:
    console.print(
        f"Articles: {summary.articles}  paragraphs: {summary.paragraphs}  embedded: {summary.embedded}  "
        f"skipped (unchanged): {summary.skipped}  removed articles: {summary.removed_articles}  "
        f"failed: {len(summary.failed)}  seconds: {summary.seconds:.1f}",
        highlight=False,
    )
    for problem in summary.warnings:
        console.print(f"  warning: {problem}", style="yellow", highlight=False, markup=False, soft_wrap=True)
    for problem in summary.failed:
        console.print(f"  failed: {problem}", style="red", highlight=False, markup=False, soft_wrap=True)
    if summary.interrupted:
        console.print("Interrupted: the store is consistent; run the same command again to finish.", style="yellow")
