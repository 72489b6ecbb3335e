"""Read articles from files and folders, naming every input that could not be used and why.

Nothing here raises for a bad file: a bad file (or a bad JSON line) becomes a :class:`LoadProblem`
and every good article around it is still returned.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.paragraphs import normalise_newlines
from corpus.records import Article, content_hash

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES


@dataclass(frozen=True)
class LoadProblem:
    """An input that was not ingested (or ingested with a caveat)."""

    source: str
    reason: str
    line: int | None = None
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def failed(self) -> list[LoadProblem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[LoadProblem]:
        return [p for p in self.problems if not p.fatal]


def bundled_articles_dir() -> Path:
    """The sample corpus shipped inside the ``corpus`` package."""
    return Path(str(resources.files("corpus") / "articles"))


class _BadInput(Exception):
    pass


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode article bytes: UTF-8 (with or without BOM), else the best guess, with a warning."""
    if b"\x00" in data[:8192]:
        raise _BadInput("looks like a binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise _BadInput("not decodable as text")
    best = _prefer_western(matches)
    text = str(best)
    if _control_share(text) > 0.05:
        raise _BadInput("looks like a binary file, not text")
    return text, f"not UTF-8; decoded as {best.encoding} (a guess)"


# Legacy news files are overwhelmingly Windows-1252/Latin-1; on short texts the detector's language
# guess is weak (it read "Café" as Baltic cp775 "Cafķ"), so a Western code page wins any tie.
WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


def _prefer_western(matches: list[CharsetMatch]) -> CharsetMatch:
    least_chaos = min(m.chaos for m in matches)
    for match in matches:
        if match.encoding in WESTERN_ENCODINGS and match.chaos <= least_chaos + 0.01:
            return match
    return matches[0]


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


def _walk(path: Path, problems: list[LoadProblem]) -> Iterator[Path]:
    """Files under ``path`` with a supported suffix, following links but never looping."""
    seen: set[Path] = set()

    def visit_dir(directory: Path) -> Iterator[Path]:
        try:
            real = directory.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            problems.append(LoadProblem(str(directory), f"cannot resolve folder ({exc.__class__.__name__})"))
            return
        if real in seen:
            problems.append(LoadProblem(str(directory), "link loop: folder already visited", fatal=False))
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            problems.append(LoadProblem(str(directory), f"cannot read folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            child = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from visit_dir(child)
            elif child.suffix.lower() in SUPPORTED_SUFFIXES:
                yield child

    if path.is_dir():
        yield from visit_dir(path)
    else:
        yield path


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing what would hang or flood a read: pipes, devices, oversized files."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _BadInput(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _BadInput("not a regular file (a pipe, socket or device)")  # reading a pipe would hang
    if info.st_size > max_bytes:
        raise _BadInput(f"{info.st_size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit (NEWSBOT_MAX_FILE_MB)")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # a file growing after stat() is still capped
    except OSError as exc:
        raise _BadInput(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise _BadInput(f"over the {max_bytes / 1e6:g} MB limit (NEWSBOT_MAX_FILE_MB)")
    return data


def _text_article(path: Path, max_bytes: int) -> Article:
    text, warning = decode_text(_read_bytes(path, max_bytes))
    text = normalise_newlines(text)
    title = ""
    if path.suffix.lower() == ".md":
        first, _, rest = text.lstrip().partition("\n")
        if first.startswith("# "):
            title, text = first[2:].strip(), rest
    article = Article(
        id=path.stem,
        text=text,
        title=title,
        source=str(path),
        warnings=(warning,) if warning else (),
        origin=str(path.resolve()),
    )
    if not article.paragraphs:
        raise _BadInput("empty: no text")
    return article


def _jsonl_articles(path: Path, max_bytes: int, problems: list[LoadProblem]) -> Iterator[Article]:
    text, warning = decode_text(_read_bytes(path, max_bytes))
    if warning:
        problems.append(LoadProblem(str(path), warning, fatal=False))
    for number, line in enumerate(normalise_newlines(text).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(LoadProblem(str(path), f"not valid JSON ({exc.msg})", line=number))
            continue
        if not isinstance(record, dict):
            problems.append(LoadProblem(str(path), "not a JSON object", line=number))
            continue
        body = record.get("text")
        if body is not None and not isinstance(body, str):
            kind = "a number" if isinstance(body, int | float) else f"a JSON {type(body).__name__}"
            problems.append(LoadProblem(str(path), f"'text' is {kind}, not article text", line=number))
            continue
        if not isinstance(body, str) or not body.strip():
            problems.append(LoadProblem(str(path), "no 'text' field with article text", line=number))
            continue
        fields = {key: _valid_unicode(str(record.get(key) or "")) for key in ("id", "title", "url", "published")}
        text = _valid_unicode(body)
        if any(_SURROGATE.search(str(value)) for value in (body, *(record.get(k) for k in fields)) if value):
            problems.append(
                LoadProblem(
                    str(path),
                    "invalid character (a lone surrogate such as \\ud800) replaced with U+FFFD",
                    line=number,
                    fatal=False,
                )
            )
        # Identity never depends on the line number: adding a line at the top must not rename (and
        # re-embed) every article below it. A line without an id is named by its content.
        key = fields["id"] or content_hash(text)[:8]
        article_id = fields["id"] or f"{path.stem}-{key}"
        yield Article(
            id=article_id,
            text=text,
            title=fields["title"],
            url=fields["url"],
            published=fields["published"],
            source=f"{path}:{number}",
            origin=f"{path.resolve()}::{key}",
        )


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _valid_unicode(text: str) -> str:
    """``text`` with lone surrogates (which no file can store as UTF-8) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def load_articles(paths: Iterable[Path], max_file_mb: float = 20) -> LoadResult:
    """Load every article under ``paths``; duplicates (same text) are kept once."""
    max_bytes = int(max_file_mb * 1_000_000)
    result = LoadResult()
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for root in paths:
        root = Path(root).expanduser()
        if not root.exists() and not root.is_symlink():
            result.problems.append(LoadProblem(str(root), "no such file or folder"))
            continue
        for path in _walk(root, result.problems):
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                result.problems.append(
                    LoadProblem(str(path), f"unsupported file type {path.suffix or '(none)'}: use .txt, .md or .jsonl")
                )
                continue
            try:
                if path.suffix.lower() in JSONL_SUFFIXES:
                    loaded = list(_jsonl_articles(path, max_bytes, result.problems))
                else:
                    loaded = [_text_article(path, max_bytes)]
            except _BadInput as exc:
                result.problems.append(LoadProblem(str(path), str(exc)))
                continue
            for article in loaded:
                _add(article, result, ids, texts)
    return result


def _add(article: Article, result: LoadResult, ids: dict[str, str], texts: dict[str, str]) -> None:
    for warning in article.warnings:
        result.problems.append(LoadProblem(article.source, warning, fatal=False))
    fingerprint = article.hash
    if fingerprint in texts:
        result.problems.append(
            LoadProblem(article.source, f"same text as {texts[fingerprint]}; stored once", fatal=False)
        )
        return
    if article.id in ids:
        new_id = f"{article.id}-{content_hash(article.origin or article.source)[:6]}"
        result.problems.append(
            LoadProblem(
                article.source,
                f"article id {article.id!r} is already used by {ids[article.id]}; stored as {new_id!r}",
                fatal=False,
            )
        )
        article = Article(
            id=new_id,
            text=article.text,
            title=article.title,
            url=article.url,
            published=article.published,
            source=article.source,
            origin=f"{article.origin}::{new_id}",
        )
    ids[article.id] = article.source
    texts[fingerprint] = article.source
    result.articles.append(article)
