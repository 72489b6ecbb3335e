"""Settings and the user-facing error type shared by every newsbot package."""

from config.errors import NewsbotError
from config.settings import Settings, load_settings

__all__ = ["NewsbotError", "Settings", "load_settings"]
