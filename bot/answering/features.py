"""The evidence the answer model weighs for each candidate sentence.

Every feature is a number a reader could check by hand: how close in meaning the sentence is to the
question, how many of the question's rarer words it (or its paragraph) holds, whether it holds the
kind of answer asked for, where retrieval ranked its paragraph, and whether it looks like a byline,
a caption or a headline. The weights come from ``answer_model.json``, fitted by
``benchmarks/fit_answerer.py`` on the train split only; nothing here is tuned by hand.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.answering import cues
from retrieval.synonyms import synonyms
from retrieval.text import terms

TYPED_KINDS = ("date", "number", "money", "measure", "name", "place", "reason", "manner")
KIND_FLAGS = ("reason", "manner", "yesno", "open")
# Answers of these kinds are recognised reliably (a date, a number): a sentence with none is rarely the
# answer. Adding "reason" (a cause cue) lowered train cross-validation from 0.422 to 0.41: cause cues
# are too loose to decide what is a candidate.
RECOGNISED_KINDS = ("date", "number", "money", "measure")

NAMES: tuple[str, ...] = (
    "sim",
    "sim_context",
    "sim_paragraph",
    "sim_gap",
    "sim_ask",
    "sim_ask_gap",
    "coverage",
    "coverage_paragraph",
    "coverage_gap",
    "rare",
    "rare_paragraph",
    "names_paragraph",
    "novel",
    *(f"fit_{k}" for k in TYPED_KINDS),
    "type_missing",
    *(f"asks_{k}" for k in KIND_FLAGS),
    "rank",
    "retrieval_share",
    "dense_paragraph",
    "neighbour",
    "first_sentence",
    "lead_paragraph",
    "log_words",
    "short",
    "boilerplate",
    "unfinished",
    "quoted",
    "question_terms",
    # The fine-tuned reader's similarity (bot/answering/reader.py), and its gap to the best candidate's.
    # Last, because the reader reads only the candidates that the answer-type filters keep.
    "reader",
    "reader_gap",
)

_BOILERPLATE = re.compile(
    r"^(?:\(?cnn\)?\s*[—–-]|by\s+[A-Z]|\(?(?:ap|reuters|afp)\)?\s*[—–-])|"
    r"\b(?:read more|sign up|subscribe|newsletter|click here|getty images|photo(?:graph)?:|image:|"
    r"copyright|all rights reserved|related:|see also|follow (?:us|him|her) on|contributed to this report|"
    r"updated \d|published \d)\b",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_QUESTION_PHRASE = re.compile(
    r"\bhow\s+(?:long|many|much|often|old|far)\b|\bwhat\s+(?:kind|sort|type)\s+of\b", re.IGNORECASE
)
_WORD = re.compile(r"\b[^\W\d_][\w'’.-]+")
# Capitalised, but a title, not a name: "Is Sharma still an MP?" names Sharma only, and an article about
# another MP is not about him.
_TITLES = frozenset("mp mps mr mrs ms dr prof sir rev ceo pm".split())


# Words a question or a sentence begins with, capitalised as its first word: never a name there.
OPENERS = frozenset(
    """what whats which who whom whose whos why where when how is are was were am be been do does did done
    has have had can could will would shall should may might must i me my we our us you your he him his she
    her it its they them their this that these those there here the a an any some many much more most all
    in on at by for from to of with about after before during since until over under so and but or if""".split()
)


def name_terms(text: str, first_is_name: bool = False) -> list[str]:
    """The terms of the capitalised words after a text's first word: the names a question uses. Any
    alphabet's capitals count ("Stéphane Bancel" was read as "St" and "Bancel"). The first word counts
    too when the caller knows it is a name (:func:`bot.answering.names.first_word_is_a_name`)."""
    first = text.split(maxsplit=1)
    rest = first[1] if len(first) > 1 else ""
    names = [t for w in _WORD.findall(rest) if w[0].isupper() for t in terms(w) if t not in _TITLES]
    if first_is_name:
        names = [t for w in _WORD.findall(first[0])[:1] for t in terms(w) if t not in _TITLES] + names
    return names


def finished(text: str) -> bool:
    """Whether ``text`` ends as a sentence does (not a list's line or a headline)."""
    return bool(_END.search(text))


def reads_as_a_sentence(text: str) -> bool:
    """Whether ``text`` is a finished sentence of some length, not a byline, caption or headline line
    (the same tests as the ``short``, ``boilerplate`` and ``unfinished`` features)."""
    return len(text.split()) >= 6 and not _BOILERPLATE.search(text) and bool(_END.search(text))


@dataclass(frozen=True)
class Question:
    """A question read once: its kind, weighted terms and names."""

    text: str
    kind: str
    weights: dict[str, float]
    rare: frozenset[str]
    names: frozenset[str]

    @classmethod
    def read(
        cls,
        text: str,
        idf: dict[str, float],
        spell: Callable[[list[str]], list[str]] = list,
        first_is_name: bool = False,
    ) -> Question:
        """``spell`` maps the question's terms to the archive's spelling ("cartr" → "carter");
        ``first_is_name``: whether the first word is a name (see :func:`name_terms`)."""
        found = set(spell(terms(_QUESTION_PHRASE.sub(" ", text))))
        weights = {t: idf.get(t, 1.0) for t in found}
        # Ties (terms of equal rarity) are broken by the term itself, never by set order: that order
        # changes with each process's string hashing, and with it which terms count as rare, so the
        # same question could get another answer after a restart (and the fit did not reproduce).
        ordered = sorted(weights, key=lambda t: (-weights[t], t))
        rare = frozenset(ordered[: max(1, len(ordered) // 3)]) if ordered else frozenset()
        names = frozenset(spell(name_terms(text, first_is_name)))
        return cls(text, cues.question_kind(text), weights, rare, names)

    def coverage(self, found: set[str]) -> float:
        total = sum(self.weights.values())
        return sum(w for t, w in self.weights.items() if matches(t, found)) / total if total else 0.0

    def rare_coverage(self, found: set[str]) -> float:
        return sum(matches(t, found) for t in self.rare) / len(self.rare) if self.rare else 0.0

    def names_coverage(self, found: set[str]) -> float:
        return sum(matches(t, found) for t in self.names) / len(self.names) if self.names else 1.0


def matches(term: str, found: set[str]) -> bool:
    """A question term is in a text if it is there, a word meaning the same is ("beat"/"defeat",
    :mod:`retrieval.synonyms`), or it shares a 5+ letter stem ("threat"/"threaten")."""
    if term in found or any(other in found for other in synonyms(term)):
        return True
    if len(term) < 5:
        return False
    return any(len(f) >= 5 and (f.startswith(term) or term.startswith(f)) for f in found)


@dataclass(frozen=True)
class SentenceFacts:
    """What the word features need of one candidate sentence, computed by the answerer."""

    text: str
    sentence_terms: set[str]
    paragraph_terms: set[str]
    rank: int
    retrieval_share: float
    dense_paragraph: float
    neighbour: bool
    index: int
    paragraph_number: int


ASK_TOPIC_SHARE = 0.5  # a question word in this share of the candidate paragraphs is the story, not the ask


def ask_part(question: str, paragraph_terms: list[set[str]]) -> str:
    """The question without the words that name its story: those found in at least half of the
    candidate paragraphs. "Why did the federal deficit shrink under Biden?" over paragraphs that all
    say "deficit" and "Biden" leaves "Why did the federal shrink under?". The sentence closest to
    what is left answers what was asked rather than repeating the topic, which every sentence of
    the story does; on the train split this raised the right paragraph first from 55 to 58 of 126
    (benchmarks/fit_answerer.py cross-validation)."""
    if not paragraph_terms:
        return question
    found = set(terms(question))
    topic = {t for t in found if sum(t in p for p in paragraph_terms) >= ASK_TOPIC_SHARE * len(paragraph_terms)}
    kept = [w for w in question.split() if not (set(terms(w)) and set(terms(w)) <= topic)]
    return " ".join(kept) or question


# The columns by what they need: the first from the sentence vectors, the last from the reader; all
# the others from words and retrieval alone, known before any sentence is embedded (the answerer's
# first stage ranks the sentences by them and embeds only the best: see ``AnswerModel.first_stage``).
MEANING_NAMES = NAMES[:6]
READER_NAMES = NAMES[-2:]
WORD_NAMES = NAMES[len(MEANING_NAMES) : -len(READER_NAMES)]
assert MEANING_NAMES == ("sim", "sim_context", "sim_paragraph", "sim_gap", "sim_ask", "sim_ask_gap")
assert READER_NAMES == ("reader", "reader_gap")


def word_columns(question: Question, facts: SentenceFacts, best_coverage: float) -> np.ndarray:
    """One sentence's features in the order of :data:`WORD_NAMES`."""
    text = facts.text
    coverage = question.coverage(facts.sentence_terms)
    words = len(text.split())
    novel_terms = [t for t in facts.sentence_terms if not matches(t, set(question.weights))]
    fits = [cues.type_fit(text, k, question.text) if question.kind == k else 0.0 for k in TYPED_KINDS]
    values = [
        coverage,
        question.coverage(facts.paragraph_terms),
        coverage - best_coverage,
        question.rare_coverage(facts.sentence_terms),
        question.rare_coverage(facts.paragraph_terms),
        question.names_coverage(facts.paragraph_terms),
        len(novel_terms) / max(1, len(facts.sentence_terms)),
        *fits,
        float(question.kind in RECOGNISED_KINDS and not any(fits)),
        *(float(question.kind == k) for k in KIND_FLAGS),
        1.0 / (1 + facts.rank),
        facts.retrieval_share,
        facts.dense_paragraph,
        float(facts.neighbour),
        float(facts.index == 0),
        float(facts.paragraph_number == 1),
        math.log1p(words),
        float(words < 6),
        float(bool(_BOILERPLATE.search(text))),
        float(not _END.search(text)),
        float(any(q in text for q in '"“”')),
        math.log1p(len(question.weights)),
    ]
    return np.asarray(values, dtype=np.float64)


def meaning_columns(
    sim: np.ndarray, sim_context: np.ndarray, sim_paragraph: np.ndarray, sim_ask: np.ndarray
) -> np.ndarray:
    """The candidates' features in the order of :data:`MEANING_NAMES`: cosines with the question (of
    the sentence, of it with the sentence before, of its paragraph's embedded sentences) and with
    the question's asking part, and the gaps to the best candidate's."""
    best_sim = float(sim.max()) if len(sim) else 0.0
    best_ask = float(sim_ask.max()) if len(sim_ask) else 0.0
    return np.column_stack([sim, sim_context, sim_paragraph, sim - best_sim, sim_ask, sim_ask - best_ask])


def with_reader(rows: np.ndarray, read: np.ndarray) -> np.ndarray:
    """``rows`` of the meaning and word columns with the reader's similarity and its gap to the best appended."""
    best = float(read.max()) if len(read) else 0.0
    return np.column_stack([rows, read, read - best])
