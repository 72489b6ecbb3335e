"""What the archive holds: "what's new?", "latest news", "what articles do you have?".

Someone new to a channel's bot first asks what it knows about. Read as a question, "what's new"
has no topic and no asked detail: the answer model quoted "Mr Carter this morning told Radio New
Zealand his expulsion was an overreaction…" (for "new" in "New Zealand"), and "what are the articles
about" or "list the articles" got "The articles don't say". Here such a request is answered with the
latest stories — each one's lead, cited, newest first (by publication date, undated ones after the
dated ones, in the order they were stored) — and how many articles the archive holds. Asked as of a
day, the stories published after it are left out, as in any answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from bot.answering.answer import Answer, Citation, neutralise_markers
from bot.answering.features import reads_as_a_sentence
from bot.answering.sentences import sentence_spans
from corpus import Paragraph

__all__ = ["LATEST_STORIES", "STORIES", "asks_for_an_overview", "overview"]

STORIES = 3  # the latest stories told
LATEST_STORIES = "the latest stories"  # how the request is understood (no question a follow-up can lean on)
LEAD_SCAN = 4  # paragraphs searched for the first that reads as a sentence (a headline or byline may come first)

_OVERVIEW = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|hi|hey|hello)\b[\s,.!]*)*(?:(?:can|could|would) you (?:please )?|please )?(?:"
    r"what(?:'s| is| are)? (?:new|up|happening|going on|in the news|the (?:latest|news|headlines))|anything new|"
    r"(?:tell me |give me |show me |what(?:'s| is| are) )?(?:the )?(?:latest|top|recent|today'?s) "
    r"(?:news|stories|headlines|articles)|(?:the )?(?:news|headlines)(?: today)?|any news|"
    r"(?:what|which) (?:articles|stories|news) (?:do you have|have you got|are there|do you know(?: about)?)|"
    r"what (?:are|is) (?:the|your) (?:articles|stories|archive|news) about|what(?:'s| is) in (?:the|your) "
    r"(?:archive|articles|news)|list (?:the |all |your |all the )?(?:articles|stories)|what do you (?:have|know)|"
    r"summari[sz]e (?:everything|it all|all|the news|the articles|the stories)|"
    r"give me (?:a |an )?(?:summary|overview|rundown)(?: of (?:the news|everything|the articles))?"
    r")(?: (?:today|this week|for me|please|then))*[\s?.!]*$",
    re.IGNORECASE,
)


def asks_for_an_overview(question: str) -> bool:
    """Whether ``question`` asks what the archive holds rather than about something in it."""
    return bool(_OVERVIEW.match(" ".join(question.split())))


def overview(
    question: str,
    published: Iterable[tuple[str, str]],
    paragraph: Callable[[str, int], Paragraph | None],
    as_of: dt.date | None = None,
) -> Answer:
    """The leads of the latest :data:`STORIES` stories, cited. ``published`` gives every stored
    article's id and publication date (ISO, "" when undated) in the order they were stored."""
    dated: list[tuple[str, int, str]] = []
    count = 0
    for order, (article_id, day) in enumerate(published):
        if as_of is not None and day[:10] > as_of.isoformat():
            continue
        count += 1
        dated.append((day[:10], -order, article_id))
    # Newest first; undated ("") after every dated one; among equals, the one stored first.
    dated.sort(key=lambda entry: (entry[0] != "", entry[0], entry[1]), reverse=True)
    lines: list[str] = []
    citations: list[Citation] = []
    for _, _, article_id in dated:
        lead = _lead(article_id, paragraph)
        if lead is None:
            continue
        sentence = next((lead.text[a:b] for a, b in sentence_spans(lead.text)), lead.text)
        n = len(citations) + 1
        citations.append(Citation.of(n, lead, sentence))
        when = f" ({lead.published[:10]})" if lead.published else ""
        lines.append(f"• {neutralise_markers(sentence)}{when} [{n}]")
        if len(citations) == STORIES:
            break
    if not citations:
        return Answer(question=question, text="The archive holds no articles yet: ingest some first.")
    held = f"{count:,} article{'s' if count != 1 else ''}"
    heading = f"The archive holds {held}; the latest:" if count > len(citations) else f"The archive holds {held}:"
    return Answer(
        question=question,
        text="\n".join([heading, *lines]),
        citations=tuple(citations),
        grounded=True,
        standalone_question=LATEST_STORIES,
    )


def _lead(article_id: str, paragraph: Callable[[str, int], Paragraph | None]) -> Paragraph | None:
    first = None
    for number in range(1, LEAD_SCAN + 1):
        found = paragraph(article_id, number)
        if found is None:
            break
        first = first or found
        if reads_as_a_sentence(found.text):
            return found
    return first
