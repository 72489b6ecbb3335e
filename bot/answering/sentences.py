"""Sentence spans inside a paragraph, so quotes stay verbatim slices of the stored text.

A regular expression with an abbreviation list is enough for news copy ("Mr.", "U.S.", initials);
the sentence tokenizers that do better (NLTK's Punkt) need a data download this product cannot do.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof sen rep gov gen lt col sgt capt st jr sr inc ltd co corp vs etc jan feb mar "
        "apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m "
        # Ranks and plural titles: "retired Army Brig. Gen. Don Bolduc, won her race" was cut after "Brig."
        # and quoted as "Gen. Don Bolduc, won her race" (stop 59); "Sens. Chris Murphy and John Cornyn".
        "brig maj adm cmdr cpl pvt supt det insp sens reps govs gens rev "
        # Places named after a title: "Mt. Everest", "Ft. Lauderdale".
        "mt ft"
    ).split()
)

# A name's initials: "…signed free agent C.J. Anderson" was cut after "C.J." (stop 60); not "D.C.", which
# often ends a sentence ("…arrived in Washington, D.C. The talks…").
_INITIALS = re.compile(r"(?!d\.c$)(?:[a-z]\.)+[a-z]")

# Abbreviations only before a number: "No. 2", "Vol. 3"; "the answer was no." ends a sentence. "<name>, the
# mayor of <town> (pop. 150,000), was freed…" was cut after "pop." and a name question about him lost its
# answer (stop 73); "est. 1890", "approx. 30", "Prop. 205" (14 times in the news archive).
_BEFORE_A_NUMBER = frozenset("no nos vol art fig pt pop est approx prop".split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, stripped of surrounding space."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        before = text[start : match.start() + 1]
        last_word = before.rstrip(".!?…").split()[-1:] or [""]
        token = last_word[0].lower().strip("\"'“‘(")
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or _INITIALS.fullmatch(token):
            continue
        if token in _BEFORE_A_NUMBER and text[end:].lstrip()[:1].isdigit():
            continue  # "the No. 2 chain, Regal Cinemas": the answer was quoted as "2 chain, Regal Cinemas…"
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
