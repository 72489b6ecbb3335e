"""One question, answered off the event loop, logged once, turned into something to show.

``NewsbotService.ask`` is CPU work (embedding, ranking) that takes a noticeable fraction of a
second, and the first call loads a model for seconds. Run on the event loop, it would freeze the
gateway heartbeat and every other user, so it always runs in a worker thread. Each question gives
exactly one INFO log line with its latency and outcome — never its text, so logs hold no content.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from bot.answering.answer import Answer
from bot.conversation import Conversation
from bot.discord_bot.limits import Throttle
from bot.discord_bot.messages import escape, render_answer
from bot.discord_bot.replies import UNEXPECTED
from bot.service import NewsbotService
from config import NewsbotError

log = logging.getLogger("newsbot.discord")



@dataclass(frozen=True)
class Outcome:
    """The answer (None on error) and the messages to post for it."""

    answer: Answer | None
    pieces: list[str] = field(default_factory=list)
    latency_ms: int = 0

    @property
    def kind(self) -> str:
        if self.answer is None:
            return "error"
        return "grounded" if self.answer.grounded else "abstained"


class Asker:
    """Runs ``service.ask`` in a worker thread inside a throttle slot."""

    def __init__(self, service: NewsbotService, throttle: Throttle) -> None:
        self.service = service
        self.throttle = throttle

    async def ask(
        self, question: str, conversation: Conversation | None, *, source: str, header: bool = False
    ) -> Outcome:
        """Answer in a worker thread; ``header`` shows the question above the answer (for /ask)."""
        started = time.perf_counter()
        follow_up = bool(conversation and conversation.turns)
        answer: Answer | None = None
        error = ""
        try:
            async with self.throttle.slot():
                answer = await asyncio.to_thread(self.service.ask, question, conversation)
            pieces = render_answer(answer, header=header)
        except NewsbotError as exc:
            error = type(exc).__name__
            pieces = [f"⚠️ {escape(str(exc))}"]
        except Exception:
            error = "unexpected"
            log.exception("answering a question failed (source=%s)", source)
            pieces = [UNEXPECTED]
        outcome = Outcome(answer, pieces, round((time.perf_counter() - started) * 1000))
        log.info(
            "question source=%s outcome=%s latency_ms=%d citations=%d follow_up=%s%s",
            source,
            outcome.kind,
            outcome.latency_ms,
            len(answer.citations) if answer else 0,
            follow_up,
            f" error={error}" if error else "",
        )
        return outcome

    @staticmethod
    def log_refused(source: str, reason: str) -> None:
        """The one log line of a question that was not even started (cooldown, busy)."""
        log.info("question source=%s outcome=refused reason=%s latency_ms=0", source, reason)
