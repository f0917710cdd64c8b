"""The engine's settings: the model backend, the tutor's limits, grading, the data folder.

Read from environment variables and a ``.env`` file (pydantic-settings), validated when
read: a bad value is an error at start, never at first use. Most variables are
``TUTOR_``-prefixed; ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` keep their usual names.
The web app's own settings (database, session secret, request and grading limits)
extend these in ``web/settings.py``; the engine package holds none of them.
Every field is documented in ``docs/settings.md`` (a test keeps the two in sync).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Sandbox = Literal["strict", "weak"]


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tutor"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TUTOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where learner state, caches (and the web app's database) live.",
    )
    model: str | None = Field(
        default=None, description="Model name for the OpenAI-compatible backend; unset = offline."
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "TUTOR_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "TUTOR_OPENAI_BASE_URL")
    )
    max_reply_tokens: int = Field(
        default=1500, ge=16, description="max_tokens sent on every model call."
    )
    model_connect_timeout_s: float = Field(default=10.0, gt=0)
    model_first_token_timeout_s: float = Field(default=60.0, gt=0)
    model_idle_timeout_s: float = Field(default=30.0, gt=0)
    model_max_retries: int = Field(default=2, ge=0, le=10)
    requests_per_minute: int = Field(default=10, ge=1)
    daily_tokens: int = Field(default=200_000, ge=0)
    max_question_chars: int = Field(default=2000, ge=10)
    context_tokens: int = Field(default=3000, ge=0)
    sandbox: Sandbox = Field(
        default="strict",
        description="'strict' refuses to grade where the kernel refuses namespaces; "
        "'weak' grades anyway with rlimits only (shown in the UI and logs).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def env_var_name(field_name: str, settings_type: type[BaseSettings] = Settings) -> str:
    """The environment variable a setting is read from (its first alias, else TUTOR_NAME)."""
    alias = settings_type.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TUTOR_{field_name.upper()}"
