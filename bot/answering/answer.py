"""What every face of newsbot shows: an answer, its citations, and whether it is grounded."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus import Paragraph


@dataclass(frozen=True)
class Citation:
    """One cited paragraph. ``quote`` is always a verbatim slice of ``paragraph_text``."""

    n: int
    article_id: str
    label: str
    paragraph: int
    quote: str
    url: str = ""
    paragraph_text: str = ""
    published: str = ""

    @classmethod
    def of(cls, n: int, paragraph: Paragraph, quote: str) -> Citation:
        """Cite ``quote``, a verbatim slice of a retrieved paragraph, as source ``[n]``."""
        return cls(
            n=n,
            article_id=paragraph.article_id,
            label=paragraph.label,
            paragraph=paragraph.number,
            quote=quote,
            url=paragraph.url,
            paragraph_text=paragraph.text,
            published=paragraph.published,
        )

    def record(self) -> dict[str, Any]:
        """Every field, for keeping the citation (the Discord bot's feedback store) and reading it
        back with :meth:`from_record`."""
        return dataclasses.asdict(self)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Citation:
        """A citation back from :meth:`record`; a field missing or empty in it is "" (0 for numbers)."""
        values: dict[str, Any] = {
            f.name: record.get(f.name) or (0 if f.name in _NUMBERS else "") for f in dataclasses.fields(cls)
        }
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        """What ``newsbot ask --json`` and the evaluation show: the record without the paragraph's
        full text, no URL or day as null (a script weighing two reports needs the day, as a reader does)."""
        shown = {key: value for key, value in self.record().items() if key in _SHOWN}
        shown["url"] = self.url or None
        shown["published"] = self.published or None
        return shown


_NUMBERS = ("n", "paragraph")
_SHOWN = ("n", "article_id", "label", "paragraph", "quote", "url", "published")


@dataclass(frozen=True)
class Answer:
    """An answer in plain words with ``[n]`` markers that refer to ``citations``."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    grounded: bool = False
    standalone_question: str = ""
    conflict: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)
    # Not found, but close: paragraphs shown as related reading, never as support (citations stays empty).
    related: tuple[Citation, ...] = ()

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "question": self.question,
            "answer": self.text,
            "grounded": self.grounded,
            "citations": [c.to_json() for c in self.citations],
            "related": [c.to_json() for c in self.related],
            "standalone_question": self.standalone_question or self.question,
        }
        if self.notes:
            shown["notes"] = list(self.notes)
        return shown


_MARKER = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")


# Escape sequences (CSI "\x1b[2J", OSC title "\x1b]0;…\x07") and every other control character but
# newline and tab: article text is data, and a terminal would obey them.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: escape sequences and control characters removed (the
    terminal prints nothing else; an answer's lead reads its amount from this text too)."""
    return _CONTROL.sub("", _ESCAPES.sub("", text))


def neutralise_markers(quoted: str) -> str:
    """Article text quoted in an answer, with its own "[1]" written "(1)": only newsbot's markers
    may look like citations (the citation's ``quote`` itself stays verbatim)."""
    return _MARKER.sub(r"(\1)", quoted)


def several_answers(question: str, answers: Sequence[Answer]) -> Answer:
    """The answers to several questions asked in one message, as one reply: each under the question
    it answers (as understood), its ``[n]`` markers renumbered to follow the parts before it, and a
    paragraph two parts cite listed once. Grounded when any part is (its sources are shown): a part
    the articles do not answer says so in its own words."""
    citations: list[Citation] = []
    related: list[Citation] = []
    texts: list[str] = []
    for answer in answers:
        number: dict[int, int] = {}
        for c in answer.citations:
            same = next(
                (k for k in citations if (k.article_id, k.paragraph, k.quote) == (c.article_id, c.paragraph, c.quote)),
                None,
            )
            if same is None:
                same = dataclasses.replace(c, n=len(citations) + 1)
                citations.append(same)
            number[c.n] = same.n

        def renumbered(match: re.Match[str], number: dict[int, int] = number) -> str:
            return "[" + re.sub(r"\d+", lambda d: str(number.get(int(d.group()), int(d.group()))), match.group(1)) + "]"

        asked = answer.standalone_question or answer.question
        texts.append(f"{asked[:1].upper()}{asked[1:]}\n{_MARKER.sub(renumbered, answer.text)}")
        related += [
            c
            for c in answer.related
            if all((r.article_id, r.paragraph) != (c.article_id, c.paragraph) for r in related)
        ]
    return Answer(
        question=question,
        text="\n\n".join(texts),
        citations=tuple(citations),
        grounded=any(a.grounded for a in answers),
        standalone_question=question,
        conflict=any(a.conflict for a in answers),
        notes=tuple(note for a in answers for note in a.notes),
        related=tuple(related),
    )


NOT_FOUND = "The articles don't say. I found no paragraph that answers this question."


def abstention(question: str, standalone: str = "", related: tuple[Citation, ...] = ()) -> Answer:
    """The honest answer when the retrieved paragraphs do not support one.

    ``related``: the closest paragraphs, offered as further reading ("not found, but related"); they
    are never citations, so the answer stays ungrounded with no ``[n]`` marker.
    """
    text = NOT_FOUND
    if related:
        places = "; ".join(f"{c.label}, ¶{c.paragraph}" for c in related)
        text = f"The articles don't say. Related: {places}."
    return Answer(
        question=question,
        text=text,
        grounded=False,
        standalone_question=standalone or question,
        related=related,
    )
