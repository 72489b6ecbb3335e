"""Answers as plain text for the terminal (``newsbot ask``, the REPL); Discord's Markdown is
:mod:`bot.discord_bot.messages`. Both quote through :mod:`bot.quotes`."""

from __future__ import annotations

import textwrap

from bot.answering.answer import Answer, printable
from bot.quotes import already_said, shorten


def sources_block(answer: Answer, full: bool = False) -> str:
    """The numbered Sources list, each source with its article's day when it has one (a reader
    weighing two reports of a story needs to see which is the newer); ``full`` (the REPL's
    ``:sources``) adds the file name and the paragraph."""
    lines = []
    for c in answer.citations:
        quote = c.paragraph_text if full else shorten(c.quote)
        label = f"{c.label} ({c.article_id})" if full and c.label != c.article_id else c.label
        head = f"[{c.n}] {label}, ¶{c.paragraph}" + (f" ({c.published[:10]})" if c.published else "")
        if c.url:
            head += f" — {c.url}"
        lines.append(head)
        if not full and already_said(c.quote, answer.text):
            continue  # the answer is this very sentence: say it once (:sources has the paragraph)
        lines.append(textwrap.indent(textwrap.fill(f"“{quote}”", width=96), "    "))
    return printable("\n".join(lines))


def related_block(answer: Answer) -> str:
    """Paragraphs close to an unanswered question: further reading, not support (no numbers)."""
    lines = []
    for c in answer.related:
        head = f"- {c.label}, ¶{c.paragraph}" + (f" — {c.url}" if c.url else "")
        lines.append(head)
        lines.append(textwrap.indent(textwrap.fill(f"“{shorten(c.quote)}”", width=96), "    "))
    return "\n".join(lines)


def render_answer(answer: Answer, width: int = 100) -> str:
    """Answer text, then a numbered Sources list (label, ¶ number, quote), or the related reading."""
    # Line by line: several questions asked at once are answered each under its own question.
    body = "\n".join(textwrap.fill(line, width=width) for line in answer.text.split("\n"))
    if answer.standalone_question and answer.standalone_question != answer.question:
        body = f"(understood as: {answer.standalone_question})\n{body}"
    if answer.notes:
        body = "\n".join(f"({note})" for note in answer.notes) + "\n" + body
    if answer.related and not answer.citations:
        return printable(f"{body}\n\nRelated (these do not answer it):\n{related_block(answer)}")
    if not answer.citations:
        return printable(body)
    return printable(f"{body}\n\nSources:\n{sources_block(answer)}")
