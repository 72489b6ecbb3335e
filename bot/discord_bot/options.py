"""The Discord front end's own knobs, gathered in one plain object.

The bot never reads the environment itself: ``config.Settings`` stays the one place that does. Until
the ``discord_*`` fields listed in ``SETTINGS_NEEDED.md`` exist there, :meth:`DiscordOptions.
from_settings` falls back to the defaults below, so the bot runs either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import NewsbotError, Settings

FEEDBACK_DB_NAME = "discord-feedback.sqlite3"
INBOX_NAME = "discord-inbox"


@dataclass
class DiscordOptions:
    """How the bot behaves in a server. Empty ``allowed_channel_ids`` means every channel."""

    allowed_channel_ids: list[int] = field(default_factory=list)
    answer_mentions: bool = True
    answer_dms: bool = False
    cooldown_seconds: float = 10.0
    max_concurrent: int = 2
    admin_role: str = ""
    feedback_db: Path = field(default_factory=lambda: Path(FEEDBACK_DB_NAME))
    inbox_dir: Path = field(default_factory=lambda: Path(INBOX_NAME))
    max_upload_mb: float = 8.0
    application_id: int | None = None

    def __post_init__(self) -> None:
        if self.max_concurrent < 1:
            raise NewsbotError("discord_max_concurrent must be at least 1")
        if self.cooldown_seconds < 0:
            raise NewsbotError("discord_cooldown_s cannot be negative")
        if self.max_upload_mb <= 0:
            raise NewsbotError("discord_max_upload_mb must be more than 0")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1_000_000)

    def channel_allowed(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """Whether the bot may answer in a channel (a thread counts as its parent channel)."""
        if not self.allowed_channel_ids:
            return True
        return channel_id in self.allowed_channel_ids or (
            parent_id is not None and parent_id in self.allowed_channel_ids
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> DiscordOptions:
        """Options from ``settings``; fields it does not have yet keep their defaults."""
        data_dir = settings.resolved_data_dir

        def get(name: str, default: Any) -> Any:
            value = getattr(settings, name, None)
            return default if value is None else value

        feedback = Path(get("discord_feedback_db", FEEDBACK_DB_NAME)).expanduser()
        return cls(
            allowed_channel_ids=[int(c) for c in get("discord_allowed_channels", [])],
            answer_mentions=bool(get("discord_answer_mentions", True)),
            answer_dms=bool(get("discord_answer_dms", False)),
            cooldown_seconds=float(get("discord_cooldown_s", 10.0)),
            max_concurrent=int(get("discord_max_concurrent", 2)),
            admin_role=str(get("discord_admin_role", "")).strip(),
            feedback_db=feedback if feedback.is_absolute() else data_dir / feedback,
            inbox_dir=inbox_inside(data_dir, str(get("discord_inbox", INBOX_NAME))),
            max_upload_mb=float(get("discord_max_upload_mb", 8.0)),
            application_id=get("discord_application_id", None),
        )


def inbox_inside(data_dir: Path, name: str) -> Path:
    """The upload folder ``name`` under ``data_dir``; anything that would leave it is refused."""
    relative = Path(name)
    if not name.strip() or relative.is_absolute() or ".." in relative.parts:
        raise NewsbotError(f"discord_inbox must be a folder name inside the data folder, not {name!r}")
    return data_dir / relative
