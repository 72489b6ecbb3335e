"""Files that admins attach to ``/newsbot ingest``: check them, name them safely, keep them.

An attachment name comes from a stranger's computer, so it is reduced to a plain file name that
cannot climb out of the inbox folder (no ``..``, no slashes, no drive letters, no hidden files).
The name's stem becomes the article id, so uploading a corrected file replaces the old article.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

ALLOWED_SUFFIXES = (".txt", ".md", ".jsonl")
_TEXT_TYPES = {
    "application/json",
    "application/jsonl",
    "application/x-jsonlines",
    "application/jsonlines",
    "application/x-ndjson",
}
_MAX_NAME = 100


def safe_filename(name: str) -> str:
    """A file name made of letters, digits, ``.``, ``_`` and ``-`` only, never hidden or empty."""
    name = unicodedata.normalize("NFKC", name)  # look-alike slashes become real ones first
    base = PureWindowsPath(PurePosixPath(name).name).name  # strip both kinds of folders
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^\w-]+", "_", stem).strip("._-")[:_MAX_NAME] or "upload"
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return f"{stem}.{suffix}" if suffix else stem


def attachment_problem(filename: str, size: int, content_type: str | None, max_bytes: int) -> str | None:
    """Why an attachment cannot be ingested, or None when it looks like an article file."""
    suffix = Path(safe_filename(filename)).suffix
    if suffix not in ALLOWED_SUFFIXES:
        return f"{filename}: not an article file (use {', '.join(ALLOWED_SUFFIXES)})"
    if size > max_bytes:
        return _too_big(filename, size, max_bytes)
    if size == 0:
        return f"{filename}: the file is empty"
    kind = (content_type or "").split(";")[0].strip().lower()
    octet_ok = kind == "application/octet-stream" and suffix == ".jsonl"
    if kind and not (kind.startswith("text/") or kind in _TEXT_TYPES or octet_ok):
        return f"{filename}: Discord says this is {kind}, not a text file"
    return None


def content_problem(filename: str, data: bytes, max_bytes: int) -> str | None:
    """A second look once downloaded: the size Discord announced can differ from the bytes."""
    if len(data) > max_bytes:
        return _too_big(filename, len(data), max_bytes)
    if b"\x00" in data[:8192]:
        return f"{filename}: looks like a binary file, not text"
    return None


def _too_big(filename: str, size: int, max_bytes: int) -> str:
    return f"{filename}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB upload limit"


def inbox_target(inbox: Path, filename: str) -> Path:
    """Where an upload is kept: always directly inside ``inbox``, whatever its original name."""
    root = inbox.resolve()
    target = (root / safe_filename(filename)).resolve()
    if target.parent != root:  # cannot happen after safe_filename; refuse loudly if it ever does
        raise ValueError(f"refusing to write {filename!r} outside the inbox")
    return target


def save_upload(inbox: Path, filename: str, data: bytes) -> Path:
    """Write an upload atomically (a half-written article is never ingested). Blocking."""
    target = inbox_target(inbox, filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    os.replace(partial, target)
    return target
