"""Private replies to an interaction, whether or not it was already answered or deferred."""

from __future__ import annotations

import discord

from bot.discord_bot.render import split_message

NO_MENTIONS = discord.AllowedMentions.none()


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """A private answer, as the first response or as a follow-up after deferring.

    Only interactions can answer privately; a channel message never can, so callers that reply to
    a plain message use a reaction or a normal reply instead.
    """
    for piece in split_message(text):
        if interaction.response.is_done():
            await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(piece, ephemeral=True, allowed_mentions=NO_MENTIONS)
