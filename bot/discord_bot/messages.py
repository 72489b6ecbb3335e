"""Answers as Discord messages: pure functions, no discord.py, so every rule is easy to test.

Discord shows at most 2,000 characters per message and reads Markdown. Article text is escaped so
it shows exactly as written (a ``*`` in a quote stays a ``*``), quotes are shortened only at word
boundaries, and long answers are split where a reader would pause: between paragraphs, then lines,
then sentences, then words, and never inside a ``[n]`` marker, a link or a code block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.answering.answer import Answer, Citation
from bot.quotes import ELLIPSIS, already_said, shorten

MESSAGE_LIMIT = 2000
THREAD_NAME_LIMIT = 100

# -- escaping -------------------------------------------------------------------------------

_INLINE_MARKUP = re.compile(r"([\\*_~|`])")
_LINE_MARKUP = re.compile(r"^(\s*)([>#-]|\d+\.(?=\s))", re.MULTILINE)
_MASKED_LINK = re.compile(r"\]\(")
# Discord's angle-bracket syntax: <@user>, <@!user>, <@&role>, <#channel>, <t:unix:style>,
# </command:id>, <:emoji:id>, <a:emoji:id>, <id:customize>. A backslash before "<" shows it as text.
_DISCORD_TOKEN = re.compile(r"<(?=[@#/:]|t:|a:|id:)")
_BARE_URL = re.compile(r"https?://[^\s<>]+")
_URL_TAIL = ".,;:!?'\"”’)]"


def _escape_markup(text: str) -> str:
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    text = _LINE_MARKUP.sub(r"\1\\\2", text)
    text = _MASKED_LINK.sub(r"]\\(", text)
    return _DISCORD_TOKEN.sub(r"\\<", text)


def _url_end(url: str) -> int:
    """Where a URL found in prose ends: trailing punctuation belongs to the sentence."""
    end = len(url)
    while end and url[end - 1] in _URL_TAIL:
        if url[end - 1] == ")" and url.count("(", 0, end) >= url.count(")", 0, end):
            break  # the closing parenthesis of a Wikipedia-style URL
        end -= 1
    return end


def escape(text: str) -> str:
    """Article text as data: Discord shows it verbatim and does nothing else with it.

    No bold, quotes, headings, lists or masked links; ``<#channel>``, ``<t:…>`` timestamps and
    ``<@user>`` chips show as the characters the article holds; bare URLs are wrapped in ``<>`` so
    a quote does not unfurl a preview of somebody else's page under the answer. ``[n]`` markers
    survive untouched. ``@everyone`` is shown but pings nobody: every message is sent with
    ``AllowedMentions.none()``.
    """
    out: list[str] = []
    position = 0
    for match in _BARE_URL.finditer(text):
        url = match.group(0)[: _url_end(match.group(0))]
        if not re.fullmatch(r"https?://[^\s<>]*\w[^\s<>]*", url):
            continue
        out.append(_escape_markup(text[position : match.start()]))
        out.append(f"<{url}>")
        position = match.start() + len(url)
    out.append(_escape_markup(text[position:]))
    return "".join(out)


def _link_label(text: str) -> str:
    return escape(text).replace("[", "(").replace("]", ")")


def _safe_url(url: str) -> str | None:
    """An http(s) URL that can sit inside a masked link (parentheses encoded), or None."""
    url = url.strip().replace("(", "%28").replace(")", "%29")
    if re.fullmatch(r"https?://[^\s<>\[\]]+", url):
        return url
    return None


_MARKUP_IN_NAME = re.compile(r"<a?:(\w+):\d+>|<[@#][!&]?\d+>|<t:-?\d+(?::\w)?>|</([\w -]+):\d+>|[*_~|`\\]|^[>#\s-]+")


def plain_text(text: str) -> str:
    """Text for places that show no Markdown (thread names): mentions and markup characters gone.

    A thread name is shown raw, so ``**Carter**`` or ``<@123>`` would appear as those characters.
    Custom emoji and commands keep their name (``:party:``, ``/ask``).
    """

    def keep(match: re.Match[str]) -> str:
        if match.group(1):
            return f":{match.group(1)}:"
        if match.group(2):
            return f"/{match.group(2)}"
        return " " if match.group(0).startswith("<") else ""

    return " ".join(_MARKUP_IN_NAME.sub(keep, " ".join(text.split())).split())


def thread_name(question: str) -> str:
    """A thread title from the question: plain text on one line, at most 100 characters, never empty."""
    name = shorten(plain_text(question), THREAD_NAME_LIMIT)
    if len(name) > THREAD_NAME_LIMIT:  # one enormous word
        name = name[: THREAD_NAME_LIMIT - 1] + ELLIPSIS
    return name or "Question"


# -- answers ---------------------------------------------------------------------------------


QUESTION_CHARS = 200


def source_line(citation: Citation, *, quote: bool = True) -> str:
    """``[n] label, ¶p (day) — "quote…"``, the label linked to the article when its URL is known.

    ``quote=False`` leaves the quote out: when the answer already is that sentence, repeating it
    doubles the reply for nothing ("Show sources" still has the whole paragraph).
    """
    label = citation.label or citation.article_id
    url = _safe_url(citation.url)
    shown = f"[{_link_label(label)}](<{url}>)" if url else escape(label)
    line = f"[{citation.n}] {shown}, ¶{citation.paragraph}"
    if citation.published:  # which report is the newer: an archive holds a story's updates
        line += f" ({escape(citation.published[:10])})"
    text = shorten(citation.quote) if quote else ""
    return f'{line} — "{escape(text)}"' if text else line


def sources_block(citations: Iterable[Citation], answer_text: str = "") -> str:
    """The Sources list; a quote the answer already shows is not repeated."""
    lines = [source_line(c, quote=not already_said(c.quote, answer_text)) for c in citations]
    return "**Sources**\n" + "\n".join(lines) if lines else ""


def question_header(answer: Answer) -> str:
    """The question above a slash command's answer: Discord shows others "used /ask", not the text."""
    line = f"**Q:** {escape(shorten(answer.question, QUESTION_CHARS))}"
    standalone = answer.standalone_question
    if standalone and " ".join(standalone.split()) != " ".join(answer.question.split()):
        line += f" *(understood as: {escape(shorten(standalone, QUESTION_CHARS))})*"
    return line


def abstention_text(answer: Answer) -> str:
    """The short, clear message for "the articles don't say"."""
    text = shorten(answer.text.strip(), 300) or "The articles don't say."
    return f"🤷 {escape(text)}"


def answer_markdown(answer: Answer, *, header: bool = False) -> str:
    """The whole reply as one Markdown text (it may be longer than one message).

    ``header`` puts the question first, for replies whose question nobody else can see.
    """
    parts = [question_header(answer)] if header else []
    # What the terminal shows in brackets above the answer ("only the first 3 questions were answered;
    # ask the next one on its own: …", "your question was cut…"): Discord showed none of them.
    parts += [f"*({escape(note)})*" for note in answer.notes]
    if not answer.grounded:
        return "\n".join([*parts, abstention_text(answer)])
    parts.append(escape(answer.text.strip()))
    if answer.conflict and "disagree" not in answer.text.lower():  # the extractive text says so itself
        parts.append("⚠️ The sources disagree; each side is cited.")
    block = sources_block(answer.citations, answer.text)
    if block:
        parts.append(block)
    return "\n\n".join(parts)


def render_answer(answer: Answer, limit: int = MESSAGE_LIMIT, *, header: bool = False) -> list[str]:
    """The messages to send for ``answer``, each at most ``limit`` characters."""
    return split_message(answer_markdown(answer, header=header), limit)


def _highlighted(paragraph: str, quote: str) -> str:
    """The paragraph, escaped, with the quoted part in bold (when it is found verbatim)."""
    start = paragraph.find(quote) if quote else -1
    if start < 0 or not quote.strip():
        return escape(paragraph)
    end = start + len(quote)
    return f"{escape(paragraph[:start])}**{escape(quote)}**{escape(paragraph[end:])}"


def sources_detail(citations: Sequence[Citation], limit: int = MESSAGE_LIMIT) -> list[str]:
    """The "Show sources" messages: every cited paragraph in full, the quoted part in bold."""
    if not citations:
        return ["This answer cites no paragraphs."]
    blocks = []
    for c in citations:
        label = c.label or c.article_id or "article"
        url = _safe_url(c.url)
        title = f"[{_link_label(label)}](<{url}>)" if url else escape(label)
        details = [f"¶{c.paragraph}"]
        if c.published:
            details.append(escape(c.published))
        paragraph = c.paragraph_text or c.quote
        body = _highlighted(paragraph.strip(), c.quote)
        quoted = "\n".join("> " + line for line in body.splitlines() or [""])
        blocks.append(f"**[{c.n}]** {title} ({', '.join(details)})\n{quoted}")
    return split_message("\n\n".join(blocks), limit)


WARMING_STATES = {
    "warming": " (warming the rest in the background: first answers about a story may be slower)",
    "warmed": " (every sentence warmed)",
    "unfinished": " (the background warming stopped early: see the log)",
}


def stats_text(
    stats: Mapping[str, Any],
    votes: Mapping[str, int] | None = None,
    last_ingest: Mapping[str, Any] | None = None,
    feedback: Mapping[str, Any] | None = None,
    warming: str | None = None,
) -> str:
    """``/newsbot stats`` as a short list: the store, the sentence vectors kept and whether the bot is
    warming them (``warming``: :attr:`BackgroundWarmer.state`), the last ingest, and what readers missed."""
    lines = ["**newsbot**"]
    for key in ("articles", "paragraphs", "store", "collection", "model", "answerer"):
        if key in stats:
            lines.append(f"{key.capitalize()}: {escape(str(stats[key]))}")
    second = stats.get("second_embedder")
    if isinstance(second, Mapping):
        state = "in step" if second.get("in_step") else "behind the store: the next ingest finishes it"
        lines.append(f"E5 search: {second.get('paragraphs', 0)} paragraphs ({state})")
    if "sentence_vectors" in stats:
        line = f"Answer sentence vectors kept: {int(stats['sentence_vectors']):,}"
        line += WARMING_STATES.get(warming or "", "")
        lines.append(line)
    if last_ingest is not None:
        when = str(last_ingest.get("time", "?")).replace("T", " ").replace("+00:00", " UTC")
        line = (
            f"Last ingest: {escape(when)} — {last_ingest.get('articles', 0)} article(s), "
            f"{last_ingest.get('paragraphs', 0)} paragraph(s) ({last_ingest.get('embedded', 0)} embedded, "
            f"{last_ingest.get('skipped', 0)} unchanged), {last_ingest.get('failed', 0)} failed"
        )
        files = last_ingest.get("failed_files") or []
        if files:
            line += ": " + ", ".join(escape(str(f)) for f in files)
        if last_ingest.get("interrupted"):
            line += " (interrupted)"
        lines.append(line)
    else:
        lines.append("Last ingest: none recorded yet")
    if votes is not None:
        lines.append(
            f"Feedback: {votes.get('up', 0)} 👍 / {votes.get('down', 0)} 👎 on {votes.get('answers', 0)} answers"
        )
    if feedback is not None:
        lines.append(
            f"Last {feedback.get('days', 7)} days: {feedback.get('up', 0)} 👍 / {feedback.get('down', 0)} 👎"
        )
        worst = feedback.get("most_down_voted") or []
        if worst:
            lines.append("Most down-voted questions:")
            lines.extend(
                f"{i}. {escape(shorten(str(w['question']), 120))} ({w['down']} 👎, {w['up']} 👍)"
                for i, w in enumerate(worst, start=1)
            )
    return "\n".join(lines)


def ingest_text(summary: Mapping[str, Any], rejected: Sequence[str] = ()) -> str:
    """``/newsbot ingest`` result: counts first, then every file that was not used and why."""
    lines = [
        f"Ingested {summary.get('articles', 0)} article(s), {summary.get('paragraphs', 0)} "
        f"paragraph(s) ({summary.get('embedded', 0)} embedded, {summary.get('skipped', 0)} "
        f"unchanged) in {summary.get('seconds', 0)} s."
    ]
    problems = [*rejected, *summary.get("failed", [])]
    if problems:
        lines.append("Not used:")
        lines.extend(f"- {escape(str(p))}" for p in problems)
    warnings = summary.get("warnings", [])
    if warnings:
        lines.append("Warnings:")
        lines.extend(f"- {escape(str(w))}" for w in warnings)
    return "\n".join(lines)


# -- splitting -------------------------------------------------------------------------------

_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_PROTECTED = re.compile(
    r"```.*?(?:```|\Z)"  # code block (an unterminated one runs to the end)
    r"|(?<!\\)`[^`\n]+`"  # inline code
    r"|\[[^\]\n]*\]\(<?[^)\s]*>?\)"  # masked link
    r"|<https?://[^>\s]+>"  # link without preview
    r"|https?://\S+"  # bare link
    r"|\[\d+\]",  # citation marker
    re.DOTALL,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:[ \t]*\[\d+\])*(?=\s)")
_SPACE = re.compile(r"\s+")


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters at the most natural place."""
    if limit < 20:
        raise ValueError("limit is too small to split Markdown sensibly")
    text = _fit_code_blocks(text.strip(), limit)
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        head, text = text[:cut].rstrip(), text[cut:].lstrip()
        if head:
            pieces.append(head)
    if text:
        pieces.append(text)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    """Where to end the next piece: the last good boundary that is not inside a protected span."""
    spans = [m.span() for m in _PROTECTED.finditer(text)]

    def allowed(pos: int) -> bool:
        return 0 < pos <= limit and not any(start < pos < end for start, end in spans)

    window = text[: limit + 1]
    for pattern, use_end in (
        (_PARAGRAPH_BREAK, False),
        (_LINE_BREAK, False),
        (_SENTENCE_END, True),
        (_SPACE, False),
    ):
        positions = [m.end() if use_end else m.start() for m in pattern.finditer(window)]
        good = [p for p in positions if allowed(p)]
        if good:
            return good[-1]
    # No boundary at all: one enormous word. Keep a protected span whole if it fits a message.
    cut = limit
    for start, end in spans:
        if start < cut < end and start > 0:
            cut = start
            break
    if text[cut - 1] == "\\" and cut > 1:  # do not separate an escape from its character
        cut -= 1
    return cut


def _fit_code_blocks(text: str, limit: int) -> str:
    """Rewrite code blocks longer than a message as several complete blocks, line by line."""

    def refit(match: re.Match[str]) -> str:
        block = match.group(0)
        if len(block) <= limit:
            return block
        body = block[3:]
        body = body[:-3] if body.endswith("```") else body
        opener, _, code = body.partition("\n")
        fence_open, fence_close = f"```{opener}\n", "\n```"
        room = limit - len(fence_open) - len(fence_close)
        if room < 10:  # an absurd language tag: drop it
            fence_open, room = "```\n", limit - 4 - len(fence_close)
        chunks: list[str] = []
        current = ""
        for line in code.rstrip("\n").split("\n"):
            while len(line) > room:  # a single line longer than a message
                if current:
                    chunks.append(current)
                    current = ""
                chunks.append(line[:room])
                line = line[room:]
            candidate = f"{current}\n{line}" if current else line
            if len(candidate) > room:
                chunks.append(current)
                current = line
            else:
                current = candidate
        if current:
            chunks.append(current)
        return "\n".join(f"{fence_open}{chunk}{fence_close}" for chunk in chunks)

    return _CODE_BLOCK.sub(refit, text)
