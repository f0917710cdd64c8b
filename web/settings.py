"""The web app's settings: the engine's (``tutor.settings``) plus the database, the
session secret, the extra courses folder and the limits that protect the server.

One ``WebSettings`` is read and validated when the app starts (``tutor serve`` exits
with a clear message on a bad value) and kept on the application context.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr

from tutor.settings import Settings


class WebSettings(Settings):
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "TUTOR_DATABASE_URL"),
        description="SQLAlchemy URL; unset means SQLite in the data directory.",
    )
    courses_dir: Path | None = Field(
        default=None, description="A folder of extra course folders served beside the bundled ones."
    )
    session_secret: SecretStr | None = Field(
        default=None, description="Signs session cookies; generated in the data directory if unset."
    )
    grading_runners: int = Field(
        default=2, ge=1, le=64, description="Sandboxed grading runners per server process."
    )
    grading_queue: int = Field(
        default=32,
        ge=0,
        le=10_000,
        description="Checks that may wait for a free runner; beyond it: 503 with Retry-After.",
    )
    checks_per_learner: int = Field(
        default=2, ge=1, le=100, description="Checks one learner may have running or waiting."
    )
    attempts_per_minute: int = Field(
        default=30, ge=1, le=10_000, description="Attempts one learner may submit per minute."
    )

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "tutor.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"
