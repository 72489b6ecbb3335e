"""The one exception type a user is meant to read.

Anything raised as ``NewsbotError`` is a user mistake or an outside problem (no articles yet, an
unreadable path, a bad setting, an LLM endpoint that is down). The CLI prints its message on one
line and exits non-zero; everything else is a bug and keeps its traceback.
"""


class NewsbotError(Exception):
    """A problem the user can fix, with a message that says how."""

    exit_code = 1


class SettingsError(NewsbotError):
    """A setting has a value newsbot cannot use."""

    exit_code = 2


class StoreUnavailableError(NewsbotError):
    """The article store (embedded or a Chroma server) cannot be reached or opened."""


class StoreInUseError(StoreUnavailableError):
    """Another process is writing the embedded store."""


class EmptyStoreError(NewsbotError):
    """No article has been ingested yet."""


class LLMUnavailableError(NewsbotError):
    """The configured LLM endpoint did not answer."""


class ModelCacheError(NewsbotError):
    """The embedding model's ONNX export cannot be written where it is configured to live."""
