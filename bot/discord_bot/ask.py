"""The Ask cog: ``/ask``, mentions, thread follow-ups and direct messages (admins: :mod:`.admin`).

Discord gives an interaction 3 seconds for its first response, and an answer can take longer (the
first one loads a model), so ``/ask`` defers at once and posts the answer as a follow-up. Every
blocking call (answering, ingesting, the feedback file) runs in a worker thread. Every message is
sent with ``AllowedMentions.none()``: article text is quoted verbatim and must never ping anyone.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext, suppress
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.conversation import Conversation
from bot.discord_bot.asking import Asker, Outcome
from bot.discord_bot.channel_conversations import ConversationRegistry
from bot.discord_bot.feedback import FeedbackStore
from bot.discord_bot.limits import Throttle
from bot.discord_bot.messages import sources_detail, thread_name
from bot.discord_bot.options import DiscordOptions
from bot.discord_bot.replies import report_failure, send_ephemeral
from bot.discord_bot.views import NO_MENTIONS, THREAD_ARCHIVE_MINUTES, buttons_for
from bot.intent import Intent, classify
from bot.service import MAX_QUESTION_CHARS, NewsbotService
from config import NewsbotError

log = logging.getLogger("newsbot.discord")

POST_FAILED = "⚠️ I found an answer but Discord would not let me post it here. Please tell a server admin."
CANNOT_POST_IN_THREAD = (
    "⚠️ I opened a thread for your question but cannot post in it. A server admin needs to give me "
    "the **Send Messages in Threads** permission in this channel."
)
WAIT = "⏳"
ACKNOWLEDGED = "👍"
HOW_TO_ASK = "Ask me a question after the mention, e.g. “@newsbot Why was Chris Carter expelled?”"
# "@newsbot hi" or "hello" in a direct message: a greeting back and how to ask, not a search for "hi".
GREETED = "Hi! I answer questions about the news articles I have read, citing the paragraphs."
NO_ANSWER_TO_SOURCE = "Each answer's sources are under it: its **Show sources** button shows the full paragraphs."
NOTHING_CITED = "No sources yet: the last answer cited nothing."
ASK_ME = "Ask me a question, e.g. “Why was Chris Carter expelled?”"

Send = Callable[..., Awaitable[discord.Message | None]]


def strip_bot_mention(content: str, bot_id: int) -> str:
    """The question in a message that mentions the bot, without the mention itself."""
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content).split())


@asynccontextmanager
async def typing_indicator(channel: discord.abc.Messageable) -> AsyncIterator[None]:
    """Show "newsbot is typing…" while working; a channel that refuses it is not an error."""
    typing = channel.typing()
    try:
        await typing.__aenter__()
    except discord.HTTPException:
        yield
        return
    try:
        yield
    finally:
        await typing.__aexit__(None, None, None)


class Ask(commands.Cog):
    """``/ask``, mention mode and thread follow-ups (the admin group is :class:`.admin.Admin`)."""

    def __init__(
        self,
        bot: commands.Bot,
        service: NewsbotService,
        options: DiscordOptions,
        feedback: FeedbackStore,
    ) -> None:
        self.bot = bot
        self.service = service
        self.options = options
        self.feedback = feedback
        self.throttle = Throttle(options.cooldown_seconds, options.max_concurrent)
        self.asker = Asker(service, self.throttle)
        self.conversations = ConversationRegistry()
        # /ask is offered only where it can answer: in direct messages only when they are enabled.
        self.ask.guild_only = not options.answer_dms

    # -- /ask ------------------------------------------------------------------------------

    @app_commands.command(name="ask", description="Ask a question about the news articles")
    @app_commands.describe(question="Your question, e.g. Why was Chris Carter expelled?")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
    ) -> None:
        where = self._where_refusal(interaction)
        if where:
            await send_ephemeral(interaction, where)
            return
        refusal = self.throttle.refusal(interaction.user.id)
        if refusal:
            Asker.log_refused("slash", refusal.reason)
            await send_ephemeral(interaction, refusal.message)
            return
        await interaction.response.defer(thinking=True)
        conversation, lock = await self._conversation_for(interaction.channel)
        async with lock:
            outcome = await self.asker.ask(question, conversation, source="slash", header=True)

        async def send(text: str, **kwargs: Any) -> discord.Message | None:
            return await interaction.followup.send(text, wait=True, **kwargs)

        async def failed(exc: discord.HTTPException) -> None:
            log.warning(
                "could not post an /ask answer in channel %s (HTTP %s, code %s)",
                interaction.channel_id,
                exc.status,
                exc.code,
            )
            with suppress(discord.HTTPException):
                await send_ephemeral(interaction, POST_FAILED)

        # In a channel, offer to continue in a thread: slash-only servers have no other follow-ups.
        in_channel = isinstance(interaction.channel, discord.TextChannel)
        await self._deliver(outcome, send, failed, channel_id=interaction.channel_id, thread_button=in_channel)

    def _where_refusal(self, interaction: discord.Interaction) -> str | None:
        if interaction.guild_id is None:
            if self.options.answer_dms:
                return None
            return "I answer questions in servers, not in direct messages."
        parent_id = getattr(interaction.channel, "parent_id", None)
        if self.options.channel_allowed(interaction.channel_id, parent_id):
            return None
        where = ", ".join(f"<#{c}>" for c in self.options.allowed_channel_ids)
        return f"I answer questions in {where}."

    # -- mentions, threads and DMs ---------------------------------------------------------

    def _is_bot_thread(self, channel: object) -> bool:
        me = self.bot.user
        return (
            isinstance(channel, discord.Thread)
            and me is not None
            and channel.owner_id == me.id
            and self.options.channel_allowed(channel.id, channel.parent_id)
        )

    async def _conversation_for(
        self, channel: object
    ) -> tuple[Conversation | None, AbstractAsyncContextManager[Any]]:
        """A bot thread's conversation (rebuilt from the feedback store if needed), else none."""
        if self._is_bot_thread(channel):
            return await self._conversation(channel.id)  # type: ignore[attr-defined]
        return None, nullcontext()

    async def _conversation(self, channel_id: int) -> tuple[Conversation, asyncio.Lock]:
        """The conversation of a thread or DM; after a restart its turns come back from SQLite.

        Memory alone forgot every thread on restart, so "When did he say that?" in an old thread
        was not understood. Each answer is stored with its channel, so the turns can be rebuilt.
        """
        conversation, lock = self.conversations.get(channel_id)
        if self.conversations.needs_history(channel_id):
            async with lock:
                if self.conversations.needs_history(channel_id):
                    try:
                        earlier = await asyncio.to_thread(self.feedback.recent_answers, channel_id)
                    except NewsbotError as exc:
                        log.warning("feedback store: %s (the thread starts a fresh conversation)", exc)
                        earlier = []
                    conversation.restore(earlier)
                    self.conversations.mark_restored(channel_id)
        return conversation, lock

    def _route(self, message: discord.Message, me: discord.ClientUser) -> str | None:
        """``dm``, ``thread`` (a follow-up in a bot thread), ``mention``, or None to stay quiet."""
        channel = message.channel
        if isinstance(channel, discord.DMChannel):
            return "dm" if self.options.answer_dms else None
        if not self.options.answer_mentions:
            return None
        if self._is_bot_thread(channel):
            return "thread"
        if not any(user.id == me.id for user in message.mentions):
            return None
        parent_id = channel.parent_id if isinstance(channel, discord.Thread) else None
        return "mention" if self.options.channel_allowed(channel.id, parent_id) else None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None:
            return
        kind = self._route(message, me)
        if kind is None:
            return
        question = strip_bot_mention(message.content, me.id)
        intent = self._intent(message, kind, question, me)
        if intent is Intent.SOURCES:
            await self._show_sources(message, kind)
            return
        if intent is not Intent.QUESTION:
            if intent in (Intent.GREETING, Intent.HELP) and kind in ("mention", "dm"):
                example = HOW_TO_ASK if kind == "mention" else ASK_ME
                await self._reply(message, f"{GREETED} {example}")
            elif intent is Intent.ACKNOWLEDGEMENT and kind != "thread":
                await self._react(message, ACKNOWLEDGED)  # "@newsbot thanks!": seen, nothing to answer
            elif kind == "mention":
                await self._reply(message, HOW_TO_ASK)
            return  # thanks, emoji and people talking to each other in a thread: stay quiet
        refusal = self.throttle.refusal(message.author.id)
        if refusal:
            Asker.log_refused(kind, refusal.reason)
            await self._refuse_quietly(message, refusal.message)
            return

        destination, conversation, lock = await self._destination(message, kind, question)
        async with typing_indicator(destination), lock:
            outcome = await self.asker.ask(question, conversation, source=kind)

        first = True

        async def send(text: str, **kwargs: Any) -> discord.Message | None:
            nonlocal first
            if first and destination is message.channel:  # reply, so it is clear to whom
                kwargs["reference"] = message.to_reference(fail_if_not_exists=False)
            first = False
            return await destination.send(text, **kwargs)

        async def failed(exc: discord.HTTPException) -> None:
            in_thread = isinstance(destination, discord.Thread)
            permission = "Send Messages in Threads" if in_thread else "Send Messages"
            log.warning(
                "could not post an answer in %s %s (HTTP %s, code %s): the bot needs View Channel and %s there",
                "thread" if in_thread else "channel",
                getattr(destination, "id", "?"),
                exc.status,
                exc.code,
                permission,
            )
            if destination is not message.channel:  # the asker is in the channel: tell them there
                await self._reply(message, CANNOT_POST_IN_THREAD)

        await self._deliver(outcome, send, failed, channel_id=getattr(destination, "id", None))

    def _intent(self, message: discord.Message, kind: str, question: str, me: discord.ClientUser) -> Intent:
        """Whether a message is a question for the bot (see :mod:`bot.intent`, shared with the REPL).

        In a bot thread only a mention of the bot addresses it; a message that mentions or replies
        to someone else is for that person.
        """
        if kind != "thread":
            return classify(question, addressed=True)
        if any(user.id == me.id for user in message.mentions):
            return classify(question, addressed=True)
        others = [user for user in message.mentions if user.id != me.id]
        reference = message.reference.resolved if message.reference else None
        if others or (isinstance(reference, discord.Message) and reference.author.id != me.id):
            return Intent.CHATTER
        return classify(question, addressed=False)

    async def _show_sources(self, message: discord.Message, kind: str) -> None:
        """"source?" or "are you sure?" after an answer: every paragraph it cited, in full (what **Show
        sources** shows, for everyone in the thread). Outside a thread or DM there is no last answer."""
        if kind not in ("thread", "dm"):
            await self._reply(message, NO_ANSWER_TO_SOURCE)
            return
        conversation, _ = await self._conversation(message.channel.id)
        last = conversation.last
        pieces = sources_detail(last.citations) if last is not None and last.citations else [NOTHING_CITED]
        for piece in pieces:
            await self._reply(message, piece)

    async def _react(self, message: discord.Message, emoji: str) -> bool:
        """Add a reaction; False (and a log line naming the permission) when Discord refuses."""
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException as exc:
            log.warning(
                "could not react in channel %s (HTTP %s): the bot needs Add Reactions and Read Message History",
                message.channel.id,
                exc.status,
            )
            return False
        return True

    async def _refuse_quietly(self, message: discord.Message, text: str) -> None:
        """A cooldown or busy notice without a public message: a ⏳ reaction on the question.

        A channel message cannot be ephemeral, and a public "ask again in 7 s" in a shared thread
        is noise for everyone else; if the reaction is refused too, the reply is the fallback.
        """
        if not await self._react(message, WAIT):
            await self._reply(message, text)

    async def _destination(
        self, message: discord.Message, kind: str, question: str
    ) -> tuple[discord.abc.Messageable, Conversation | None, AbstractAsyncContextManager[Any]]:
        """Where to answer: the DM or bot thread itself, else a new thread named after it."""
        channel = message.channel
        if kind in ("dm", "thread"):
            conversation, lock = await self._conversation(channel.id)
            return channel, conversation, lock
        if isinstance(channel, discord.TextChannel):  # text and announcement channels
            try:
                thread = await message.create_thread(
                    name=thread_name(self._readable(message) or question),
                    auto_archive_duration=THREAD_ARCHIVE_MINUTES,
                )
            except discord.HTTPException as exc:
                log.warning(
                    "no thread in channel %s (HTTP %s): the bot needs Create Public Threads; answering in the channel",
                    channel.id,
                    exc.status,
                )
            else:
                self.conversations.mark_restored(thread.id)  # a new thread has no history
                conversation, lock = self.conversations.get(thread.id)
                return thread, conversation, lock
        return channel, None, nullcontext()

    def _readable(self, message: discord.Message) -> str:
        """The message as people read it (``@Alice``, ``#news``), without the bot's own mention."""
        text = message.clean_content
        me = self.bot.user
        if me is not None:
            for name in {me.name, me.display_name}:
                text = text.replace(f"@{name}", " ")
        return " ".join(text.split())

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        self.conversations.forget(payload.thread_id)

    # -- posting ---------------------------------------------------------------------------

    async def _deliver(
        self,
        outcome: Outcome,
        send: Send,
        failed: Callable[[discord.HTTPException], Awaitable[None]],
        *,
        channel_id: int | None = None,
        thread_button: bool = False,
    ) -> discord.Message | None:
        """Post every piece; the buttons go under the last one, which the feedback store keys.

        When Discord refuses a piece, ``failed`` tells the asker somewhere they can see it and logs
        what the admin must fix: an answer must never vanish without a word.
        """
        answer = outcome.answer
        view = None
        if answer is not None:
            view = buttons_for(
                self.feedback, sources=answer.grounded and bool(answer.citations), thread=thread_button
            )
        last: discord.Message | None = None
        try:
            for i, piece in enumerate(outcome.pieces):
                extra: dict[str, Any] = {}
                if view is not None and i == len(outcome.pieces) - 1:
                    extra["view"] = view
                last = await send(piece, allowed_mentions=NO_MENTIONS, **extra)
        except discord.HTTPException as exc:
            await failed(exc)
            return None
        if answer is not None and last is not None:
            try:
                await asyncio.to_thread(self.feedback.record_answer, last.id, answer, channel_id)
            except NewsbotError as exc:
                log.warning("feedback store: %s", exc)
        return last

    async def _reply(self, message: discord.Message, text: str) -> None:
        try:
            await message.channel.send(
                text,
                reference=message.to_reference(fail_if_not_exists=False),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as exc:
            log.warning(
                "could not reply in channel %s (HTTP %s, code %s): the bot needs View Channel, Send Messages "
                "(Send Messages in Threads in a thread) and Read Message History there",
                message.channel.id,
                exc.status,
                exc.code,
            )

    # -- errors ----------------------------------------------------------------------------

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A bug in a command: log it with its traceback, tell the user something short."""
        await report_failure(interaction, error)
