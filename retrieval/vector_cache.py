"""A bounded, thread-safe cache of vectors by text: the last texts embedded alone (questions).

Three encoders keep one (MiniLM's, the tuned question model's, e5's): a question is embedded again
by the answer step, a follow-up or an eval re-run, and serving answers from more than one thread
must not corrupt the order. The least recently used text goes first when the cache is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np


class VectorCache:
    """Up to ``capacity`` vectors by text, least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, text: str) -> np.ndarray | None:
        """The vector kept for ``text`` (now the most recently used), or None."""
        with self._lock:
            found = self._vectors.get(text)
            if found is not None:
                self._vectors.move_to_end(text)
            return found

    def put(self, text: str, vector: np.ndarray) -> None:
        """Keep ``vector`` for ``text`` as the most recently used, dropping the least recently used past capacity."""
        with self._lock:
            self._vectors[text] = vector
            self._vectors.move_to_end(text)
            while len(self._vectors) > self.capacity:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()

    def __len__(self) -> int:
        return len(self._vectors)
