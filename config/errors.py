"""Every exception newsbot raises on purpose, in one place.

Anything raised as ``NewsbotError`` is a user mistake or an outside problem (no articles yet, an
unreadable path, a bad setting, an LLM endpoint that is down). The CLI prints its message on one
line and exits non-zero (``exit_code``), the REPL prints it and goes on, the Discord bot shows it
as a ⚠️ reply; everything else is a bug and keeps its traceback.

    NewsbotError
    ├── SettingsError            a setting has a value newsbot cannot use (exit code 2)
    ├── QuestionError            the question has no words to search for
    ├── StoreUnavailableError    the Chroma store (embedded or server) cannot be reached or opened;
    │   │                        also the Discord bot's feedback file
    │   └── StoreInUseError      another process is writing the embedded store
    ├── EmptyStoreError          nothing has been ingested yet
    ├── LLMUnavailableError      the configured LLM endpoint failed (its words go to the log only)
    └── ModelCacheError          the ONNX export of the model cannot be written

Outside libraries raise their own types; :func:`class_names` lets the code that sorts them (a lost
Chroma connection, an LLM endpoint's failure) do so without importing those libraries.
"""


class NewsbotError(Exception):
    """A problem the user can fix, with a message that says how."""

    exit_code = 1


class SettingsError(NewsbotError):
    """A setting has a value newsbot cannot use."""

    exit_code = 2


class QuestionError(NewsbotError):
    """The question itself cannot be asked (empty, only punctuation…)."""


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


def class_names(exc: BaseException) -> set[str]:
    """The names of ``exc``'s class and of every class it derives from (``ConnectTimeout``,
    ``TimeoutException``, ``TransportError``, …): what a failure from a library is sorted by."""
    return {cls.__name__ for cls in type(exc).__mro__}
