"""The invite link: exactly the scopes and permissions the bot uses, nothing more.

``bot`` puts the bot user in the server and ``applications.commands`` lets it register slash
commands. Slash commands answer through the interaction itself; opening a thread on an answer
needs Create Public Threads. Mention mode, which posts in channels and threads, needs the rest.
"""

from __future__ import annotations

import base64
import binascii

import discord

from bot.discord_bot.options import DiscordOptions

SCOPES = ("bot", "applications.commands")

MENTION_MODE_PERMISSIONS = {
    "view_channel": "see the channels it answers in and the messages that mention it",
    "send_messages": "reply when someone mentions it",
    "create_public_threads": "open a thread named after each question",
    "send_messages_in_threads": "answer follow-up questions in that thread",
    "read_message_history": "reply to the message that asked (a reply needs its history)",
    "add_reactions": "mark a question it must hold back (⏳ cooldown or busy) without a public message",
}


SLASH_MODE_PERMISSIONS = {
    "view_channel": "see the channel of an /ask answer",
    "create_public_threads": "open a thread on an /ask answer (\"Continue in a thread\") for follow-ups",
}


def required_permissions(options: DiscordOptions) -> discord.Permissions:
    """The smallest permission set for the configured mode."""
    permissions = discord.Permissions(**dict.fromkeys(SLASH_MODE_PERMISSIONS, True))
    if options.answer_mentions:
        permissions.update(**dict.fromkeys(MENTION_MODE_PERMISSIONS, True))
    return permissions


def application_id_from_token(token: str) -> int | None:
    """The bot's application id, read from the first part of its token (no network needed)."""
    first = token.strip().split(".", 1)[0]
    if not first:
        return None
    try:
        padded = first.replace("+", "-").replace("/", "_") + "=" * (-len(first) % 4)
        decoded = base64.urlsafe_b64decode(padded).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() else None


def invite_url(application_id: int, options: DiscordOptions) -> str:
    return discord.utils.oauth_url(application_id, permissions=required_permissions(options), scopes=SCOPES)
