"""When two articles give different numbers for the same fact, newsbot shows both.

"More than six hours" against "a seven-hour meeting": both count hours, share no value, and the
question asks about it. This module finds the numbers a sentence gives, by what they count.
"""

from __future__ import annotations

import re

from retrieval.text import terms

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion half dozen"
).split()
_QUANTITY = re.compile(
    r"\b(\d[\d,.]*\d|\d|" + "|".join(_NUMBER_WORDS) + r")(?:[\s-]+(?:more\s+)?([a-z]+))?",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE)


def quantities(text: str) -> dict[str, set[str]]:
    """Numbers in ``text`` by what they count: {"hour": {"six"}, "date": {"7"}}.

    Two articles disagree on a fact when they give different numbers of the same thing.
    """
    found: dict[str, set[str]] = {}
    for match in _QUANTITY.finditer(text):
        value = match.group(1).lower().rstrip(".,")
        if _MONTH_BEFORE.search(text[: match.start()]):
            unit = "date"
        elif match.group(2):
            unit_terms = terms(match.group(2))
            if not unit_terms:
                continue
            unit = unit_terms[0]
        else:
            continue
        found.setdefault(unit, set()).add(value)
    return found


def disagree(a: dict[str, set[str]], b: dict[str, set[str]], relevant: set[str]) -> bool:
    """Both count the same thing, which the question asks about, and share no value for it.

    ``relevant`` holds the question's terms, and ``*`` when it asks for a number or a date.
    """
    return any(
        unit in b and not (values & b[unit]) and ("*" in relevant or unit in relevant) for unit, values in a.items()
    )
