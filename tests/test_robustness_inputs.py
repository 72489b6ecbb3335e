"""A messy article folder through the real `newsbot ingest`: every good article stored, every bad one named.

The folder mixes good articles with the inputs a real archive contains: an empty file, a binary file
renamed .txt, Latin-1 and BOM+CRLF text, a file over the size limit, a .jsonl with a broken and an
incomplete line, the same text twice, symlink loops, a named pipe and an unreadable file.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest
from robustness_support import run_cli, snapshot

from corpus import bundled_articles_dir

GOOD = sorted(bundled_articles_dir().glob("*.txt"))[:2]
LATIN1_TEXT = "Café society in Zürich\n\nThe naïve résumé of the mayor was published on Tuesday, the council said.\n"
BOM_CRLF_TEXT = "\ufeffHarbour board meets\r\n\r\nThe board met on Monday to discuss dredging.\r\n\r\nIt voted 5-2.\r\n"
JSONL_LINES = [
    '{"id": "feed-harbour", "title": "Harbour", "text": "The harbour board met on Monday to discuss dredging costs."}',
    '{"id": "feed-broken", "text": "this line never ends',
    '{"id": "feed-no-text", "title": "A title but no text"}',
    '{"id": "feed-rail", "title": "Rail", "text": "The railway strike ended after three days of talks."}',
]


def _messy_folder(root: Path) -> Path:
    folder = root / "articles"
    (folder / "sub").mkdir(parents=True)
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    shutil.copy(GOOD[0], folder / "sub" / "same_text_again.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(gzip.compress(b"not an article " * 500))
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "bom_crlf.txt").write_bytes(BOM_CRLF_TEXT.encode("utf-8"))
    (folder / "huge.txt").write_text("A very long article sentence. " * 4000)  # 120 KB, over the 0.05 MB limit
    (folder / "feed.jsonl").write_text("\n".join(JSONL_LINES) + "\n")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "sub" / "parent").symlink_to("..", target_is_directory=True)
    os.mkfifo(folder / "named_pipe.txt")  # reading it would block ingest forever
    return folder


def test_a_messy_folder_stores_every_good_article_and_names_every_bad_one(tmp_path: Path) -> None:
    folder = _messy_folder(tmp_path)
    data = tmp_path / "data"
    # Problem lines are longer than the 200-column console here: each must stay on one line.
    result = run_cli(["ingest", str(folder)], data, NEWSBOT_MAX_FILE_MB="0.05")
    err = result.stderr

    assert result.returncode == 1, err
    assert "Traceback" not in err
    failed = {line.split("failed: ", 1)[1] for line in err.splitlines() if line.strip().startswith("failed: ")}
    assert failed == {
        f"{folder / 'empty.txt'}: empty: no text",
        f"{folder / 'binary.txt'}: looks like a binary file (NUL bytes), not text",
        f"{folder / 'huge.txt'}: 0.1 MB is over the 0.05 MB limit (NEWSBOT_MAX_FILE_MB)",
        f"{folder / 'feed.jsonl'}:2: not valid JSON (Unterminated string starting at)",
        f"{folder / 'feed.jsonl'}:3: no 'text' field with article text",
        f"{folder / 'loop_a.txt'}: cannot read: Too many levels of symbolic links",
        f"{folder / 'loop_b.txt'}: cannot read: Too many levels of symbolic links",
        f"{folder / 'named_pipe.txt'}: not a regular file (a pipe, socket or device)",
    }
    assert f"warning: {folder / 'latin1.txt'}: not UTF-8; decoded as cp1252 (a guess)" in err
    duplicate = folder / "sub" / "same_text_again.txt"
    assert f"warning: {duplicate}: same text as {folder / GOOD[0].name}; stored once" in err
    assert f"warning: {folder / 'sub' / 'parent'}: link loop: folder already visited" in err
    assert "Articles: 6 " in err  # 2 good files, latin1, bom_crlf, 2 good JSON lines

    store = snapshot(data)
    store.assert_consistent()
    stored_articles = {rid.split("#")[0] for rid in store.records}
    assert stored_articles == {GOOD[0].stem, GOOD[1].stem, "latin1", "bom_crlf", "feed-harbour", "feed-rail"}
    texts = {rid: doc for rid, (_, doc) in store.records.items()}
    assert texts["latin1#1@0"] == "Café society in Zürich"
    assert texts["bom_crlf#1@0"] == "Harbour board meets"  # no BOM, no carriage return
    assert not any("\r" in doc or "\ufeff" in doc for doc in texts.values())


def _without_read_override() -> list[str] | None:
    """A command prefix under which chmod 000 really blocks reading, or None if there is none.

    Tests run as root here, and root reads any file whatever its mode. Dropping the two capabilities
    that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) with util-linux's `setpriv` restores the check.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def test_an_unreadable_file_is_named_and_the_rest_still_stored(tmp_path: Path) -> None:
    prefix = _without_read_override()
    if prefix is None:
        pytest.skip("running as root without `setpriv`: chmod 000 does not stop root from reading a file")
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(GOOD[0], folder / GOOD[0].name)
    locked = folder / "locked.txt"
    locked.write_text("A perfectly good article nobody may read.\n")
    locked.chmod(0)
    data = tmp_path / "data"
    try:
        result = run_cli(["ingest", str(folder)], data, prefix=prefix)
    finally:
        locked.chmod(0o644)

    assert result.returncode == 1, result.stderr
    assert f"failed: {locked}: cannot read: Permission denied" in result.stderr
    assert "Articles: 1 " in result.stderr
    assert {rid.split("#")[0] for rid in snapshot(data).records} == {GOOD[0].stem}
