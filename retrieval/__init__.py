"""Embedding, the Chroma paragraph store, keyword search, and hybrid retrieval."""
