"""The offline answerer: pick the retrieved sentences that answer the question, cite each.

Each sentence of the retrieved paragraphs is scored by meaning (MiniLM cosine to the question)
and by coverage (the IDF-weighted share of the question's content words found in the sentence or
its paragraph). A question whose best sentence scores low on both is not answered: the articles
don't say. When another article states a different number for the same fact, both are shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answer import Answer, Citation, abstention, neutralise_markers
from bot.answer_types import expected_type, has_type
from bot.sentences import sentence_spans
from retrieval.embeddings import ParagraphEmbedder
from retrieval.store import StoredParagraph
from retrieval.text import terms

# Calibrated on 250 XQuAD questions against their own corpus (96% answered) and 270 questions
# against the unrelated sample corpus (none answered): scripts in benchmarks/calibrate_abstention.py.
SUPPORT_THRESHOLD = 0.43
COVERAGE_FLOOR = 0.34
EXTRA_SENTENCE_RATIO = 0.92
CONFLICT_SIMILARITY = 0.5
CONFLICT_RATIO = 0.7
MAX_SENTENCES = 3

TYPE_BONUS = 0.08
STRONG_TYPE_PENALTY = 0.3  # dates and numbers are recognised reliably, so their absence counts

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion half dozen"
).split()
_QUANTITY = re.compile(
    r"\b(\d[\d,.]*\d|\d|" + "|".join(_NUMBER_WORDS) + r")(?:[\s-]+(?:more\s+)?([a-z]+))?",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    paragraph: StoredParagraph
    rank: int
    start: int
    end: int
    similarity: float
    coverage: float
    paragraph_coverage: float
    vector: np.ndarray

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start : self.end]

    typed: float | None = None
    type_penalty: float = TYPE_BONUS

    @property
    def support(self) -> float:
        """How well the sentence matches the question (drives the decision to abstain)."""
        lexical = max(self.coverage, 0.5 * (self.coverage + self.paragraph_coverage))
        bonus = TYPE_BONUS * (self.typed or 0.0)
        return 0.5 * self.similarity + 0.5 * lexical + bonus - 0.01 * self.rank

    @property
    def score(self) -> float:
        """Ranking score: a sentence without the kind of answer asked for ("when" → a date) drops."""
        if self.typed is None:
            return self.support
        return self.support - self.type_penalty * (1.0 - self.typed)


QUESTION_PHRASE = re.compile(
    r"\bhow\s+(?:long|many|much|often|old|far)\b|\bwhat\s+(?:kind|sort|type)\s+of\b", re.IGNORECASE
)


_QUESTION_END = re.compile(r"\?[\s\"'”’)\]]*$")


def asks_something(sentence: str) -> bool:
    """Whether a sentence is itself a question (ends in "?", maybe inside quotes or brackets)."""
    return bool(_QUESTION_END.search(sentence))


def matches(term: str, found: set[str]) -> bool:
    """A question term is in a text if it is there, or shares a 5+ letter stem ("threat"/"threaten")."""
    if term in found:
        return True
    if len(term) < 5:
        return False
    return any(len(f) >= 5 and (f.startswith(term) or term.startswith(f)) for f in found)


def quantities(text: str) -> dict[str, set[str]]:
    """Numbers in ``text`` by what they count: {"hour": {"six"}, "date": {"7"}}.

    Two articles disagree on a fact when they give different numbers of the same thing.
    """
    found: dict[str, set[str]] = {}
    for match in _QUANTITY.finditer(text):
        value = match.group(1).lower().rstrip(".,")
        if _MONTH_BEFORE.search(text[: match.start()]):
            unit = "date"
        elif match.group(2):
            unit_terms = terms(match.group(2))
            if not unit_terms:
                continue
            unit = unit_terms[0]
        else:
            continue
        found.setdefault(unit, set()).add(value)
    return found


def disagree(a: dict[str, set[str]], b: dict[str, set[str]], relevant: set[str]) -> bool:
    """Both count the same thing, which the question asks about, and share no value for it.

    ``relevant`` holds the question's terms, and ``*`` when it asks for a number or a date.
    """
    return any(
        unit in b and not (values & b[unit]) and ("*" in relevant or unit in relevant) for unit, values in a.items()
    )


# What one retrieved paragraph may cost a question: every scored sentence is embedded, and a
# 5 MB paragraph made each `ask` take 150-280 s. Sentences past these caps are not quoted.
MAX_SCORED_CHARS = 20_000
MAX_SCORED_SENTENCES = 250


def scored_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph that the answerer scores: the first ones, within the caps."""
    return sentence_spans(text[:MAX_SCORED_CHARS])[:MAX_SCORED_SENTENCES]


class ExtractiveAnswerer:
    """Builds an :class:`Answer` from retrieved paragraphs without a generative model."""

    def __init__(
        self, embedder: ParagraphEmbedder, document_frequency: Callable[[], tuple[dict[str, int], int]]
    ) -> None:
        self.embedder = embedder
        self.document_frequency = document_frequency

    def idf(self, term: str, df: dict[str, int], total: int) -> float:
        count = df.get(term, 0)
        return math.log(1 + (total - count + 0.5) / (count + 0.5))

    def candidates(self, question: str, paragraphs: Sequence[StoredParagraph]) -> list[Candidate]:
        df, total = self.document_frequency()
        kind = expected_type(question)
        question_terms = set(terms(QUESTION_PHRASE.sub(" ", question)))
        weights = {t: self.idf(t, df, total) for t in question_terms}
        weight_sum = sum(weights.values()) or 1.0

        spans = []

        def coverage(text: str) -> float:
            found = set(terms(text))
            return sum(w for t, w in weights.items() if matches(t, found)) / weight_sum

        for rank, paragraph in enumerate(paragraphs):
            p_cov = coverage(paragraph.text[:MAX_SCORED_CHARS])
            for start, end in scored_spans(paragraph.text):
                s_cov = coverage(paragraph.text[start:end])
                spans.append((paragraph, rank, start, end, s_cov, p_cov))
        if not spans:
            return []
        texts = [question] + [p.text[s:e] for p, _, s, e, _, _ in spans]
        vectors = self.embedder.encode(texts)
        similarities = vectors[1:] @ vectors[0]
        return [
            Candidate(
                p,
                rank,
                s,
                e,
                float(sim),
                s_cov,
                p_cov,
                vec,
                has_type(p.text[s:e], kind, question) if kind else None,
                STRONG_TYPE_PENALTY if kind in ("date", "number") else TYPE_BONUS,
            )
            for (p, rank, s, e, s_cov, p_cov), sim, vec in zip(spans, similarities, vectors[1:], strict=True)
        ]

    def supported(self, best: Candidate) -> bool:
        """Whether the best sentence really answers, rather than merely sharing a topic."""
        lexical = max(best.coverage, best.paragraph_coverage)
        return lexical >= COVERAGE_FLOOR and best.support >= SUPPORT_THRESHOLD

    def answer(self, question: str, paragraphs: Sequence[StoredParagraph], standalone: str = "") -> Answer:
        query = standalone or question
        # A sentence that asks something answers nothing (news quizzes and round-ups repeat the question).
        found = [c for c in self.candidates(query, paragraphs) if not asks_something(c.text)]
        ranked = sorted(found, key=lambda c: c.score, reverse=True)
        if not ranked or not self.supported(ranked[0]):
            return abstention(question, query)
        best = ranked[0]
        chosen = [best]
        conflict = False
        best_numbers = quantities(best.text)
        relevant = set(terms(query)) | ({"*"} if expected_type(query) in ("number", "date") else set())
        for other in ranked[1:]:
            if len(chosen) >= MAX_SENTENCES:
                break
            if any(other.paragraph.id == c.paragraph.id for c in chosen):
                continue
            similar = float(other.vector @ best.vector)
            other_numbers = quantities(other.text)
            disagrees = (
                other.paragraph.article_id != best.paragraph.article_id
                and disagree(best_numbers, other_numbers, relevant)
                and similar >= CONFLICT_SIMILARITY
                and other.score >= CONFLICT_RATIO * best.score
            )
            if disagrees:
                chosen.append(other)
                conflict = True
            elif (
                other.score >= EXTRA_SENTENCE_RATIO * best.score
                and self.supported(other)
                and (other.typed or 0.0) >= (best.typed or 0.0)
            ):
                chosen.append(other)
        return compose(question, query, chosen, conflict)


def compose(question: str, standalone: str, chosen: Sequence[Candidate], conflict: bool) -> Answer:
    """Number the cited paragraphs in order of use and write the sentences with their markers."""
    citations: list[Citation] = []
    parts = []
    for candidate in chosen:
        n = len(citations) + 1
        citations.append(Citation.of(n, candidate.paragraph, candidate.text))
        parts.append(f"{neutralise_markers(candidate.text)} [{n}]")
    text = " ".join(parts)
    if conflict:
        text = "The articles disagree: " + text
    return Answer(
        question=question,
        text=text,
        citations=tuple(citations),
        grounded=True,
        standalone_question=standalone,
        conflict=conflict,
    )
