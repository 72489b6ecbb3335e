r"""The two records the rest of newsbot passes around: an article and one of its paragraphs.

:class:`Paragraph` is the one paragraph record from corpus to citation: the indexer writes its
:meth:`~Paragraph.metadata` beside each vector in Chroma, the store reads paragraphs back with
:meth:`~Paragraph.from_metadata`, the retriever carries the same metadata in LangChain
``Document``\s, and an answer's ``Citation`` is cut from it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from corpus.paragraphs import split_paragraphs


def content_hash(text: str) -> str:
    """A short, stable fingerprint of a text (first 16 hex digits of SHA-256).

    ``surrogatepass``: a lone surrogate (``"\\ud800"`` in a JSON line) must not crash a whole ingest;
    the loaders replace such characters, and this keeps any that slip through from raising here.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


LABEL_CHARS = 60
# A full stop after these is not the end of a sentence ("Mr. Carter", "Te Atatu MP Dr. Sharma").
_ABBREVIATIONS = set("mr mrs ms dr st jr sr prof gen gov sen rep no vs inc co".split())
_DATELINE = re.compile(r"[^.!?\n]{0,60}\s[—–-]{1,2}")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])")


def short_label(text: str, max_chars: int = LABEL_CHARS) -> str:
    """A short form of the first sentence of ``text``, for articles that have no title.

    Plain .txt articles carry no headline, and a file name such as ``002_d45b3a8c4a730c3c`` tells a
    reader nothing; the lead sentence of a news story is written to say what it is about. It is cut
    at a word boundary with "…" so it fits on one Sources line.
    """
    # A dateline on a line of its own ("Washington CNN —", "New York CNN Business —") says where the
    # story was filed, not what it is about: 81 untitled articles of the news archive were labelled
    # "CNN —" in Sources and Related lines (stop 56).
    lines = text.lstrip().split("\n", 1)
    while len(lines) == 2 and _DATELINE.fullmatch(lines[0].strip()):
        text = lines[1].lstrip()
        lines = text.split("\n", 1)
    first = " ".join(text.split("\n\n", 1)[0].split())
    for match in _SENTENCE_END.finditer(first):
        word = first[: match.start()].rsplit(" ", 1)[-1].lower().strip("\"'“‘(")
        if word in _ABBREVIATIONS or len(word) == 1:  # "Mr." or an initial ("J. Smith")
            continue
        first = first[: match.end()]
        break
    first = first.rstrip()
    if len(first) <= max_chars:
        return first.rstrip(".")
    cut = first.rfind(" ", 0, max_chars)
    if cut <= 0:
        return first[: max_chars - 1] + "…"
    return first[:cut].rstrip(" ,;:—-") + "…"


@dataclass(frozen=True)
class Paragraph:
    """One citable paragraph. ``number`` is 1-based, as users see it.

    ``source`` is where it was read from (a file path, ``path:line`` for a .jsonl record); the
    article-level keyword index also uses this record, with ``number`` 0 and the whole article as
    ``text``.
    """

    article_id: str
    number: int
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""
    lead: str = ""  # the article's short first sentence, when it has no title

    @property
    def id(self) -> str:
        """Stable id: the article id and the paragraph number."""
        return f"{self.article_id}#{self.number}"

    @property
    def label(self) -> str:
        """What a reader recognises: the title, else the short first sentence, else the article id.

        The article id (the file name) stays the identifier for ``--json`` and ``:sources``.
        """
        return self.title or self.lead or self.article_id

    def metadata(self) -> dict[str, str | int]:
        """Every field but the text, as flat metadata (Chroma records and LangChain documents).

        The text travels beside it: a Chroma record's document, a ``Document``'s ``page_content``.
        """
        return {
            "article_id": self.article_id,
            "paragraph": self.number,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "source": self.source,
            "lead": self.lead,
        }

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any], text: str) -> Paragraph:
        """The paragraph back from :meth:`metadata` and its text; fields a record lacks are empty.

        Records written before a field existed (``lead``, ``source``) still read.
        """
        return cls(
            article_id=str(metadata["article_id"]),
            number=int(metadata["paragraph"]),
            text=text,
            title=str(metadata.get("title", "")),
            url=str(metadata.get("url", "")),
            published=str(metadata.get("published", "")),
            source=str(metadata.get("source", "")),
            lead=str(metadata.get("lead", "")),
        )


@dataclass(frozen=True)
class Article:
    """One news article, from a file or a JSON Lines record."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # Where the article comes from, independent of the working folder: the resolved file path, plus
    # "::" and the record's key for a .jsonl line. Two articles with one id but different origins
    # are two articles (the indexer gives the later one a suffixed id and says so).
    origin: str = field(default="", compare=False)

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        return [
            Paragraph(
                article_id=self.id,
                number=number,
                text=text,
                title=self.title,
                url=self.url,
                published=self.published,
                source=self.source,
                lead=self.lead,
            )
            for number, text in enumerate(split_paragraphs(self.text), start=1)
        ]

    @cached_property
    def lead(self) -> str:
        """The short first sentence that labels an article without a title ("" when it has one)."""
        return "" if self.title else short_label(self.text)

    @property
    def label(self) -> str:
        return self.title or self.lead or self.id

    @property
    def hash(self) -> str:
        return content_hash("\n\n".join(p.text for p in self.paragraphs))
