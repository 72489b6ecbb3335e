"""The Chroma collection that holds paragraph vectors, text and metadata.

One record per embedding window: ``<article_id>#<paragraph>@<window>``. Window 0 of each paragraph
carries the paragraph's full text (the quote source); every window carries the paragraph's
metadata, including ``hash``, which the indexer compares to decide what to embed again.

A record's text is kept in its metadata (key ``text``), not as Chroma's document, when it is at
most ``TEXT_IN_METADATA_BYTES`` long, which nearly every paragraph is. Chroma indexes every
document for its full-text search, which newsbot never uses (its keyword search is its own), and
that index was a third of the ingest's store writes: 5,000 news paragraphs upserted in 3.9 s with
documents, 2.6 s with the same text as metadata (docs/speed.md, stop 54). Longer texts stay
documents (Chroma Cloud caps a metadata value at 4,096 bytes). Readers take either, so a store
written before this reads as it did.

The collection's own metadata holds counts and a ``version`` that changes on every write, so other
processes (and the keyword index cache) can tell the corpus changed, and ``complete``, false while a
write is under way, so the run after a killed one knows to refresh them.

A lost server is a :class:`StoreUnavailableError` per call, not a dead object: the next call tries
again, and the first that succeeds logs the reconnection on the ``newsbot.store`` logger.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from config.errors import StoreUnavailableError, class_names
from corpus import Paragraph

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from config import Settings

PAGE = 5000
TEXT_KEY = "text"  # the metadata key that holds a record's text when it is not a document
TEXT_IN_METADATA_BYTES = 4000
ARTICLES_PER_GET = 200
CONNECT_TIMEOUT_S = 3.0

log = logging.getLogger("newsbot.store")
log.addHandler(logging.NullHandler())  # the CLI shows the one-line error, not a stray log line


def new_version() -> str:
    """A fresh store version: a plain token (it names keyword index files)."""
    return uuid.uuid4().hex


def record_id(paragraph_id: str, window: int) -> str:
    return f"{paragraph_id}@{window}"


def paragraph_id_of(record: str) -> str:
    return record.rsplit("@", 1)[0]


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client: a server's ``HttpClient`` when a host is set, else the embedded store."""
    import chromadb

    try:
        if settings.uses_server:
            token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
            headers = {"x-chroma-token": token} if token else None
            _probe(settings, headers)
            client = chromadb.HttpClient(
                host=settings.chroma_host,
                port=settings.chroma_port,
                ssl=settings.chroma_ssl,
                headers=headers,
                tenant=settings.chroma_tenant,
                database=settings.chroma_database,
                settings=_chroma_settings(),
            )
            _set_timeouts(client, settings)
            return client
        path = settings.resolved_data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except StoreUnavailableError:
        raise
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError/… here
        raise StoreUnavailableError(
            f"the article store is unavailable ({settings.describe_store()}): {_one_line(exc)}"
        ) from exc


def _timeout(settings: Settings) -> Any:
    import httpx

    return httpx.Timeout(settings.chroma_timeout_s, connect=min(settings.chroma_timeout_s, CONNECT_TIMEOUT_S))


def _probe(settings: Settings, headers: dict[str, str] | None) -> None:
    """One heartbeat with our timeouts before chromadb's client, whose own first calls have none.

    A stopped (SIGSTOP) or wedged server accepts the connection and never answers: without a read
    timeout, ``newsbot ask`` waited forever and Discord questions held every answer slot.
    """
    import httpx

    scheme = "https" if settings.chroma_ssl else "http"
    url = f"{scheme}://{settings.chroma_host}:{settings.chroma_port}/api/v2/heartbeat"
    try:
        httpx.get(url, headers=headers, timeout=_timeout(settings))
    except httpx.TimeoutException as exc:
        raise StoreUnavailableError(
            f"the article store is unavailable ({settings.describe_store()}): no answer within "
            f"{settings.chroma_timeout_s:g} s (NEWSBOT_CHROMA_TIMEOUT_S)"
        ) from exc
    except httpx.HTTPError:
        pass  # refused, TLS…: chromadb's client reports those in its own words


def _set_timeouts(client: Any, settings: Settings) -> None:
    """Give chromadb's HTTP session (``httpx.Client(timeout=None)`` in chromadb 1.x) our timeouts."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = _timeout(settings)
    else:
        log.warning("cannot set timeouts on this chromadb version's client: a hung server may hang requests")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__


class ParagraphStore:
    """Typed access to the paragraph collection; every Chroma call goes through here."""

    def __init__(self, settings: Settings, client: ClientAPI | None = None) -> None:
        self.settings = settings
        self._client = client
        self._collection: Collection | None = None
        self._down = False  # the last call failed to reach the store; the next success is a reconnection

    @property
    def client(self) -> ClientAPI:
        if self._client is None:
            try:
                self._client = open_client(self.settings)
            except StoreUnavailableError as exc:
                self._went_down(exc)
                raise
        return self._client

    @property
    def collection(self) -> Collection:
        # One read of the attribute: another thread's ``info()`` may set it to None at any moment, and
        # reading it twice (check, then return) could hand that None to a search.
        found = self._collection
        if found is None:
            found = self._collection = self._call(
                self.client.get_or_create_collection,
                self.settings.collection,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        return found

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if _is_connection_problem(exc):
                self._collection = None
                reason = (
                    f"no answer within {self.settings.chroma_timeout_s:g} s (NEWSBOT_CHROMA_TIMEOUT_S)"
                    if "Timeout" in " ".join(class_names(exc))
                    else _one_line(exc)
                )
                where = self.settings.describe_store()
                error = StoreUnavailableError(f"the article store is unavailable ({where}): {reason}")
                self._went_down(error)
                raise error from exc
            raise
        if self._down:
            self._down = False
            log.info("reconnected to the article store (%s)", self.settings.describe_store())
        return result

    def _went_down(self, error: StoreUnavailableError) -> None:
        if not self._down:
            self._down = True
            log.warning("%s; retrying on the next request", error)

    # -- reading ---------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Counts and version kept in the collection's metadata (cheap: no record is read)."""
        self._collection = None  # re-read: another process may have written since
        return dict(self.collection.metadata or {})

    def version(self) -> str:
        return str(self.info().get("version", ""))

    def record_count(self) -> int:
        return int(self._call(self.collection.count))

    def iter_records(self, include: Sequence[str] = ("metadatas",)) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        """Every record, page by page: (record id, metadata, document or None)."""
        offset = 0
        while True:
            page = self._call(self.collection.get, include=list(include), limit=PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            yield from _with_texts(ids, page)
            if len(ids) < PAGE:
                return
            offset += len(ids)

    def records_of_articles(
        self, article_ids: Sequence[str], include: Sequence[str] = ("metadatas",)
    ) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        """The records of some articles only (a metadata filter: the ingest's manifest keeps this to
        the articles that changed)."""
        ids = list(dict.fromkeys(article_ids))
        for start in range(0, len(ids), ARTICLES_PER_GET):
            where = {"article_id": {"$in": ids[start : start + ARTICLES_PER_GET]}}
            page = self._call(self.collection.get, where=where, include=list(include))
            yield from _with_texts(page["ids"], page)

    def paragraphs(self) -> list[Paragraph]:
        """All paragraphs with their full text (window 0 records), in store order."""
        return [
            Paragraph.from_metadata(meta, doc or "")
            for _, meta, doc in self.iter_records(include=("metadatas", "documents"))
            if int(meta.get("window", 0)) == 0
        ]

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest records to ``vector``: (paragraph id, cosine similarity), best first, one per paragraph.

        No ``count()`` first: Chroma 1.x returns fewer results when it holds fewer, and a count scans
        the records table, which costs more than the vector search at a few hundred thousand records."""
        result = self._call(
            self.collection.query,
            query_embeddings=[vector.tolist()],
            n_results=max(1, n),
            include=["distances"],
        )
        best: dict[str, float] = {}
        for rid, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            pid = paragraph_id_of(rid)
            best.setdefault(pid, 1.0 - float(distance))
        return list(best.items())

    def embeddings_for(self, record_ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not record_ids:
            return {}
        got = self._call(self.collection.get, ids=list(record_ids), include=["embeddings"])
        return {rid: np.asarray(vec, dtype=np.float32) for rid, vec in zip(got["ids"], got["embeddings"], strict=True)}

    # -- writing ---------------------------------------------------------------------------

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        size = max(1, int(self._call(self.client.get_max_batch_size)))
        short = [len(text.encode("utf-8")) <= TEXT_IN_METADATA_BYTES for text in documents]
        kept_documents = [None if fits else text for text, fits in zip(documents, short, strict=True)]
        # Chroma's upsert merges metadata and keeps a document it is not given: a text that moves to
        # the other place must not leave its old copy where the readers look first (the metadata).
        kept_metadatas = [
            {**meta, TEXT_KEY: text if fits else None}
            for meta, text, fits in zip(metadatas, documents, short, strict=True)
        ]
        for start in range(0, len(ids), size):
            end = start + size
            self._call(
                self.collection.upsert,
                ids=list(ids[start:end]),
                embeddings=vectors[start:end],
                documents=kept_documents[start:end] if not all(short[start:end]) else None,
                metadatas=kept_metadatas[start:end],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self._call(self.collection.delete, ids=list(ids[start : start + PAGE]))

    def mark_writing(self) -> None:
        """Flag a write under way (counts and version kept), so a run killed before ``mark_changed`` is noticed."""
        self._call(self.collection.modify, metadata={**self.info(), "complete": False})

    def is_complete(self) -> bool:
        """False when the last write never reached ``mark_changed`` (the writer was killed)."""
        return bool(self.info().get("complete", True))

    def mark_changed(self, articles: int, paragraphs: int, embedder: str, version: str | None = None) -> None:
        """Record new counts and a fresh version after a write (``version``: one chosen beforehand,
        so the ingest can save the keyword index of that version before publishing it)."""
        metadata = {
            "articles": articles,
            "paragraphs": paragraphs,
            "embedder": embedder,
            "version": version or new_version(),
            "complete": True,
        }
        self._call(self.collection.modify, metadata=metadata)


def _with_texts(ids: Sequence[str], page: Any) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """A page of ``get`` as (record id, metadata without the text, text or None): the text from the
    metadata, else from the document (see the module's docstring). The metadata comes first: a
    record written as a document and rewritten with its text in the metadata keeps its stale document."""
    metas = page.get("metadatas") or [{}] * len(ids)
    docs = page.get("documents") or [None] * len(ids)
    for rid, meta, doc in zip(ids, metas, docs, strict=True):
        meta = dict(meta or {})
        text = meta.pop(TEXT_KEY, None)
        yield rid, meta, text if text is not None else doc


def _is_connection_problem(exc: BaseException) -> bool:
    if class_names(exc) & {
        "ConnectError",
        "ConnectionError",
        "ConnectTimeout",
        "RemoteProtocolError",
        "ReadError",
        "ReadTimeout",
        "TimeoutException",
        "NetworkError",
    }:
        return True
    text = str(exc).lower()
    return "could not connect" in text or "connection refused" in text
