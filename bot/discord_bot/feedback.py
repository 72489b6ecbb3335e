"""What readers thought of the answers, in one SQLite file, without knowing who they are.

Each answer the bot posts is kept (question, answer text, citations as JSON) under the id of the
message that carries its buttons, so "Show sources" and the votes work after a restart. A vote is
stored with its time and a keyed hash of the voter's id — enough to let a person change their vote,
never enough to say who voted. No user names or ids are written.

Calls are short and blocking; the bot runs them with ``asyncio.to_thread``. Every call opens and
closes its own connection, so the store is safe to use from any worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.answering.answer import Answer, Citation
from config.errors import StoreUnavailableError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    message_id INTEGER PRIMARY KEY,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    citations  TEXT NOT NULL,
    grounded   INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    message_id INTEGER NOT NULL REFERENCES answers(message_id),
    voter      TEXT NOT NULL,
    vote       INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at   TEXT NOT NULL,
    PRIMARY KEY (message_id, voter)
);
CREATE VIEW IF NOT EXISTS feedback AS
    SELECT a.question, a.answer, a.citations, v.vote, v.voted_at AS time
    FROM votes AS v JOIN answers AS a USING (message_id);
"""


# Added after the first release: which thread or channel an answer went to, and how its question
# was understood, so a thread's conversation can be rebuilt after a restart.
_ADDED_COLUMNS = {"channel_id": "INTEGER", "standalone": "TEXT NOT NULL DEFAULT ''"}


@dataclass(frozen=True)
class StoredAnswer:
    """An answer the bot posted, as the feedback store kept it (for "Show sources" and threads)."""

    question: str
    answer: str
    grounded: bool
    citations: tuple[Citation, ...]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """Answers posted by the bot and the 👍/👎 votes on them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._salt: bytes | None = None
        self._migrated = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10)) as conn, conn:
                if not self._migrated:
                    conn.executescript(_SCHEMA)
                    have = {row[1] for row in conn.execute("PRAGMA table_info(answers)")}
                    for column, kind in _ADDED_COLUMNS.items():
                        if column not in have:
                            conn.execute(f"ALTER TABLE answers ADD COLUMN {column} {kind}")
                    self._migrated = True
                yield conn
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"Cannot use the feedback file {self.path}: {exc}") from None

    def ensure(self) -> None:
        """Create the file and its tables now, so a bad path shows at start-up."""
        with self._connect():
            pass

    def _voter(self, conn: sqlite3.Connection, user_id: int) -> str:
        if self._salt is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'voter_salt'").fetchone()
            if row is None:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('voter_salt', ?)",
                    (secrets.token_hex(32),),
                )
                row = conn.execute("SELECT value FROM meta WHERE key = 'voter_salt'").fetchone()
            self._salt = bytes.fromhex(row[0])
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def record_answer(self, message_id: int, answer: Answer, channel_id: int | None = None) -> None:
        """Keep an answer under its message id, with the thread or channel it was posted in."""
        citations = json.dumps([c.record() for c in answer.citations], ensure_ascii=False)
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO answers (message_id, question, answer, citations, grounded, created_at, "
                "channel_id, standalone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    answer.question,
                    answer.text,
                    citations,
                    int(answer.grounded),
                    _now(),
                    channel_id,
                    answer.standalone_question or answer.question,
                ),
            )

    def recent_answers(self, channel_id: int, limit: int = 6) -> list[Answer]:
        """The last ``limit`` answers of a thread, oldest first, to rebuild its conversation.

        A thread opened from an answer ("Continue in a thread") has that message's id, so the
        answer it grew from counts as its first turn.
        """
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT question, standalone, answer, citations, grounded FROM answers "
                "WHERE channel_id = ? OR message_id = ? ORDER BY message_id DESC LIMIT ?",
                (channel_id, channel_id, limit),
            ).fetchall()
        answers = []
        for question, standalone, text, citations, grounded in reversed(rows):
            cited = tuple(Citation.from_record(c) for c in json.loads(citations))
            answers.append(Answer(question, text, cited, bool(grounded), standalone or question))
        return answers

    def answer_for(self, message_id: int) -> StoredAnswer | None:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT question, answer, grounded, citations FROM answers WHERE message_id = ?",
                (message_id,),
            ).fetchone()
        if row is None:
            return None
        return StoredAnswer(row[0], row[1], bool(row[2]), tuple(Citation.from_record(c) for c in json.loads(row[3])))

    def vote(self, message_id: int, user_id: int, vote: int) -> bool:
        """Store (or change) one person's vote; False when the answer is not on record."""
        if vote not in (-1, 1):
            raise ValueError("vote must be 1 or -1")
        with self._connect() as conn:
            known = conn.execute("SELECT 1 FROM answers WHERE message_id = ?", (message_id,)).fetchone()
            if known is None:
                return False
            conn.execute(
                "INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?)",
                (message_id, self._voter(conn, user_id), vote, _now()),
            )
        return True

    def rows(self, since: str | None = None) -> list[dict[str, Any]]:
        """Every vote with its question, answer and citations (what a review would export)."""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                "SELECT time, vote, question, answer, citations FROM feedback WHERE time >= ? ORDER BY time",
                (since or "",),
            ).fetchall()
        return [dict(r) for r in rows]

    def summary(self, days: int = 7, worst: int = 5) -> dict[str, Any]:
        """What an admin reviews: 👍/👎 in the last ``days`` and the most down-voted questions.

        Questions are grouped by their text, so the same miss asked by several people ranks first.
        """
        since = _since(days)
        with self._connect() as conn:
            up, down = conn.execute(
                "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes WHERE voted_at >= ?",
                (since,),
            ).fetchone()
            rows = conn.execute(
                "SELECT question, SUM(vote = -1) AS down, SUM(vote = 1) AS up FROM feedback "
                "GROUP BY question HAVING down > 0 ORDER BY down DESC, up ASC, MAX(time) DESC LIMIT ?",
                (worst,),
            ).fetchall()
        return {
            "days": days,
            "up": int(up),
            "down": int(down),
            "most_down_voted": [{"question": q, "down": int(d), "up": int(u)} for q, d, u in rows],
        }

    def tally(self) -> dict[str, int]:
        with self._connect() as conn:
            answers = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            up, down = conn.execute(
                "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM votes"
            ).fetchone()
        return {"answers": int(answers), "up": int(up), "down": int(down)}


def _since(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def export_rows(store: FeedbackStore, days: int | None = None) -> list[dict[str, Any]]:
    """Every vote (newest last) with its question, answer and citations; ``days`` limits how far back."""
    return store.rows(since=_since(days) if days else None)
