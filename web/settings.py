"""The web app's settings: the engine's (``tutor.settings``) plus the database, the
session secret, the extra courses folder and the limits that protect the server.

One ``WebSettings`` is read and validated when the app starts (``tutor serve`` exits
with a clear message on a bad value) and kept on the application context.
"""

from __future__ import annotations

from functools import lru_cache
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
    grading_wait_s: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds a check may wait for a free runner; beyond it: 503 with Retry-After.",
    )
    check_deadline_s: float = Field(
        default=25.0,
        ge=5,
        le=600,
        description="Seconds from a check request's arrival to its verdict, waiting and "
        "running included; a check that cannot be graded by then: 503 with Retry-After.",
    )
    login_queue: int = Field(
        default=32,
        ge=0,
        le=10_000,
        description="Logins and sign-ups that may wait for a password thread (per process); "
        "beyond it: 503 with Retry-After.",
    )
    checks_per_learner: int = Field(
        default=2, ge=1, le=100, description="Checks one learner may have running or waiting."
    )
    attempts_per_minute: int = Field(
        default=30, ge=1, le=10_000, description="Attempts one learner may submit per minute."
    )
    runs_per_minute: int = Field(
        default=20, ge=1, le=10_000, description="Runs (never graded) per learner per minute."
    )
    drafts_per_minute: int = Field(
        default=60, ge=1, le=10_000, description="Draft saves one learner may make per minute."
    )
    join_failures_per_hour: int = Field(
        default=10, ge=1, le=10_000, description="Wrong class codes one account may try an hour."
    )
    join_failures_per_address_per_hour: int = Field(
        default=100,
        ge=1,
        le=100_000,
        description="Wrong class codes one client address may try an hour (a class behind "
        "one NAT address shares it).",
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
def process_settings() -> WebSettings:
    """This process's settings from the environment, read once (for code that uvicorn
    creates without the app, such as the HTTP protocol of each connection)."""
    return WebSettings()
