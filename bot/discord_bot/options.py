"""The Discord front end's own knobs, gathered in one plain object.

The bot never reads the environment itself: ``config.Settings`` stays the one place that does, and
its ``discord_*`` defaults are the only ones: the fields below take theirs from it, and
:meth:`DiscordOptions.from_settings` copies every value across.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from config import NewsbotError, Settings
from config.settings import default

FEEDBACK_DB_NAME = "discord-feedback.sqlite3"  # inside the data folder, unless discord_feedback_db says otherwise


@dataclass
class DiscordOptions:
    """How the bot behaves in a server. Empty ``allowed_channel_ids`` means every channel."""

    allowed_channel_ids: list[int] = field(default_factory=lambda: list(default("discord_allowed_channels")))
    answer_mentions: bool = default("discord_answer_mentions")
    answer_dms: bool = default("discord_answer_dms")
    cooldown_seconds: float = default("discord_cooldown_s")
    max_concurrent: int = default("discord_max_concurrent")
    admin_role: str = default("discord_admin_role")
    feedback_db: Path = field(default_factory=lambda: Path(FEEDBACK_DB_NAME))
    inbox_dir: Path = field(default_factory=lambda: Path(default("discord_inbox")))
    max_upload_mb: float = default("discord_max_upload_mb")
    application_id: int | None = default("discord_application_id")

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
        """Options from ``settings``; files and folders are placed in its data folder."""
        data_dir = settings.resolved_data_dir
        feedback = Path(settings.discord_feedback_db or FEEDBACK_DB_NAME).expanduser()
        return cls(
            allowed_channel_ids=[int(c) for c in settings.discord_allowed_channels],
            answer_mentions=settings.discord_answer_mentions,
            answer_dms=settings.discord_answer_dms,
            cooldown_seconds=float(settings.discord_cooldown_s),
            max_concurrent=settings.discord_max_concurrent,
            admin_role=settings.discord_admin_role.strip(),
            feedback_db=feedback if feedback.is_absolute() else data_dir / feedback,
            inbox_dir=inbox_inside(data_dir, settings.discord_inbox),
            max_upload_mb=float(settings.discord_max_upload_mb),
            application_id=settings.discord_application_id,
        )

def inbox_inside(data_dir: Path, name: str) -> Path:
    """The upload folder ``name`` under ``data_dir``; anything that would leave it is refused."""
    relative = Path(name)
    if not name.strip() or relative.is_absolute() or ".." in relative.parts:
        raise NewsbotError(f"discord_inbox must be a folder name inside the data folder, not {name!r}")
    return data_dir / relative
