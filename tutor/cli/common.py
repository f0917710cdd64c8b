"""What every command shares: the COURSE argument, clear failures, and the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError

from curriculum.model import Course
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


def load_course(spec: str, *, invalid_code: int = 2) -> Course:
    """COURSE loaded, or a clear failure: its problems (exit ``invalid_code``) or why not."""
    from curriculum import CourseInvalid, resolve_course

    try:
        return resolve_course(spec)
    except CourseInvalid as exc:
        problems = "\n".join(p.render() for p in exc.problems)
        fail(f"the course is invalid ({exc}):\n{problems}", invalid_code)
    except (OSError, ValueError) as exc:
        fail(f"cannot load course {spec!r}: {exc}")


def read_source(path: Path) -> str:
    """A learner's file as text, or a clear usage error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")
