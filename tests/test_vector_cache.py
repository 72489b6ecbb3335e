"""The question-vector cache three encoders share: bounded, least recently used dropped first."""

import numpy as np

from retrieval.vector_cache import VectorCache


def test_a_question_asked_again_outlives_older_ones() -> None:
    cache = VectorCache(capacity=2)
    cache.put("first", np.ones(3, dtype=np.float32))
    cache.put("second", np.zeros(3, dtype=np.float32))
    assert cache.get("first") is not None  # asked again: now the most recently used
    cache.put("third", np.ones(3, dtype=np.float32))
    assert cache.get("second") is None
    np.testing.assert_array_equal(cache.get("first"), np.ones(3))
    assert len(cache) == 2
    cache.clear()
    assert cache.get("first") is None
