"""The shape of an extractive answer: the quoted sentence, led by what was asked when it is clear.

"How many…" answers lead with the number, "how much…" with the amount. A yes/no question is
answered "Yes"/"No" only when the cited sentence states the asked thing outright (it holds most of
the question's words), else the sentence is quoted as it is and the reader judges.
"""

from __future__ import annotations

import re

from bot.answering import cues

YES_NO_COVERAGE = 0.85  # 0.6 said "Yes" to 2 dev questions whose answer was no: say it only when all is stated

_NUMBER = "|".join(cues.NUMBER_WORDS)
_AMOUNT = re.compile(
    r"(?:(?:more than|less than|fewer than|about|nearly|almost|at least|at most|over|up to|around|some|roughly)\s+)?"
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s*(?:million|billion|trillion|bn|m)\b)?"
    r"|\b\d[\d,.]*(?:%|\s*(?:million|billion|trillion|percent|per cent)\b)?"
    rf"|\b(?:{_NUMBER})(?:[\s-](?:{_NUMBER}))*\b)"
    r"(?:[\s-](?!(?:of|and|or|to|in|on|at|for|the|a|an|by|from|with|as|that|who)\b)[a-z]+\b)?",
    re.IGNORECASE,
)


def amount(sentence: str, question: str) -> str | None:
    """The first amount in ``sentence`` ("more than six hours", "$24.6 billion", "13 days") that the
    question does not already give; a bare year is not an amount, nor the day of a date: "How many
    MPs voted…?" is not answered "7" from "on August 7 the council will…"."""
    asked = question.lower()
    dates = [m.span() for m in cues.DATE.finditer(sentence)]
    for match in _AMOUNT.finditer(sentence):
        value = match.group(0).strip().rstrip(",.;:")
        in_a_date = any(start < match.end() and match.start() < end for start, end in dates)
        if value.lower() not in asked and not in_a_date and not re.fullmatch(r"(?:19|20)\d\d(?:\s\w+)?", value):
            return value
    return None


def lead(question: str, kind: str, sentence: str, coverage: float) -> str:
    """What goes before the quoted sentence ("" when the sentence should speak for itself)."""
    if kind in ("number", "money", "measure"):
        value = amount(sentence, question)
        return f"{value[0].upper()}{value[1:]}: " if value else ""
    if kind == "yesno" and coverage >= YES_NO_COVERAGE:
        return "No. " if cues.negated(sentence) != cues.negated(question) else "Yes. "
    return ""
