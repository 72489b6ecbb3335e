"""What every face of newsbot shows: an answer, its citations, and whether it is grounded."""

from __future__ import annotations

import re
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

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "article_id": self.article_id,
            "label": self.label,
            "paragraph": self.paragraph,
            "quote": self.quote,
            "url": self.url or None,
        }


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


def neutralise_markers(quoted: str) -> str:
    """Article text quoted in an answer, with its own "[1]" written "(1)": only newsbot's markers
    may look like citations (the citation's ``quote`` itself stays verbatim)."""
    return _MARKER.sub(r"(\1)", quoted)


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
