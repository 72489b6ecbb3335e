"""Run a question set through the service: the ranking the answerer saw, and the answer."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.answering.answer import abstention
from bot.evaluation.metrics import QuestionResult, score_question
from bot.evaluation.questions import EvalQuestion

if TYPE_CHECKING:
    from bot.service import NewsbotService

RANK_DEPTH = 100  # article Hits@k ranks articles by their first paragraph in the whole ranking


def asked_on(question: EvalQuestion) -> dt.date | None:
    """The day the question was asked, when its set records one (news quiz: ``date``)."""
    try:
        return dt.date.fromisoformat(question.asked_on) if question.asked_on else None
    except ValueError:
        return None


def evaluate(
    service: NewsbotService,
    questions: list[EvalQuestion],
    progress: Callable[[int], None] | None = None,
    answer: bool = True,
    use_dates: bool = True,
) -> list[QuestionResult]:
    """Retrieve the top 10 and answer each question (no conversation: each stands alone).

    ``answer=False`` measures retrieval alone, for quick tuning runs. A question that carries the
    day it was asked is asked as of that day (``use_dates=False``: as of today).
    """
    service.warm_up()  # the model load is not a question's latency
    results = []
    for question in questions:
        as_of = asked_on(question) if use_dates else None
        started = time.perf_counter()
        hits = service.searcher.search(question.question, RANK_DEPTH, as_of=as_of)
        reply = service.ask(question.question, as_of=as_of) if answer else abstention(question.question)
        results.append(score_question(question, hits, reply, time.perf_counter() - started))
        if progress:
            progress(1)
    return results
