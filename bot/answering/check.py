"""The answer check: does the sentence the answer model chose answer the question at all?

The answer model is good at choosing between sentences and poor at telling a near miss from an
answer: asked "How much did the council pay for the land?" of an archive that has the story but
not the price, its best sentence (the one about the land deal) looks as likely as a real answer.
The main reader (bot/answering/reader.py) was fine-tuned to prefer the answer over sentences that
restate the question; the second one, ``check-int8.onnx``, was fine-tuned on the same questions
plus the near-miss traps, with a learned "none of these" score that a trap's sentences must stay
under (``benchmarks/train_reader.py --traps``). Read on held-out questions, it tells answerable
questions from traps far better (AUC 0.83 against 0.66 on the dev split, stop 25) but chooses the
answer sentence worse on questions that share many words with it (the public quiz fell 4 points
when it replaced the main reader), so it does not choose: it only reads the model's best few.

Its verdict is a logistic regression over three numbers, fitted by ``benchmarks/fit_answerer.py``
on held-out train questions: the answer model's confidence (as log-odds), this reader's cosine of
the question with the chosen sentence, and its highest cosine among the model's best three (a trap's
three best sentences all stay low; on the train folds the third number raised the questions right
from 0.496 to 0.515). It is the probability that the archive answers the question at all;
the answer stands when it reaches the fitted threshold (or the answer model itself is sure),
otherwise the reply is "not found" (with related reading when the story is there).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NAMES = ("bias", "confidence", "similarity", "most_similar")
SENTENCES = 3  # the check reader reads the answer model's best three sentences


@dataclass(frozen=True)
class CheckReading:
    """What the check read for one question, for a fitting script watching the answerer
    (``ExtractiveAnswerer.on_check``): the question's kind, the model's confidence in its best
    sentence, the check's probability and whether the answer stood."""

    question: str
    kind: str
    confidence: float
    probability: float
    answered: bool


def log_odds(probability: float) -> float:
    p = min(max(probability, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class AnswerCheck:
    bias: float
    confidence: float  # weight of the answer model's log-odds for its best sentence
    similarity: float  # weight of the check reader's cosine of the question with that sentence
    most_similar: float  # weight of its highest cosine among the model's best three sentences
    threshold: float
    # The answer model's own probability at which its best sentence stands unchecked: the check vetoes
    # only answers the model is unsure of. The check reader scores short questions low: "How long did
    # the meeting last?" read 0.42 with "more than six hours" (model: 0.45), and at 0.5 the design
    # card's conflict demo abstained. On the train folds any value from 0.3 to 0.8 scored within 1.3
    # points; 0.35 is what benchmarks/fit_answerer.py fits with (CHECK_SURE).
    sure: float
    # The same, for the kinds of question (``cues.question_kind``) whose confident answers the check
    # should still read: for "open" and "who" questions the model is confident of a sentence that
    # restates the story ("Who directed the Broadway production of Waitress?" → a sentence naming its
    # star) as often as of one that answers. Chosen kind by kind on the train questions, as served, by
    # benchmarks/fit_check_sure.py; a kind not listed keeps ``sure``.
    sure_by_kind: Mapping[str, float] = field(default_factory=dict)

    def sure_for(self, kind: str) -> float:
        """The answer model's probability above which an answer to a ``kind`` question stands unchecked."""
        return self.sure_by_kind.get(kind, self.sure)

    def probability(self, best_probability: float, similarities: Sequence[float]) -> float:
        """P(the archive answers the question), from the answer model's confidence in its best
        sentence and the check reader's cosines with the best ``SENTENCES`` sentences, best first."""
        z = (
            self.bias
            + self.confidence * log_odds(best_probability)
            + self.similarity * similarities[0]
            + self.most_similar * max(similarities)
        )
        return 1 / (1 + math.exp(-z))

    def could_pass(self, best_probability: float) -> bool:
        """Whether any cosines could let the answer stand: if not, the check reader need not run."""
        if self.similarity >= 0 and self.most_similar >= 0:
            return self.probability(best_probability, [1.0]) >= self.threshold
        return True

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerCheck:
        weights = data["weights"]
        bias, confidence, similarity, most_similar = (float(weights[name]) for name in NAMES)
        by_kind = {str(kind): float(sure) for kind, sure in data.get("sure_by_kind", {}).items()}
        return cls(bias, confidence, similarity, most_similar, float(data["threshold"]), float(data["sure"]), by_kind)
