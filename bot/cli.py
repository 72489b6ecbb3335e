"""The ``newsbot`` command: ingest, ask, repl, stats, warm, demo, discord, feedback.

Every user mistake surfaces as a ``NewsbotError`` and is printed as one line with a non-zero exit
code; a traceback means a bug.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from config import NewsbotError, Settings, load_settings
from config.settings import unknown_environment_names

if TYPE_CHECKING:
    from bot.service import NewsbotService

SAMPLE_QUESTION = "How long did the meeting last?"


class NewsbotGroup(click.Group):
    """A click group that turns ``NewsbotError`` into a one-line message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsbotError as exc:
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def _service(ctx: click.Context) -> NewsbotService:
    """The one service of this command, built on first use (``--help`` never builds it)."""
    from bot.service import NewsbotService

    if ctx.obj is None:
        settings = load_settings()
        for line in unknown_environment_names():
            click.secho(f"Warning: {line}", err=True, fg="yellow")
        ctx.obj = NewsbotService(settings)
    service: NewsbotService = ctx.obj
    return service


@click.group(cls=NewsbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsbot")
def cli() -> None:
    """Answer questions about a folder of news articles, citing the exact paragraphs.

    \b
    Quick start:
      newsbot ingest            # the bundled sample articles (or NEWSBOT_ARTICLE_DIRS)
      newsbot ask "Why was Chris Carter expelled from the Labour Party?"
      newsbot repl              # a conversation, with follow-up questions

    Settings come from config defaults < ./newsbot.toml (or $NEWSBOT_CONFIG) < NEWSBOT_*
    environment variables. NEWSBOT_DATA_DIR chooses where the store lives.
    """


# -- ingest ---------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Remove stored articles that are no longer in PATHS (deleted files).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], prune: bool, as_json: bool) -> None:
    """Read articles from PATHS into the store, embedding only what changed.

    PATHS are .txt/.md files, folders (searched recursively) or .jsonl files with one article per
    line (id, title, url, published, text). Without PATHS: the configured article folders, else
    the bundled sample corpus. Ctrl-C stops cleanly between batches; run again to finish.
    """
    from bot.progress import run_ingest

    summary = run_ingest(_service(ctx), list(paths), prune=prune, quiet=as_json)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    if summary.interrupted:
        ctx.exit(130)
    if summary.failed:
        ctx.exit(1)


# -- ask ------------------------------------------------------------------------------------


@cli.command()
@click.argument("question", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: question, answer, grounded, citations.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Answer as the archive stood on this day (YYYY-MM-DD): later articles are left out and "
    "“this week” means the week before it.",
)
@click.pass_context
def ask(ctx: click.Context, question: tuple[str, ...], as_json: bool, as_of: dt.datetime | None) -> None:
    """Answer QUESTION from the ingested articles, citing the paragraphs used."""
    from bot.answering.answer import Answer
    from bot.intent import Intent, classify
    from bot.repl import WHO_I_AM
    from bot.terminal import render_answer

    text = " ".join(question)
    intent = classify(text, addressed=True)
    if intent in (Intent.GREETING, Intent.HELP, Intent.ACKNOWLEDGEMENT, Intent.SOURCES):
        # "newsbot ask thanks!" quoted a sentence that held "thanks"; "newsbot ask help" searched for "help".
        hint = f'{WHO_I_AM} Ask a question, e.g. newsbot ask "{SAMPLE_QUESTION}"'
        if intent is Intent.SOURCES:  # no earlier answer here: "source?" has nothing to show
            hint = "Each answer lists its sources under it; in newsbot repl, :sources shows the full paragraphs."
        answer = Answer(question=text, text=hint)
    else:
        answer = _service(ctx).ask(text, as_of=as_of.date() if as_of else None)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_answer(answer))


# -- repl -----------------------------------------------------------------------------------


@cli.command()
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="Answer as the archive stood on this day.")
@click.pass_context
def repl(ctx: click.Context, as_of: dt.datetime | None) -> None:
    """A conversation: ask, follow up ("when was he elected?"), :sources, :new, :help, :quit."""
    from bot.repl import Repl

    Repl(_service(ctx), as_of=as_of.date() if as_of else None).run()


# -- stats ----------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """How many articles and paragraphs are stored, where, and with which model."""
    figures = _service(ctx).stats()
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if key == "second_embedder":
            key = "e5 search"
            state = "in step" if value["in_step"] else "behind the store: run `newsbot ingest` to finish it"
            value = f"{value['paragraphs']} paragraphs ({state})"
        if key == "sentence_vectors":
            key = "kept"
            value = f"{value} sentence vectors for the answers (`newsbot warm` embeds every sentence ahead)"
        click.echo(f"{key:>11}: {value}")


# -- warm -----------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (and no progress bar).")
@click.pass_context
def warm(ctx: click.Context, as_json: bool) -> None:
    """Embed every sentence the answers may quote, ahead of the questions, so answers come faster.

    An answer embeds its candidate sentences twice (MiniLM and the reader); the vectors are kept in
    the data folder (cache/sentence-vectors.sqlite), so a sentence read once is free the next time.
    This computes them for the whole archive: about a minute per 3,000 paragraphs on two cores, about
    4 MB of disk per 1,000 paragraphs. Only what is missing is computed: run it again after an ingest,
    and Ctrl-C keeps what was done. Optional: without it, answers keep their vectors as they go, and
    the Discord bot (and the REPL in a terminal) warm the archive in the background while they wait
    (setting warm_in_background).
    """
    from bot.progress import run_warm

    summary = run_warm(_service(ctx), quiet=as_json)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    if summary.interrupted:
        ctx.exit(130)


# -- demo -----------------------------------------------------------------------------------


@cli.command()
@click.option("--question", default=SAMPLE_QUESTION, show_default=True, help="The sample question.")
@click.pass_context
def demo(ctx: click.Context, question: str) -> None:
    """Ingest the articles, answer a sample question, then open the REPL if a terminal is attached."""
    from bot.progress import run_ingest
    from bot.terminal import render_answer

    service = _service(ctx)
    summary = run_ingest(service, [], prune=False, quiet=False)
    if summary.interrupted:
        ctx.exit(130)
    click.secho(f"\n> {question}", bold=True)
    click.echo(render_answer(service.ask(question)))
    if sys.stdin.isatty() and sys.stdout.isatty():
        from bot.repl import Repl

        click.echo()
        Repl(service).run()
    else:
        click.echo("\n(no terminal attached: skipping the REPL; run `newsbot repl` to ask more)")


# -- eval -------------------------------------------------------------------------------------


@cli.command(name="eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--articles", multiple=True, type=click.Path(path_type=Path), help="Ingest these first (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N questions (a quick run).")
@click.option("--out", type=click.Path(path_type=Path), help="Folder for the report [default: ./newsbot-eval/NAME].")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A baseline results.json (evaluation data format) to compare with.",
)
@click.option("--baseline-dataset", help="Dataset key inside the baseline file [default: from the questions' folder].")
@click.option("--retrieval-only", is_flag=True, help="Measure retrieval alone (no answers): quick tuning runs.")
@click.option(
    "--ignore-dates",
    is_flag=True,
    help="Ask every question as of today, ignoring the day it was asked (the questions' `date` field).",
)
@click.option(
    "--split",
    type=click.Choice(["train", "dev", "test"]),
    help="Only the questions of this split (the hand-written sets in benchmarks/questions mark each: the "
    "answer model is fitted on train, dev guides the work, test is kept for a final check).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    files: tuple[Path, ...],
    articles: tuple[Path, ...],
    limit: int | None,
    out: Path | None,
    baseline: Path | None,
    baseline_dataset: str | None,
    retrieval_only: bool,
    ignore_dates: bool,
    split: str | None,
    as_json: bool,
) -> None:
    """Measure retrieval and answers on question sets (JSON Lines; several files are one set).

    Reads the evaluation format (question, answer, gold_article_ids, gold_paragraphs, evidence) and
    the seed format (question, answerable, answer_any, gold_any). Writes questions.jsonl (rankings,
    answers, hits and misses), summary.json and report.md with a hit@k chart.
    """
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from bot.evaluation import evaluate, load_questions, summarise
    from bot.evaluation.report import load_baseline, table_rows, write_report
    from bot.progress import run_ingest

    service = _service(ctx)
    console = Console(stderr=True)
    if articles:
        summary = run_ingest(service, list(articles), prune=False, quiet=as_json)
        if summary.interrupted:
            ctx.exit(130)
    questions = files[0]  # names the report; several files are measured as one set
    chosen = [q for path in files for q in load_questions(path, None, split)][:limit]
    name = questions.parent.name if questions.stem == "questions" else questions.stem
    if split:
        name = f"{name}-{split}"
    with Progress(console=console, disable=as_json) as progress:
        task = progress.add_task(f"Asking {len(chosen)} questions", total=len(chosen))
        results = evaluate(
            service,
            chosen,
            progress=lambda n: progress.advance(task, n),
            answer=not retrieval_only,
            use_dates=not ignore_dates,
        )
    figures = summarise(results, answered=not retrieval_only)
    reference = None
    if baseline:
        dataset = baseline_dataset or {"news": "rtqa"}.get(questions.parent.name, questions.parent.name)
        reference = load_baseline(baseline, dataset) or None
    report = write_report(out or Path("newsbot-eval") / name, name, figures, results, reference)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    table = Table(title=f"newsbot eval: {name} ({len(results)} questions)")
    table.add_column("metric")
    table.add_column("newsbot", justify="right")
    if reference:
        table.add_column("baseline", justify="right")
    for key, label in table_rows(figures):
        value = figures.get(key)
        row = [label, "—" if value is None else f"{value:.3f}"]
        if reference:
            base = reference.get(key)
            row.append("—" if base is None else f"{base:.3f}")
        table.add_row(*row)
    Console().print(table)
    click.echo(f"Report: {report}")


# -- discord --------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--invite-url", is_flag=True, help="Print the link that invites the bot with the permissions it needs, then exit."
)
@click.option("--sync", is_flag=True, help="Register the slash commands with Discord once at start-up.")
@click.pass_context
def discord(ctx: click.Context, invite_url: bool, sync: bool) -> None:
    """Run the Discord bot (token from DISCORD_TOKEN or a git-ignored .env file)."""
    from bot.discord_bot import run_discord

    service = _service(ctx)
    ctx.exit(run_discord(service.settings, service, invite_url=invite_url, sync=sync) or 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--days", type=click.IntRange(min=1), help="Only votes from the last N days.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here instead of stdout.")
@click.pass_context
def feedback(ctx: click.Context, fmt: str, days: int | None, output: Path | None) -> None:
    """Export the Discord 👍/👎 votes with their question, answer and citations (no voter names)."""
    from bot.discord_bot.feedback import FeedbackStore, export_rows
    from bot.discord_bot.options import DiscordOptions

    path = DiscordOptions.from_settings(_service(ctx).settings).feedback_db
    if not path.is_file():
        raise NewsbotError(f"No feedback yet: {path} does not exist (the Discord bot writes it).")
    rows = export_rows(FeedbackStore(path), days)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["time", "vote", "question", "answer", "citations"])
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewsbotError(f"Cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"{len(rows)} vote(s) written to {output}", err=True)


def main() -> None:
    cli(prog_name="newsbot")


__all__ = ["Settings", "cli", "main"]
