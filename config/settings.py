"""One validated settings object: bundled defaults < an optional user file < environment.

Reading happens only in :func:`load_settings`, never at import, so tests and the CLI decide when.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.exceptions import SettingsError as SourceError

from config.errors import SettingsError

SECRET_FIELDS = ("llm_api_key", "discord_token", "chroma_token")
# A name that looks like it holds a secret: its value is never echoed in an error message.
SECRET_LOOKING = re.compile(
    r"(?:^|[_.\-\s])(?:api_?key|key|token|secret|password|passwd|pass|credentials?|auth)(?:$|[_.\-\s])", re.IGNORECASE
)
USER_FILE_ENV = "NEWSBOT_CONFIG"
DEFAULT_USER_FILE = "newsbot.toml"


def _defaults_file() -> Path:
    return Path(str(resources.files("config") / "defaults.toml"))


def user_config_file() -> Path | None:
    """The user's settings file: ``$NEWSBOT_CONFIG``, else ``./newsbot.toml`` if it exists."""
    named = os.environ.get(USER_FILE_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"{USER_FILE_ENV} names {path}, which is not a readable file")
        return path
    local = Path(DEFAULT_USER_FILE)
    return local if local.is_file() else None


class _SecretFreeToml(TomlConfigSettingsSource):
    """A TOML source that refuses secrets, so they can only come from the environment."""

    def __init__(self, settings_cls: type[BaseSettings], toml_file: Path) -> None:
        self._path = toml_file
        try:
            super().__init__(settings_cls, toml_file=toml_file)
        except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
            raise SettingsError(f"{toml_file} is not valid TOML: {exc}") from None
        leaked = secret_keys(self.toml_data)
        if leaked:
            raise SettingsError(
                f"{toml_file} sets {', '.join(leaked)}: secrets are read only from the "
                "environment (NEWSBOT_LLM_API_KEY, NEWSBOT_CHROMA_TOKEN, DISCORD_TOKEN)"
            )


def _canonical(key: str) -> str:
    """``LLM_API_KEY``, ``Llm-Api-Key`` and ``NEWSBOT_LLM_API_KEY`` all name the field ``llm_api_key``."""
    name = key.strip().lower().replace("-", "_")
    return name.removeprefix("newsbot_")


def secret_keys(data: Any, where: str = "") -> list[str]:
    """Every key, at any depth (``[section]`` tables too), that spells a secret in any case.

    Reading a file is not the place to be lenient: a section would only have been refused later, by
    a validation error that printed the section's content, secret included.
    """
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{where}.{key}" if where else str(key)
            if _canonical(str(key)) in SECRET_FIELDS or (where and SECRET_LOOKING.search(str(key))):
                found.append(path)
            found.extend(secret_keys(value, path))
    elif isinstance(data, list):
        for item in data:
            found.extend(secret_keys(item, where))
    return found


class _NewsbotDotEnv(DotEnvSettingsSource):
    """A ``.env`` source that reads newsbot's variables and ignores the rest of the file.

    ``.env`` files are shared with other tools (``OPENAI_API_KEY=…``); with ``extra="forbid"`` their
    keys made every command fail. A ``NEWSBOT_*`` name newsbot does not know is still an error (a typo).
    """

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        aliases = {"discord_token", "newsbot_discord_token"}
        return {
            key: value
            for key, value in data.items()
            if key in self.settings_cls.model_fields or key.lower() in aliases or key.lower().startswith("newsbot_")
        }


# How an article's title enters its paragraphs' vectors (retrieval/indexer.py says how each works).
TitleMode = Literal["vector", "prefix", "none"]


class Settings(BaseSettings):
    """Everything newsbot can be told. Field names map to ``NEWSBOT_<NAME>`` variables."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_",
        extra="forbid",
        validate_default=True,
        env_file=".env",
        env_file_encoding="utf-8",
    )

    data_dir: Path | None = None
    chroma_host: str = ""
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_ssl: bool = False
    chroma_tenant: str = "default_tenant"
    chroma_database: str = "default_database"
    chroma_token: SecretStr | None = None
    chroma_timeout_s: float = Field(10, gt=0, le=3600)
    collection: str = Field("newsbot-paragraphs", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$")
    article_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)

    top_k: int = Field(12, ge=1, le=50)
    candidates: int = Field(100, ge=5, le=1000)
    rrf_k: int = Field(30, ge=1)
    dense_weight: float = Field(0.7, ge=0)
    keyword_weight: float = Field(1.0, ge=0)
    article_weight: float = Field(1.0, ge=0)
    recency_weight: float = Field(3.0, ge=0)
    ranker: Literal["learned", "fusion"] = "fusion"
    keyword_context: Literal["none", "title", "previous", "title+previous", "title+previous+next"] = "none"
    embed_title: TitleMode = "vector"
    title_weight: float = Field(0.5, gt=0, le=4)
    embed_backend: Literal["torch", "onnx", "onnx-int8"] = "onnx-int8"
    model_cache_dir: Path | None = None
    question_encoder: Literal["tuned", "plain"] = "plain"
    second_embedder: Literal["none", "e5"] = "none"
    second_weight: float = Field(1.0, ge=0)
    embed_batch_size: int = Field(64, ge=1, le=4096)
    max_file_mb: float = Field(20, gt=0)

    answerer: Literal["extractive", "openai", "ollama"] = "extractive"
    keep_sentence_vectors: bool = True
    warm_in_background: bool = True
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str = ""
    llm_timeout_s: float = Field(60, gt=0)
    llm_fallback: Literal["abstain", "extractive"] = "abstain"

    llm_api_key: SecretStr | None = None
    discord_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN")
    )

    discord_allowed_channels: Annotated[list[int], NoDecode] = Field(default_factory=list)
    discord_answer_mentions: bool = True
    discord_answer_dms: bool = False
    discord_cooldown_s: float = Field(10, ge=0)
    discord_max_concurrent: int = Field(2, ge=1, le=32)
    discord_admin_role: str = ""
    discord_feedback_db: Path | None = None
    discord_inbox: str = Field("discord-inbox", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    discord_max_upload_mb: float = Field(8, gt=0, le=100)
    discord_application_id: int | None = None

    @field_validator("discord_allowed_channels", "article_dirs", mode="before")
    @classmethod
    def _list_from_text(cls, value: Any) -> Any:
        """Environment lists may be JSON (``["a", "b"]``) or comma-separated (``a,b``)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("embed_title", mode="before")
    @classmethod
    def _title_from_bool(cls, value: Any) -> Any:
        """``true``/``false`` (the setting was a switch before "vector") keep their meaning: prefix, none."""
        text = str(value).strip().lower()
        if isinstance(value, bool) or text in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            return "prefix" if text in ("true", "1", "yes", "on") else "none"
        return value

    @field_validator("data_dir", "discord_feedback_db", "model_cache_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        dotenv = _NewsbotDotEnv(
            settings_cls,
            env_file=cls.model_config.get("env_file"),
            env_file_encoding=cls.model_config.get("env_file_encoding"),
            env_prefix=cls.model_config.get("env_prefix"),
        )
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, dotenv]
        user_file = user_config_file()
        if user_file is not None:
            sources.append(_SecretFreeToml(settings_cls, user_file))
        sources.append(_SecretFreeToml(settings_cls, _defaults_file()))
        return tuple(sources)

    @property
    def resolved_data_dir(self) -> Path:
        """The data folder, defaulting to the platform's per-user data location."""
        if self.data_dir is not None:
            return self.data_dir.expanduser()
        from platformdirs import user_data_dir

        return Path(user_data_dir("newsbot", appauthor=False))

    @property
    def resolved_model_cache_dir(self) -> Path:
        """Where the ONNX exports of the model live: shared by every data folder of the user (the
        export is derived from the packaged model alone), so it is made once per machine."""
        if self.model_cache_dir is not None:
            return self.model_cache_dir.expanduser()
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("newsbot", appauthor=False)) / "models"

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    def describe_store(self) -> str:
        if self.uses_server:
            scheme = "https" if self.chroma_ssl else "http"
            return f"Chroma server at {scheme}://{self.chroma_host}:{self.chroma_port}"
        return f"embedded Chroma at {self.resolved_data_dir / 'chroma'}"


def default(name: str) -> Any:
    """The built-in default of setting ``name``: library classes take theirs from here, not a copy."""
    return Settings.model_fields[name].get_default(call_default_factory=True)


# ``NEWSBOT_*`` names read by something other than the settings: the settings file's path, and the
# benchmarks' and tests' own switches.
NOT_SETTINGS = {USER_FILE_ENV, "NEWSBOT_EVALDATA"}
NOT_SETTINGS_PREFIX = "NEWSBOT_TEST_"


def unknown_environment_names() -> list[str]:
    """One line for each ``NEWSBOT_*`` variable that names no setting, with the nearest setting's name.

    The environment is shared with everything else the shell runs, so an unknown name cannot be an
    error there as it is in ``.env``; but a typo (``NEWSBOT_TOPK=5``) would otherwise be ignored
    without a word and the user left wondering why the setting does nothing."""
    known = {f"NEWSBOT_{name.upper()}" for name in Settings.model_fields}
    lines = []
    for name in sorted(os.environ):
        upper = name.upper()
        if not upper.startswith("NEWSBOT_") or upper in known | NOT_SETTINGS or upper.startswith(NOT_SETTINGS_PREFIX):
            continue
        near = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.8)
        hint = f" (did you mean {near[0]}?)" if near else ""
        lines.append(f"{name} is not a newsbot setting and is ignored{hint}")
    return lines


def load_settings(**overrides: Any) -> Settings:
    """Read settings from all sources; a bad value becomes a one-line :class:`SettingsError`."""
    try:
        return Settings(**overrides)
    except SourceError as exc:
        raise SettingsError(f"Bad setting: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SettingsError(f"Bad setting: a list is not valid JSON ({exc.msg})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        if field == "discord_token":
            env_name = "DISCORD_TOKEN"
        elif field.lower().startswith("newsbot_"):
            env_name = field.upper()
        else:
            env_name = f"NEWSBOT_{field.upper()}"
        value = first.get("input")
        # Never echo what might be a secret: a field or any key (a section's too) that looks like one.
        secret = SECRET_LOOKING.search(" ".join(str(part) for part in first["loc"])) or secret_keys(value, field)
        shown = "" if secret else f" (got {value!r})"
        raise SettingsError(f"Bad setting {field} ({env_name}): {first['msg']}{shown}") from None
