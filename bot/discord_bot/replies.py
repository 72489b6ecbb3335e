"""Private replies to an interaction, whether or not it was already answered or deferred."""

from __future__ import annotations

import logging
from contextlib import suppress

import discord
from discord import app_commands

from bot.discord_bot.messages import split_message

log = logging.getLogger("newsbot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
UNEXPECTED = "😵 Something went wrong while answering. It has been logged; please try again later."


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


async def report_failure(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """A command failed with a bug: the log gets the traceback, the user a short private apology."""
    command = interaction.command.qualified_name if interaction.command else "?"
    log.error("command /%s failed", command, exc_info=error)
    with suppress(discord.HTTPException):
        await send_ephemeral(interaction, UNEXPECTED)
