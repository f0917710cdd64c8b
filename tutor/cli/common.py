"""What every command shares: the COURSE argument, clear failures, and the settings."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from tutor.settings import Settings, env_var_name

CourseArg = Annotated[str, typer.Argument(help="A bundled course id or a path to a course.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` to standard error and exit with ``code`` (2: usage error)."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """The settings, or a clear usage error naming each bad variable (exit 2)."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            name = env_var_name(field) if field in Settings.model_fields else field
            typer.echo(f"error: setting {name}={error.get('input')!r}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
