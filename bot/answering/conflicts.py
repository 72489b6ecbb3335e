"""When two articles give different numbers for the same fact, newsbot shows both.

"More than six hours" against "a seven-hour meeting": both count hours, share no value, and the
question asks about it. This module finds the numbers a sentence gives, by what they count, and
tells a dispute from two different things counted alike:

- "another $800 million security package" is a second package, not another figure for the first;
- "2.3 million customers had no power" and "8,000 customers were without power in southeastern
  Florida" count customers on different scales: two reports of one fact differ by a little (six
  against seven hours, 1,600 against 1,100 people rescued), not by a factor of 300.
"""

from __future__ import annotations

import re

from retrieval.text import terms

_WORD_VALUES = {
    word: float(n)
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_VALUES |= {"half": 0.5, "dozen": 12.0}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_NUMBER = r"\d[\d,.]*\d|\d|" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
# A number, its scale ("2.3 million", "a million"), then what it counts. The scale and "per"/"a"/"each"
# say how big or how measured, not what is counted: "$550 million security package" counts packages,
# "$33.50 per share" shares. Read as units, they made "500 million free tests" dispute "50 million
# households" (both "million").
_QUANTITY = re.compile(
    rf"\b(?:({_NUMBER})(?:[\s-]+({_SCALE}))?|an?\s+({_SCALE}))\b"
    r"(?:[\s-]+(?:(?:per|a|an|each|more)\s+)?([a-z]+))?",
    re.IGNORECASE,
)
# A number said to be another of its kind ("another roughly $800 million", "an additional 500 troops",
# "a second $100 million"): the sentence counts a further thing, which cannot dispute the first.
ANOTHER = re.compile(
    r"\b(?:another|an additional|additional|a further|further|a second|a new|a separate|a previous|an earlier)"
    r"\s+(?:[a-z]+\s+){0,2}[$€£¥]?\d",
    re.IGNORECASE,
)
_CURRENCY = ("$", "€", "£", "¥")
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE)
# Two values of one fact in two reports differ by at most this factor. Every dispute about the same
# fact met in the answer sets differed by under 1.5 (six/seven hours, 39/37 days, 1,600/1,100 people
# rescued); the figures of different things counted alike, by 3 to 300 (110/37 miles, 87,000/11,000
# employees, 2.3 million/8,000 customers).
SAME_FACT_RATIO = 2.0
# What a question lets dispute its answer, besides its own words (``extractive.disputed_units``): any
# unit; any unit but a day of a month ("how long was she sentenced to": the day one report gives for the
# sentence and the day another gives for her arrest are two events, not two lengths); a sum of money.
ANY_UNIT = "*"
ANY_MEASURE = "*measure"
MONEY = "money"


def value_of(number: str, scale: str = "") -> float | None:
    """The number a match says: "2.3" "million" → 2,300,000; "six" → 6; None when unreadable."""
    word = number.lower().rstrip(".,")
    if word in _WORD_VALUES:
        value = _WORD_VALUES[word]
    else:
        try:
            value = float(word.replace(",", ""))
        except ValueError:
            return None
    return value * _SCALES.get(scale.lower(), 1.0)


# A length written in two units ("nine years and six months"): the larger, the smaller, how many make one.
_TWO_UNITS = (("year", "month", 12), ("hour", "minute", 60), ("minute", "second", 60))


def quantities(text: str) -> dict[str, set[float]]:
    """Numbers in ``text`` by what they count: {"hour": {6.0}, "date": {7.0}, "money": {1.2e7}}.

    Two articles disagree on a fact when they give different numbers of the same thing.
    """
    found: dict[str, set[float]] = {}
    for match in _QUANTITY.finditer(text):
        number, scale, bare_scale, counted = match.groups()
        value = value_of(number, scale or "") if number else value_of("1", bare_scale)
        if value is None:
            continue
        if text[max(0, match.start() - 2) : match.start()].strip()[-1:] in _CURRENCY:
            # A sum of money is one whatever follows it: "$12 million" and "$11.7 million, a person
            # … said" are two figures for one deal.
            found.setdefault(MONEY, set()).add(value)
        if _MONTH_BEFORE.search(text[: match.start()]):
            unit = "date"
        elif counted:
            unit_terms = terms(counted)
            if not unit_terms:
                continue
            unit = unit_terms[0]
        else:
            continue
        found.setdefault(unit, set()).add(value)
    # "nine years and six months" is 9.5 years too: another report's "9.5 years" of the same sentence was
    # shown as disputing it (stop 78: "how long was griner sentenced to", rtqa-1566 ¶9 against rtqa-0477 ¶3),
    # and likewise hours and minutes.
    for larger, smaller, parts in _TWO_UNITS:
        for match in re.finditer(rf"\b({_NUMBER})\s+{larger}s?\s+and\s+({_NUMBER})\s+{smaller}s?\b", text, re.I):
            whole, part = value_of(match.group(1)), value_of(match.group(2))
            if whole is not None and part is not None:
                found.setdefault(terms(larger)[0], set()).add(whole + part / parts)
    return found



def counts_another(text: str) -> bool:
    """Whether ``text`` gives a number as one more of its kind ("announced another $100 million")."""
    return bool(ANOTHER.search(text))


def _close(a: set[float], b: set[float]) -> bool:
    """Some value of ``a`` and some of ``b`` are within :data:`SAME_FACT_RATIO` of each other."""
    return any(x > 0 and y > 0 and max(x, y) / min(x, y) <= SAME_FACT_RATIO for x in a for y in b)


def disagree(a: dict[str, set[float]], b: dict[str, set[float]], relevant: set[str]) -> bool:
    """Both count the same thing, which the question asks about, share no value for it, and give
    values close enough to be two reports of one fact.

    ``relevant`` holds what the question asks to be counted (``extractive.disputed_units``): its
    terms, :data:`MONEY` for a sum, :data:`ANY_UNIT`, or :data:`ANY_MEASURE` for any unit but a date.
    """
    return any(
        unit in b
        and not (values & b[unit])
        and (ANY_UNIT in relevant or unit in relevant or (ANY_MEASURE in relevant and unit != "date"))
        and (unit == "date" or _close(values, b[unit]))
        for unit, values in a.items()
    )
