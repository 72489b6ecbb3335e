"""A yes/no question typed as a reported one: "I want to know if Carter appealed" is "Did Carter appeal?".

People type a yes/no question in a chat as "do you know whether sharma is still in labour" or "is it
true that the meeting lasted seven hours". Read as typed, "if Carter appealed" is no yes/no question
(its first word is no auxiliary): the answer step reads it as an open one, and counts "want", "know"
and "true" as words the answer must hold. Here the clause is turned back into the question it
reports, with its auxiliary first:

- an auxiliary after the subject moves in front of it ("if sharma is still in labour" → "is sharma
  still in labour");
- otherwise a verb in the past becomes "did" and its bare form ("if Carter appealed" → "did Carter
  appeal"), one with a third-person "-s" after a name or "he/she/it" becomes "does" ("if Sanders
  supports the deal" → "does Sanders support the deal");
- a clause it cannot read so (no such verb, a relative clause before it, "if …, who…?": a
  condition, not a question) is left as typed.

English inflection is irregular; the bare form is found by rules plus the irregular verbs of
:mod:`retrieval.irregular`. A wrong bare form ("developed" → "develop" is right, "visited" → "visit"
too, but an odd verb may come out odd) only shows in the question as understood: the answer step
stems the words, so "appealed" and "appeal" are one word to it.
"""

from __future__ import annotations

import re
from functools import cache

from retrieval.irregular import past_forms

__all__ = ["as_yes_no_question"]

# How a reported yes/no question is opened. "Do you know" and "can you tell me" are already gone
# (bot/service.py drops them as courtesy), so a clause may start with "if"/"whether" itself.
_REPORTED = re.compile(
    r"^(?:(?:i (?:want|need|would like|'?d like) to know|i wanna know|(?:can|could|would) you (?:please )?"
    r"(?:tell me|check|find out|say)|please (?:tell me|check)|tell me|check|find out|any idea|"
    r"(?:do|does) (?:you|anyone|anybody) know|i (?:wonder|wondered)|i'?m wondering|i was wondering|"
    r"i'?m curious|not sure)[\s,:;-]*)?(?:if|whether)\s+(?P<clause>.+)$|"
    r"^is it (?:true|the case|correct|right) (?:that )?(?P<claim>.+)$",
    re.IGNORECASE,
)
_OR_NOT = re.compile(r",?\s+or not\s*$", re.IGNORECASE)
_AUXILIARIES = frozenset("is are was were has have had will would can could should does do did may might must".split())
# "if Carter appeals, who decides?" / "…, will he win?": a condition, then the question itself.
_THEN_ASKS = re.compile(
    r",\s*(?:then\s+)?(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|will|would|can|could|"
    r"should|does|do|did|has|have)\b",
    re.IGNORECASE,
)
_RELATIVE = frozenset("who whom whose which that where when because if whether while after before".split())
_DETERMINERS = frozenset("the a an his her its their our my your this that these those".split())
_HAVE_TO = {"has": "does", "have": "do", "had": "did"}
_SINGULAR_DOERS = frozenset({"he", "she", "it"})
_PLURAL_DOERS = frozenset({"they", "we", "you", "people"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A past in "-ed": its bare form, found by these rules in order (see bare_form).
_NOT_PAST = frozenset("hundred sacred naked wicked wretched rugged ragged beloved kindred shed wed bed red".split())
_NEEDS_E = re.compile(
    r"(?:u|[vz]|[^c]c|[^s]s|[bcdfgkpstz]l|(?<=[^aeiou])[aiou][rdkmb]|(?<=[^aeiou])[aou]t|(?<=[^aeiou])[aio]n|"
    r"(?<=[^aeiou])[aiu]p|ang|[rd]g|[^aeiou][iuo]l|creat)$"
)


@cache
def _irregular_bare() -> dict[str, str]:
    return {past: base for base, pasts in past_forms().items() for past in pasts if past != base}


def bare_form(past: str) -> str | None:
    """The bare form of a verb in the past ("appealed" → "appeal", "closed" → "close", "left" →
    "leave"), or None when ``past`` does not look like one."""
    word = past.lower()
    if word in _irregular_bare():
        return _irregular_bare()[word]
    if not word.endswith("ed") or len(word) < 4 or word in _NOT_PAST:
        return None
    if word.endswith("ied"):
        return word[:-1] if len(word) <= 4 else word[:-3] + "y"  # "died" → "die", "denied" → "deny"
    if word.endswith("eed"):  # "agreed" → "agree"; "need", "proceed" are bare already
        return word[:-1] if word.endswith(("greed", "freed", "teed", "creed")) and word != "greed" else None
    stem = word[:-2]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouldsfz":
        return stem[:-1]  # "stopped" → "stop", "admitted" → "admit"
    if stem.endswith("ll") and len(stem) >= 6:
        return stem[:-1]  # "expelled" → "expel", "cancelled" → "cancel"; "killed" → "kill"
    return stem + "e" if _NEEDS_E.search(stem) else stem


def bare_present(verb: str) -> str | None:
    """The bare form of a third-person present ("supports" → "support", "watches" → "watch")."""
    word = verb.lower()
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("shes", "ches", "xes", "zes", "sses", "oes")):
        return word[:-2]
    return word[:-1]


def as_yes_no_question(text: str) -> str | None:
    """``text`` as the yes/no question it reports ("I want to know if Carter appealed" → "did Carter
    appeal?"), or None when it reports none (or one this cannot turn round)."""
    found = _REPORTED.match(text.strip())
    if found is None:
        return None
    clause = _OR_NOT.sub("", (found.group("clause") or found.group("claim")).strip().rstrip("?.! "))
    words = clause.split()
    if len(words) < 2 or _THEN_ASKS.search(clause):
        return None  # "if Carter appeals, who decides?" asks something else
    question = _turned_round(words)
    return None if question is None else question + "?"


def _turned_round(words: list[str]) -> str | None:
    bare = [w.lower().strip(".,;:!?\"'’") for w in words]
    for i in range(1, min(len(words), 8)):
        if bare[i] in _RELATIVE and bare[i - 1] not in _DETERMINERS:
            return None  # "if the man who was arrested appealed": the subject's own clause comes first
        subject = " ".join(words[:i])
        rest = " ".join(words[i + 1 :])
        if bare[i] in _HAVE_TO and bare[i + 1 : i + 2] == ["to"]:  # "if she has to pay" → "does she have to pay"
            return f"{_HAVE_TO[bare[i]]} {subject} have {rest}".strip()
        if bare[i] in _AUXILIARIES:
            return f"{bare[i]} {subject} {rest}".strip()
        if not _WORD.fullmatch(words[i]) or words[i][:1].isupper() or bare[i - 1] in _DETERMINERS:
            continue  # a name, or "the expelled MP": not the clause's verb
        base = bare_form(bare[i])
        if base is not None:
            return f"did {subject} {base} {rest}".strip()
        named = all(w[:1].isupper() or w == "and" for w in words[:i]) or (bare[i - 1] in _SINGULAR_DOERS and i == 1)
        present = bare_present(bare[i]) if named else None
        if present is not None:
            return f"does {subject} {present} {rest}".strip()
        several = (named and "and" in bare[:i]) or (i == 1 and bare[0] in _PLURAL_DOERS)
        if several and bare[i].isalpha():  # "if Brown and Kish get a vote" → "do Brown and Kish get a vote"
            return f"do {subject} {bare[i]} {rest}".strip()
    return None
