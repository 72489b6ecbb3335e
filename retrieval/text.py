"""Word-level text handling shared by keyword search and the extractive answerer."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

# Function words and question words: they say nothing about *what* is asked.
STOPWORDS = frozenset(
    (
        "a about above after again against all am an and any are as at be because been before being below "
        "between both but by can could did do does doing down during each few for from further had has "
        "have having he her here hers herself him himself his how i if in into is it its itself just me "
        "more most my myself no nor not now of off on once only or other our ours ourselves out over own "
        "same she should so some such than that the their theirs them themselves then there these they "
        "this those through to too under until up very was we were what when where which while who whom "
        "whose why will with would you your yours yourself yourselves s t ll re ve d m also may might "
        "must shall us said says say tell told according whether yes"
    ).split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits). What follows an inner apostrophe is dropped
    ("trump's" → "trump", "don't" → "don") unless one letter comes before it: "O'Brien" is "obrien", as
    a user may type it (it was "o", which matched "O’Connor" in another story), but "I'm" is "i" and
    "M&M's" is "m" and "m"."""
    return [_without_apostrophe(w) if "'" in w or "’" in w else w for w in _WORD.findall(text.lower())]


def _without_apostrophe(word: str) -> str:
    head, _, tail = word.replace("’", "'").partition("'")
    return head + tail if len(head) == 1 and head != "i" and len(tail) > 2 else head


class _Stemmer(Protocol):
    """What newsbot uses of PyStemmer's ``Stemmer`` (the package ships no type information)."""

    def stemWords(self, words: list[str]) -> list[str]: ...


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    import Stemmer

    stemmer: _Stemmer = Stemmer.Stemmer("english")
    return stemmer


def terms(text: str) -> list[str]:
    """Stemmed content terms: stop words removed, English Snowball stemming."""
    return _stemmer().stemWords([w for w in words(text) if w not in STOPWORDS])


def terms_many(texts: list[str]) -> list[list[str]]:
    stem = _stemmer().stemWords
    return [stem([w for w in words(t) if w not in STOPWORDS]) for t in texts]


def stems(found: list[str]) -> list[str]:
    """The stem of each word of ``found`` (stop words too), in order."""
    return _stemmer().stemWords(found)


def related_stems(entries: str) -> dict[str, tuple[str, ...]]:
    """Each word's stem → the stems of the other words of its entry, for ``entries`` written as words
    separated by spaces, entries by ";" (an irregular verb's forms, a group of synonyms)."""
    stem_words = _stemmer().stemWords
    found: dict[str, set[str]] = {}
    for entry in entries.split(";"):
        stemmed = set(stem_words(entry.split()))
        for one in stemmed:
            found.setdefault(one, set()).update(stemmed - {one})
    return {one: tuple(sorted(others)) for one, others in found.items() if others}
