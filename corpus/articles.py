"""The two records the rest of newsbot passes around: an article and one of its paragraphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from corpus.paragraphs import split_paragraphs


def content_hash(text: str) -> str:
    """A short, stable fingerprint of a text (first 16 hex digits of SHA-256).

    ``surrogatepass``: a lone surrogate (``"\\ud800"`` in a JSON line) must not crash a whole ingest;
    the loaders replace such characters, and this keeps any that slip through from raising here.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Paragraph:
    """One citable paragraph. ``number`` is 1-based, as users see it."""

    article_id: str
    number: int
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""

    @property
    def id(self) -> str:
        """Stable id: the article id and the paragraph number."""
        return f"{self.article_id}#{self.number}"

    @property
    def hash(self) -> str:
        return content_hash(self.text)

    @property
    def label(self) -> str:
        """What a reader recognises: the title, else the article id (the file name)."""
        return self.title or self.article_id


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
            )
            for number, text in enumerate(split_paragraphs(self.text), start=1)
        ]

    @property
    def hash(self) -> str:
        return content_hash("\n\n".join(p.text for p in self.paragraphs))
