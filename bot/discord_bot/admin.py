"""``/newsbot stats | ingest | sync``: the admin group, as a ``GroupCog`` Discord hides from members.

Two locks, because each covers a different failure. ``default_permissions(manage_guild=True)``
makes Discord hide the group from everyone without Manage Server (server admins can still grant
it to a role in Server Settings → Integrations), and ``guild_only`` keeps it out of direct
messages. ``interaction_check`` then checks again at run time — default permissions are only a
default that a server can change — and lets the configured admin role in.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot.access import is_admin, refusal_text
from bot.discord_bot.feedback import FeedbackStore
from bot.discord_bot.messages import escape, ingest_text, stats_text
from bot.discord_bot.options import DiscordOptions
from bot.discord_bot.replies import report_failure, send_ephemeral
from bot.discord_bot.uploads import attachment_problem, content_problem, inbox_target, save_upload
from bot.service import NewsbotService
from config import NewsbotError

log = logging.getLogger("newsbot.discord")


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Admin(commands.GroupCog, group_name="newsbot", group_description="newsbot administration (admins only)"):
    """The admin commands; refused (privately) to anyone who is not an admin."""

    def __init__(
        self,
        bot: commands.Bot,
        service: NewsbotService,
        options: DiscordOptions,
        feedback: FeedbackStore,
        on_ingested: Callable[[], None] = lambda: None,
        warming_state: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.bot = bot
        self.service = service
        self.options = options
        self.feedback = feedback
        self.on_ingested = on_ingested  # the bot warms the new paragraphs' sentences (background_warming)
        self.warming_state = warming_state
        self._ingest_lock = asyncio.Lock()
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Admins only, whatever the server did to the default permissions; others are told why."""
        if is_admin(interaction.user, interaction.permissions, self.options.admin_role):
            return True
        await send_ephemeral(interaction, refusal_text(self.options.admin_role))
        return False

    @app_commands.command(name="stats", description="How many articles newsbot knows, and its feedback")
    async def stats(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            stats = await asyncio.to_thread(self.service.stats)
            votes = await asyncio.to_thread(self.feedback.tally)
            feedback = await asyncio.to_thread(self.feedback.summary)
            last_ingest = await asyncio.to_thread(self.service.last_ingest)
            text = stats_text(stats, votes, last_ingest, feedback, self.warming_state())
        except NewsbotError as exc:
            text = f"⚠️ {escape(str(exc))}"
        await send_ephemeral(interaction, text)

    @app_commands.command(name="ingest", description="Add articles from attached .txt/.md/.jsonl files")
    @app_commands.describe(
        file="An article (.txt or .md) or JSON Lines file (.jsonl)",
        file2="Another article file",
        file3="Another article file",
    )
    async def ingest(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        file2: discord.Attachment | None = None,
        file3: discord.Attachment | None = None,
    ) -> None:
        if self._ingest_lock.locked():
            await send_ephemeral(interaction, "An ingest is already running; try again later.")
            return
        async with self._ingest_lock:
            await interaction.response.defer(ephemeral=True, thinking=True)
            text = await self._ingest_files([a for a in (file, file2, file3) if a is not None])
        await send_ephemeral(interaction, text)

    async def _ingest_files(self, attachments: Sequence[discord.Attachment]) -> str:
        inbox = self.options.inbox_dir
        limit = self.options.max_upload_bytes
        rejected: list[str] = []
        saved: list[Any] = []
        for attachment in attachments:
            name = attachment.filename
            problem = attachment_problem(name, attachment.size, attachment.content_type, limit)
            if problem is None and inbox_target(inbox, name) in saved:
                problem = f"{name}: same file name as another upload in this command"
            if problem is None:
                try:
                    data = await attachment.read()
                except discord.HTTPException as exc:
                    problem = f"{name}: download from Discord failed (HTTP {exc.status})"
                else:
                    problem = content_problem(name, data, limit)
                    if problem is None:
                        saved.append(await asyncio.to_thread(save_upload, inbox, name, data))
            if problem:
                rejected.append(problem)
        if not saved:
            return "Nothing ingested.\n" + "\n".join(f"- {escape(p)}" for p in rejected)
        try:
            loaded = await asyncio.to_thread(self.service.load, saved)
            summary = (await asyncio.to_thread(self.service.ingest, loaded)).as_dict()
        except NewsbotError as exc:
            return f"⚠️ {escape(str(exc))}"
        self.on_ingested()
        log.info(
            "ingest source=discord files=%d articles=%d paragraphs=%d",
            len(saved),
            summary.get("articles", 0),
            summary.get("paragraphs", 0),
        )
        folder = str(inbox.resolve()) + os.sep  # show file names, not the server's folders
        for key in ("failed", "warnings"):
            summary[key] = [str(p).replace(folder, "") for p in summary.get(key, [])]
        return ingest_text(summary, rejected)

    @app_commands.command(name="sync", description="Register newsbot's slash commands with Discord")
    async def sync(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            synced = await self.bot.tree.sync()
        except discord.HTTPException as exc:
            text = f"⚠️ Discord refused the sync (HTTP {exc.status})."
        else:
            names = ", ".join(f"/{c.name}" for c in synced)
            text = f"✅ Synced {len(synced)} command(s): {names}. They may take a minute to show."
        await send_ephemeral(interaction, text)

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """A refused member was already told why; a bug is logged with its traceback."""
        if isinstance(error, app_commands.CheckFailure):
            return
        await report_failure(interaction, error)
