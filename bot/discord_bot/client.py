"""The Discord client: asks only for the intents it uses and mentions nobody, ever.

``setup_hook`` runs once, before the gateway connects: it loads the model and index in a worker
thread (so the first question is not the slow one), opens the feedback file, adds the commands and
registers the persistent buttons, then starts warming the archive's sentences in a background thread
(bot/background_warming.py; again after each ingest). It does not sync slash commands — syncing on
every start is rate-limited by Discord; use ``newsbot discord --sync`` once, or ``/newsbot sync``.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.background_warming import BackgroundWarmer
from bot.discord_bot.admin import Admin
from bot.discord_bot.ask import Ask
from bot.discord_bot.feedback import FeedbackStore
from bot.discord_bot.options import DiscordOptions
from bot.discord_bot.views import AnswerView
from bot.service import NewsbotService
from config import NewsbotError

log = logging.getLogger("newsbot.discord")


def build_intents(options: DiscordOptions) -> discord.Intents:
    """Guilds always (channels and threads); messages and their content only in mention mode.

    Message content is a privileged intent: it must also be switched on in the Developer Portal,
    so it is requested only when mention mode needs to read what people write in bot threads.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = options.answer_mentions
    intents.message_content = options.answer_mentions
    intents.dm_messages = options.answer_dms
    return intents


class NewsbotBot(commands.Bot):
    """newsbot on Discord: slash commands, optional mention mode, persistent answer buttons."""

    def __init__(
        self,
        service: NewsbotService,
        options: DiscordOptions | None = None,
        *,
        sync_commands: bool = False,
    ) -> None:
        self.service = service
        self.options = options or DiscordOptions()
        self.sync_commands = sync_commands
        self.feedback = FeedbackStore(self.options.feedback_db)
        self.warmer = BackgroundWarmer(service)
        # newsbot never joins voice: skip discord.py's start-up warnings about voice libraries.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=build_intents(self.options),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )

    async def setup_hook(self) -> None:
        try:
            await asyncio.to_thread(self.service.warm_up)
        except NewsbotError as exc:  # e.g. nothing ingested yet: admins can still /newsbot ingest
            log.warning("warm-up: %s", exc)
        await asyncio.to_thread(self.feedback.ensure)
        await self.add_cog(Ask(self, self.service, self.options, self.feedback))
        admin = Admin(self, self.service, self.options, self.feedback, self.warm_archive, self.warming_state)
        await self.add_cog(admin)
        self.warm_archive()
        hint = (
            "ask follow-ups there by simply writing, or with /ask"
            if self.options.answer_mentions
            else "ask follow-ups there with /ask"
        )
        self.add_view(AnswerView(self.feedback, follow_up_hint=hint))
        if self.sync_commands:
            synced = await self.tree.sync()
            log.info("synced %d slash command(s) with Discord", len(synced))

    def warm_archive(self) -> None:
        """Embed the archive's sentences in the background (after start and each ingest), unless
        ``warm_in_background`` is off: the first question about a story is then as fast as the next."""
        if self.service.warms_in_background:
            self.warmer.request()

    def warming_state(self) -> str | None:
        """The background warming's state for ``/newsbot stats``; None when it is turned off."""
        return self.warmer.state if self.service.warms_in_background else None

    async def close(self) -> None:
        await asyncio.to_thread(self.warmer.stop)
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: the cog's listener handles mentions, threads and DMs."""

    async def on_ready(self) -> None:
        log.info(
            "connected as %s to %d server(s); mention mode %s, DMs %s",
            self.user,
            len(self.guilds),
            "on" if self.options.answer_mentions else "off",
            "on" if self.options.answer_dms else "off",
        )
