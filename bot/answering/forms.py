"""The shape of an extractive answer: the quoted sentence, led by what was asked when it is clear.

"How many…" answers lead with the number, "how much…" with the amount. A yes/no question is
answered "Yes"/"No" only when the cited sentence states the asked thing outright (it holds most of
the question's words), else the sentence is quoted as it is and the reader judges.
"""

from __future__ import annotations

import re

from bot.answering import cues

YES_NO_COVERAGE = 0.6

_AMOUNT = re.compile(
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s*(?:million|billion|trillion|bn|m)\b)?"
    r"|\b\d[\d,.]*%?(?:\s*(?:million|billion|trillion|percent|per cent)\b)?"
    r"|\b(?:" + "|".join(cues.NUMBER_WORDS) + r")(?:[\s-](?:" + "|".join(cues.NUMBER_WORDS) + r"))*\b)",
    re.IGNORECASE,
)
def amount(sentence: str, question: str) -> str | None:
    """The first number or amount in ``sentence`` that the question does not already give."""
    asked = question.lower()
    for match in _AMOUNT.finditer(sentence):
        value = match.group(0).strip()
        if value.lower() not in asked and not re.fullmatch(r"(?:19|20)\d\d", value):
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
