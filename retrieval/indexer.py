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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corpus import Article, LoadProblem, LoadResult, Paragraph
from corpus.records import content_hash
from retrieval.embeddings import MODEL_NAME, ParagraphEmbedder
from retrieval.store import ParagraphStore, paragraph_id_of, record_id

CHUNK_PARAGRAPHS = 256
# What one paragraph may cost at ingest: 64 windows of ~220 tokens is ~14k tokens (~60 k characters).
# Longer paragraphs are stored whole (keyword search and quotes see all of it) but only their start is
# embedded, with a warning. A 5 MB paragraph was 5,480 windows and 400 s of embedding before.
MAX_WINDOWS_PER_PARAGRAPH = 64

Progress = Callable[[float], None]
Stored = dict[str, dict[str, dict[str, Any]]]  # article id → record id → the record's metadata


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
        self.renamed: list[LoadProblem] = []
        self.truncated: list[LoadProblem] = []

    @property
    def embedder_key(self) -> str:
        vectors = "" if getattr(self.embedder, "key", "fp32") == "fp32" else f"|vectors={self.embedder.key}"
        return f"{MODEL_NAME}|title={int(self.embed_title)}|window={self.embedder.window_tokens}{vectors}"

    def paragraph_hash(self, paragraph: Paragraph) -> str:
        """What decides whether a paragraph is embedded again: its content and the embedding settings.

        Never the path it was read from: ingesting ``a.jsonl`` from its folder and then as
        ``/abs/a.jsonl`` (or after a line was added above it) must not re-embed anything.
        """
        parts = [
            paragraph.text,
            paragraph.title,
            paragraph.url,
            paragraph.published,
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

    def _write_manifest(self, fingerprints: dict[str, str], owners: dict[str, str]) -> None:
        if self.manifest_path is None:
            return
        manifest = {
            "version": self.store.version(),
            "embedder": self.embedder_key,
            "articles": fingerprints,
            "owners": owners,
        }
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
        owners = manifest.get("owners")
        if not isinstance(owners, dict):
            return None
        articles, renamed = assign_ids(loaded.articles, {str(k): str(v) for k, v in owners.items()})
        if any(known.get(a.id) != self.article_fingerprint(a) for a in articles):
            return None
        if prune and set(known) - {a.id for a in articles}:
            return None
        if manifest.get("version") != self.store.version() or not self.store.is_complete():
            return None  # another process wrote since, or a write was cut short
        paragraphs = sum(len(a.paragraphs) for a in loaded.articles)
        return IngestSummary(
            articles=len(loaded.articles),
            paragraphs=paragraphs,
            skipped=paragraphs,
            failed=loaded.failed,
            warnings=loaded.warnings + renamed,
        )

    def prefix(self, paragraph: Paragraph) -> str:
        return f"{paragraph.title}. " if self.embed_title and paragraph.title else ""

    def plan(self, articles: Iterable[Article]) -> tuple[list[_ArticlePlan], Stored]:
        """Compare the articles with the store; returns per-article plans and the stored records."""
        stored: Stored = defaultdict(dict)
        for rid, meta, _ in self.store.iter_records():
            stored[str(meta.get("article_id"))][rid] = meta
        owners = {aid: _origin_of(records) for aid, records in stored.items()}
        articles, self.renamed = assign_ids(list(articles), owners)
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
        """Bring the store in line with ``loaded``: the manifest's shortcut when nothing changed, else
        plan, write in batches (``should_stop`` is asked between them), prune, record the counts."""
        started = time.perf_counter()
        unchanged = self._unchanged(loaded, prune)
        if unchanged is not None:
            if on_plan:
                on_plan(0)
            unchanged.seconds = time.perf_counter() - started
            return unchanged
        plans, stored = self.plan(loaded.articles)
        summary = IngestSummary(failed=loaded.failed, warnings=loaded.warnings + self.renamed)
        summary.articles = len(plans)
        summary.paragraphs = sum(len(p.article.paragraphs) for p in plans)
        summary.to_embed = sum(len(p.to_embed) for p in plans)
        if on_plan:
            on_plan(summary.to_embed)
        unfinished = not self.store.is_complete()  # the last writer died before mark_changed: refresh counts
        self._marked_writing = False
        changed = self._write_in_batches(plans, stored, summary, progress, should_stop)
        if prune and not summary.interrupted:
            changed = self._prune(plans, stored, loaded.failed, summary) or changed
        self._finish(plans, stored, summary, changed or unfinished)
        summary.warnings = summary.warnings + self.truncated
        summary.seconds = time.perf_counter() - started
        return summary

    def _write_in_batches(
        self,
        plans: list[_ArticlePlan],
        stored: Stored,
        summary: IngestSummary,
        progress: Progress | None,
        should_stop: Callable[[], bool],
    ) -> bool:
        """Write the changed articles about ``CHUNK_PARAGRAPHS`` paragraphs at a time, counting
        skipped and embedded paragraphs; stop between batches when asked. True when anything was written."""
        changed = False
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
                    return changed
                summary.embedded += self._write(pending, stored, progress)
                changed = True
                pending = []
        if pending and not should_stop():
            summary.embedded += self._write(pending, stored, progress)
            changed = True
        elif pending:
            summary.interrupted = True
        return changed

    def _prune(
        self, plans: list[_ArticlePlan], stored: Stored, failed: list[LoadProblem], summary: IngestSummary
    ) -> bool:
        """Delete stored articles whose file is gone (or was read without them); True when any was."""
        seen = {p.article.id for p in plans}
        read_files = {_file_of(p.article.origin) for p in plans}
        failed_files = {_resolved(p.source.split(":")[0]) for p in failed}
        gone = [
            aid
            for aid, records in stored.items()
            if aid not in seen and _is_gone(_stored_file(records), read_files, failed_files)
        ]
        if gone:
            self._begin_write()
        for aid in gone:
            self.store.delete(sorted(stored.pop(aid)))
        summary.removed_articles = len(gone)
        return bool(gone)

    def _finish(self, plans: list[_ArticlePlan], stored: Stored, summary: IngestSummary, recount: bool) -> None:
        """Record the store's new counts (``recount``) and, after a whole run, the manifest."""
        if recount:
            paragraphs = sum(1 for records in stored.values() for m in records.values() if int(m.get("window", 0)) == 0)
            articles = sum(1 for records in stored.values() if records)
            self.store.mark_changed(articles, paragraphs, self.embedder_key)
        if not summary.interrupted:
            fingerprints = dict.fromkeys((aid for aid, records in stored.items() if records), "")
            fingerprints.update({p.article.id: self.article_fingerprint(p.article) for p in plans})
            owners = {aid: _origin_of(records) for aid, records in stored.items() if records}
            owners.update({p.article.id: p.article.origin for p in plans})
            self._write_manifest(fingerprints, owners)

    def _begin_write(self) -> None:
        """Flag the store as mid-write once per run; ``mark_changed`` at the end clears the flag."""
        if not self._marked_writing:
            self.store.mark_writing()
            self._marked_writing = True

    def _write(
        self,
        plans: list[_ArticlePlan],
        stored: Stored,
        progress: Progress | None,
    ) -> int:
        """Embed and upsert the plans' changed paragraphs, then drop their stale records."""
        self._begin_write()
        ids: list[str] = []
        texts: list[str] = []
        documents: list[str] = []
        metadatas: list[dict[str, Any]] = []
        origins = {plan.article.id: plan.article.origin for plan in plans}
        for plan in plans:
            for paragraph in plan.to_embed:
                windows = self.embedder.windows(
                    paragraph.text, self.prefix(paragraph), max_windows=MAX_WINDOWS_PER_PARAGRAPH
                )
                if len(windows) == MAX_WINDOWS_PER_PARAGRAPH and len(windows[-1].text) < len(paragraph.text):
                    end = windows[-1].text[-60:].removeprefix(self.prefix(paragraph))
                    covered = paragraph.text.find(end) + len(end) if end in paragraph.text else 0
                    if covered < len(paragraph.text):
                        self.truncated.append(
                            LoadProblem(
                                paragraph.source,
                                f"paragraph {paragraph.number} is {len(paragraph.text):,} characters: only its first "
                                f"{covered:,} are searchable by meaning (all of it by keywords)",
                                fatal=False,
                            )
                        )
                meta = {
                    **paragraph.metadata(),
                    "origin": origins.get(paragraph.article_id, ""),
                    "hash": self.paragraph_hash(paragraph),
                    "windows": len(windows),
                }
                for window in windows:
                    ids.append(record_id(paragraph.id, window.index))
                    texts.append(window.text)
                    documents.append(paragraph.text if window.index == 0 else window.text)
                    metadatas.append({**meta, "window": window.index})
        vectors = np.zeros((0, self.embedder.dimension), dtype=np.float32)
        batch = max(1, self.embedder.batch_size)
        parts = []
        for start in range(0, len(texts), batch * 4):
            parts.append(self.embedder.encode(texts[start : start + batch * 4]))
            if progress:
                # Counted in windows, the unit that takes the time, as fractions of their paragraph:
                # a long paragraph moves the bar while it is embedded, not all at once at its end.
                progress(sum(1 / m["windows"] for m in metadatas[start : start + batch * 4]))
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


# -- article identity ---------------------------------------------------------------------------


def _origin_of(records: dict[str, dict[str, Any]]) -> str:
    """The origin stored with an article's records ("" for records written before origins existed)."""
    return next((str(m["origin"]) for m in records.values() if m.get("origin")), "")


def suffixed_id(article_id: str, origin: str) -> str:
    """The id an article gets when its plain id belongs to another origin: readable, and stable."""
    return f"{article_id}-{content_hash(origin)[:6]}"


def assign_ids(articles: list[Article], owners: dict[str, str]) -> tuple[list[Article], list[LoadProblem]]:
    """Give every article an id that no other origin uses, in the store or in this run.

    The rule (README, "Paragraphs"): an article keeps its plain id (file stem, or a .jsonl line's
    ``id``) unless another file already owns that id; then it is stored as ``<id>-<6 hex digits of
    its origin>`` and a warning says so. An origin already stored under some id keeps that id, so a
    renamed article stays renamed on every later run instead of becoming a duplicate.
    ``owners`` maps stored article ids to their origins ("" when unknown: adopted silently).
    """
    by_origin = {origin: aid for aid, origin in owners.items() if origin}
    taken = dict(owners)
    result: list[Article | None] = [None] * len(articles)
    problems: list[LoadProblem] = []
    for first_pass in (True, False):
        for i, article in enumerate(articles):
            if result[i] is not None:
                continue
            if first_pass:
                known = by_origin.get(article.origin) if article.origin else None
                if known is None:
                    continue
                chosen = known
            else:
                chosen = article.id
                owner = taken.get(chosen)
                if owner is not None and owner and article.origin and owner != article.origin:
                    chosen = suffixed_id(article.id, article.origin)
            if chosen != article.id:
                other = _file_of(taken.get(article.id, "")) or "another article"
                problems.append(
                    LoadProblem(
                        article.source,
                        f"article id {article.id!r} is already used by {other}; stored as {chosen!r}",
                        fatal=False,
                    )
                )
                article = replace(article, id=chosen)
            taken[chosen] = article.origin
            result[i] = article
    return [a for a in result if a is not None], problems


def _file_of(origin: str) -> str:
    return origin.split("::", 1)[0]


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path


def _stored_file(records: dict[str, dict[str, Any]]) -> str:
    """The file a stored article came from: its origin, else (older records) its source path."""
    origin = _origin_of(records)
    if origin:
        return _file_of(origin)
    source = next((str(m.get("source", "")) for m in records.values()), "")
    return _resolved(source.rsplit(":", 1)[0] if source.rsplit(":", 1)[-1].isdigit() else source)


def _is_gone(file: str, read_files: set[str], failed_files: set[str]) -> bool:
    """Whether ``--prune`` removes a stored article that this run did not load.

    Only when its file is gone, or was read in this run without it (a line removed from a .jsonl):
    articles from other folders (the bundled sample, Discord uploads) stay.
    """
    if not file or file in failed_files:
        return False
    return file in read_files or not Path(file).exists()
