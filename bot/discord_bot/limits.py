"""Fairness on a shared, CPU-bound bot: a per-user cooldown and a cap on answers in progress.

Answering costs real CPU time, so one eager user (or a crowd) must not queue up minutes of work.
The cooldown spaces out one person's questions; the semaphore caps how many answers are computed
at once. Both refuse with a friendly "try again in N s" rather than queueing silently.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

FIRST_GUESS_S = 5.0  # the first answer loads the model, so guess slow until measured


@dataclass(frozen=True)
class Refusal:
    """Why a question was not started (``cooldown`` or ``busy``) and what to tell the user."""

    reason: str
    message: str


class Throttle:
    """Per-user cooldown plus an ``asyncio.Semaphore`` over answers in progress."""

    def __init__(
        self,
        cooldown_s: float,
        max_concurrent: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cooldown_s = cooldown_s
        self.max_concurrent = max_concurrent
        self._clock = clock
        self._semaphore = asyncio.Semaphore(max_concurrent)
        self._last_asked: dict[int, float] = {}
        self._busy = 0
        self._typical_s = FIRST_GUESS_S

    def cooldown_left(self, user_id: int) -> float:
        """Seconds ``user_id`` must still wait before asking again (0 when free to ask)."""
        last = self._last_asked.get(user_id)
        if last is None:
            return 0.0
        return max(0.0, self.cooldown_s - (self._clock() - last))

    def is_busy(self) -> bool:
        return self._busy >= self.max_concurrent

    def busy_wait_s(self) -> int:
        """A fair guess of when a slot frees up: about one typical answer time."""
        return max(1, math.ceil(self._typical_s))

    def refusal(self, user_id: int) -> Refusal | None:
        """Why this question must wait, or None — then the user's cooldown starts now."""
        left = self.cooldown_left(user_id)
        if left > 0:
            wait = math.ceil(left)
            return Refusal("cooldown", f"⏳ You asked very recently — ask again in {wait} s.")
        if self.is_busy():
            wait = self.busy_wait_s()
            return Refusal("busy", f"⏳ I'm busy with other questions — try again in {wait} s.")
        now = self._clock()
        self._last_asked[user_id] = now
        if len(self._last_asked) > 10_000:  # forget people whose cooldown is long over
            horizon = now - self.cooldown_s
            self._last_asked = {u: t for u, t in self._last_asked.items() if t > horizon}
        return None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the ``max_concurrent`` answer slots; records how long the work took."""
        self._busy += 1
        try:
            async with self._semaphore:
                started = self._clock()
                try:
                    yield
                finally:
                    self.observe(self._clock() - started)
        finally:
            self._busy -= 1

    def observe(self, seconds: float) -> None:
        """Fold one measured answer time into the typical time (a moving average)."""
        self._typical_s = 0.7 * self._typical_s + 0.3 * max(0.0, seconds)
