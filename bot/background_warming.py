"""Warming in the background: a running bot embeds its archive's sentences while it waits for questions.

``newsbot warm`` computes ahead the vectors of every sentence an answer may read (docs/speed.md,
"Sentence vectors kept"); until a sentence has them, an answer that reads it costs about three times
as much. A Discord bot runs for hours and mostly waits, so it need not be warmed by hand: it warms
itself in one thread, after it starts and after each ingest (only what is missing is computed, so a
pass over a warm archive takes seconds). The interactive REPL does the same while its user types.

Questions come first. The warming embeds a few sentences at a time (4, one model's part: about 15 ms
on two cores) and, before each, waits while a question is being answered or an ingest runs, and for a
second after: questions asked back to back never meet it, and one that comes in the middle shares the
embedding threads with it for those few sentences only. ``warm_in_background = false`` turns it off.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from config import NewsbotError

if TYPE_CHECKING:
    from bot.service import NewsbotService

log = logging.getLogger("newsbot.warming")

CHUNK = 4  # sentences a model embeds between two looks at the foreground (``newsbot warm`` takes 64)
QUIET_S = 1.0  # how long the foreground must have been idle before a chunk starts


class BackgroundWarmer:
    """One daemon thread that runs ``service.warm_beside_questions`` whenever :meth:`request` asks for a pass.

    Requests made during a pass are folded into one more pass after it. A failure is logged, never
    raised: the bot answers with or without the vectors. :meth:`stop` ends it within one chunk."""

    def __init__(self, service: NewsbotService, chunk: int = CHUNK, quiet_s: float = QUIET_S) -> None:
        self.service = service
        self.chunk = chunk
        self.quiet_s = quiet_s
        self.passes = 0  # passes finished (or given up)
        self.requested = 0  # passes asked for
        self.paused = threading.Event()  # set while a pass waits for foreground work to end
        self._stop = threading.Event()
        self._state = threading.Condition()
        self._wanted = False
        self._running = False
        self._thread: threading.Thread | None = None
        self._complete = False  # the last pass went through the whole archive

    @property
    def state(self) -> str:
        """``idle`` (no pass asked for yet), ``warming`` (a pass wanted or under way), ``warmed`` (the last
        pass went through: every sentence of the archive had its vectors), ``stopped`` or ``unfinished``
        (the last pass gave up: see the log)."""
        with self._state:
            if self._wanted or self._running:
                return "warming"
            if self._stop.is_set():
                return "stopped"
            if not self.requested:
                return "idle"
            return "warmed" if self._complete else "unfinished"

    def request(self) -> None:
        """Ask for a pass over the whole archive (started now, or after the one under way)."""
        with self._state:
            if self._stop.is_set():
                return
            self._wanted = True
            self.requested += 1
            self._state.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="newsbot-warming", daemon=True)
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no pass is wanted or under way; False when ``timeout`` ran out first."""
        with self._state:
            return self._state.wait_for(lambda: not self._wanted and not self._running, timeout)

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop after the chunk under way (a question's wait is cut short too); the vectors computed stay."""
        self._stop.set()
        self.service.foreground.wake()
        with self._state:
            self._state.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _between_chunks(self) -> bool:
        if not self._stop.is_set():
            self.paused.set()
            self.service.foreground.wait_until_idle(self._stop, self.quiet_s)
            self.paused.clear()
        return self._stop.is_set()

    def _run(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(lambda: self._wanted or self._stop.is_set())
                if self._stop.is_set():
                    self._wanted = False
                    self._state.notify_all()
                    return
                self._wanted, self._running = False, True
            complete = False
            try:
                summary = self.service.warm_beside_questions(self._between_chunks, self.chunk)
            except NewsbotError as exc:  # nothing ingested yet, vectors kept in memory only: nothing to do
                log.info("not warmed: %s", exc)
            except Exception:  # a bug must not take the bot down with it
                log.exception("warming failed")
            else:
                complete = not summary.interrupted
                if summary.computed or summary.interrupted:
                    log.info(
                        "warmed: %d sentence vectors computed in %.1f s%s",
                        summary.computed,
                        summary.seconds,
                        " (stopped)" if summary.interrupted else "",
                    )
            finally:
                with self._state:
                    self._running, self._complete = False, complete
                    self.passes += 1
                    self._state.notify_all()
