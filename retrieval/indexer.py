"""Bring the store in line with a set of articles, embedding only what changed.

The mechanism is Chroma's own metadata: each record carries its paragraph's hash (text, title,
URL and embedding settings). An article whose stored hashes already match is skipped without
loading the model; a changed article gets its changed paragraphs embedded and every record that
no longer belongs to it deleted. Each step converges on the same end state, so a run that is
interrupted (Ctrl-C, or even SIGKILL) is finished by simply running it again.

Reading every record's metadata back costs seconds at 70k paragraphs (minutes at a million), so a
successful run also leaves a small manifest beside the data (article id → fingerprint of its
paragraph hashes, and its origin), tagged with the store's version. The next run trusts it only
while the store still has that version (no other process wrote since) and the last write finished:
then articles it lists with the same fingerprint are unchanged, articles it does not list have no
records, and only the changed ones are read back from the store, by article id. Without a trusted
manifest every record is read, as before.

The run also keeps the keyword index in step (``retrieval/keyword_store.py``): the articles it
wrote and removed become a small new segment of the index of the store's previous version, saved
under the new version before that version is published, so no reader ever rebuilds the index.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from config.settings import TitleMode, default
from corpus import Article, LoadProblem, LoadResult, Paragraph
from corpus.records import content_hash
from retrieval.embeddings import MODEL_NAME, ParagraphEmbedder, Window
from retrieval.keyword import safe_version
from retrieval.keyword_store import KeywordStore
from retrieval.store import ParagraphStore, new_version, paragraph_id_of, record_id

CHUNK_PARAGRAPHS = 256
REPEATS_REMEMBERED = 4096  # texts whose vectors an ingest keeps for repeats (about 6 MB)
# What one paragraph may cost at ingest: 64 windows of ~220 tokens is ~14k tokens (~60 k characters).
# Longer paragraphs are stored whole (keyword search and quotes see all of it) but only their start is
# embedded, with a warning. A 5 MB paragraph was 5,480 windows and 400 s of embedding before.
MAX_WINDOWS_PER_PARAGRAPH = 64

Progress = Callable[[float], None]
Stored = dict[str, dict[str, dict[str, Any]]]  # article id → record id → the record's metadata

log = logging.getLogger("newsbot.keyword")
log.addHandler(logging.NullHandler())


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
    second_embedded: int = 0  # paragraphs the second embedder (e5) embedded, when it is on

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
            "second_embedded": self.second_embedded,
        }


@dataclass
class _Embedded:
    """One batch's records, embedded and not yet written."""

    ids: list[str]
    vectors: np.ndarray
    documents: list[str]
    metadatas: list[dict[str, Any]]


@dataclass
class _ArticlePlan:
    article: Article
    to_embed: list[Paragraph]
    keep: set[str]
    existing: set[str]


class Indexer:
    """Writes articles' paragraphs to the store; ``embed_title`` says how the title enters their vectors.

    ``"vector"``: the title is embedded once per article and added to each of its paragraphs' vectors
    with ``title_weight`` (then normalised), so a paragraph that says "he" still carries what the
    story is about. ``"prefix"``: "title. paragraph" is embedded instead, which costs the title's
    tokens once per paragraph (docs/speed.md: the model is most of an ingest) for retrieval within noise of
    ``"vector"`` (docs/quality.md). ``"none"``: the paragraph alone.

    ``background_writes``: a batch is written to the store while the next one is embedded (False:
    one after the other, as benchmarks/profile_steps.py needs to time each step alone).
    """

    background_writes = True

    def __init__(
        self,
        store: ParagraphStore,
        embedder: ParagraphEmbedder,
        embed_title: TitleMode | bool = default("embed_title"),
        manifest_path: Path | None = None,
        title_weight: float = default("title_weight"),
        keywords: KeywordStore | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.embed_title: TitleMode = (
            ("prefix" if embed_title else "none") if isinstance(embed_title, bool) else embed_title
        )
        self.title_weight = title_weight
        self.manifest_path = manifest_path
        self.keywords = keywords
        self._marked_writing = False
        self.renamed: list[LoadProblem] = []
        self.truncated: list[LoadProblem] = []
        # What this run changed, for the keyword index: article id → its paragraphs as now stored.
        self._changed: dict[str, list[Paragraph]] = {}
        self._removed: set[str] = set()
        # Counts when only some articles are read back: the store's before, and theirs before.
        self._base_counts: tuple[int, int] | None = None
        self._before: dict[str, tuple[int, int]] = {}
        # The latest texts embedded and their vectors (before the title is mixed in): a repeat is not embedded again.
        self._repeats: dict[str, np.ndarray] = {}

    @property
    def embedder_key(self) -> str:
        vectors = "" if getattr(self.embedder, "key", "fp32") == "fp32" else f"|vectors={self.embedder.key}"
        # Stores made before the "vector" mode keep their keys ("title=1" was the prefix, "title=0" none).
        title = {"prefix": "1", "none": "0"}.get(self.embed_title, f"vector{self.title_weight:g}")
        return f"{MODEL_NAME}|title={title}|window={self.embedder.window_tokens}{vectors}"

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

    def _trusted_manifest(self) -> dict[str, Any] | None:
        """The manifest if it still describes the store: same embedder, written at the store's
        current version (no other process wrote since), and the last write finished."""
        manifest = self._read_manifest()
        if not manifest or manifest.get("embedder") != self.embedder_key:
            return None
        if not isinstance(manifest.get("owners"), dict):
            return None
        if manifest.get("version") != self.store.version() or not self.store.is_complete():
            return None
        return manifest

    def _unchanged(self, loaded: LoadResult, prune: bool, manifest: dict[str, Any] | None) -> IngestSummary | None:
        """The summary of a run with nothing to do, if the (trusted) manifest proves it; else None."""
        if manifest is None:
            return None
        known: dict[str, str] = manifest["articles"]
        owners = manifest["owners"]
        articles, renamed = assign_ids(
            loaded.articles, {str(k): str(v) for k, v in owners.items()}, known, self.article_fingerprint
        )
        if any(known.get(a.id) != self.article_fingerprint(a) for a in articles):
            return None
        if prune and set(known) - {a.id for a in articles}:
            return None
        paragraphs = sum(len(a.paragraphs) for a in loaded.articles)
        return IngestSummary(
            articles=len(loaded.articles),
            paragraphs=paragraphs,
            skipped=paragraphs,
            failed=loaded.failed,
            warnings=loaded.warnings + renamed,
        )

    def prefix(self, paragraph: Paragraph) -> str:
        return f"{paragraph.title}. " if self.embed_title == "prefix" and paragraph.title else ""

    def plan(
        self, articles: Iterable[Article], manifest: dict[str, Any] | None = None
    ) -> tuple[list[_ArticlePlan], Stored]:
        """Compare the articles with the store; returns per-article plans and the stored records read.

        With a trusted ``manifest``, articles whose fingerprint it holds are unchanged without a look
        at the store, articles it does not list have no records, and only the others' records are
        read; else every record is read."""
        stored: Stored
        if manifest is None:
            stored = defaultdict(dict)
            for rid, meta, _ in self.store.iter_records():
                stored[str(meta.get("article_id"))][rid] = meta
            owners = {aid: _origin_of(records) for aid, records in stored.items()}
            fingerprints = {aid: _fingerprint_of(records) for aid, records in stored.items()}
            self._base_counts = None
        else:
            owners = {str(k): str(v) for k, v in manifest["owners"].items()}
            fingerprints = {str(k): str(v) for k, v in manifest["articles"].items()}
        articles, self.renamed = assign_ids(list(articles), owners, fingerprints, self.article_fingerprint)
        sure: set[str] = set()
        if manifest is not None:
            known = manifest["articles"]
            sure = {a.id for a in articles if known.get(a.id) == self.article_fingerprint(a)}
            info = self.store.info()
            self._base_counts = (int(info.get("articles", 0)), int(info.get("paragraphs", 0)))
            # A metadata filter scans for seconds at a million records: adding articles costs none.
            stored = self._read_back([a.id for a in articles if a.id not in sure and a.id in known])
            self._before.update({a.id: (0, 0) for a in articles if a.id not in known})
        plans = []
        for article in articles:
            if article.id in sure:
                plans.append(_ArticlePlan(article, [], set(), set()))
                continue
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

    def _read_back(self, article_ids: list[str], into: Stored | None = None) -> Stored:
        """The stored records of some articles, remembering their counts before this run's writes."""
        stored: Stored = into if into is not None else defaultdict(dict)
        for rid, meta, _ in self.store.records_of_articles(article_ids) if article_ids else ():
            stored[str(meta.get("article_id"))][rid] = meta
        for aid in article_ids:
            self._before[aid] = _counts(stored.get(aid, {}))
        return stored

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
        manifest = self._trusted_manifest()
        unchanged = self._unchanged(loaded, prune, manifest)
        if unchanged is not None:
            if on_plan:
                on_plan(0)
            unchanged.seconds = time.perf_counter() - started
            return unchanged
        previous_version = self.store.version()
        if manifest is not None and prune and not all(manifest["owners"].values()):
            manifest = None  # records from before origins were kept: only a full read knows their files
        plans, stored = self.plan(loaded.articles, manifest)
        was_empty = manifest is None and not stored
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
            changed = self._prune(plans, stored, loaded.failed, summary, manifest) or changed
        self._finish(plans, stored, summary, changed or unfinished, manifest, previous_version, was_empty, unfinished)
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
        # The store writes of one batch run in a second thread while the next batch is cut and
        # embedded: an upsert uses one core, which otherwise sat idle for ~10 % of an ingest. One
        # write at a time and in order; leaving the block waits for the last (and raises its error).
        with ThreadPoolExecutor(1, thread_name_prefix="newsbot-write") as writer:
            writing: Future[None] | None = None

            def flush(batch: list[_ArticlePlan]) -> None:
                nonlocal writing
                embedded = self._embed(batch, progress)
                if writing is not None:
                    writing.result()
                if self.background_writes:
                    writing = writer.submit(self._store_batch, batch, stored, embedded)
                else:
                    self._store_batch(batch, stored, embedded)
                summary.embedded += sum(len(p.to_embed) for p in batch)

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
                        break
                    flush(pending)
                    changed = True
                    pending = []
            else:
                if pending and not should_stop():
                    flush(pending)
                    changed = True
                elif pending:
                    summary.interrupted = True
            if writing is not None:
                writing.result()
        return changed

    def _prune(
        self,
        plans: list[_ArticlePlan],
        stored: Stored,
        failed: list[LoadProblem],
        summary: IngestSummary,
        manifest: dict[str, Any] | None,
    ) -> bool:
        """Delete stored articles whose file is gone (or was read without them); True when any was.

        With a trusted manifest, its origins say which articles came from a gone file, and only
        those are read back."""
        seen = {p.article.id for p in plans}
        read_files = {_file_of(p.article.origin) for p in plans}
        failed_files = {_resolved(p.source.split(":")[0]) for p in failed}
        if manifest is not None:
            candidates = [
                aid
                for aid, origin in manifest["owners"].items()
                if aid not in seen and _is_gone(_file_of(str(origin)), read_files, failed_files)
            ]
            self._read_back(candidates, into=stored)
            gone = [aid for aid in candidates if stored.get(aid)]
        else:
            gone = [
                aid
                for aid, records in stored.items()
                if aid not in seen and _is_gone(_stored_file(records), read_files, failed_files)
            ]
        if gone:
            self._begin_write()
        for aid in gone:
            self.store.delete(sorted(stored.pop(aid)))
            stored[aid] = {}
            self._removed.add(aid)
        summary.removed_articles = len(gone)
        return bool(gone)

    def _finish(
        self,
        plans: list[_ArticlePlan],
        stored: Stored,
        summary: IngestSummary,
        recount: bool,
        manifest: dict[str, Any] | None,
        previous_version: str = "",
        was_empty: bool = False,
        unfinished: bool = False,
    ) -> None:
        """Record the store's new counts and version (``recount``; the keyword index of that version
        is saved first) and, after a whole run, the manifest."""
        if recount:
            articles, paragraphs = self._counts_after(stored)
            version = new_version()
            self._save_keywords(previous_version, version, rebuild=unfinished, was_empty=was_empty)
            self.store.mark_changed(articles, paragraphs, self.embedder_key, version=version)
        if not summary.interrupted:
            if manifest is not None:
                fingerprints = {str(k): str(v) for k, v in manifest["articles"].items()}
                owners = {str(k): str(v) for k, v in manifest["owners"].items()}
                for aid, records in stored.items():
                    if not records:
                        fingerprints.pop(aid, None)
                        owners.pop(aid, None)
            else:
                fingerprints = dict.fromkeys((aid for aid, records in stored.items() if records), "")
                owners = {aid: _origin_of(records) for aid, records in stored.items() if records}
            fingerprints.update({p.article.id: self.article_fingerprint(p.article) for p in plans})
            owners.update({p.article.id: p.article.origin for p in plans})
            self._write_manifest(fingerprints, owners)

    def _counts_after(self, stored: Stored) -> tuple[int, int]:
        """Articles and paragraphs in the store now: counted from every record when all were read,
        else the store's counts before plus the change in the articles read back."""
        if self._base_counts is None:
            paragraphs = sum(1 for records in stored.values() for m in records.values() if int(m.get("window", 0)) == 0)
            return sum(1 for records in stored.values() if records), paragraphs
        articles, paragraphs = self._base_counts
        for aid, (had, windows_before) in self._before.items():
            has, windows_now = _counts(stored.get(aid, {}))
            articles += has - had
            paragraphs += windows_now - windows_before
        return articles, paragraphs

    def _save_keywords(self, previous: str, version: str, rebuild: bool, was_empty: bool) -> None:
        """Save the keyword index of store ``version`` before the version is published.

        Normally the previous version's index plus this run's change; the whole store is indexed
        again only when there is no previous index here (first run with it, or it was lost), or the
        last writer was killed mid-write (its records are in the store but in no index). Failing
        here never fails the ingest: the first search then builds the index instead."""
        if self.keywords is None:
            return
        changed = list(self._changed.values())
        try:
            if not rebuild:
                base = None if was_empty else previous
                if (base is None or safe_version(base)) and self.keywords.update(base, version, changed, self._removed):
                    return
            self.keywords.rebuild(version, self.store.paragraphs)
        except OSError as exc:  # filelock's Timeout is one too
            log.warning("could not save the keyword index (%s): the first search will build it", exc)

    def _begin_write(self) -> None:
        """Flag the store as mid-write once per run; ``mark_changed`` at the end clears the flag."""
        if not self._marked_writing:
            self.store.mark_writing()
            self._marked_writing = True

    def _write(self, plans: list[_ArticlePlan], stored: Stored, progress: Progress | None) -> int:
        """Embed and upsert the plans' changed paragraphs, then drop their stale records."""
        self._store_batch(plans, stored, self._embed(plans, progress))
        return sum(len(p.to_embed) for p in plans)

    def _embed(self, plans: list[_ArticlePlan], progress: Progress | None) -> _Embedded:
        """Cut the plans' changed paragraphs into windows and embed them (nothing written yet)."""
        self._begin_write()
        ids: list[str] = []
        to_embed: list[Window] = []
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
                    to_embed.append(window)
                    documents.append(paragraph.text if window.index == 0 else window.text)
                    metadatas.append({**meta, "window": window.index})
        vectors = np.zeros((0, self.embedder.dimension), dtype=np.float32)
        if to_embed:
            raw = self._embed_windows(to_embed, [1 / m["windows"] for m in metadatas], progress)
            vectors = self._with_titles(raw, [str(m["title"]) for m in metadatas])
        return _Embedded(ids, vectors, documents, metadatas)

    def _embed_windows(self, windows: list[Window], shares: list[float], progress: Progress | None) -> np.ndarray:
        """The windows' vectors, each distinct text embedded once per run.

        Archives repeat lines word for word ("Advertisement", a byline, "Read more: …", a wire story
        filed twice): 351 of the first 5,000 news paragraphs repeat one before them, about 2 % of
        the model's work. A repeat takes the vector already computed, from this batch or from the
        last ``REPEATS_REMEMBERED`` texts of earlier batches.
        """
        batch = max(1, self.embedder.batch_size)
        out = np.empty((len(windows), self.embedder.dimension), dtype=np.float32)
        rows_of: dict[str, list[int]] = {}
        for row, window in enumerate(windows):
            rows_of.setdefault(window.text, []).append(row)
        todo: list[Window] = []
        for text, rows in rows_of.items():
            known = self._repeats.get(text)
            if known is None:
                todo.append(windows[rows[0]])
            else:
                out[rows] = known
        if progress and len(todo) < len(rows_of):
            progress(sum(shares[r] for w in rows_of if w in self._repeats for r in rows_of[w]))
        for start in range(0, len(todo), batch * 4):
            part = todo[start : start + batch * 4]
            for window, vector in zip(part, self.embedder.encode_windows(part), strict=True):
                out[rows_of[window.text]] = vector
                self._repeats[window.text] = vector
            if progress:
                # Counted in windows, the unit that takes the time, as fractions of their paragraph:
                # a long paragraph moves the bar while it is embedded, not all at once at its end.
                progress(sum(shares[r] for w in part for r in rows_of[w.text]))
        while len(self._repeats) > REPEATS_REMEMBERED:
            del self._repeats[next(iter(self._repeats))]
        return out

    def _store_batch(self, plans: list[_ArticlePlan], stored: Stored, embedded: _Embedded) -> None:
        """Upsert one embedded batch, drop the plans' stale records and note what changed."""
        ids, metadatas = embedded.ids, embedded.metadatas
        self.store.upsert(ids, embedded.vectors, embedded.documents, metadatas)
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
        for plan in plans:
            self._remember_change(plan.article, stored[plan.article.id])

    def _remember_change(self, article: Article, records: dict[str, dict[str, Any]]) -> None:
        """Keep an article as now stored, for the keyword index (its source as the store has it)."""
        if not article.paragraphs:
            self._removed.add(article.id)
            return
        self._changed[article.id] = [
            replace(p, source=str(records.get(record_id(p.id, 0), {}).get("source", p.source)))
            for p in article.paragraphs
        ]

    def _with_titles(self, vectors: np.ndarray, titles: list[str]) -> np.ndarray:
        """In ``"vector"`` mode, each window's vector plus ``title_weight`` × its title's, normalised.

        Each distinct title is embedded once per write (a few per chunk of paragraphs), not once per
        paragraph. Untitled articles keep the paragraph's own vector.
        """
        if self.embed_title != "vector" or not any(titles):
            return vectors
        distinct = sorted({t for t in titles if t})
        title_vectors = dict(zip(distinct, self.embedder.encode_windows([Window(0, t) for t in distinct]), strict=True))
        mixed = vectors.copy()
        for row, title in enumerate(titles):
            if title:
                mixed[row] += self.title_weight * title_vectors[title]
        norms = np.linalg.norm(mixed, axis=1, keepdims=True)
        normalised: np.ndarray = (mixed / np.clip(norms, 1e-12, None)).astype(np.float32, copy=False)
        return normalised


# -- article identity ---------------------------------------------------------------------------


def _counts(records: dict[str, dict[str, Any]]) -> tuple[int, int]:
    """(1 if the article has records, its paragraphs): window-0 records count paragraphs."""
    return (1 if records else 0), sum(1 for m in records.values() if int(m.get("window", 0)) == 0)


def _fingerprint_of(records: dict[str, dict[str, Any]]) -> str:
    """:meth:`Indexer.article_fingerprint` of a stored article, from its records' paragraph hashes."""
    firsts = sorted(
        (int(m.get("paragraph", 0)), str(m.get("hash", ""))) for m in records.values() if not m.get("window")
    )
    return content_hash("|".join(h for _, h in firsts))


def _origin_of(records: dict[str, dict[str, Any]]) -> str:
    """The origin stored with an article's records ("" for records written before origins existed)."""
    return next((str(m["origin"]) for m in records.values() if m.get("origin")), "")


def suffixed_id(article_id: str, origin: str) -> str:
    """The id an article gets when its plain id belongs to another origin: readable, and stable."""
    return f"{article_id}-{content_hash(origin)[:6]}"


def assign_ids(
    articles: list[Article],
    owners: dict[str, str],
    fingerprints: dict[str, str] | None = None,
    fingerprint: Callable[[Article], str] | None = None,
) -> tuple[list[Article], list[LoadProblem]]:
    """Give every article an id that no other origin uses, in the store or in this run.

    The rule (README, "Paragraphs"): an article keeps its plain id (file stem, or a .jsonl line's
    ``id``) unless another file already owns that id; then it is stored as ``<id>-<6 hex digits of
    its origin>`` and a warning says so. An origin already stored under some id keeps that id, so a
    renamed article stays renamed on every later run instead of becoming a duplicate. An id whose
    owner's file is gone goes to the article that now claims it: a folder moved or renamed and
    ingested again replaces its articles instead of storing each a second time.
    ``owners`` maps stored article ids to their origins ("" when unknown: adopted silently).

    A new file whose article has the same text as one already stored (``fingerprints``, by id) or
    read earlier in this run, from a file that still exists, is not stored again and a notice names
    the copy kept: two copies would be cited as two sources, and the same article copied into two
    folders (or two clones of the sample) would hide a real disagreement behind its double.
    """
    by_origin = {origin: aid for aid, origin in owners.items() if origin}
    taken = dict(owners)
    fingerprints = fingerprints or {}
    same_text: dict[str, str] = {}
    for aid, found in fingerprints.items():
        same_text.setdefault(found, aid)
    result: list[Article | None] = [None] * len(articles)
    prints: dict[int, str] = {}

    def text_of(i: int) -> str | None:
        if fingerprint is None:
            return None
        if i not in prints:
            prints[i] = fingerprint(articles[i])
        return prints[i]

    copies: set[int] = set()
    problems: list[LoadProblem] = []
    for first_pass in (True, False):
        for i, article in enumerate(articles):
            if result[i] is not None or i in copies:
                continue
            if first_pass:
                known = by_origin.get(article.origin) if article.origin else None
                owner = taken.get(article.id)
                if known is None and owner and article.origin and owner != article.origin and moved(owner):
                    # A moved file takes back its id before any copy of it can (below).
                    same = text_of(i)
                    known = article.id if same is not None and fingerprints.get(article.id) == same else None
                if known is None:
                    continue
                chosen = known
            else:
                copy = same_text.get(text_of(i) or "") if article.origin else None
                if copy is not None and taken.get(copy) != article.origin and not moved(taken.get(copy, "")):
                    kept = _file_of(taken.get(copy, "")) or "another file"
                    problems.append(
                        LoadProblem(
                            article.source,
                            f"same text as article {copy!r} ({kept}), already stored: not stored again",
                            fatal=False,
                        )
                    )
                    copies.add(i)
                    continue
                chosen = article.id
                owner = taken.get(chosen)
                if owner is not None and owner and article.origin and owner != article.origin and not moved(owner):
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
            same = text_of(i)
            if same is not None and (same not in same_text or moved(taken.get(same_text[same], ""))):
                same_text[same] = chosen
            result[i] = article
    return [a for a in result if a is not None], problems


def moved(origin: str) -> bool:
    """Whether the file an article was stored from no longer exists (moved, renamed or deleted)."""
    try:
        return not Path(_file_of(origin)).exists()
    except (OSError, ValueError):
        return False


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
