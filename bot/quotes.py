"""Quoting article text in a reply, the same way on every face (terminal, REPL, Discord).

A quote is shortened only at a word boundary, and it is left out of a Sources line when the answer
already shows it word for word (an extractive answer *is* the quoted sentence).
"""

from __future__ import annotations

import re

QUOTE_CHARS = 160
ELLIPSIS = "…"
_MARKER = re.compile(r"\s*\[\d+\]")


def shorten(text: str, max_chars: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut with an ellipsis at a word boundary if longer than ``max_chars``.

    The kept part is verbatim apart from runs of whitespace becoming one space (a Sources line
    must stay one line). A word is never cut: if the first word alone is too long, it is kept.
    """
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)  # the ellipsis takes the place of this space
    if cut <= 0:
        first_space = text.find(" ")
        return text if first_space < 0 else text[:first_space] + ELLIPSIS
    return text[:cut].rstrip(" ,;:") + ELLIPSIS


def already_said(quote: str, answer_text: str) -> bool:
    """Whether the answer already shows ``quote`` word for word (its ``[n]`` markers aside)."""
    words = " ".join(quote.split())
    said = " ".join(_MARKER.sub("", answer_text).split())
    return bool(words) and words in said
