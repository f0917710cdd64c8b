"""One place for every setting: environment variables and a ``.env`` file (pydantic-settings).

Most variables are ``TUTOR_``-prefixed; the conventional ``DATABASE_URL``,
``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` are read under their usual names.
Every field is documented in ``docs/settings.md`` (a test keeps the two in sync).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tutor"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TUTOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where the SQLite database, the session secret and caches live.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "TUTOR_DATABASE_URL"),
        description="SQLAlchemy URL; unset means SQLite in the data directory.",
    )
    courses_dir: Path | None = Field(
        default=None, description="A folder of extra course folders served beside the bundled ones."
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
    session_secret: SecretStr | None = Field(
        default=None, description="Signs session cookies; generated in the data directory if unset."
    )
    sandbox: str = Field(
        default="strict",
        description="'strict' refuses to grade where the kernel refuses namespaces; "
        "'weak' grades anyway with rlimits only (shown in the UI and logs).",
    )

    max_body_bytes: int = Field(
        default=256 * 1024,
        ge=1024,
        le=1024 * 1024,  # below Starlette's spool threshold: anonymous parts stay in memory
        description="Largest request body on most routes; larger gets 413 before it is read.",
    )
    max_submission_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Largest body of a code submission (check)."
    )
    max_upload_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1024,
        description="Largest body of a notebook upload or a course-editor save (logged in only).",
    )
    body_timeout_s: float = Field(
        default=30.0, gt=0, description="Seconds for a whole request body to arrive (else 408)."
    )
    header_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds for a request line and headers to arrive."
    )
    keep_alive_s: int = Field(
        default=5, ge=1, description="Seconds an idle keep-alive connection stays open."
    )
    max_header_bytes: int = Field(
        default=16 * 1024, ge=1024, description="Largest request line plus headers."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Open connections or running requests per worker (503 beyond).",
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="Bearer token for /metrics; unset = loopback clients only."
    )

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "tutor.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def env_var_name(field_name: str) -> str:
    """The environment variable a setting is read from (its first alias, else TUTOR_NAME)."""
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TUTOR_{field_name.upper()}"
