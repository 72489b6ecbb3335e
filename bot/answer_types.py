"""What kind of answer a question asks for, and whether a sentence contains one.

"When…" wants a date or time, "how many…" a number, "who…" a name. A sentence that shares the
question's words but holds no such answer is usually the wrong sentence ("Carter would resign
before the election" for "When was Carter elected?"). This is the classic answer-type cue of
extractive QA; it uses no list of names and nothing specific to any corpus.
"""

from __future__ import annotations

import re

MONTHS = "january february march april may june july august september october november december"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|(?:1[6-9]|20)\d\d(?:s|['’]s)?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|tomorrow|"
    r"(?:last|next|this)\s+(?:night|week|month|year|morning|evening|weekend)|"
    r"\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|midnight|noon)\b",
    re.IGNORECASE,
)
_EXPLICIT_DATE = re.compile(rf"\d|{_MONTH}|day\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?)\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][A-Za-z'’-]+|\b[A-Z]{2,}\b")

_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "prof", "rev", "the"}

_TYPE_RULES = (
    (
        "date",
        re.compile(
            r"^\s*(?:when\b|(?:on |in |by )?what (?:date|day|year|month|time)\b|which (?:date|day|year|month)\b)", re.I
        ),
    ),
    (
        "number",
        re.compile(
            r"^\s*(?:how (?:many|much|long|old|far|big|large|often)\b|(?:for |by )?what (?:number|percentage|share|age|amount)\b)|\bhow many\b",  # noqa: E501
            re.I,
        ),
    ),
    ("name", re.compile(r"^\s*(?:who|whom|whose)\b|^\s*(?:to |with |from |by )?whom\b|\bwho\b", re.I)),
    ("place", re.compile(r"^\s*where\b", re.I)),
)


def expected_type(question: str) -> str | None:
    """``date``, ``number``, ``name``, ``place`` or None (an open question)."""
    for name, rule in _TYPE_RULES:
        if rule.search(question):
            return name
    return None


def has_type(sentence: str, kind: str | None, question: str) -> float:
    """How clearly ``sentence`` holds an answer of ``kind`` not merely repeated from the question.

    1.0 for a match; for dates 0.5 when the only date is a relative one ("last night").
    """
    if kind is None:
        return 0.0
    asked = question.lower()
    if kind == "date":
        found = [d for d in _DATE.findall(sentence) if d.lower() not in asked]
        if not found:
            return 0.0
        return 1.0 if any(_EXPLICIT_DATE.search(d) for d in found) else 0.5
    elif kind == "number":
        found = _NUMBER.findall(sentence)
    else:
        found = [w for w in _CAPITALISED.findall(sentence) if w.lower().rstrip(".") not in _HONORIFICS]
    return float(any(item.lower() not in asked for item in found))
