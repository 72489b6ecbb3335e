"""The buttons under every answer: "Show sources", 👍 and 👎.

The view is persistent (no timeout, fixed ``custom_id``s) and registered once at start-up, so the
buttons on old answers keep working after a restart. It holds no per-answer state: the answer is
looked up in the feedback store by the id of the message whose button was pressed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Final

import discord
from discord import Interaction
from discord.ui import Button

from bot.discord_bot.feedback import FeedbackStore, StoredAnswer
from bot.discord_bot.messages import sources_detail, thread_name
from config import NewsbotError

log = logging.getLogger("newsbot.discord")

SOURCES_ID = "newsbot:sources"
THREAD_ID = "newsbot:thread"
VOTE_UP_ID = "newsbot:vote:up"
VOTE_DOWN_ID = "newsbot:vote:down"
CUSTOM_IDS = (SOURCES_ID, VOTE_UP_ID, VOTE_DOWN_ID, THREAD_ID)
THREAD_ARCHIVE_MINUTES: Final = 1440  # a day, one of the four durations Discord accepts
ALREADY_HAS_THREAD = 160004  # Discord's error code: "A thread has already been created for this message"

NO_MENTIONS = discord.AllowedMentions.none()
GREY = discord.ButtonStyle.secondary
BUTTON_FAILED = "😵 That button failed. It has been logged; please try again later."
FORGOTTEN = "I no longer have this answer on record, sorry."


class AnswerView(discord.ui.View):
    """Persistent buttons; ``sources=False`` leaves out "Show sources" (for abstentions) and
    ``thread=True`` adds "Continue in a thread" (for /ask answers posted in a channel).

    ``follow_up_hint`` tells the clicker how to ask in the new thread: with /ask only, or also by
    simply writing there when mention mode reads messages.
    """

    def __init__(
        self, feedback: FeedbackStore, *, sources: bool = True, thread: bool = True, follow_up_hint: str = ""
    ) -> None:
        super().__init__(timeout=None)
        self.feedback = feedback
        self.follow_up_hint = follow_up_hint or "ask follow-ups there with /ask"
        if not sources:
            self.remove_item(self.show_sources)
        if not thread:
            self.remove_item(self.continue_in_thread)

    @discord.ui.button(label="Show sources", style=GREY, custom_id=SOURCES_ID)
    async def show_sources(self, interaction: Interaction, button: Button[AnswerView]) -> None:
        """Every cited paragraph in full, only for the person who asked to see them."""
        stored = await self._stored(interaction)
        pieces = sources_detail(stored.citations) if stored else [FORGOTTEN]
        await interaction.response.send_message(pieces[0], ephemeral=True, allowed_mentions=NO_MENTIONS)
        for piece in pieces[1:]:
            await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(emoji="👍", style=GREY, custom_id=VOTE_UP_ID)
    async def vote_up(self, interaction: Interaction, button: Button[AnswerView]) -> None:
        await self._vote(interaction, 1)

    @discord.ui.button(emoji="👎", style=GREY, custom_id=VOTE_DOWN_ID)
    async def vote_down(self, interaction: Interaction, button: Button[AnswerView]) -> None:
        await self._vote(interaction, -1)

    async def on_error(self, interaction: Interaction, error: Exception, item: discord.ui.Item[AnswerView]) -> None:
        """A failing button is logged with its traceback and the clicker gets a short apology.

        discord.py's default only prints the traceback, so the clicker saw "This interaction
        failed" and the admin had no log line on ``newsbot.discord``.
        """
        log.error("button %s failed", getattr(item, "custom_id", "?"), exc_info=error)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(BUTTON_FAILED, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(BUTTON_FAILED, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not tell the clicker (HTTP %s)", exc.status)

    @discord.ui.button(label="Continue in a thread", emoji="🧵", style=GREY, custom_id=THREAD_ID)
    async def continue_in_thread(self, interaction: Interaction, button: Button[AnswerView]) -> None:
        """Open a thread on the answer; its conversation starts from this answer.

        A thread opened from a message has that message's id, and the answer is stored under it,
        so the first follow-up there ("When did he say that?") already knows what "he" means.
        """
        message = interaction.message
        if message is None:
            await interaction.response.send_message(FORGOTTEN, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        stored = await self._stored(interaction)
        try:
            thread = await message.create_thread(
                name=thread_name(stored.question if stored else "Follow-up questions"),
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            if exc.code == ALREADY_HAS_THREAD:
                text = "This answer already has a thread: open it under the answer."
            else:
                log.warning(
                    "could not open a thread in channel %s (HTTP %s): the bot needs Create Public Threads there",
                    message.channel.id,
                    exc.status,
                )
                text = (
                    "⚠️ I cannot open a thread here. A server admin needs to give me the "
                    "**Create Public Threads** permission in this channel."
                )
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        ids = {child.custom_id for row in message.components for child in getattr(row, "children", [])}
        await interaction.response.edit_message(view=buttons_for(self.feedback, sources=SOURCES_ID in ids))
        await interaction.followup.send(
            f"🧵 Continue in {thread.mention}: {self.follow_up_hint}.", ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def _stored(self, interaction: discord.Interaction) -> StoredAnswer | None:
        if interaction.message is None:
            return None
        try:
            return await asyncio.to_thread(self.feedback.answer_for, interaction.message.id)
        except NewsbotError as exc:
            log.warning("feedback store: %s", exc)
            return None

    async def _vote(self, interaction: discord.Interaction, vote: int) -> None:
        recorded = False
        if interaction.message is not None:
            try:
                recorded = await asyncio.to_thread(
                    self.feedback.vote, interaction.message.id, interaction.user.id, vote
                )
            except NewsbotError as exc:
                log.warning("feedback store: %s", exc)
        text = "Thanks — your feedback was recorded." if recorded else FORGOTTEN
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def buttons_for(feedback: FeedbackStore, *, sources: bool, thread: bool = False) -> AnswerView:
    """The buttons to attach to one answer message.

    The copy is stopped before it is sent, so discord.py does not keep one view per message in
    memory: clicks go to the single persistent view registered at start-up, by ``custom_id``.
    """
    view = AnswerView(feedback, sources=sources, thread=thread)
    view.stop()
    return view
