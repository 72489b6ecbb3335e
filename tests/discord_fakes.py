"""An offline Discord for the bot's tests: real discord.py objects, no gateway, no network.

The bot under test is the real ``NewsbotBot``. Only the two places where discord.py talks HTTP are
replaced, by subclasses that record each request and answer with the JSON Discord would send:
``HTTPClient.request`` (channel messages, threads, typing, command sync) and
``AsyncWebhookAdapter.request`` (interaction responses and follow-ups). Gateway events are fed to
the real ``ConnectionState.parse_*`` handlers, so commands, listeners and persistent views are
dispatched exactly as in production.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord.http import HTTPClient
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.answering.answer import Answer, Citation
from bot.answering.warming import WarmSummary
from bot.discord_bot.client import NewsbotBot
from bot.discord_bot.options import DiscordOptions
from bot.service import NewsbotService
from config import Settings
from corpus import LoadResult
from retrieval.indexer import IngestSummary

APP_ID = 1_000_000_000_000_001  # a bot user's id is its application's id
GUILD_ID = 2_000_000_000_000_002
CHANNEL_ID = 3_000_000_000_000_003
OTHER_CHANNEL_ID = 3_000_000_000_000_004
ADMIN_ROLE_ID = 4_000_000_000_000_005
ADMIN_ROLE = "newsbot-admin"
ALICE = 5_000_000_000_000_006
BOB = 5_000_000_000_000_007
MANAGE_GUILD = str(discord.Permissions(manage_guild=True).value)
EPHEMERAL = 64

BOT_USER = {
    "id": str(APP_ID),
    "username": "newsbot",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
    "global_name": None,
}
TIMESTAMP = "2025-01-01T12:00:00.000000+00:00"


def user(user_id: int) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": f"user{user_id % 100}",
        "discriminator": "0",
        "avatar": None,
        "global_name": None,
    }


# -- answers and the service ---------------------------------------------------------------


def citation(n: int = 1, quote: str = "Chris Carter was expelled on Monday.", **kw: Any) -> Citation:
    paragraph = kw.pop("paragraph_text", f"Earlier that day. {quote} Later that week.")
    return Citation(
        n=n,
        article_id=kw.pop("article_id", f"article-{n}"),
        label=kw.pop("label", f"Carter expelled {n}"),
        paragraph=kw.pop("paragraph", 3),
        quote=quote,
        url=kw.pop("url", f"https://news.example/{n}"),
        paragraph_text=paragraph,
        published=kw.pop("published", "2024-05-01"),
    )


def grounded(
    question: str, text: str = "Chris Carter was expelled on Monday [1].", citations: tuple[Citation, ...] | None = None
) -> Answer:
    return Answer(
        question=question, text=text, citations=citations or (citation(),), grounded=True, standalone_question=question
    )


class FakeService(NewsbotService):
    """A real NewsbotService whose chain is a constructed answer (no model, no store).

    ``ask`` is the real one (question cleaning, conversation turns); only the chain is replaced.
    ``work_s`` is a blocking sleep inside the "computation", as the real CPU work would block.
    """

    def __init__(
        self,
        tmp: Path,
        answer: Any = grounded,
        work_s: float = 0.0,
        error: Exception | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(Settings(_env_file=None, data_dir=tmp, **settings))  # type: ignore[call-arg]
        self.make_answer = answer
        self.work_s = work_s
        self.error = error
        self.calls: list[tuple[str, Any]] = []
        self.ingested: list[LoadResult] = []
        self.warmed = False
        self.warm_passes = 0  # passes of the background warming (bot/background_warming.py)
        self.working = threading.Event()  # set while an answer is being computed

    @property
    def chain(self) -> Any:  # type: ignore[override]
        return self

    def invoke(self, inputs: dict[str, Any]) -> Answer:
        self.working.set()
        try:
            time.sleep(self.work_s)
            if self.error is not None:
                raise self.error
            return self.make_answer(inputs["question"])
        finally:
            self.working.clear()

    def ask(self, question: str, conversation: Any = None) -> Answer:
        self.calls.append((question, conversation))
        return super().ask(question, conversation)

    def warm_up(self) -> None:
        self.warmed = True

    def warm_beside_questions(self, *args: Any, **kwargs: Any) -> WarmSummary:
        self.warm_passes += 1
        return WarmSummary(sentences=0, graphs=3, computed=0, seconds=0.0)

    def stats(self) -> dict[str, Any]:
        return {
            "articles": 12,
            "paragraphs": 345,
            "store": "embedded Chroma at /srv/x",
            "collection": "newsbot-paragraphs",
            "model": "all-MiniLM-L6-v2",
            "answerer": "extractive",
            "sentence_vectors": 2610,
        }

    def ingest(self, loaded: LoadResult, *args: Any, **kwargs: Any) -> IngestSummary:
        self.ingested.append(loaded)
        summary = IngestSummary(
            articles=len(loaded.articles),
            paragraphs=sum(len(a.paragraphs) for a in loaded.articles),
            embedded=sum(len(a.paragraphs) for a in loaded.articles),
            failed=loaded.failed,
            warnings=loaded.warnings,
        )
        self._remember_ingest(summary)  # the real service's note of the last ingest
        return summary


# -- the recording Discord -----------------------------------------------------------------


@dataclass
class Sent:
    """One thing the bot did, as a user would see it."""

    kind: str  # defer | response | followup | channel | thread | typing | sync | reaction
    content: str = ""
    ephemeral: bool = False
    allowed_mentions: dict[str, Any] | None = None
    components: list[dict[str, Any]] = field(default_factory=list)
    channel_id: int | None = None
    message: dict[str, Any] | None = None
    payload: Any = None

    @property
    def custom_ids(self) -> list[str]:
        return [c.get("custom_id") for row in self.components for c in row.get("components", [])]

    @property
    def reference_id(self) -> int | None:
        body = self.payload if isinstance(self.payload, dict) else {}
        ref = body.get("message_reference")
        return int(ref["message_id"]) if ref else None


@dataclass
class _Response:
    """The two fields discord.HTTPException reads from an HTTP response."""

    status: int
    reason: str


class FakeDiscord:
    """Answers the bot's HTTP requests like Discord and records them in ``sent``."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.threads: list[dict[str, Any]] = []
        self.cdn: dict[str, bytes] = {}
        self.refuse_threads = False  # as if the bot lacked Create Public Threads
        self.refuse_reactions = False  # as if the bot lacked Add Reactions
        self.refuse_thread_posts = False  # as if the bot lacked Send Messages in Threads
        self.refuse_public_followups = False  # as if Discord refused a public /ask follow-up
        self.violations: list[str] = []  # Discord limits the bot broke (checked when the bot stops)
        self.interaction_channels: dict[str, int] = {}  # interaction token → the channel it came from
        self._ids = itertools.count(9_000_000_000_000_000)

    def new_id(self) -> int:
        return next(self._ids)

    def message_payload(self, channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        message = {
            "id": str(self.new_id()),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "components": body.get("components", []),
        }
        self.messages[int(message["id"])] = message
        return message

    def _check_limits(self, kind: str, body: dict[str, Any]) -> None:
        """Refuse what Discord refuses, as Discord does (400 Invalid Form Body), and remember it.

        The limits live here so that no test has to remember them: ``running_bot`` fails any test
        during which the bot broke one.
        """
        problems = []
        content = body.get("content") or ""
        if len(content) > 2000:
            problems.append(f"{kind} message of {len(content)} characters (limit 2000)")
        rows = body.get("components") or []
        buttons = sum(len(row.get("components", [])) for row in rows)
        if len(rows) > 5 or buttons > 25:
            problems.append(f"{kind} message with {len(rows)} rows / {buttons} components (limit 5 / 25)")
        if body.get("flags", 0) & EPHEMERAL and kind == "channel":
            problems.append("an ephemeral flag on a channel message (only interactions can be ephemeral)")
        if "name" in body and kind == "thread" and not 1 <= len(body["name"]) <= 100:
            problems.append(f"a thread name of {len(body['name'])} characters (1 to 100)")
        if problems:
            self.violations.extend(problems)
            raise discord.HTTPException(
                _Response(400, "Bad Request"), {"code": 50035, "message": "Invalid Form Body: " + "; ".join(problems)}
            )

    def _record_message(self, kind: str, channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        self._check_limits(kind, body)
        if self.refuse_thread_posts and channel_id in {int(t["id"]) for t in self.threads}:
            raise discord.Forbidden(_Response(403, "Forbidden"), {"code": 50013, "message": "Missing Permissions"})
        if self.refuse_public_followups and kind == "followup" and not body.get("flags", 0) & EPHEMERAL:
            raise discord.HTTPException(_Response(400, "Bad Request"), {"code": 50006, "message": "Cannot send"})
        message = self.message_payload(channel_id, body)
        self.sent.append(
            Sent(
                kind=kind,
                content=body.get("content") or "",
                ephemeral=bool(body.get("flags", 0) & EPHEMERAL),
                allowed_mentions=body.get("allowed_mentions"),
                components=body.get("components", []),
                channel_id=channel_id,
                message=message,
                payload=body,
            )
        )
        return message

    def handle(self, method: str, path: str, body: Any) -> Any:
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            kind = body["type"]
            channel_id = self.interaction_channels.get(m.group(2), CHANNEL_ID)
            data = body.get("data") or {}
            reply = {
                "interaction": {
                    "id": m.group(1),
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(data.get("flags", 0) & 64),
                }
            }
            if kind == 5:
                self.sent.append(Sent("defer", ephemeral=bool(data.get("flags", 0) & EPHEMERAL)))
            elif kind == 4:
                message = self._record_message("response", channel_id, data)
                reply["interaction"]["response_message_id"] = message["id"]
                reply["resource"] = {"type": 4, "message": message}
            elif kind == 7:  # UPDATE_MESSAGE: the clicked message is edited in place
                self._check_limits("update", data)
                components = data.get("components", [])
                self.sent.append(Sent("update", content=data.get("content") or "", components=components))
            else:
                raise AssertionError(f"unexpected interaction response type {kind}")
            return reply
        if (m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)", path)) and method == "POST":
            return self._record_message("followup", self.interaction_channels.get(m.group(2), CHANNEL_ID), body)
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            return self._record_message("channel", int(m.group(1)), body)
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/reactions/([^/]+)/@me", path):
            if self.refuse_reactions:
                raise discord.Forbidden(_Response(403, "Forbidden"), {"code": 50013, "message": "Missing Permissions"})
            emoji = urllib.parse.unquote(m.group(3))
            self.sent.append(Sent("reaction", content=emoji, channel_id=int(m.group(1)), payload=int(m.group(2))))
            return None
        if m := re.fullmatch(r"/channels/(\d+)/typing", path):
            self.sent.append(Sent("typing", channel_id=int(m.group(1))))
            return None
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path):
            self._check_limits("thread", body)
            if self.refuse_threads:
                raise discord.Forbidden(_Response(403, "Forbidden"), {"code": 50013, "message": "Missing Permissions"})
            if any(t["id"] == m.group(2) for t in self.threads):
                raise discord.HTTPException(
                    _Response(400, "Bad Request"),
                    {"code": 160004, "message": "A thread has already been created for this message"},
                )
            thread = {
                "id": m.group(2),  # as on Discord: a thread started from a message has its id
                "type": 11,
                "guild_id": str(GUILD_ID),
                "parent_id": m.group(1),
                "owner_id": str(APP_ID),
                "name": body["name"],
                "last_message_id": None,
                "message_count": 0,
                "member_count": 1,
                "rate_limit_per_user": 0,
                "flags": 0,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": body.get("auto_archive_duration", 1440),
                    "archive_timestamp": TIMESTAMP,
                    "locked": False,
                },
            }
            self.threads.append(thread)
            self.sent.append(Sent("thread", content=body["name"], channel_id=int(m.group(1)), payload=body))
            return thread
        if re.fullmatch(r"/applications/(\d+)/commands", path) and method == "PUT":
            self.sent.append(Sent("sync", payload=body))
            return [
                {
                    **cmd,
                    "id": str(self.new_id()),
                    "application_id": str(APP_ID),
                    "version": "1",
                    "default_member_permissions": _str_or_none(cmd.get("default_member_permissions")),
                    "type": cmd.get("type", 1),
                }
                for cmd in body
            ]
        raise AssertionError(f"the bot made an unexpected request: {method} {path}")

    # what tests look at
    def of_kind(self, *kinds: str) -> list[Sent]:
        return [s for s in self.sent if s.kind in kinds]

    def visible(self) -> list[Sent]:
        """Every message the bot posted (not deferrals, typing or thread creation)."""
        return self.of_kind("response", "followup", "channel")


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


class RecordingHTTPClient(HTTPClient):
    """discord.py's HTTP client with the network replaced by :class:`FakeDiscord`."""

    def __init__(self, fake: FakeDiscord, loop: Any) -> None:
        super().__init__(loop)
        self.fake = fake

    async def request(self, route: discord.http.Route, *, files: Any = None, form: Any = None, **kwargs: Any) -> Any:
        return self.fake.handle(route.method, route.url[len(route.BASE) :], kwargs.get("json"))

    async def get_from_cdn(self, url: str) -> bytes:
        return self.fake.cdn[url]


class RecordingWebhookAdapter(AsyncWebhookAdapter):
    """The adapter interaction responses and follow-ups go through, answered by FakeDiscord."""

    def __init__(self, fake: FakeDiscord) -> None:
        super().__init__()
        self.fake = fake

    async def request(
        self, route: Any, session: Any, *, payload: Any = None, multipart: Any = None, **kwargs: Any
    ) -> Any:
        if multipart:  # files: the JSON part is the first one
            payload = json.loads(multipart[0]["value"])
        return self.fake.handle(route.method, route.url[len(route.BASE) :], payload)


class OfflineBot(NewsbotBot):
    """The real bot, with its HTTP client swapped for the recording one."""

    def __init__(self, fake: FakeDiscord, service: NewsbotService, options: DiscordOptions, **kwargs: Any) -> None:
        super().__init__(service, options, **kwargs)
        self.http = RecordingHTTPClient(fake, self.loop)
        self._connection.http = self.http
        self.tree._http = self.http
        self._connection.application_id = APP_ID


def guild_payload() -> dict[str, Any]:
    def role(role_id: int, name: str, perms: int) -> dict[str, Any]:
        return {
            "id": str(role_id),
            "name": name,
            "permissions": str(perms),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def text(channel_id: int, name: str) -> dict[str, Any]:
        return {
            "id": str(channel_id),
            "type": 0,
            "name": name,
            "position": 0,
            "permission_overwrites": [],
            "guild_id": str(GUILD_ID),
        }

    return {
        "id": str(GUILD_ID),
        "name": "Newsroom",
        "owner_id": str(BOB),
        "member_count": 3,
        "roles": [role(GUILD_ID, "@everyone", discord.Permissions.general().value), role(ADMIN_ROLE_ID, ADMIN_ROLE, 0)],
        "channels": [text(CHANNEL_ID, "news"), text(OTHER_CHANNEL_ID, "random")],
        "threads": [],
        "members": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    }


@asynccontextmanager
async def running_bot(
    tmp: Path, service: NewsbotService, fake: FakeDiscord | None = None, **option_kw: Any
) -> AsyncIterator[OfflineBot]:
    """A set-up bot in one guild; yields once ``setup_hook`` has run."""
    fake = fake or FakeDiscord()
    option_kw.setdefault("feedback_db", tmp / "feedback.sqlite3")
    option_kw.setdefault("inbox_dir", tmp / "inbox")
    option_kw.setdefault("admin_role", ADMIN_ROLE)
    sync = option_kw.pop("sync_commands", False)
    bot = OfflineBot(fake, service, DiscordOptions(**option_kw), sync_commands=sync)
    bot.fake = fake  # type: ignore[attr-defined]
    reset = async_context.set(RecordingWebhookAdapter(fake))
    try:
        async with bot:
            state = bot._connection
            state.user = discord.ClientUser(state=state, data=BOT_USER)
            await bot.setup_hook()
            state._add_guild(discord.Guild(data=guild_payload(), state=state))
            yield bot
    finally:
        async_context.reset(reset)
    assert not fake.violations, f"the bot broke Discord's limits: {fake.violations}"


async def until(condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    """Wait for ``condition`` to hold, polling the event loop; fail naming ``what`` after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.01)


async def settle(timeout: float = 10.0) -> None:
    """Wait until every task the bot started (commands, listeners, buttons) has finished."""
    current = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
        if not pending:
            return
        if loop.time() > deadline:
            raise AssertionError(f"tasks still running: {pending}")
        await asyncio.wait(pending, timeout=0.05)


# -- gateway events --------------------------------------------------------------------------


def member(user_id: int, roles: tuple[int, ...] = (), permissions: str = "0") -> dict[str, Any]:
    return {
        "user": user(user_id),
        "roles": [str(r) for r in roles],
        "permissions": permissions,
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
        "avatar": None,
        "premium_since": None,
        "pending": False,
    }


def interaction_payload(
    fake: FakeDiscord,
    kind: int,
    data: dict[str, Any],
    *,
    user_id: int = ALICE,
    roles: tuple[int, ...] = (),
    permissions: str = "0",
    channel_id: int = CHANNEL_ID,
    channel_type: int = 0,
    dm: bool = False,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    interaction_id = fake.new_id()
    fake.interaction_channels[f"interaction-token-{interaction_id}"] = channel_id
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"interaction-token-{interaction_id}",
        "version": 1,
        "data": data,
        "channel_id": str(channel_id),
        "locale": "en-US",
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10**7,
        "channel": {"id": str(channel_id), "type": 1 if dm else channel_type},
    }
    if dm:
        payload["user"] = user(user_id)
        payload["context"] = 1
    else:
        payload["guild_id"] = str(GUILD_ID)
        payload["member"] = member(user_id, roles, permissions)
        payload["context"] = 0
    if message is not None:
        payload["message"] = message
    return payload


def slash(
    fake: FakeDiscord,
    name: str,
    options: list[dict[str, Any]] | None = None,
    resolved: dict[str, Any] | None = None,
    **kw: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(fake.new_id()), "name": name, "type": 1, "options": options or []}
    if resolved:
        data["resolved"] = resolved
    return interaction_payload(fake, 2, data, **kw)


def ask_payload(fake: FakeDiscord, question: str, **kw: Any) -> dict[str, Any]:
    return slash(fake, "ask", [{"name": "question", "type": 3, "value": question}], **kw)


def admin_payload(
    fake: FakeDiscord, sub: str, options: list[dict[str, Any]] | None = None, **kw: Any
) -> dict[str, Any]:
    return slash(fake, "newsbot", [{"name": sub, "type": 1, "options": options or []}], **kw)


def click_payload(fake: FakeDiscord, custom_id: str, message: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return interaction_payload(fake, 3, {"custom_id": custom_id, "component_type": 2}, message=message, **kw)


def user_message(
    fake: FakeDiscord,
    content: str,
    *,
    channel_id: int = CHANNEL_ID,
    author: int = ALICE,
    mentions_bot: bool = True,
    dm: bool = False,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(fake.new_id()),
        "channel_id": str(channel_id),
        "author": user(author),
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [BOT_USER] if mentions_bot else [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
    }
    if not dm:
        payload["guild_id"] = str(GUILD_ID)
        payload["member"] = {k: v for k, v in member(author).items() if k != "user"}
    return payload
