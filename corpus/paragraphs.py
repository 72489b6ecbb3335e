"""The paragraph rule, the unit of citation.

If a text has blank lines, paragraphs are the blank-line-separated blocks and the hard line breaks
inside a block are joined with a space (newspaper copy is often hard-wrapped). Otherwise each
non-empty line is a paragraph. Numbers shown to users are 1-based positions in this list.
"""

from __future__ import annotations

import re

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading byte-order mark is dropped."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_paragraphs(text: str) -> list[str]:
    """Split article text into paragraphs, each stripped and non-empty."""
    text = normalise_newlines(text).strip()
    if _BLANK_LINE.search(text):
        blocks = _BLANK_LINE.split(text)
        paragraphs = [" ".join(line.strip() for line in block.split("\n") if line.strip()) for block in blocks]
    else:
        paragraphs = [line.strip() for line in text.split("\n")]
    return [p for p in paragraphs if p]
