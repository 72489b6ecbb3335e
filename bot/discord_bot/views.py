"""The buttons under every answer: "Show sources", 👍 and 👎.

The view is persistent (no timeout, fixed ``custom_id``s) and registered once at start-up, so the
buttons on old answers keep working after a restart. It holds no per-answer state: the answer is
looked up in the feedback store by the id of the message whose button was pressed.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import Interaction
from discord.ui import Button

from bot.discord_bot.feedback import FeedbackStore, StoredAnswer
from bot.discord_bot.render import sources_detail
from config import NewsbotError

log = logging.getLogger("newsbot.discord")

SOURCES_ID = "newsbot:sources"
VOTE_UP_ID = "newsbot:vote:up"
VOTE_DOWN_ID = "newsbot:vote:down"
CUSTOM_IDS = (SOURCES_ID, VOTE_UP_ID, VOTE_DOWN_ID)

NO_MENTIONS = discord.AllowedMentions.none()
GREY = discord.ButtonStyle.secondary
BUTTON_FAILED = "😵 That button failed. It has been logged; please try again later."
FORGOTTEN = "I no longer have this answer on record, sorry."


class AnswerView(discord.ui.View):
    """Persistent buttons; ``sources=False`` leaves out "Show sources" (for abstentions)."""

    def __init__(self, feedback: FeedbackStore, *, sources: bool = True) -> None:
        super().__init__(timeout=None)
        self.feedback = feedback
        if not sources:
            self.remove_item(self.show_sources)

    @discord.ui.button(label="Show sources", style=GREY, custom_id=SOURCES_ID)
    async def show_sources(self, interaction: Interaction, button: Button) -> None:
        """Every cited paragraph in full, only for the person who asked to see them."""
        stored = await self._stored(interaction)
        pieces = sources_detail(stored.citations) if stored else [FORGOTTEN]
        await interaction.response.send_message(pieces[0], ephemeral=True, allowed_mentions=NO_MENTIONS)
        for piece in pieces[1:]:
            await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(emoji="👍", style=GREY, custom_id=VOTE_UP_ID)
    async def vote_up(self, interaction: Interaction, button: Button) -> None:
        await self._vote(interaction, 1)

    @discord.ui.button(emoji="👎", style=GREY, custom_id=VOTE_DOWN_ID)
    async def vote_down(self, interaction: Interaction, button: Button) -> None:
        await self._vote(interaction, -1)

    async def on_error(self, interaction: Interaction, error: Exception, item: discord.ui.Item) -> None:
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


def buttons_for(feedback: FeedbackStore, *, sources: bool) -> AnswerView:
    """The buttons to attach to one answer message.

    The copy is stopped before it is sent, so discord.py does not keep one view per message in
    memory: clicks go to the single persistent view registered at start-up, by ``custom_id``.
    """
    view = AnswerView(feedback, sources=sources)
    view.stop()
    return view
