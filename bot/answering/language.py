"""Is a question asked in another language than English? Only to say so when nothing is found.

newsbot's embedding model and its readers are English ones. "¿Por qué expulsaron a Carter del
Partido Laborista?" asked of the sample articles got "The articles don't say", which a reader takes
as the articles' silence, not as a question newsbot could not read. When a question finds nothing
and reads as Spanish, French, German, Italian or Portuguese (by their function words, with no
English ones), or is written in another script, the reply says that a question in English may find
more. A question that finds an answer is left alone: an archive in that language can still answer
it by its words.
"""

from __future__ import annotations

import re

__all__ = ["ASK_IN_ENGLISH", "asked_in_another_language"]

ASK_IN_ENGLISH = "newsbot reads questions in English: asked in English, this question may find more"

_ENGLISH = frozenset(
    "the an of to in on is are was were did does do what why how who whom when where which with for and "
    "has have had by from that this it he she they".split()
)
# Function words of other languages that English does not use (not "die", "come", "was", "est", "son"); "a"
# is one of both.
_FOREIGN = frozenset(
    "el los las del una por qué que cuál cuándo dónde quién cómo fue es está son pero como también de en y se al "
    "pourquoi quand qui quoi où les des une était sont avec pour dans est-ce c'est du il elle ont été "
    "wer warum wann wie wo der das und ist wurde nicht mit für eine einen auf "
    "perché chi che quando dove gli della è sono stato "
    "quem onde foi não uma porque com".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def asked_in_another_language(question: str) -> bool:
    """Whether ``question`` reads as written in another language than English."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(question)]
    letters = [ch for w in words for ch in w]
    if not letters:
        return False
    if sum(not ("a" <= ch <= "z" or ch in "àáâãäçèéêëìíîïñòóôõöùúûüß'-") for ch in letters) > len(letters) / 2:
        return True  # another script: Cyrillic, Greek, Arabic, Chinese…
    english = sum(w in _ENGLISH for w in words)
    foreign = sum(w in _FOREIGN for w in words)
    return (english == 0 and foreign >= 2) or foreign >= 3 * max(english, 1)
