"""The work a user is waiting for, counted, so that work nobody waits for can step aside.

The service enters :meth:`Foreground.running` for each question and each ingest; the bot's background
warming (bot/background_warming.py) waits, before each of its steps, until none has run for a moment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Foreground:
    """Counts the work a user waits for (questions, ingests), so background work can step aside."""

    def __init__(self) -> None:
        self._running = 0
        self._ended = 0.0  # when the last piece of foreground work ended (time.monotonic)
        self._changed = threading.Condition()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._changed:
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._ended = time.monotonic()
                self._changed.notify_all()

    def wait_until_idle(self, stop: threading.Event, quiet_s: float = 0.0) -> None:
        """Return when no foreground work has run for ``quiet_s`` seconds, or as soon as ``stop`` is set
        (see :meth:`wake`)."""
        with self._changed:
            while not stop.is_set():
                if self._running:
                    self._changed.wait()
                    continue
                left = self._ended + quiet_s - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(left)

    def wake(self) -> None:
        """Wake :meth:`wait_until_idle` (after its ``stop`` is set)."""
        with self._changed:
            self._changed.notify_all()
