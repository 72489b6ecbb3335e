"""A measure someone asked for, or one that could be, is not what happened.

"how long was griner sentenced to" was answered by the prosecutors' request, written in years and
months (stop 79, rtqa-1566 ¶9), while sentences giving the nine years she got were candidates too. A
question that asks what was done ("was sentenced", "did she get") is not answered by a sentence whose
every measure of the asked kind is one asked for ("asked…to", "sought", "called for") or one that could
be ("could mean 12 years", "faces 20 years"). "up to" alone is no such cue: a store that "can last up
to three months" tells what is.
"""

from __future__ import annotations

import re

from bot.answering import cues

# Words before a measure that make it a request or a possibility, not an outcome.
_NOT_DONE = re.compile(
    r"\b(?:ask(?:s|ed|ing)?|sought|seek(?:s|ing)?|request(?:s|ed|ing)?|demand(?:s|ed|ing)?|recommend(?:s|ed|ing)?|"
    r"propos(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+for|could|would|might|may|fac(?:e|es|ed|ing)|carr(?:y|ies|ying))\b",
    re.IGNORECASE,
)
# A question asking about the request or the possibility itself ("how long could she face?", "how long
# can the battery last?"): the rule reads only a question about what was done.
_ASKS_NOT_DONE = re.compile(
    r"\b(?:ask(?:s|ed)?|seek|sought|request(?:ed)?|demand(?:ed)?|recommend(?:ed)?|propose[ds]?|can|could|would|"
    r"will|might|may|should|face[sd]?|carr(?:y|ies)|maximum|want(?:s|ed)?)\b",
    re.IGNORECASE,
)
_ASKS_WHAT_WAS_DONE = re.compile(r"\b(?:was|were|did|got|had)\b", re.IGNORECASE)
_TIME_COUNTED = frozenset({"year", "month", "week", "day", "hour", "minut"})
_CLAUSE_BOUND = re.compile(r"[,;:—–]|\b(?:and|but|while|whereas|although|though)\b", re.IGNORECASE)


def _measures(sentence: str, question: str) -> list[re.Match[str]]:
    units = cues.asked_units(question)
    if units is None and cues.counted_words(question) & _TIME_COUNTED:
        units = cues.asked_units("how long")
    return list(units.finditer(sentence)) if units is not None else []


def only_asked_for(sentence: str, question: str) -> bool:
    """Whether every measure of the asked kind in ``sentence`` is one asked for or one that could be,
    for a question about what was done (it asks no "could", "asked", "faces" itself)."""
    if _ASKS_NOT_DONE.search(question) or not _ASKS_WHAT_WAS_DONE.search(question):
        return False
    found = _measures(sentence, question)
    if not found:
        return False
    starts: list[int] = []
    for n, measure in enumerate(found):
        # "nine years and six months" is one measure: its second part is read from the first's start.
        joined = n and re.fullmatch(r"\s*(?:and|,)\s*", sentence[found[n - 1].end() : measure.start()])
        starts.append(starts[-1] if joined else measure.start())
    return all(_NOT_DONE.search(_clause_before(sentence, start)) is not None for start in starts)


def _clause_before(sentence: str, start: int) -> str:
    """The words of ``sentence`` before ``start`` in the same clause: "Prosecutors asked for 11 years, and
    she was sentenced to eight years" (the test's sentence) gives "she was sentenced to" for the eight."""
    before = sentence[:start]
    bounds = list(_CLAUSE_BOUND.finditer(before))
    return before[bounds[-1].end() :] if bounds else before
