"""The Discord bot end to end, against an offline Discord (see ``discord_fakes``).

Each test drives the real bot with gateway payloads and asserts what a user would see: the
deferral, the messages, their length and buttons, who they mention (nobody), and what was stored.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import logging
import re
from pathlib import Path
from typing import Any

import discord
import pytest
from discord_fakes import (
    ADMIN_ROLE_ID,
    ALICE,
    APP_ID,
    BOB,
    CHANNEL_ID,
    MANAGE_GUILD,
    OTHER_CHANNEL_ID,
    FakeService,
    admin_payload,
    ask_payload,
    citation,
    click_payload,
    grounded,
    running_bot,
    settle,
    slash,
    until,
    user,
    user_message,
)

from bot.answering.answer import Answer, abstention
from bot.discord_bot import build_intents, run_discord
from bot.discord_bot.invite import MENTION_MODE_PERMISSIONS, SLASH_MODE_PERMISSIONS, invite_url
from bot.discord_bot.options import DiscordOptions
from bot.discord_bot.views import CUSTOM_IDS, SOURCES_ID, THREAD_ID, VOTE_DOWN_ID, VOTE_UP_ID, AnswerView
from config import NewsbotError, Settings
from config.errors import EmptyStoreError

NOBODY = {"parse": []}
QUESTION = "Why was Chris Carter expelled?"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- /ask ------------------------------------------------------------------------------------


def test_ask_defers_then_answers_with_sources_and_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            first, answer = bot.fake.sent
            assert first.kind == "defer" and not first.ephemeral  # "newsbot is thinking…"
            assert answer.kind == "followup" and not answer.ephemeral
            # Others see only "Alice used /ask", so the question heads the reply; the quote is the
            # answer itself, so Sources do not repeat it.
            assert answer.content == (
                f"**Q:** {QUESTION}\n\nChris Carter was expelled on Monday [1].\n\n"
                "**Sources**\n[1] [Carter expelled 1](<https://news.example/1>), ¶3 (2024-05-01)"
            )
            assert answer.allowed_mentions == NOBODY
            assert answer.custom_ids == [SOURCES_ID, VOTE_UP_ID, VOTE_DOWN_ID, THREAD_ID]
            assert service.calls == [(QUESTION, None)]
            stored = bot.feedback.answer_for(int(answer.message["id"]))
            assert stored is not None and stored.question == QUESTION

    run(scenario())


def test_long_answer_is_several_messages_under_2000_with_buttons_on_the_last(
    tmp_path: Path,
) -> None:
    sentence = "The council debated the expulsion of Chris Carter for many hours [1]. "
    long_text = (sentence * 70).strip()  # about 5,000 characters
    quote = "A quote that is long enough to matter. " * 6
    citations = tuple(citation(n, quote) for n in range(1, 7))

    async def scenario() -> None:
        service = FakeService(tmp_path, answer=lambda q: grounded(q, long_text, citations))
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            pieces = bot.fake.visible()
            assert len(pieces) >= 3
            assert all(len(p.content) <= 2000 for p in pieces)
            assert all(p.allowed_mentions == NOBODY for p in pieces)
            assert [bool(p.custom_ids) for p in pieces] == [False] * (len(pieces) - 1) + [True]
            assert "**Sources**" in pieces[-1].content
            joined = " ".join(p.content for p in pieces)
            assert joined.count("[1]") == long_text.count("[1]") + 1  # + the Sources line
            assert bot.feedback.answer_for(int(pieces[-1].message["id"])) is not None

    run(scenario())


def test_everyone_in_an_article_pings_nobody(tmp_path: Path) -> None:
    text = "The mayor wrote @everyone and @here and <@123456789012345678> [1]."
    ping = citation(1, "@everyone please come to the meeting <@&42>")

    async def scenario() -> None:
        service = FakeService(tmp_path, answer=lambda q: grounded(q, text, (ping,)))
        async with running_bot(tmp_path, service) as bot:
            assert bot.allowed_mentions is not None
            assert bot.allowed_mentions.to_dict() == NOBODY  # the default for every message
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            [answer] = bot.fake.visible()
            assert "@everyone" in answer.content  # shown verbatim…
            assert answer.allowed_mentions == NOBODY  # …but notifies no one

    run(scenario())


def test_abstention_is_short_with_votes_but_no_sources_button(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, answer=abstention)
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, "Who won the cup?"))
            await settle()
            [answer] = bot.fake.visible()
            assert answer.content.startswith("**Q:** Who won the cup?\n🤷 The articles don't say.")
            assert len(answer.content) < 200 and "Sources" not in answer.content
            assert answer.custom_ids == [VOTE_UP_ID, VOTE_DOWN_ID, THREAD_ID]

    run(scenario())


def test_event_loop_keeps_running_while_an_answer_is_computed(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, work_s=0.6)  # blocking CPU-like work
        async with running_bot(tmp_path, service) as bot:
            loop = asyncio.get_running_loop()
            ticks: list[float] = []

            async def ticker() -> None:
                while True:
                    ticks.append(loop.time())
                    await asyncio.sleep(0.01)

            clock = asyncio.create_task(ticker())
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await until(lambda: bot.fake.of_kind("followup"), "the answer to be posted")
            clock.cancel()
            await settle()

            assert bot.fake.sent[0].kind == "defer"
            assert len(ticks) >= 20  # ~60 expected; a blocked loop would manage 1 or 2
            gaps = [b - a for a, b in itertools.pairwise(ticks)]
            assert max(gaps) < 0.3, f"the loop stalled for {max(gaps):.2f} s"

    run(scenario())


def test_second_question_within_the_cooldown_is_refused_privately(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service, cooldown_seconds=10) as bot:
            for _ in range(2):
                bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
                await settle()
            refusal = bot.fake.sent[-1]
            assert refusal.kind == "response" and refusal.ephemeral
            assert re.fullmatch(r"⏳ .* ask again in (9|10) s\.", refusal.content)
            assert len(service.calls) == 1
            # someone else is not affected
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION, user_id=BOB))
            await settle()
            assert len(service.calls) == 2

    run(scenario())


def test_busy_when_the_concurrency_cap_is_reached(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, work_s=0.5)
        async with running_bot(tmp_path, service, max_concurrent=1, cooldown_seconds=0) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await until(service.working.is_set, "the first answer to start")
            bot._connection.parse_interaction_create(ask_payload(bot.fake, "Who?", user_id=BOB))
            await settle()
            busy = [s for s in bot.fake.sent if s.kind == "response"]
            assert len(busy) == 1 and busy[0].ephemeral
            assert re.fullmatch(r"⏳ I'm busy .* try again in \d+ s\.", busy[0].content)
            assert [q for q, _ in service.calls] == [QUESTION]
            assert bot.fake.of_kind("followup")  # the first question was still answered

    run(scenario())


def test_readable_errors_for_bad_questions_and_an_empty_store(tmp_path: Path) -> None:
    async def scenario() -> None:
        empty = EmptyStoreError("No articles yet: an admin can add some with /newsbot ingest.")
        service = FakeService(tmp_path, error=empty)
        async with running_bot(tmp_path, service, cooldown_seconds=0) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, "?!?"))
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION, user_id=BOB))
            await settle()
            texts = sorted(s.content for s in bot.fake.visible())
            assert texts[0].startswith("⚠️ No articles yet")
            assert texts[1].startswith("⚠️ Please ask a question in words")
            assert all(not s.custom_ids for s in bot.fake.visible())

    run(scenario())


def test_a_bug_gives_a_short_apology_and_a_logged_traceback(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, error=RuntimeError("index corrupted"))
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            [reply] = bot.fake.visible()
            assert reply.content.startswith("😵 Something went wrong")
            assert "index corrupted" not in reply.content

    with caplog.at_level(logging.INFO, logger="newsbot.discord"):
        run(scenario())
    assert any(r.exc_info and "index corrupted" in str(r.exc_info[1]) for r in caplog.records)


def test_one_info_line_per_question_with_latency_and_outcome_but_no_content(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, answer=lambda q: grounded(q) if "Carter" in q else abstention(q))
        async with running_bot(tmp_path, service, cooldown_seconds=0) as bot:
            for question in (QUESTION, "Who won the secret cup?"):
                bot._connection.parse_interaction_create(ask_payload(bot.fake, question))
                await settle()

    with caplog.at_level(logging.INFO, logger="newsbot.discord"):
        run(scenario())
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("question ")]
    assert len(lines) == 2
    assert re.match(r"question source=slash outcome=grounded latency_ms=\d+ ", lines[0])
    assert re.match(r"question source=slash outcome=abstained latency_ms=\d+ ", lines[1])
    everything = caplog.text
    assert "Carter" not in everything and "secret cup" not in everything


# -- admin commands --------------------------------------------------------------------------


def test_admin_commands_refuse_ordinary_members_privately(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            for sub in ("stats", "sync"):
                bot._connection.parse_interaction_create(admin_payload(bot.fake, sub))
            await settle()
            refusals = bot.fake.sent
            assert len(refusals) == 2
            for refusal in refusals:
                assert refusal.kind == "response" and refusal.ephemeral
                assert refusal.content.startswith("🔒 Only members with the **newsbot-admin** role")
            assert not bot.fake.of_kind("sync")

    run(scenario())


@pytest.mark.parametrize("who", [{"roles": (ADMIN_ROLE_ID,)}, {"permissions": MANAGE_GUILD}])
def test_stats_for_the_admin_role_or_manage_server(tmp_path: Path, who: dict[str, Any]) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot._connection.parse_interaction_create(admin_payload(bot.fake, "stats", **who))
            await settle()
            defer, stats = bot.fake.sent
            assert defer.kind == "defer" and defer.ephemeral
            assert stats.ephemeral and stats.allowed_mentions == NOBODY
            assert "Articles: 12" in stats.content and "Paragraphs: 345" in stats.content
            assert "Feedback: 0 👍 / 0 👎 on 0 answers" in stats.content
            assert "Last ingest: none recorded yet" in stats.content

    run(scenario())


def attachment(
    fake: Any, filename: str, data: bytes, content_type: str | None, size: int | None = None
) -> tuple[str, dict[str, Any]]:
    attachment_id = str(fake.new_id())
    url = f"https://cdn.discordapp.com/attachments/1/{attachment_id}/{filename.split('/')[-1]}"
    fake.cdn[url] = data
    payload = {
        "id": attachment_id,
        "filename": filename,
        "url": url,
        "proxy_url": url,
        "size": len(data) if size is None else size,
    }
    if content_type:
        payload["content_type"] = content_type
    return attachment_id, payload


def ingest_payload(fake: Any, files: list[tuple[str, dict[str, Any]]], **kw: Any) -> dict[str, Any]:
    names = ["file", "file2", "file3"]
    options = [{"name": names[i], "type": 11, "value": fid} for i, (fid, _) in enumerate(files)]
    resolved = {"attachments": dict(files)}
    return slash(fake, "newsbot", [{"name": "ingest", "type": 1, "options": options}], resolved=resolved, **kw)


def test_ingest_saves_uploads_with_safe_names_inside_the_inbox(tmp_path: Path) -> None:
    article = b"# Council expels Carter\n\nChris Carter was expelled on Monday.\n\nHe will appeal."

    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            upload = attachment(bot.fake, "../../etc/Carter story.md", article, "text/markdown; charset=utf-8")
            bot._connection.parse_interaction_create(ingest_payload(bot.fake, [upload], permissions=MANAGE_GUILD))
            await settle()
            defer, result = bot.fake.sent
            assert defer.kind == "defer" and defer.ephemeral and result.ephemeral
            assert result.content.startswith("Ingested 1 article(s), 2 paragraph(s)")
            inbox = (tmp_path / "inbox").resolve()
            assert [p.name for p in inbox.iterdir()] == ["Carter_story.md"]
            assert (inbox / "Carter_story.md").read_bytes() == article
            [loaded] = service.ingested
            assert [a.id for a in loaded.articles] == ["Carter_story"]
            assert [a.title for a in loaded.articles] == ["Council expels Carter"]
            assert not (tmp_path / "etc").exists()
            # The new paragraphs' sentences are embedded in the background: a pass at start, one now.
            assert await asyncio.to_thread(bot.warmer.wait, 30)
            assert service.warm_passes == 2

    run(scenario())


def test_ingest_rejects_wrong_types_and_oversized_files(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service, max_upload_mb=1) as bot:
            files = [
                attachment(bot.fake, "photo.png", b"\x89PNG\r\n", "image/png"),
                attachment(bot.fake, "notes.txt", b"\x89PNG\r\n", "image/png"),
                attachment(bot.fake, "huge.txt", b"x", "text/plain", size=3_000_000),
            ]
            bot._connection.parse_interaction_create(ingest_payload(bot.fake, files, roles=(ADMIN_ROLE_ID,)))
            await settle()
            result = bot.fake.sent[-1]
            assert result.ephemeral and result.content.startswith("Nothing ingested.")
            assert "photo.png: not an article file (use .txt, .md, .jsonl)" in result.content
            assert "notes.txt: Discord says this is image/png" in result.content
            assert "huge.txt: 3.0 MB is over the 1 MB upload limit" in result.content
            assert not (tmp_path / "inbox").exists() and service.ingested == []
            assert await asyncio.to_thread(bot.warmer.wait, 30)
            assert service.warm_passes == 1  # the one at start: nothing new to warm

    run(scenario())


def test_stats_show_the_last_ingest_and_what_readers_down_voted(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            state = bot._connection
            files = [
                attachment(bot.fake, "carter.md", b"# Carter\n\nCarter was expelled.\n\nHe appealed.", "text/markdown"),
                attachment(bot.fake, "empty.txt", b"   \n", "text/plain"),
            ]
            state.parse_interaction_create(ingest_payload(bot.fake, files, permissions=MANAGE_GUILD))
            await settle()
            asked = ((ALICE + 100, "Who won the cup?", (ALICE, BOB)), (BOB + 100, QUESTION, (ALICE,)))
            for asker, question, voters in asked:
                state.parse_interaction_create(ask_payload(bot.fake, question, user_id=asker))
                await settle()
                message = bot.fake.visible()[-1].message
                for voter in voters:
                    state.parse_interaction_create(click_payload(bot.fake, VOTE_DOWN_ID, message, user_id=voter))
                    await settle()
            assert await asyncio.to_thread(bot.warmer.wait, 30)  # the ingest's warming pass is done
            state.parse_interaction_create(admin_payload(bot.fake, "stats", permissions=MANAGE_GUILD))
            await settle()
            stats = bot.fake.sent[-1].content
            assert re.search(
                r"Last ingest: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC — 1 article\(s\), 2 paragraph\(s\) "
                r"\(2 embedded, 0 unchanged\), 1 failed: empty.txt",
                stats,
            )
            assert "Last 7 days: 0 👍 / 3 👎" in stats
            assert "Answer sentence vectors kept: 2,610 (every sentence warmed)" in stats  # passes done
            assert "Most down-voted questions:\n1. Who won the cup? (2 👎, 0 👍)\n2. " + QUESTION in stats

    run(scenario())


def test_sync_registers_the_slash_commands(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            assert not bot.fake.of_kind("sync")  # never on start unless asked
            bot._connection.parse_interaction_create(admin_payload(bot.fake, "sync", permissions=MANAGE_GUILD))
            await settle()
            [sync] = bot.fake.of_kind("sync")
            assert sorted(c["name"] for c in sync.payload) == ["ask", "newsbot"]
            newsbot = next(c for c in sync.payload if c["name"] == "newsbot")
            assert sorted(o["name"] for o in newsbot["options"]) == ["ingest", "stats", "sync"]
            result = bot.fake.sent[-1]
            assert result.ephemeral and result.content.startswith("✅ Synced 2 command(s)")

    run(scenario())


@pytest.mark.parametrize("dms", [False, True])
def test_members_never_see_the_admin_group_and_ask_is_offered_only_where_it_answers(
    tmp_path: Path, dms: bool
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path), answer_dms=dms, sync_commands=True) as bot:
            [sync] = bot.fake.of_kind("sync")
            commands = {c["name"]: c for c in sync.payload}
            # Discord hides /newsbot from members without Manage Server, and from direct messages.
            assert commands["newsbot"]["default_member_permissions"] == int(MANAGE_GUILD)
            assert commands["newsbot"]["dm_permission"] is False
            # /ask is registered for direct messages exactly when the bot answers them.
            assert commands["ask"]["default_member_permissions"] is None
            assert commands["ask"]["dm_permission"] is dms

    run(scenario())


def test_sync_flag_syncs_once_at_start_up(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service, sync_commands=True) as bot:
            assert len(bot.fake.of_kind("sync")) == 1
            assert service.warmed  # the model was loaded in setup_hook

    run(scenario())


@pytest.mark.parametrize(
    "settings",
    [{"warm_in_background": False}, {"answerer": "openai", "llm_base_url": "http://127.0.0.1:9/v1"}],
    ids=["turned off", "an LLM answers"],
)
def test_warming_in_the_background_can_be_turned_off(tmp_path: Path, settings: dict[str, Any]) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path, **settings)
        async with running_bot(tmp_path, service) as bot:
            assert bot.warmer.requested == 0 and service.warm_passes == 0
            bot._connection.parse_interaction_create(admin_payload(bot.fake, "stats", permissions=MANAGE_GUILD))
            await settle()
            assert "Answer sentence vectors kept: 2,610\n" in bot.fake.sent[-1].content  # no claim either way

    run(scenario())


# -- buttons ---------------------------------------------------------------------------------


def test_a_failing_button_apologises_privately_and_logs_the_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            message = bot.fake.visible()[-1].message

            def broken(*args: Any) -> bool:  # a bug in the vote path, not a store outage
                raise RuntimeError("vote bug")

            monkeypatch.setattr(bot.feedback, "vote", broken)
            with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
                bot._connection.parse_interaction_create(click_payload(bot.fake, VOTE_UP_ID, message, user_id=BOB))
                await settle()
            apology = bot.fake.sent[-1]
            assert apology.ephemeral and apology.content.startswith("😵 That button failed")
            [record] = [r for r in caplog.records if r.getMessage() == f"button {VOTE_UP_ID} failed"]
            assert record.exc_info and "vote bug" in str(record.exc_info[1])

    run(scenario())


def test_an_answer_discord_refuses_is_never_lost_silently(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot.fake.refuse_thread_posts = True  # the bot can open threads but not post in them
            asked = user_message(bot.fake, f"<@{APP_ID}> {QUESTION}")
            with caplog.at_level(logging.WARNING, logger="newsbot.discord"):
                bot._connection.parse_message_create(asked)
                await settle()
            assert len(bot.fake.of_kind("thread")) == 1
            [notice] = bot.fake.visible()  # in the channel, as a reply to the asker
            assert notice.channel_id == CHANNEL_ID and notice.reference_id == int(asked["id"])
            assert "cannot post in it" in notice.content and "Send Messages in Threads" in notice.content
            assert any("Send Messages in Threads" in r.getMessage() for r in caplog.records)

            bot.fake.refuse_public_followups = True  # a /ask follow-up Discord refuses
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION, user_id=BOB))
            await settle()
            told = bot.fake.sent[-1]
            assert told.kind == "followup" and told.ephemeral
            assert told.content.startswith("⚠️ I found an answer but Discord would not let me post it")

    run(scenario())


def test_votes_are_stored_without_names_and_can_be_changed(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            message = bot.fake.visible()[-1].message
            bot._connection.parse_interaction_create(click_payload(bot.fake, VOTE_UP_ID, message, user_id=BOB))
            await settle()
            thanks = bot.fake.sent[-1]
            assert thanks.ephemeral and thanks.content.startswith("Thanks")
            [row] = bot.feedback.rows()
            assert row["question"] == QUESTION and row["vote"] == 1
            assert row["answer"] == "Chris Carter was expelled on Monday [1]."
            assert '"paragraph": 3' in row["citations"] and row["time"]
            bot._connection.parse_interaction_create(click_payload(bot.fake, VOTE_DOWN_ID, message, user_id=BOB))
            await settle()
            assert [r["vote"] for r in bot.feedback.rows()] == [-1]  # changed, not doubled

        raw = (tmp_path / "feedback.sqlite3").read_bytes()
        for identity in (str(BOB), "user07", str(ALICE)):
            assert identity.encode() not in raw

    run(scenario())


def test_show_sources_privately_shows_the_full_paragraphs(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            message = bot.fake.visible()[-1].message
            bot._connection.parse_interaction_create(click_payload(bot.fake, SOURCES_ID, message, user_id=BOB))
            await settle()
            shown = bot.fake.sent[-1]
            assert shown.kind == "response" and shown.ephemeral
            assert shown.allowed_mentions == NOBODY
            quote = "**Chris Carter was expelled on Monday.**"
            assert f"> Earlier that day. {quote} Later that week." in shown.content

    run(scenario())


def test_buttons_are_one_persistent_view_that_survives_a_restart(tmp_path: Path) -> None:
    async def first_run() -> dict[str, Any]:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            [view] = bot.persistent_views
            assert isinstance(view, AnswerView) and view.is_persistent()
            assert sorted(item.custom_id for item in view.children) == sorted(CUSTOM_IDS)
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION))
            await settle()
            assert len(bot.persistent_views) == 1  # no view kept per message
            return bot.fake.visible()[-1].message

    async def second_run(message: dict[str, Any]) -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            bot._connection.parse_interaction_create(click_payload(bot.fake, SOURCES_ID, message, user_id=BOB))
            await settle()
            assert "**Chris Carter was expelled on Monday.**" in bot.fake.sent[-1].content

    run(second_run(run(first_run())))


# -- mentions, threads, DMs ------------------------------------------------------------------


def test_mention_opens_a_thread_and_follow_ups_there_share_one_conversation(
    tmp_path: Path,
) -> None:
    question = "Why was Chris Carter expelled " + "after the long and bitter debate " * 4 + "?"

    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service, allowed_channel_ids=[CHANNEL_ID]) as bot:
            state = bot._connection
            state.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> {question}"))
            await settle()
            [thread] = bot.fake.of_kind("thread")
            assert thread.channel_id == CHANNEL_ID
            assert len(thread.content) <= 100 and thread.content.startswith("Why was Chris")
            thread_id = int(bot.fake.threads[0]["id"])
            assert [s.channel_id for s in bot.fake.of_kind("typing")] == [thread_id]
            [answer] = bot.fake.visible()
            assert answer.channel_id == thread_id and answer.allowed_mentions == NOBODY
            assert answer.custom_ids == [SOURCES_ID, VOTE_UP_ID, VOTE_DOWN_ID]  # in a thread: no "Continue in a thread"
            assert service.calls[0][0] == " ".join(question.split())

            # Discord then announces the thread; Bob asks a follow-up in it, without a mention.
            state.parse_thread_create({**bot.fake.threads[0], "newly_created": True})
            follow_up = user_message(
                bot.fake, "When did he appeal?", channel_id=thread_id, author=BOB, mentions_bot=False
            )
            state.parse_message_create(follow_up)
            await settle()
            reply = bot.fake.visible()[-1]
            assert reply.channel_id == thread_id
            assert reply.reference_id == int(follow_up["id"])
            (_, first_conversation), (asked, conversation) = service.calls
            assert asked == "When did he appeal?"
            assert conversation is first_conversation
            assert [t.question for t in conversation.turns] == [" ".join(question.split()), "When did he appeal?"]

            # /ask inside the bot thread continues the same conversation too.
            state.parse_interaction_create(
                ask_payload(bot.fake, "Did he win?", channel_id=thread_id, channel_type=11, user_id=BOB + 1)
            )
            await settle()
            assert service.calls[-1] == ("Did he win?", first_conversation)
            assert len(first_conversation.turns) == 3

    run(scenario())


async def thread_of_a_question(bot: Any) -> int:
    """Mention the bot with :data:`QUESTION` and let Discord announce the thread it opens: its id."""
    state = bot._connection
    state.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> {QUESTION}"))
    await settle()
    state.parse_thread_create({**bot.fake.threads[0], "newly_created": True})
    return int(bot.fake.threads[0]["id"])


def test_a_thread_answers_questions_and_stays_quiet_on_thanks_emoji_and_chatter(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            state = bot._connection
            thread_id = await thread_of_a_question(bot)

            def say(text: str, author: int, mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
                message = user_message(bot.fake, text, channel_id=thread_id, author=author, mentions_bot=False)
                message["mentions"] = mentions or []
                state.parse_message_create(message)
                return message

            say("thanks, that helps!", ALICE)
            say("👍", BOB)
            say(f"<@{ALICE}> what do you think?", BOB, [user(ALICE)])
            say("I think he deserved it", ALICE)
            await settle()
            assert len(bot.fake.visible()) == 1 and not bot.fake.of_kind("reaction")  # nothing said
            assert len(service.calls) == 1

            say("did he appeal the decision", BOB)  # a question without "?" is answered
            too_soon = say("When did he say that?", ALICE)  # Alice asked a moment ago
            await settle()
            assert [q for q, _ in service.calls][1:] == ["did he appeal the decision"]
            assert len(bot.fake.visible()) == 2  # the cooldown notice is not a public message…
            [wait] = bot.fake.of_kind("reaction")  # …but a ⏳ on Alice's question
            assert (wait.content, wait.payload, wait.channel_id) == ("⏳", int(too_soon["id"]), thread_id)

            bot.fake.refuse_reactions = True  # without Add Reactions, the notice falls back to a reply
            say("Why did he write the letter?", ALICE)
            await settle()
            notice = bot.fake.visible()[-1]
            assert notice.content.startswith("⏳ You asked very recently") and notice.channel_id == thread_id

    run(scenario())


def test_thanking_the_bot_by_mention_gets_a_reaction_not_a_thread(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            thanks = user_message(bot.fake, f"<@{APP_ID}> thanks, that helps!")
            bot._connection.parse_message_create(thanks)
            await settle()
            assert service.calls == [] and not bot.fake.visible() and not bot.fake.of_kind("thread")
            [reaction] = bot.fake.of_kind("reaction")
            assert (reaction.content, reaction.payload) == ("👍", int(thanks["id"]))

    run(scenario())


def test_greeting_the_bot_by_mention_is_answered_with_how_to_ask(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> hello there!"))
            await settle()
            assert service.calls == [] and not bot.fake.of_kind("thread")  # no search for "hello there"
            [reply] = bot.fake.visible()
            assert reply.content.startswith("Hi! I answer questions") and "@newsbot Why was" in reply.content

    run(scenario())


def test_source_asked_in_a_thread_shows_the_last_answers_paragraphs(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            thread_id = await thread_of_a_question(bot)
            asked = user_message(bot.fake, "source?", channel_id=thread_id, author=ALICE, mentions_bot=False)
            bot._connection.parse_message_create(asked)
            await settle()
            # It was asked as the follow-up "source (…)?" and answered with a quote again.
            assert len(service.calls) == 1
            shown = bot.fake.visible()[-1]
            assert shown.channel_id == thread_id and "Earlier that day." in shown.content
            assert "**Chris Carter was expelled on Monday.**" in shown.content

    run(scenario())


def test_thread_name_is_plain_text_with_people_named_as_they_read(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            message = user_message(bot.fake, f"<@{APP_ID}> **Why** did <@{BOB}> say <t:1700000000:R> that Carter left?")
            message["mentions"].append({**user(BOB), "username": "bob"})
            bot._connection.parse_message_create(message)
            await settle()
            [thread] = bot.fake.of_kind("thread")
            assert thread.content == "Why did @bob say that Carter left?"

    run(scenario())


def test_without_thread_permission_the_answer_is_a_reply_in_the_channel(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            bot.fake.refuse_threads = True
            message = user_message(bot.fake, f"<@{APP_ID}> {QUESTION}")
            bot._connection.parse_message_create(message)
            await settle()
            assert not bot.fake.of_kind("thread")
            [typing] = bot.fake.of_kind("typing")
            [answer] = bot.fake.visible()
            assert typing.channel_id == answer.channel_id == CHANNEL_ID
            assert answer.reference_id == int(message["id"])
            assert answer.content.startswith("Chris Carter was expelled")
            assert service.calls == [(QUESTION, None)]  # no thread, so no conversation

    run(scenario())


def test_mentions_elsewhere_or_without_mention_mode_are_ignored(tmp_path: Path) -> None:
    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service, allowed_channel_ids=[CHANNEL_ID]) as bot:
            state = bot._connection
            state.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> {QUESTION}", channel_id=OTHER_CHANNEL_ID))
            state.parse_message_create(user_message(bot.fake, QUESTION, mentions_bot=False))
            await settle()
            assert bot.fake.sent == [] and service.calls == []
            # /ask in a channel that is not allowed: told where to ask, privately
            state.parse_interaction_create(ask_payload(bot.fake, QUESTION, channel_id=OTHER_CHANNEL_ID))
            await settle()
            [refusal] = bot.fake.sent
            assert refusal.ephemeral
            assert refusal.content == f"I answer questions in <#{CHANNEL_ID}>."

        async with running_bot(tmp_path, service, answer_mentions=False) as bot:
            bot._connection.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> {QUESTION}"))
            await settle()
            assert bot.fake.sent == [] and service.calls == []

    run(scenario())


def test_a_bare_mention_explains_how_to_ask(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            message = user_message(bot.fake, f"<@{APP_ID}>")
            bot._connection.parse_message_create(message)
            await settle()
            [hint] = bot.fake.visible()
            assert hint.content.startswith("Ask me a question after the mention")
            assert hint.reference_id == int(message["id"]) and hint.allowed_mentions == NOBODY

    run(scenario())


def test_direct_messages_only_when_enabled(tmp_path: Path) -> None:
    dm_channel = 7_000_000_000_000_001

    async def scenario() -> None:
        service = FakeService(tmp_path)
        async with running_bot(tmp_path, service) as bot:
            bot._connection.parse_message_create(
                user_message(bot.fake, QUESTION, channel_id=dm_channel, dm=True, mentions_bot=False)
            )
            bot._connection.parse_interaction_create(ask_payload(bot.fake, QUESTION, dm=True, channel_id=dm_channel))
            await settle()
            [refusal] = bot.fake.sent
            assert refusal.ephemeral and "not in direct messages" in refusal.content

        async with running_bot(tmp_path, service, answer_dms=True) as bot:
            bot._connection.parse_message_create(
                user_message(bot.fake, QUESTION, channel_id=dm_channel, dm=True, mentions_bot=False)
            )
            await settle()
            [answer] = bot.fake.visible()
            assert answer.channel_id == dm_channel and answer.content.startswith("Chris Carter")
            assert answer.allowed_mentions == NOBODY

    run(scenario())


# -- start-up --------------------------------------------------------------------------------


def test_message_content_intent_only_in_mention_mode() -> None:
    mentions = build_intents(DiscordOptions(answer_mentions=True))
    slash_only = build_intents(DiscordOptions(answer_mentions=False))
    assert mentions.message_content and mentions.guild_messages and mentions.guilds
    assert not slash_only.message_content and not slash_only.guild_messages
    assert not mentions.members and not mentions.presences and not mentions.dm_messages
    assert build_intents(DiscordOptions(answer_dms=True)).dm_messages


TOKEN = base64.b64encode(str(APP_ID).encode()).decode().rstrip("=") + ".GhIjKl.secret-part-xyz"


def settings_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str | None) -> Settings:
    for name in ("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    if token is not None:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    return Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]


def test_missing_token_is_a_one_line_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_with(tmp_path, monkeypatch, None)
    with pytest.raises(NewsbotError) as caught:
        run_discord(settings, FakeService(tmp_path))
    message = str(caught.value)
    assert "DISCORD_TOKEN" in message and "\n" not in message


def test_rejected_token_is_a_user_error_that_never_shows_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def discord_says_401(self: Any, token: str) -> Any:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", discord_says_401)
    settings = settings_with(tmp_path, monkeypatch, TOKEN)
    with caplog.at_level(logging.DEBUG), pytest.raises(NewsbotError) as caught:
        run_discord(settings, FakeService(tmp_path))
    assert "rejected" in str(caught.value)
    assert "secret-part" not in str(caught.value) and "secret-part" not in caplog.text


def test_invite_url_has_exactly_the_needed_scopes_and_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_with(tmp_path, monkeypatch, TOKEN)
    assert run_discord(settings, FakeService(tmp_path), invite_url=True) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://discord.com/oauth2/authorize?")
    assert f"client_id={APP_ID}" in url
    assert "scope=bot+applications.commands" in url
    value = int(re.search(r"permissions=(\d+)", url).group(1))  # type: ignore[union-attr]
    wanted = {**MENTION_MODE_PERMISSIONS, **SLASH_MODE_PERMISSIONS}
    assert discord.Permissions(value) == discord.Permissions(**dict.fromkeys(wanted, True))
    assert bin(value).count("1") == len(wanted) == 6
    assert not discord.Permissions(value).administrator

    slash_only = invite_url(APP_ID, DiscordOptions(answer_mentions=False))
    value = int(re.search(r"permissions=(\d+)", slash_only).group(1))  # type: ignore[union-attr]
    assert discord.Permissions(value) == discord.Permissions(view_channel=True, create_public_threads=True)


def test_invite_url_without_any_id_says_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_with(tmp_path, monkeypatch, None)
    with pytest.raises(NewsbotError, match="DISCORD_TOKEN"):
        run_discord(settings, FakeService(tmp_path), invite_url=True)


def test_answer_objects_round_trip_through_the_feedback_store(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, FakeService(tmp_path)) as bot:
            answer = Answer("q", "text [1]", (citation(),), grounded=True)
            await asyncio.to_thread(bot.feedback.record_answer, 42, answer)
            stored = await asyncio.to_thread(bot.feedback.answer_for, 42)
            assert stored is not None
            assert stored.citations == answer.citations
            assert stored.citations[0].paragraph_text.startswith("Earlier that day.")

    run(scenario())


# -- follow-ups with the real service and the bundled articles --------------------------------

WHO = "Who is the party president?"
WHEN = "When did he say that?"


def test_a_thread_remembers_its_conversation_after_a_restart(tmp_path: Path, seed_service: Any) -> None:
    async def first_run() -> dict[str, Any]:
        async with running_bot(tmp_path, seed_service) as bot:
            bot._connection.parse_message_create(user_message(bot.fake, f"<@{APP_ID}> {WHO}"))
            await settle(60)
            [answer] = bot.fake.visible()
            assert "Andrew Little" in answer.content
            return bot.fake.threads[0]

    async def second_run(thread: dict[str, Any]) -> None:
        async with running_bot(tmp_path, seed_service) as bot:  # a new process: nothing in memory
            state = bot._connection
            state.parse_thread_create(thread)
            thread_id = int(thread["id"])
            state.parse_message_create(user_message(bot.fake, WHEN, channel_id=thread_id, mentions_bot=False))
            await settle(60)
            [answer] = bot.fake.visible()
            assert answer.channel_id == thread_id
            assert "Andrew Little said" in answer.content
            *_, latest = bot.feedback.recent_answers(thread_id)
            assert latest.standalone_question == "When did Andrew Little say that?"

    run(second_run(run(first_run())))


def test_slash_only_answers_offer_a_thread_where_ask_continues_the_conversation(
    tmp_path: Path, seed_service: Any
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path, seed_service, answer_mentions=False) as bot:
            state = bot._connection
            state.parse_interaction_create(ask_payload(bot.fake, WHO))
            await settle(60)
            answer = bot.fake.visible()[-1]
            assert answer.custom_ids[-1] == THREAD_ID and "Andrew Little" in answer.content

            state.parse_interaction_create(click_payload(bot.fake, THREAD_ID, answer.message, user_id=BOB))
            await settle()
            [thread] = bot.fake.threads
            assert int(thread["id"]) == int(answer.message["id"]) and thread["name"] == WHO
            [update] = bot.fake.of_kind("update")  # the button is gone: one thread per answer
            assert THREAD_ID not in [c["custom_id"] for row in update.components for c in row["components"]]
            told = bot.fake.sent[-1]
            assert told.ephemeral and f"<#{thread['id']}>" in told.content and "/ask" in told.content

            state.parse_thread_create({**thread, "newly_created": True})
            thread_id = int(thread["id"])
            state.parse_interaction_create(
                ask_payload(bot.fake, WHEN, channel_id=thread_id, channel_type=11, user_id=BOB)
            )
            await settle(60)
            follow_up = bot.fake.visible()[-1]
            assert follow_up.channel_id == thread_id
            assert follow_up.content.startswith(f"**Q:** {WHEN} *(understood as: When did Andrew Little say that?)*")
            assert THREAD_ID not in follow_up.custom_ids  # already in a thread

            state.parse_interaction_create(click_payload(bot.fake, THREAD_ID, answer.message, user_id=ALICE))
            await settle()
            again = bot.fake.sent[-1]
            assert again.ephemeral and again.content.startswith("This answer already has a thread")

    run(scenario())
