"""The fitted answer model: a linear score per candidate sentence, and a score for "none of them".

Each candidate sentence gets ``features · weights``; "the articles don't say" gets the fitted
``null_score``. A softmax over all of them gives each sentence the probability that it is the
answer, so the best sentence's probability is also the model's calibrated confidence, and a
question whose sentences all score low leaves most of the probability to "none" (abstain). This is
a conditional logit with a null choice, fitted by ``benchmarks/fit_answerer.py`` on the train split
only; a linear model keeps every weight readable in ``answer_model.json`` (a reviewer can see that
"coverage of the question's rare words" counts and "looks like a byline" does not).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from bot.answering.check import AnswerCheck
from bot.answering.features import NAMES, WORD_NAMES
from config import NewsbotError

MODEL_FILE = "answer_model.json"


@dataclass(frozen=True)
class AnswerModel:
    names: tuple[str, ...]
    weights: np.ndarray
    null_score: float  # the score of "none of these sentences answers"
    answer_threshold: float  # the best sentence's probability must reach this to be an answer
    related_threshold: float  # further sentences (agreeing or disagreeing) must reach at least this
    # The first stage: weights over the features known before any sentence is embedded (WORD_NAMES).
    # Only the ``candidates_at_most`` sentences it ranks best are embedded, read and scored; None: all.
    first_stage: np.ndarray | None = None
    candidates_at_most: int | None = None
    # When fitted: the check that decides whether the best sentence answers at all (bot/answering/check.py);
    # answer_threshold then only bounds the further sentences an answer may add.
    check: AnswerCheck | None = None

    def first_choices(self, word_rows: np.ndarray) -> np.ndarray:
        """Which sentences go on to the answer model (indices in their given order), from their word
        features alone. Embedding them twice (MiniLM, then the reader) is most of an answer's cost;
        a sentence that ranks low on its words, its paragraph's retrieval rank and its position almost
        never becomes the answer. On the train split (22.5 candidates a question on average, 39 at
        p95), letting on the best 20 left cross-validation as right as letting on all (0.470); the
        best 15 cost 2 questions in 824. Since stop 26 the shipped number is 15, for the latency goal
        (benchmarks/fit_answerer.py: CANDIDATES_AT_MOST_SHIPPED; held out, no loss but XQuAD's 0.3 points)."""
        n = len(word_rows)
        if self.first_stage is None or self.candidates_at_most is None or n <= self.candidates_at_most:
            return np.arange(n)
        order = np.argsort(-(word_rows @ self.first_stage), kind="stable")
        return np.sort(order[: self.candidates_at_most])

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(this sentence is the answer) for each candidate's row of features (the rest: none is)."""
        if not len(rows):
            return np.zeros(0)
        scores = rows @ self.weights
        top = max(float(scores.max()), self.null_score)
        exp = np.exp(scores - top)
        return exp / (exp.sum() + np.exp(self.null_score - top))

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str = MODEL_FILE) -> AnswerModel:
        names = tuple(data["features"])
        if names != NAMES:
            missing = sorted(set(NAMES) - set(names))
            raise NewsbotError(
                f"{where} was fitted on other features (missing {missing or 'none'}): re-run benchmarks/fit_answerer.py"
            )
        weights = np.asarray([data["weights"][n] for n in names], dtype=np.float64)
        first = data.get("first_stage")
        return cls(
            names,
            weights,
            float(data["null_score"]),
            float(data["answer_threshold"]),
            float(data["related_threshold"]),
            np.asarray([first["weights"][n] for n in WORD_NAMES], dtype=np.float64) if first else None,
            int(first["candidates_at_most"]) if first else None,
            AnswerCheck.from_json(data["check"]) if data.get("check") else None,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerModel:
        if path is None:
            text = (resources.files("bot.answering") / MODEL_FILE).read_text(encoding="utf-8")
            return cls.from_json(json.loads(text))
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), str(path))


@lru_cache(maxsize=1)
def default_model() -> AnswerModel:
    return AnswerModel.load()
