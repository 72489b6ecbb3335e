"""The fitted answer model: a logistic regression over :mod:`bot.answering.features`.

Its weights live in ``answer_model.json`` beside this file, a small reviewed file that
``benchmarks/fit_answerer.py`` writes from the train split (and says so inside). Logistic regression
is enough here and keeps every weight readable: a reviewer can see that "coverage of the question's
rare words" counts and "looks like a byline" does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from bot.answering.features import NAMES
from config import NewsbotError

MODEL_FILE = "answer_model.json"


@dataclass(frozen=True)
class AnswerModel:
    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    answer_threshold: float  # the best sentence's probability must reach this to be an answer
    related_threshold: float  # below answer_threshold but above this: "not found, but related"

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(sentence answers the question) for each row of features."""
        if not len(rows):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(rows @ self.weights + self.bias)))

    @classmethod
    def from_json(cls, data: dict, where: str = MODEL_FILE) -> AnswerModel:
        names = tuple(data["features"])
        if names != NAMES:
            missing = sorted(set(NAMES) - set(names))
            raise NewsbotError(
                f"{where} was fitted on other features (missing {missing or 'none'}): re-run benchmarks/fit_answerer.py"
            )
        weights = np.asarray([data["weights"][n] for n in names], dtype=np.float64)
        return cls(
            names, weights, float(data["bias"]), float(data["answer_threshold"]), float(data["related_threshold"])
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
