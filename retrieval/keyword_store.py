"""The keyword index on disk beside the store: written by whoever changes the store, read by all.

Layout of one folder (``$NEWSBOT_DATA_DIR/cache/keyword-<collection>-<context>``):

- ``manifest-<store version>.json``: the index as of that store version: its segments (each with
  the file listing its dead article rows), vocabulary files, document-frequency arrays and counts;
- ``seg-*``: immutable segments (``retrieval/segment.py``);
- ``vocab-*.json``: the terms each update added, in number order (terms are only ever appended);
- ``df-*.npy``, ``dfa-*.npy``: live document frequencies of every term (paragraphs, articles);
- ``dead-*.npy``: article rows of a segment that a later ingest replaced or removed.

An ingest that changes the store calls :meth:`KeywordStore.update` with the articles it wrote and
removed, before it publishes the store's new version: the index of the previous version plus one
small segment for the change (and a merge of the small segments now and then), so adding ten
articles to a million paragraphs writes a few hundred kilobytes, not the whole index. A reader
opens the manifest of the store's current version and memory-maps what it names. Only when no
manifest exists for that version (an older newsbot wrote the store, or the writer runs on another
machine) does someone :meth:`rebuild` from the store's paragraphs, once, under a lock.

Everything is JSON or numpy arrays loaded without pickles; names in a manifest must match this
module's patterns, so a damaged or hostile file is at worst wrong, and is then rebuilt. The last
:data:`KEEP_VERSIONS` manifests are kept, with what they name; everything else of ours is removed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corpus import Paragraph
from retrieval.keyword import KeywordIndex, Part, safe_version
from retrieval.segment import Segment, Vocabulary, _load_array, build_segment, group_articles, merge_segments

# 6: "M&M's" was indexed as "m" and "ms" (never released); 5: a word with one letter before an apostrophe
# ("O'Brien") was indexed as that letter; 4: one folder per version with bm25s arrays and all paragraphs
# as JSON; 3: the same; 2: a pickle
FORMAT = 7
KEEP_VERSIONS = 3
LOCK_TIMEOUT_S = 1800.0  # a rebuild of a million paragraphs takes minutes; waiting beats building twice

log = logging.getLogger("newsbot.keyword")
log.addHandler(logging.NullHandler())

_FILE = re.compile(r"(?:seg-[0-9a-f]{16}|vocab-[0-9a-f]{16}\.json|(?:df|dfa|dead)-[0-9a-f]{16}\.npy)")
_MANIFEST = re.compile(r"manifest-([A-Za-z0-9]{1,64})\.json")
_TMP = re.compile(
    r"(?:seg-[0-9a-f]{16}|vocab-[0-9a-f]{16}\.json|(?:df|dfa|dead)-[0-9a-f]{16}\.npy|manifest-[A-Za-z0-9]{1,64}\.json)\.\d+\.tmp"
)
_OLD = re.compile(r"[A-Za-z0-9]{1,64}-v\d+(?:\.\d+\.tmp)?|[^/]*-v\d+\.pickle")  # formats 2-4

_cache_lock = threading.Lock()
_segments: dict[Path, Segment] = {}
_vocabularies: dict[Path, tuple[tuple[str, ...], Vocabulary]] = {}


def forget_loaded_keyword_indexes() -> None:
    """Drop this process's cache of opened segments and vocabularies (the next load reads the files)."""
    with _cache_lock:
        _segments.clear()
        _vocabularies.clear()


def _token(prefix: str, suffix: str = "") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}{suffix}"


_COUNTS = ("paragraphs", "paragraph_terms", "articles", "article_terms")


@dataclass
class _Entry:
    segment: Segment
    dead: np.ndarray  # article rows, sorted
    dead_file: str | None  # where ``dead`` is saved; None: not yet

    @property
    def dead_paragraphs(self) -> int:
        first = self.segment.arrays["a_first"]
        return int(np.diff(first)[self.dead].sum()) if len(self.dead) else 0

    @property
    def live_paragraphs(self) -> int:
        return self.segment.paragraph_count - self.dead_paragraphs


@dataclass
class _State:
    vocabulary: Vocabulary
    vocabulary_files: list[str]
    entries: list[_Entry]
    df: np.ndarray
    dfa: np.ndarray
    counts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0.0))

    def indexes(self, version: str) -> tuple[KeywordIndex, KeywordIndex]:
        parts = []
        paragraphs = articles = 0
        for entry in self.entries:
            parts.append(Part.of(entry.segment, entry.dead, paragraphs, articles))
            paragraphs += entry.segment.paragraph_count
            articles += entry.segment.article_count
        c = self.counts
        return (
            KeywordIndex(
                "paragraphs", parts, self.vocabulary, self.df, int(c["paragraphs"]), c["paragraph_terms"], version
            ),
            KeywordIndex("articles", parts, self.vocabulary, self.dfa, int(c["articles"]), c["article_terms"], version),
        )


def _empty_state() -> _State:
    return _State(Vocabulary(), [], [], np.zeros(0, np.int64), np.zeros(0, np.int64))


def _padded(array: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int64)
    out[: len(array)] = array
    return out


class KeywordStore:
    """One keyword index folder (one collection, one paragraph context)."""

    def __init__(self, folder: Path, context: str = "none") -> None:
        self.folder = folder
        self.context = context

    def manifest_path(self, version: str) -> Path | None:
        return self.folder / f"manifest-{version}.json" if safe_version(version) else None

    def has(self, version: str) -> bool:
        path = self.manifest_path(version)
        return path is not None and path.exists()

    # -- reading ---------------------------------------------------------------------------

    def load(self, version: str) -> tuple[KeywordIndex, KeywordIndex] | None:
        """The paragraph and article indexes as of store ``version``, memory-mapped; None if absent or bad."""
        state = self._read(version)
        return state.indexes(version) if state is not None else None

    def _read(self, version: str) -> _State | None:
        path = self.manifest_path(version)
        if path is None:
            return None
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring the keyword index manifest %s: %s", path.name, exc.__class__.__name__)
            return None
        try:
            state = self._state_of(meta, version)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            log.warning("ignoring the keyword index manifest %s: %s", path.name, exc.__class__.__name__)
            return None
        if state is None:
            log.warning("ignoring an inconsistent keyword index at %s", path.name)
        return state

    def _state_of(self, meta: Any, version: str) -> _State | None:
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != version:
            return None
        if meta.get("context") != self.context:
            return None
        files = [str(name) for name in meta["vocabulary"]]
        if not all(_FILE.fullmatch(name) and name.startswith("vocab-") for name in files):
            return None
        vocabulary = self._vocabulary(files)
        terms = int(meta["terms"])
        if vocabulary is None or len(vocabulary) != terms:
            return None
        df, dfa = (self._array(str(meta[key]), key) for key in ("df", "dfa"))
        if len(df) != terms or len(dfa) != terms or df.dtype.kind not in "iu" or dfa.dtype.kind not in "iu":
            return None
        entries = []
        for item in meta["segments"]:
            name, dead_file = str(item["name"]), item.get("dead")
            if not (_FILE.fullmatch(name) and name.startswith("seg-")):
                return None
            segment = self._segment(name)
            if segment is None or segment.paragraph_postings.terms > terms or segment.article_postings.terms > terms:
                return None
            dead = np.zeros(0, np.int64)
            if dead_file is not None:
                dead = np.asarray(self._array(str(dead_file), "dead"), dtype=np.int64)
                if len(dead) and (int(dead.min()) < 0 or int(dead.max()) >= segment.article_count):
                    return None
            entries.append(_Entry(segment, dead, None if dead_file is None else str(dead_file)))
        counts = {key: float(meta["counts"][key]) for key in _COUNTS}
        return _State(vocabulary, files, entries, df, dfa, counts)

    def _array(self, name: str, kind: str) -> np.ndarray:
        if not (_FILE.fullmatch(name) and name.startswith(f"{kind}-")):
            raise ValueError(f"unexpected file name {name!r}")
        return _load_array(self.folder / name)

    def _segment(self, name: str) -> Segment | None:
        path = self.folder / name
        with _cache_lock:
            found = _segments.get(path)
        if found is None:
            found = Segment.load(path)
            if found is not None:
                with _cache_lock:
                    _segments[path] = found
        return found

    def _vocabulary(self, files: list[str]) -> Vocabulary | None:
        """The terms of ``files`` in order; a process extends what it read before instead of rereading."""
        with _cache_lock:
            cached = _vocabularies.get(self.folder)
        if cached is not None and tuple(files) == cached[0]:
            return cached[1]
        if cached is not None and tuple(files[: len(cached[0])]) == cached[0]:
            vocabulary, rest = cached[1].copy(), files[len(cached[0]) :]
        else:
            vocabulary, rest = Vocabulary(), files
        for name in rest:
            added = json.loads((self.folder / name).read_text(encoding="utf-8"))
            if not isinstance(added, list) or not all(isinstance(t, str) for t in added):
                return None
            vocabulary.number(added)
            if len(vocabulary.ids) != len(vocabulary.terms):
                return None  # a term listed twice
        vocabulary.known = len(vocabulary)
        with _cache_lock:
            _vocabularies[self.folder] = (tuple(files), vocabulary)
        return vocabulary

    # -- writing ---------------------------------------------------------------------------

    def _lock(self) -> Any:
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".lock"), timeout=LOCK_TIMEOUT_S)

    def rebuild(self, version: str, paragraphs: Callable[[], Iterable[Paragraph]]) -> tuple[KeywordIndex, KeywordIndex]:
        """Index all ``paragraphs`` of store ``version`` as one segment, and save it when possible.

        Another process may be building the same version: the lock makes this one wait and then
        load that build instead of repeating it. A read-only data folder only costs memory."""
        if not safe_version(version):
            return self._build(paragraphs()).indexes(version)
        try:
            lock = self._lock()
            lock.acquire()
        except OSError:
            return self._build(paragraphs()).indexes(version)
        try:
            existing = self.load(version)
            if existing is not None:
                return existing
            state = self._build(paragraphs())
            try:
                self._write(state, version)
            except OSError as exc:
                log.warning("cannot save the keyword index in %s: %s", self.folder, exc)
                return state.indexes(version)
        finally:
            lock.release()
        return self.load(version) or state.indexes(version)

    def _build(self, paragraphs: Iterable[Paragraph]) -> _State:
        state = _empty_state()
        self._apply(state, group_articles(paragraphs), ())
        return state

    def update(
        self,
        previous: str | None,
        version: str,
        changed: Sequence[Sequence[Paragraph]],
        removed: Iterable[str] = (),
    ) -> bool:
        """Save the index of store ``version``: that of ``previous`` (None: an empty store) with the
        articles in ``changed`` (each all its paragraphs, as now stored) replacing their older rows
        and the ``removed`` article ids dropped. False when ``previous`` has no index here."""
        if not safe_version(version):
            return False
        with self._lock():
            if self.has(version):
                return True
            state = _empty_state() if previous is None else self._read(previous)
            if state is None:
                return False
            self._apply(state, changed, removed)
            self._write(state, version)
        return True

    def _apply(self, state: _State, changed: Sequence[Sequence[Paragraph]], removed: Iterable[str]) -> None:
        """Change ``state`` in place (it shares nothing that a reader holds once this returns)."""
        changed = [group for group in changed if group]
        touched = {group[0].article_id for group in changed} | set(removed)
        state.vocabulary = state.vocabulary.copy()
        df, dfa = np.array(state.df, dtype=np.int64), np.array(state.dfa, dtype=np.int64)
        counts = state.counts
        entries = []
        for entry in state.entries:
            segment = entry.segment
            alive = segment.alive_articles(entry.dead)
            rows = sorted({r for aid in touched if (r := segment.article_row(aid)) is not None and alive[r]})
            if rows:
                dead_now = np.zeros(segment.article_count, dtype=bool)
                dead_now[rows] = True
                paragraphs_now = ~segment.alive_paragraphs(np.asarray(rows))
                p, a = segment.paragraph_postings, segment.article_postings
                df[: p.terms] -= p.document_frequency(paragraphs_now)
                dfa[: a.terms] -= a.document_frequency(dead_now)
                counts["paragraphs"] -= int(paragraphs_now.sum())
                counts["paragraph_terms"] -= float(np.asarray(p.lengths)[paragraphs_now].sum())
                counts["articles"] -= len(rows)
                counts["article_terms"] -= float(np.asarray(a.lengths)[dead_now].sum())
                entry = _Entry(segment, np.union1d(entry.dead, rows).astype(np.int64), None)
            entries.append(entry)
        if changed:
            segment = build_segment(_token("seg"), changed, state.vocabulary, self.context)
            df, dfa = _padded(df, len(state.vocabulary)), _padded(dfa, len(state.vocabulary))
            p, a = segment.paragraph_postings, segment.article_postings
            df[: p.terms] += p.document_frequency()
            dfa[: a.terms] += a.document_frequency()
            counts["paragraphs"] += p.documents
            counts["paragraph_terms"] += float(p.lengths.sum())
            counts["articles"] += a.documents
            counts["article_terms"] += float(a.lengths.sum())
            entries.append(_Entry(segment, np.zeros(0, np.int64), None))
        state.entries = self._merged(entries, len(state.vocabulary))
        state.df, state.dfa = _padded(df, len(state.vocabulary)), _padded(dfa, len(state.vocabulary))

    @staticmethod
    def _merged(entries: list[_Entry], terms: int) -> list[_Entry]:
        """Merge the newest segment into the one before while it is at least half that one's size
        (or that one is mostly dead): segment sizes then fall geometrically, so there are about
        log2(base / newest) of them, and each paragraph is rewritten about that many times."""
        entries = list(entries)
        while len(entries) >= 2:
            older, newer = entries[-2], entries[-1]
            if newer.live_paragraphs * 2 < older.live_paragraphs and older.dead_paragraphs <= older.live_paragraphs:
                break
            merged = merge_segments(_token("seg"), [(older.segment, older.dead), (newer.segment, newer.dead)], terms)
            entries[-2:] = [_Entry(merged, np.zeros(0, np.int64), None)]
        if entries and entries[-1].dead_paragraphs > entries[-1].live_paragraphs:
            last = entries[-1]
            entries[-1] = _Entry(
                merge_segments(_token("seg"), [(last.segment, last.dead)], terms), np.zeros(0, np.int64), None
            )
        return entries

    def _write(self, state: _State, version: str) -> None:
        """Save what ``state`` names that is not on disk yet, then its manifest, then collect garbage."""
        folder = self.folder
        folder.mkdir(parents=True, exist_ok=True)
        for entry in state.entries:
            if not (folder / entry.segment.name / "segment.json").exists():
                entry.segment.save(folder)
            if len(entry.dead) and entry.dead_file is None:
                entry.dead_file = _token("dead", ".npy")
                _save_array(folder / entry.dead_file, entry.dead)
        added = state.vocabulary.added
        if added or not state.vocabulary_files:
            name = _token("vocab", ".json")
            _write_text(folder / name, json.dumps(added, ensure_ascii=False))
            state.vocabulary_files = [*state.vocabulary_files, name]
            state.vocabulary.known = len(state.vocabulary)
        df_name, dfa_name = _token("df", ".npy"), _token("dfa", ".npy")
        _save_array(folder / df_name, state.df)
        _save_array(folder / dfa_name, state.dfa)
        manifest = {
            "format": FORMAT,
            "version": version,
            "context": self.context,
            "terms": len(state.vocabulary),
            "vocabulary": state.vocabulary_files,
            "df": df_name,
            "dfa": dfa_name,
            "segments": [{"name": e.segment.name, "dead": e.dead_file} for e in state.entries],
            "counts": state.counts,
        }
        _write_text(folder / f"manifest-{version}.json", json.dumps(manifest))  # last: the version exists
        with _cache_lock:
            _vocabularies[folder] = (tuple(state.vocabulary_files), state.vocabulary)
        self._collect(version)

    def _collect(self, current: str) -> None:
        """Remove manifests beyond the newest few, files none of the kept ones names, and older formats."""
        manifests = [p for p in self.folder.iterdir() if _MANIFEST.fullmatch(p.name) and not p.is_symlink()]
        manifests.sort(key=lambda p: (p.name != f"manifest-{current}.json", -_mtime(p)))
        referenced: set[str] = set()
        for path in manifests[:KEEP_VERSIONS]:
            try:
                meta = json.loads(path.read_text(encoding="utf-8"))
                referenced.update(str(n) for n in meta["vocabulary"])
                referenced.update((str(meta["df"]), str(meta["dfa"])))
                for item in meta["segments"]:
                    referenced.add(str(item["name"]))
                    if item.get("dead"):
                        referenced.add(str(item["dead"]))
            except (OSError, ValueError, TypeError, KeyError):
                continue
        for path in manifests[KEEP_VERSIONS:]:
            path.unlink(missing_ok=True)
        for entry in self.folder.iterdir():
            name = entry.name
            if entry.is_symlink():
                continue
            ours = (_FILE.fullmatch(name) and name not in referenced) or _OLD.fullmatch(name) or _TMP.fullmatch(name)
            if not ours:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        with _cache_lock:
            for path in [p for p in _segments if p.parent == self.folder and p.name not in referenced]:
                del _segments[path]
        self._collect_legacy_folders()

    def _collect_legacy_folders(self) -> None:
        """Remove sibling ``keyword-*`` folders that hold nothing but caches of older formats.

        Before the segments, each process cached its BM25 indexes as ``keyword-<collection>-articles/
        <version>-v4`` (and ``-none``): after an upgrade nothing reads them again, and at a million
        paragraphs they are hundreds of megabytes. A folder with any current file is left alone."""
        for sibling in self.folder.parent.glob("keyword-*"):
            if sibling == self.folder or sibling.is_symlink() or not sibling.is_dir():
                continue
            entries = list(sibling.iterdir())
            if entries and all(_OLD.fullmatch(e.name) for e in entries):
                shutil.rmtree(sibling, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _save_array(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
    tmp.replace(path)
