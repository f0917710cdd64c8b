"""What every command shares: the COURSE argument, clear failures, and the settings."""

from __future__ import annotations

from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError

from tutor.settings import Settings, env_var_name

CourseArg = Annotated[str, typer.Argument(help="A bundled course id or a path to a course.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` to standard error and exit with ``code`` (2: usage error)."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


S = TypeVar("S", bound=Settings)


def load_settings() -> Settings:
    """The engine's settings, or a clear usage error naming each bad variable (exit 2)."""
    return read_settings(Settings)


def read_settings(settings_type: type[S]) -> S:
    """Settings of ``settings_type`` (the web app extends the engine's), validated now:
    a bad value is a clear usage error naming each bad variable (exit 2)."""
    try:
        return settings_type()
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            known = field in settings_type.model_fields
            name = env_var_name(field, settings_type) if known else field
            typer.echo(f"error: setting {name}={error.get('input')!r}: {error['msg']}", err=True)
        raise typer.Exit(2) from None
