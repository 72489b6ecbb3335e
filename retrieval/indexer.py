"""Bring the store in line with a set of articles, embedding only what changed.

The mechanism is Chroma's own metadata: each record carries its paragraph's hash (text, title,
URL and embedding settings). An article whose stored hashes already match is skipped without
loading the model; a changed article gets its changed paragraphs embedded and every record that
no longer belongs to it deleted. Each step converges on the same end state, so a run that is
interrupted (Ctrl-C, or even SIGKILL) is finished by simply running it again.

Reading every record's metadata back costs seconds at 70k paragraphs, so a successful run also
leaves a small manifest beside the data (article id → fingerprint of its paragraph hashes), tagged
with the store's version. The next run trusts it only while the store still has that version (no
other process wrote since) and every article matches it; anything else takes the full path.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corpus import Article, LoadProblem, LoadResult, Paragraph
from corpus.articles import content_hash
from retrieval.embeddings import MODEL_NAME, ParagraphEmbedder
from retrieval.store import ParagraphStore, paragraph_id_of, record_id

CHUNK_PARAGRAPHS = 256

Progress = Callable[[int], None]


@dataclass
class IngestSummary:
    articles: int = 0
    paragraphs: int = 0
    embedded: int = 0
    skipped: int = 0
    removed_articles: int = 0
    failed: list[LoadProblem] = field(default_factory=list)
    warnings: list[LoadProblem] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    to_embed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "paragraphs": self.paragraphs,
            "embedded": self.embedded,
            "skipped": self.skipped,
            "removed_articles": self.removed_articles,
            "failed": [str(p) for p in self.failed],
            "warnings": [str(p) for p in self.warnings],
            "seconds": round(self.seconds, 2),
            "interrupted": self.interrupted,
        }


@dataclass
class _ArticlePlan:
    article: Article
    to_embed: list[Paragraph]
    keep: set[str]
    existing: set[str]


class Indexer:
    def __init__(
        self,
        store: ParagraphStore,
        embedder: ParagraphEmbedder,
        embed_title: bool = True,
        manifest_path: Path | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.embed_title = embed_title
        self.manifest_path = manifest_path
        self._marked_writing = False

    @property
    def embedder_key(self) -> str:
        vectors = "" if getattr(self.embedder, "key", "fp32") == "fp32" else f"|vectors={self.embedder.key}"
        return f"{MODEL_NAME}|title={int(self.embed_title)}|window={256}{vectors}"

    def paragraph_hash(self, paragraph: Paragraph) -> str:
        parts = [
            paragraph.text,
            paragraph.title,
            paragraph.url,
            paragraph.published,
            paragraph.source,
            self.embedder_key,
        ]
        if paragraph.lead:  # only untitled articles have one: titled stores keep their hashes
            parts.append(paragraph.lead)
        return content_hash("\x1f".join(parts))

    def article_fingerprint(self, article: Article) -> str:
        return content_hash("|".join(self.paragraph_hash(p) for p in article.paragraphs))

    # -- the manifest: a shortcut for an unchanged corpus ---------------------------------------

    def _read_manifest(self) -> dict[str, Any] | None:
        if self.manifest_path is None:
            return None
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) and isinstance(manifest.get("articles"), dict) else None

    def _write_manifest(self, fingerprints: dict[str, str]) -> None:
        if self.manifest_path is None:
            return
        manifest = {"version": self.store.version(), "embedder": self.embedder_key, "articles": fingerprints}
        try:
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.manifest_path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(manifest), encoding="utf-8")
            tmp.replace(self.manifest_path)
        except OSError:
            pass  # only the shortcut is lost: the next run reads the store instead

    def _unchanged(self, loaded: LoadResult, prune: bool) -> IngestSummary | None:
        """The summary of a run with nothing to do, if the manifest proves it; else None."""
        manifest = self._read_manifest()
        if not manifest or manifest.get("embedder") != self.embedder_key:
            return None
        known: dict[str, str] = manifest["articles"]
        if any(known.get(a.id) != self.article_fingerprint(a) for a in loaded.articles):
            return None
        if prune and set(known) - {a.id for a in loaded.articles}:
            return None
        if manifest.get("version") != self.store.version() or not self.store.is_complete():
            return None  # another process wrote since, or a write was cut short
        paragraphs = sum(len(a.paragraphs) for a in loaded.articles)
        return IngestSummary(
            articles=len(loaded.articles),
            paragraphs=paragraphs,
            skipped=paragraphs,
            failed=loaded.failed,
            warnings=loaded.warnings,
        )

    def prefix(self, paragraph: Paragraph) -> str:
        return f"{paragraph.title}. " if self.embed_title and paragraph.title else ""

    def plan(self, articles: Iterable[Article]) -> tuple[list[_ArticlePlan], dict[str, dict[str, dict[str, Any]]]]:
        """Compare the articles with the store; returns per-article plans and the stored records."""
        stored: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for rid, meta, _ in self.store.iter_records():
            stored[str(meta.get("article_id"))][rid] = meta
        plans = []
        for article in articles:
            records = stored.get(article.id, {})
            by_paragraph: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
            for rid, meta in records.items():
                by_paragraph[paragraph_id_of(rid)].append((rid, meta))
            keep: set[str] = set()
            to_embed = []
            for paragraph in article.paragraphs:
                wanted = self.paragraph_hash(paragraph)
                have = by_paragraph.get(paragraph.id, [])
                complete = (
                    bool(have)
                    and all(m.get("hash") == wanted for _, m in have)
                    and {int(m.get("window", 0)) for _, m in have} == set(range(int(have[0][1].get("windows", 1))))
                )
                if complete:
                    keep.update(rid for rid, _ in have)
                else:
                    to_embed.append(paragraph)
            plans.append(_ArticlePlan(article, to_embed, keep, set(records)))
        return plans, stored

    def run(
        self,
        loaded: LoadResult,
        prune: bool = False,
        on_plan: Callable[[int], None] | None = None,
        progress: Progress | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> IngestSummary:
        started = time.perf_counter()
        unchanged = self._unchanged(loaded, prune)
        if unchanged is not None:
            if on_plan:
                on_plan(0)
            unchanged.seconds = time.perf_counter() - started
            return unchanged
        summary = IngestSummary(failed=loaded.failed, warnings=loaded.warnings)
        plans, stored = self.plan(loaded.articles)
        summary.articles = len(plans)
        summary.paragraphs = sum(len(p.article.paragraphs) for p in plans)
        summary.to_embed = sum(len(p.to_embed) for p in plans)
        if on_plan:
            on_plan(summary.to_embed)
        changed = False
        unfinished = not self.store.is_complete()  # the last writer died before mark_changed: refresh counts
        self._marked_writing = False

        pending: list[_ArticlePlan] = []
        for plan in plans:
            stale = plan.existing - plan.keep
            if not plan.to_embed and not stale:
                summary.skipped += len(plan.article.paragraphs)
                continue
            summary.skipped += len(plan.article.paragraphs) - len(plan.to_embed)
            pending.append(plan)
            if sum(len(p.to_embed) for p in pending) >= CHUNK_PARAGRAPHS:
                if should_stop():
                    summary.interrupted = True
                    pending = []
                    break
                summary.embedded += self._write(pending, stored, progress)
                changed = True
                pending = []
        if pending and not (summary.interrupted or should_stop()):
            summary.embedded += self._write(pending, stored, progress)
            changed = True
        elif pending:
            summary.interrupted = True

        if prune and not summary.interrupted:
            seen = {p.article.id for p in plans}
            failed_sources = {p.source.split(":")[0] for p in loaded.failed}
            gone = [
                aid
                for aid, records in stored.items()
                if aid not in seen
                and not any(str(m.get("source", "")).split(":")[0] in failed_sources for m in records.values())
            ]
            if gone:
                self._begin_write()
            for aid in gone:
                self.store.delete(sorted(stored.pop(aid)))
            summary.removed_articles = len(gone)
            changed = changed or bool(gone)

        if changed or unfinished:
            paragraphs = sum(1 for records in stored.values() for m in records.values() if int(m.get("window", 0)) == 0)
            articles = sum(1 for records in stored.values() if records)
            self.store.mark_changed(articles, paragraphs, self.embedder_key)
        if not summary.interrupted:
            fingerprints = dict.fromkeys((aid for aid, records in stored.items() if records), "")
            fingerprints.update({p.article.id: self.article_fingerprint(p.article) for p in plans})
            self._write_manifest(fingerprints)
        summary.seconds = time.perf_counter() - started
        return summary

    def _begin_write(self) -> None:
        """Flag the store as mid-write once per run; ``mark_changed`` at the end clears the flag."""
        if not self._marked_writing:
            self.store.mark_writing()
            self._marked_writing = True

    def _write(
        self,
        plans: list[_ArticlePlan],
        stored: dict[str, dict[str, dict[str, Any]]],
        progress: Progress | None,
    ) -> int:
        """Embed and upsert the plans' changed paragraphs, then drop their stale records."""
        self._begin_write()
        ids: list[str] = []
        texts: list[str] = []
        documents: list[str] = []
        metadatas: list[dict[str, Any]] = []
        for plan in plans:
            for paragraph in plan.to_embed:
                windows = self.embedder.windows(paragraph.text, self.prefix(paragraph))
                meta = {
                    "article_id": paragraph.article_id,
                    "paragraph": paragraph.number,
                    "title": paragraph.title,
                    "url": paragraph.url,
                    "published": paragraph.published,
                    "source": paragraph.source,
                    "lead": paragraph.lead,
                    "hash": self.paragraph_hash(paragraph),
                    "windows": len(windows),
                }
                for window in windows:
                    ids.append(record_id(paragraph.id, window.index))
                    texts.append(window.text)
                    documents.append(paragraph.text if window.index == 0 else window.text)
                    metadatas.append({**meta, "window": window.index})
        vectors = np.zeros((0, 384), dtype=np.float32)
        batch = max(1, self.embedder.batch_size)
        parts = []
        done_paragraphs = 0
        for start in range(0, len(texts), batch * 4):
            parts.append(self.embedder.encode(texts[start : start + batch * 4]))
            if progress:
                finished = sum(1 for m in metadatas[start : start + batch * 4] if m["window"] == 0)
                done_paragraphs += finished
                progress(finished)
        if parts:
            vectors = np.concatenate(parts)
        self.store.upsert(ids, vectors, documents, metadatas)
        new_ids = set(ids)
        for plan in plans:
            records = stored[plan.article.id]
            stale = sorted(plan.existing - plan.keep - new_ids)
            if stale:
                self.store.delete(stale)
            for rid in stale:
                records.pop(rid, None)
        for rid, meta in zip(ids, metadatas, strict=True):
            stored[str(meta["article_id"])][rid] = meta
        return sum(len(p.to_embed) for p in plans)
