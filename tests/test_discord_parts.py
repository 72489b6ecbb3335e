"""The Discord bot's small parts: upload names, throttling, options, invite, feedback store."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest

from bot.answering.answer import Answer, Citation
from bot.discord_bot.channel_conversations import ConversationRegistry
from bot.discord_bot.feedback import FeedbackStore
from bot.discord_bot.invite import application_id_from_token
from bot.discord_bot.limits import Throttle
from bot.discord_bot.options import DiscordOptions, inbox_inside
from bot.discord_bot.uploads import (
    attachment_problem,
    content_problem,
    inbox_target,
    safe_filename,
    save_upload,
)
from config import NewsbotError, Settings


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("story.md", "story.md"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\evil.MD", "evil.md"),
        (".hidden.jsonl", "hidden.jsonl"),
        ("my story (final).txt", "my_story_final.txt"),
        ("..", "upload"),
        ("", "upload"),
        ("Ünïcødé ñame.md", "Ünïcødé_ñame.md"),
        ("a／b.md", "b.md"),  # a full-width slash is still a slash
        ("x" * 300 + ".txt", "x" * 100 + ".txt"),
    ],
)
def test_upload_names_cannot_escape_or_hide(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_uploads_land_directly_in_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "data" / "inbox"
    for name in ("../../../x.md", "/abs/y.md", "a/../../z.md", "C:\\w.md"):
        target = inbox_target(inbox, name)
        assert target.parent == inbox.resolve()
    saved = save_upload(inbox, "../notes.txt", b"hello")
    assert saved == inbox.resolve() / "notes.txt" and saved.read_bytes() == b"hello"
    assert [p.name for p in inbox.iterdir()] == ["notes.txt"]  # no partial file left


@pytest.mark.parametrize(
    ("name", "size", "kind", "problem"),
    [
        ("a.txt", 10, "text/plain; charset=utf-8", None),
        ("a.md", 10, None, None),
        ("a.jsonl", 10, "application/octet-stream", None),
        ("a.jsonl", 10, "application/x-ndjson", None),
        ("a.txt", 10, "application/octet-stream", "not a text file"),
        ("a.pdf", 10, "application/pdf", "not an article file"),
        ("a", 10, None, "not an article file"),
        ("a.txt", 0, None, "empty"),
        ("a.txt", 2_000_001, None, "over the 2 MB upload limit"),
    ],
)
def test_attachment_type_and_size_checks(name: str, size: int, kind: str | None, problem: str | None) -> None:
    found = attachment_problem(name, size, kind, 2_000_000)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_downloaded_bytes_are_checked_again() -> None:
    assert content_problem("a.txt", b"plain text", 100) is None
    assert "binary" in (content_problem("a.txt", b"PK\x03\x04\x00\x00", 100) or "")
    assert "over" in (content_problem("a.txt", b"x" * 101, 100) or "")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cooldown_counts_down_per_user() -> None:
    clock = FakeClock()
    throttle = Throttle(cooldown_s=10, max_concurrent=2, clock=clock)
    assert throttle.refusal(1) is None
    clock.now += 3.2
    refusal = throttle.refusal(1)
    assert refusal is not None and refusal.reason == "cooldown"
    assert refusal.message.endswith("ask again in 7 s.")
    assert throttle.refusal(2) is None  # another user
    clock.now += 7
    assert throttle.refusal(1) is None


def test_busy_while_every_slot_is_taken() -> None:
    async def scenario() -> None:
        throttle = Throttle(cooldown_s=0, max_concurrent=1)
        async with throttle.slot():
            refusal = throttle.refusal(7)
            assert refusal is not None and refusal.reason == "busy"
            assert refusal.message.endswith("try again in 5 s.")  # first guess: model loading
        assert throttle.refusal(7) is None

    asyncio.run(scenario())


def test_options_from_settings_default_to_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    options = DiscordOptions.from_settings(settings)
    assert options.feedback_db == tmp_path / "discord-feedback.sqlite3"
    assert options.inbox_dir == tmp_path / "discord-inbox"
    assert options.answer_mentions and not options.answer_dms
    assert options.cooldown_seconds == 10 and options.max_concurrent == 2
    assert options.channel_allowed(123)  # empty list: everywhere


def test_allowed_channels_include_their_threads() -> None:
    options = DiscordOptions(allowed_channel_ids=[5])
    assert options.channel_allowed(5) and options.channel_allowed(99, parent_id=5)
    assert not options.channel_allowed(6) and not options.channel_allowed(99, parent_id=6)


@pytest.mark.parametrize("name", ["../outside", "/tmp/inbox", "", "a/../../b"])
def test_inbox_must_stay_inside_the_data_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(NewsbotError):
        inbox_inside(tmp_path, name)


def test_bad_option_values_are_user_errors() -> None:
    with pytest.raises(NewsbotError):
        DiscordOptions(max_concurrent=0)


def test_application_id_is_read_from_the_token() -> None:
    token = base64.b64encode(b"123456789012345678").decode().rstrip("=") + ".Ab_cD.efg-hij"
    assert application_id_from_token(token) == 123456789012345678
    assert application_id_from_token("not a token") is None
    assert application_id_from_token("") is None


def test_feedback_store_keeps_answers_and_one_vote_per_person(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "fb.sqlite3")
    cited = Citation(1, "a1", "Label", 2, "quote", paragraph_text="a quote here")
    store.record_answer(10, Answer("q", "text [1]", (cited,), grounded=True))
    assert store.vote(10, 555, 1) and store.vote(10, 556, 1) and store.vote(10, 555, -1)
    assert not store.vote(11, 555, 1)  # unknown answer
    assert store.tally() == {"answers": 1, "up": 1, "down": 1}
    assert sorted(r["vote"] for r in store.rows()) == [-1, 1]
    with pytest.raises(ValueError):
        store.vote(10, 555, 0)


def test_conversations_are_per_channel_and_bounded() -> None:
    async def scenario() -> None:
        registry = ConversationRegistry(max_size=2)
        first, _ = registry.get(1)
        assert registry.get(1)[0] is first
        registry.get(2)
        registry.get(3)
        assert 1 not in registry and len(registry) == 2
        registry.forget(3)
        assert 3 not in registry

    asyncio.run(scenario())


def test_feedback_file_follows_a_relative_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None, data_dir=Path("data"))  # type: ignore[call-arg]
    options = DiscordOptions.from_settings(settings)
    assert options.feedback_db == Path("data") / "discord-feedback.sqlite3"
    assert options.inbox_dir == Path("data") / "discord-inbox"


def test_a_feedback_file_from_before_threads_were_remembered_still_works(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:  # the first release's table, with one answer in it
        conn.execute(
            "CREATE TABLE answers (message_id INTEGER PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, "
            "citations TEXT NOT NULL, grounded INTEGER NOT NULL, created_at TEXT NOT NULL)"
        )
        conn.execute("INSERT INTO answers VALUES (1, 'Old?', 'Old answer.', '[]', 0, '2025-01-01T00:00:00+00:00')")
    conn.close()
    store = FeedbackStore(path)
    store.record_answer(2, Answer("Who?", "Andrew Little. [1]", grounded=True, standalone_question="Who?"), 77)
    assert store.answer_for(1) is not None and store.vote(1, 5, -1)
    [restored] = store.recent_answers(77)
    assert (restored.question, restored.text, restored.grounded) == ("Who?", "Andrew Little. [1]", True)


def test_options_without_settings_behave_like_the_default_settings(tmp_path: Path) -> None:
    plain = DiscordOptions()
    from_settings = DiscordOptions.from_settings(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    for name in ("allowed_channel_ids", "answer_mentions", "answer_dms", "cooldown_seconds", "max_concurrent",
                 "admin_role", "max_upload_mb", "application_id"):
        assert getattr(plain, name) == getattr(from_settings, name), name
    assert tmp_path / plain.inbox_dir == from_settings.inbox_dir
    assert tmp_path / plain.feedback_db == from_settings.feedback_db
