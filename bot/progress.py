"""Ingest with a progress bar and a summary, shared by ``newsbot ingest`` and ``newsbot demo``."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from retrieval.indexer import IngestSummary

if TYPE_CHECKING:
    from bot.answering.warming import WarmSummary
    from bot.service import NewsbotService


def bar(console: Console, quiet: bool) -> Progress:
    """The progress bar of a long run on stderr (none with ``quiet``), started when its total is known."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )


def run_ingest(service: NewsbotService, paths: list[Path], prune: bool, quiet: bool) -> IngestSummary:
    """Load, embed and store, drawing a bar on stderr; Ctrl-C stops between batches."""
    console = Console(stderr=True)
    loaded = service.load(paths or None)
    state, previous = install_sigint_flag()
    progress = bar(console, quiet)
    task = progress.add_task("Embedding paragraphs", total=None)
    second = None

    def on_plan(total: int) -> None:
        progress.update(task, total=total)
        # Only now, and only with something to embed: a writer refused by the lock prints nothing but
        # its error, and a mistyped path or an unchanged folder gets no empty "0/0" bar.
        if total:
            progress.start()

    def on_second_plan(total: int) -> None:
        nonlocal second
        if total:
            second = progress.add_task("Embedding for the e5 search", total=total)
            progress.start()

    try:
        summary = service.ingest(
            loaded,
            prune=prune,
            on_plan=on_plan,
            progress=lambda n: progress.advance(task, n),
            should_stop=lambda: state["stop"],
            on_second_plan=on_second_plan,
            second_progress=lambda n: progress.advance(second, n) if second is not None else None,
        )
    finally:
        if progress.live.is_started:  # never started when the writer lock refused us
            progress.stop()
        signal.signal(signal.SIGINT, previous)
    if not quiet:
        print_summary(console, summary)
    return summary


def run_warm(service: NewsbotService, quiet: bool) -> WarmSummary:
    """``newsbot warm`` with a bar on stderr; Ctrl-C stops after the current chunk, keeping it."""
    console = Console(stderr=True)
    state, previous = install_sigint_flag()
    progress = bar(console, quiet)
    task = progress.add_task("Embedding sentences for the answers", total=None)

    def on_plan(total: int) -> None:
        progress.update(task, total=total)
        progress.start()

    try:
        summary = service.warm(
            on_plan=on_plan, progress=lambda n: progress.advance(task, n), should_stop=lambda: state["stop"]
        )
    finally:
        if progress.live.is_started:
            progress.stop()
        signal.signal(signal.SIGINT, previous)
    if not quiet:
        console.print(
            f"Sentences: {summary.sentences}  models: {summary.graphs}  vectors computed: {summary.computed}  "
            f"seconds: {summary.seconds:.1f}",
            highlight=False,
            soft_wrap=True,
        )
        if summary.interrupted:
            console.print("Interrupted: what was computed is kept; run `newsbot warm` again to finish.", style="yellow")
    return summary


def install_sigint_flag() -> tuple[dict[str, bool], Callable[[int, FrameType | None], Any] | int | None]:
    """First Ctrl-C asks the ingest to stop after the current batch; a second one aborts.

    Returns the flag ``{"stop": …}`` and the previous handler, to put back when the ingest ends.
    """
    state = {"stop": False}

    def handler(signum: int, frame: FrameType | None) -> None:
        if state["stop"]:
            raise KeyboardInterrupt
        state["stop"] = True
        click.echo("\nStopping after the current batch (Ctrl-C again to abort)…", err=True)

    previous = signal.signal(signal.SIGINT, handler)
    return state, previous


WARM_HINT_PARAGRAPHS = 1000  # an ingest this large is told about `newsbot warm`
WARM_PARAGRAPHS_A_MINUTE = 2800  # `newsbot warm` on two cores (docs/speed.md, "Sentence vectors kept")


def print_summary(console: Console, summary: IngestSummary) -> None:
    console.print(
        f"Articles: {summary.articles}  paragraphs: {summary.paragraphs}  embedded: {summary.embedded}  "
        f"skipped (unchanged): {summary.skipped}  removed articles: {summary.removed_articles}  "
        f"failed: {len(summary.failed)}  seconds: {summary.seconds:.1f}"
        + (f"  embedded for e5: {summary.second_embedded}" if summary.second_embedded else ""),
        highlight=False,
        soft_wrap=True,  # one line in a log or a pipe too (rich wraps at 80 columns without a terminal)
    )
    for problem in summary.warnings:
        console.print(f"  warning: {problem}", style="yellow", highlight=False, markup=False, soft_wrap=True)
    for problem in summary.failed:
        console.print(f"  failed: {problem}", style="red", highlight=False, markup=False, soft_wrap=True)
    if summary.interrupted:
        console.print("Interrupted: the store is consistent; run the same command again to finish.", style="yellow")
    elif summary.embedded >= WARM_HINT_PARAGRAPHS:
        minutes = max(1, round(summary.embedded / WARM_PARAGRAPHS_A_MINUTE))
        console.print(
            f"Tip: the first answers about these stories embed their sentences as they go; `newsbot warm` does "
            f"it ahead (about {minutes} min), and the Discord bot does it by itself while it waits.",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
