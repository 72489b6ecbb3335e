"""One immutable segment of the keyword index: some articles, their paragraphs, and two BM25 blocks.

A segment holds whole articles (an article's paragraphs are never split across segments), so a
re-ingested or removed article is deleted from older segments by one row number. It keeps:

- the paragraph table: article row, paragraph number and text of each paragraph, grouped by article;
- the article table: id, title, url, published, source and lead of each article, its paragraphs'
  range, and a sorted hash of its id (found by binary search, no dict built at start-up);
- BM25 postings over the paragraphs (their text plus the configured context) and over whole
  articles (title and all paragraphs), in the index-wide term numbering of :class:`Vocabulary`.

On disk a segment is a folder of ``.npy`` arrays (text as UTF-8 bytes plus offsets) and a
``segment.json`` written last. Everything is loaded memory-mapped and without pickles, so opening
a million-paragraph segment costs milliseconds and its pages are shared by every process.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import Paragraph
from retrieval.postings import Postings, build_postings, merge_postings
from retrieval.text import terms_many

SEGMENT_FORMAT = 1
ARTICLE_FIELDS = ("id", "title", "url", "published", "source", "lead")
ARTICLE_CACHE = 50_000  # article rows whose metadata a segment keeps decoded
TOKENIZE_CHUNK = 20_000  # paragraphs tokenized at a time: their word strings are dropped after each


class Vocabulary:
    """Index-wide term numbering: terms only ever get appended, so a segment's ids stay valid."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms: list[str] = list(terms)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}
        self.known = len(self.terms)  # terms saved so far; ``added`` are the ones after them

    def copy(self) -> Vocabulary:
        other = Vocabulary.__new__(Vocabulary)
        other.terms, other.ids, other.known = list(self.terms), dict(self.ids), len(self.terms)
        return other

    def __len__(self) -> int:
        return len(self.terms)

    def number(self, tokens: Iterable[str]) -> list[int]:
        ids = self.ids
        out = []
        for token in tokens:
            found = ids.get(token)
            if found is None:
                found = ids[token] = len(self.terms)
                self.terms.append(token)
            out.append(found)
        return out

    @property
    def added(self) -> list[str]:
        return self.terms[self.known :]


def id_hash(text: str) -> int:
    """A stable 63-bit hash of an article id (Python's own ``hash`` differs per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little") >> 1


# -- text columns --------------------------------------------------------------------------------


def _pack(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8)


def _text(offsets: memoryview, blob: memoryview, row: int) -> str:
    return bytes(blob[offsets[row] : offsets[row + 1]]).decode("utf-8", "replace")


def _gather(offsets: np.ndarray, blob: np.ndarray, ranges: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``[start, end)`` of each range, as a new column (no decoding)."""
    pieces, lengths = [], []
    for start, end in ranges:
        pieces.append(np.asarray(blob[int(offsets[start]) : int(offsets[end])]))
        lengths.append(np.diff(np.asarray(offsets[start : end + 1])))
    new_offsets = np.zeros(sum(len(n) for n in lengths) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=new_offsets[1:])
    return new_offsets, (np.concatenate(pieces) if pieces else np.zeros(0, np.uint8)).astype(np.uint8)


# -- the segment ------------------------------------------------------------------------------


@dataclass
class Segment:
    """Arrays by name (see the module docstring); ``name`` is its folder's name."""

    name: str
    arrays: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        a = self.arrays
        self.paragraph_postings = Postings(a["p_indptr"], a["p_docs"], a["p_tf"], a["p_len"])
        self.article_postings = Postings(a["a_indptr"], a["a_docs"], a["a_tf"], a["a_len"])
        # Lookups read single values: a memoryview answers in ~0.1 µs where numpy takes ~1-5 µs,
        # and a search reads a few hundred of them (ids, dates, texts of candidates).
        self._views: dict[str, memoryview] = {}
        self._article_cache: dict[int, dict[str, str]] = {}

    def view(self, name: str) -> memoryview:
        found = self._views.get(name)
        if found is None:
            found = self._views[name] = np.ascontiguousarray(self.arrays[name]).data
        return found

    @property
    def paragraph_count(self) -> int:
        return len(self.arrays["p_number"])

    @property
    def article_count(self) -> int:
        return len(self.arrays["a_first"]) - 1

    # -- lookups -----------------------------------------------------------------------------

    def article_row(self, article_id: str) -> int | None:
        hashes = self.view("a_hash")
        wanted = id_hash(article_id)
        at = bisect.bisect_left(hashes, wanted)
        while at < len(hashes) and hashes[at] == wanted:
            row = self.view("a_order")[at]
            if self.article_field(row, "id") == article_id:
                return row
            at += 1
        return None

    def article_field(self, row: int, field: str) -> str:
        return _text(self.view(f"a_{field}_off"), self.view(f"a_{field}"), row)

    def article_fields(self, row: int) -> dict[str, str]:
        """All metadata of an article row (kept: a search asks for the same articles again and again)."""
        found = self._article_cache.get(row)
        if found is None:
            if len(self._article_cache) >= ARTICLE_CACHE:
                self._article_cache.clear()
            found = self._article_cache[row] = {f: self.article_field(row, f) for f in ARTICLE_FIELDS}
        return found

    def paragraph_range(self, row: int) -> tuple[int, int]:
        first = self.view("a_first")
        return first[row], first[row + 1]

    def paragraph_position(self, row: int, number: int) -> int | None:
        start, end = self.paragraph_range(row)
        numbers = self.view("p_number")
        at = bisect.bisect_left(numbers, number, start, end)
        return at if at < end and numbers[at] == number else None

    def article(self, row: int) -> Paragraph:
        """The article as the article index's document: its id, metadata, and no text."""
        fields = self.article_fields(row)
        return Paragraph(
            article_id=fields["id"],
            number=0,
            text="",
            title=fields["title"],
            url=fields["url"],
            published=fields["published"],
            source=fields["source"],
            lead=fields["lead"],
        )

    def paragraph(self, position: int) -> Paragraph:
        row = self.view("p_article")[position]
        fields = self.article_fields(row)
        number = self.view("p_number")[position]
        return Paragraph(
            article_id=fields["id"],
            number=number,
            text=_text(self.view("p_text_off"), self.view("p_text"), position),
            title=fields["title"],
            url=fields["url"],
            published=fields["published"],
            source=fields["source"],
            lead=fields["lead"],
        )

    def article_ids(self) -> Iterator[str]:
        for row in range(self.article_count):
            yield self.article_field(row, "id")

    def alive_paragraphs(self, dead_articles: np.ndarray) -> np.ndarray:
        """A mask of the paragraphs of articles not in ``dead_articles`` (article rows)."""
        alive = np.ones(self.paragraph_count, dtype=bool)
        first = self.arrays["a_first"]
        for row in np.asarray(dead_articles, dtype=np.int64):
            alive[int(first[row]) : int(first[row + 1])] = False
        return alive

    def alive_articles(self, dead_articles: np.ndarray) -> np.ndarray:
        alive = np.ones(self.article_count, dtype=bool)
        alive[np.asarray(dead_articles, dtype=np.int64)] = False
        return alive

    def check(self) -> bool:
        """Whether the arrays fit together (a damaged folder is rebuilt, never trusted)."""
        a = self.arrays
        n, m = self.paragraph_count, self.article_count
        first = a["a_first"]
        ok = (
            m >= 0
            and len(a["p_article"]) == n
            and len(a["p_text_off"]) == n + 1
            and int(first[0]) == 0
            and int(first[-1]) == n
            and not bool((np.diff(first) < 0).any())
            and len(a["a_hash"]) == m
            and len(a["a_order"]) == m
            and len(self.paragraph_postings.lengths) == n
            and len(self.article_postings.lengths) == m
            and self.paragraph_postings.check()
            and self.article_postings.check()
        )
        if ok and n:
            ok = int(a["p_article"].min()) >= 0 and int(a["p_article"].max()) < m
        if ok and m:
            ok = int(a["a_order"].min()) >= 0 and int(a["a_order"].max()) < m
        for column in ("p_text", *(f"a_{f}" for f in ARTICLE_FIELDS)):
            offsets = a[f"{column}_off"]
            ok = (
                ok
                and int(offsets[0]) == 0
                and int(offsets[-1]) == len(a[column])
                and not bool((np.diff(offsets) < 0).any())
            )
        return bool(ok) and all(len(a[f"a_{f}_off"]) == m + 1 for f in ARTICLE_FIELDS)

    # -- disk --------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the segment as ``folder / self.name``; ``segment.json`` last marks it complete."""
        final = folder / self.name
        tmp = folder / f"{self.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            for key, array in self.arrays.items():
                np.save(tmp / f"{key}.npy", np.ascontiguousarray(array), allow_pickle=False)
            meta = {"format": SEGMENT_FORMAT, "paragraphs": self.paragraph_count, "articles": self.article_count}
            (tmp / "segment.json").write_text(json.dumps(meta), encoding="utf-8")
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: Path) -> Segment | None:
        """The segment saved in ``folder``, memory-mapped; None when incomplete or inconsistent."""
        try:
            meta = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != SEGMENT_FORMAT:
                return None
            arrays = {key: _load_array(folder / f"{key}.npy") for key in _ARRAY_NAMES}
            segment = cls(folder.name, arrays)
            if (segment.paragraph_count, segment.article_count) != (meta.get("paragraphs"), meta.get("articles")):
                return None
            return segment if segment.check() else None
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None


_ARRAY_NAMES = (
    "p_article",
    "p_number",
    "p_text_off",
    "p_text",
    "a_first",
    "a_hash",
    "a_order",
    *(name for f in ARTICLE_FIELDS for name in (f"a_{f}_off", f"a_{f}")),
    *(f"{block}_{part}" for block in ("p", "a") for part in ("indptr", "docs", "tf", "len")),
)


def _load_array(path: Path) -> np.ndarray:
    array: np.ndarray
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:  # an empty array cannot be memory-mapped
        array = np.load(path, allow_pickle=False)
    if array.ndim != 1 or array.dtype.hasobject:
        raise ValueError(f"unexpected array in {path.name}")
    return array


# -- building ----------------------------------------------------------------------------------


def group_articles(paragraphs: Iterable[Paragraph]) -> list[list[Paragraph]]:
    """Paragraphs grouped by article (first appearance order), each article's sorted by number."""
    by_article: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        by_article.setdefault(p.article_id, []).append(p)
    return [sorted(group, key=lambda p: p.number) for group in by_article.values()]


def _context_tokens(plain: list[np.ndarray], title: np.ndarray, numbers: list[int], context: str) -> list[np.ndarray]:
    """Each paragraph's indexed terms: its own plus the context's (``retrieval/keyword.py``).

    The same as tokenizing the joined text: words never run across the joins.
    """
    wanted = set(context.split("+"))
    if not wanted & {"title", "previous", "next"}:
        return plain
    at = {n: i for i, n in enumerate(numbers)}
    empty = np.zeros(0, dtype=np.int64)
    out = []
    for i, number in enumerate(numbers):
        parts = [title] if "title" in wanted else []
        if "previous" in wanted:
            parts.append(plain[at[number - 1]] if number - 1 in at else empty)
        parts.append(plain[i])
        if "next" in wanted:
            parts.append(plain[at[number + 1]] if number + 1 in at else empty)
        out.append(np.concatenate(parts))
    return out


def build_segment(
    name: str, articles: Sequence[Sequence[Paragraph]], vocabulary: Vocabulary, context: str = "none"
) -> Segment:
    """A segment of whole ``articles`` (each a list of its paragraphs), numbering new terms in
    ``vocabulary``. ``context`` is what the paragraph index adds to each paragraph's own words."""
    articles = [sorted(group, key=lambda p: p.number) for group in articles if group]
    paragraphs = [p for group in articles for p in group]
    plain: list[np.ndarray] = []
    for start in range(0, len(paragraphs), TOKENIZE_CHUNK):
        chunk = terms_many([p.text for p in paragraphs[start : start + TOKENIZE_CHUNK]])
        plain.extend(np.asarray(vocabulary.number(t), dtype=np.int64) for t in chunk)
    titles = [np.asarray(vocabulary.number(t), dtype=np.int64) for t in terms_many([g[0].title for g in articles])]

    paragraph_docs: list[np.ndarray] = []
    article_docs: list[np.ndarray] = []
    first = np.zeros(len(articles) + 1, dtype=np.int64)
    at = 0
    for row, group in enumerate(articles):
        mine = plain[at : at + len(group)]
        paragraph_docs.extend(_context_tokens(mine, titles[row], [p.number for p in group], context))
        article_docs.append(np.concatenate([titles[row], *mine]))
        at += len(group)
        first[row + 1] = at

    arrays: dict[str, np.ndarray] = {
        "p_article": np.repeat(np.arange(len(articles), dtype=np.int32), np.diff(first)),
        "p_number": np.asarray([p.number for p in paragraphs], dtype=np.int32),
        "a_first": first,
    }
    arrays["p_text_off"], arrays["p_text"] = _pack([p.text for p in paragraphs])
    for field in ARTICLE_FIELDS:
        values = [g[0].article_id if field == "id" else getattr(g[0], field) for g in articles]
        arrays[f"a_{field}_off"], arrays[f"a_{field}"] = _pack(values)
    hashes = np.asarray([id_hash(g[0].article_id) for g in articles], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    arrays["a_hash"], arrays["a_order"] = hashes[order], order.astype(np.int32)
    for block, docs in (("p", paragraph_docs), ("a", article_docs)):
        postings = build_postings(docs, len(vocabulary))
        arrays.update({f"{block}_indptr": postings.indptr, f"{block}_docs": postings.docs, f"{block}_tf": postings.tf})
        arrays[f"{block}_len"] = postings.lengths
    return Segment(name, arrays)


def merge_segments(name: str, parts: Sequence[tuple[Segment, np.ndarray]], terms: int) -> Segment:
    """One segment holding the live articles of several (``parts``: segment, dead article rows)."""
    arrays: dict[str, np.ndarray] = {}
    live_rows = []
    for segment, dead in parts:
        live_rows.append(np.flatnonzero(segment.alive_articles(dead)))
    # paragraph table
    firsts, numbers, articles_of = [0], [], []
    row_base = 0
    for (segment, _), rows in zip(parts, live_rows, strict=True):
        first = segment.arrays["a_first"]
        for i, row in enumerate(rows):
            start, end = int(first[row]), int(first[row + 1])
            numbers.append(np.asarray(segment.arrays["p_number"][start:end]))
            articles_of.append(np.full(end - start, row_base + i, dtype=np.int32))
            firsts.append(firsts[-1] + end - start)
        row_base += len(rows)
    arrays["a_first"] = np.asarray(firsts, dtype=np.int64)
    arrays["p_number"] = np.concatenate(numbers).astype(np.int32) if numbers else np.zeros(0, np.int32)
    arrays["p_article"] = np.concatenate(articles_of) if articles_of else np.zeros(0, np.int32)
    for column in ("p_text", *(f"a_{f}" for f in ARTICLE_FIELDS)):
        offs, blobs = [], []
        for (segment, _), rows in zip(parts, live_rows, strict=True):
            ranges = (
                [segment.paragraph_range(int(r)) for r in rows]  # an article's paragraphs, in one piece
                if column == "p_text"
                else [(int(r), int(r) + 1) for r in rows]
            )
            off, blob = _gather(segment.arrays[f"{column}_off"], segment.arrays[column], ranges)
            offs.append(off)
            blobs.append(blob)
        total = np.zeros(1, dtype=np.int64)
        pieces = [total]
        base = 0
        for off in offs:
            pieces.append(off[1:] + base)
            base += int(off[-1])
        arrays[f"{column}_off"] = np.concatenate(pieces)
        arrays[column] = np.concatenate(blobs).astype(np.uint8) if blobs else np.zeros(0, np.uint8)
    hashes = (
        np.concatenate(
            [
                np.asarray(seg.arrays["a_hash"])[np.argsort(seg.arrays["a_order"])][rows]
                for (seg, _), rows in zip(parts, live_rows, strict=True)
            ]
        ).astype(np.uint64)
        if parts
        else np.zeros(0, np.uint64)
    )
    order = np.argsort(hashes, kind="stable")
    arrays["a_hash"], arrays["a_order"] = hashes[order], order.astype(np.int32)
    for block, alive_of in (("p", Segment.alive_paragraphs), ("a", Segment.alive_articles)):
        blocks = [
            (segment.paragraph_postings if block == "p" else segment.article_postings, alive_of(segment, dead))
            for segment, dead in parts
        ]
        postings = merge_postings(blocks, terms)
        arrays.update(
            {
                f"{block}_indptr": postings.indptr,
                f"{block}_docs": postings.docs,
                f"{block}_tf": postings.tf,
                f"{block}_len": postings.lengths,
            }
        )
    return Segment(name, arrays)
