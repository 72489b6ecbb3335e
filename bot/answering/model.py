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

from bot.answering.features import NAMES
from config import NewsbotError

MODEL_FILE = "answer_model.json"


@dataclass(frozen=True)
class AnswerModel:
    names: tuple[str, ...]
    weights: np.ndarray
    null_score: float  # the score of "none of these sentences answers"
    answer_threshold: float  # the best sentence's probability must reach this to be an answer
    related_threshold: float  # further sentences (agreeing or disagreeing) must reach at least this

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
        return cls(
            names, weights, float(data["null_score"]), float(data["answer_threshold"]), float(data["related_threshold"])
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
