"""newsbot on Discord: ``run_discord`` is all the CLI needs.

The package is split by concern, in discord.py's own shape: ``client`` (the ``commands.Bot``),
two cogs — ``ask`` (``/ask``, mentions, thread follow-ups) and ``admin`` (the ``/newsbot`` group, a
``GroupCog`` whose ``interaction_check`` admits admins only, see ``access``) — and ``views`` (the
buttons under an answer). Beside them: ``asking`` (one question answered off the event loop),
``messages`` (answers as Discord messages, pure functions), ``replies`` (private replies),
``channel_conversations`` (one conversation per thread or DM), ``feedback`` (SQLite), ``limits``
(cooldown, concurrency), ``uploads`` (safe ingest files), ``options`` and ``invite``.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.discord_bot.client import NewsbotBot, build_intents
from bot.discord_bot.invite import application_id_from_token
from bot.discord_bot.invite import invite_url as build_invite_url
from bot.discord_bot.options import DiscordOptions
from bot.service import NewsbotService
from config import NewsbotError, Settings

__all__ = ["DiscordOptions", "NewsbotBot", "build_intents", "run_discord"]

log = logging.getLogger("newsbot.discord")

NO_TOKEN = (
    "No Discord bot token: set DISCORD_TOKEN in the environment or in a git-ignored .env file "
    "(Developer Portal → your application → Bot → Reset Token)."
)
BAD_TOKEN = (
    "Discord rejected the bot token in DISCORD_TOKEN: reset it in the Developer Portal "
    "(your application → Bot → Reset Token) and update DISCORD_TOKEN."
)
NO_INTENT = (
    "Discord refused the Message Content intent: enable it in the Developer Portal "
    "(your application → Bot → Privileged Gateway Intents), or turn mention mode off "
    "(NEWSBOT_DISCORD_ANSWER_MENTIONS=false) to use slash commands only."
)


def run_discord(
    settings: Settings,
    service: NewsbotService,
    *,
    invite_url: bool = False,
    sync: bool = False,
) -> int:
    """Print the invite link (``invite_url``) or run the bot until interrupted; returns 0."""
    options = DiscordOptions.from_settings(settings)
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if invite_url:
        print(_invite(options, token))
        return 0
    if not token:
        raise NewsbotError(NO_TOKEN)
    _ensure_logging()
    bot = NewsbotBot(service, options, sync_commands=sync)
    try:
        asyncio.run(_serve(bot, token))
    except discord.LoginFailure:
        raise NewsbotError(BAD_TOKEN) from None
    except discord.PrivilegedIntentsRequired:
        raise NewsbotError(NO_INTENT) from None
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        raise NewsbotError(f"Cannot reach Discord ({type(exc).__name__}): check the network and try again.") from None
    except KeyboardInterrupt:
        log.info("stopped")
    return 0


def _invite(options: DiscordOptions, token: str) -> str:
    app_id = options.application_id or application_id_from_token(token.removeprefix("Bot ").strip())
    if not app_id and token:
        raise NewsbotError(
            "DISCORD_TOKEN is set, but its first part is not an application id (is it the bot token from "
            "the Bot tab?): set NEWSBOT_DISCORD_APPLICATION_ID (Developer Portal → General Information)."
        )
    if not app_id:
        raise NewsbotError(
            "Cannot build the invite link without the application id: set DISCORD_TOKEN, or "
            "NEWSBOT_DISCORD_APPLICATION_ID (Developer Portal → General Information)."
        )
    return build_invite_url(int(app_id), options)


async def _serve(bot: NewsbotBot, token: str) -> None:
    async with bot:
        await bot.start(token)


def _ensure_logging() -> None:
    """discord.py's log format at INFO, unless the application configured logging already."""
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.INFO)
