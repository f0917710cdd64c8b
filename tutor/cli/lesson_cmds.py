"""Subcommands of the lesson area: ``prompt``, ``learn``, ``freeze``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from curriculum import CourseInvalid, course_path, resolve_course
from curriculum.model import Course
from curriculum.outline import Position
from tutor import navigation as nav
from tutor.cli.common import CourseArg, load_settings

if TYPE_CHECKING:
    pass


class Format(StrEnum):
    text = "text"
    json = "json"


def _course(spec: str) -> Course:
    if not spec.strip() or not course_path(spec).exists():
        typer.echo(f"error: no such course or path: {spec}", err=True)
        raise typer.Exit(2)
    try:
        return resolve_course(spec)
    except CourseInvalid as exc:
        typer.echo(f"error: course {spec!r} is invalid (run `tutor validate {spec}`):", err=True)
        for problem in exc.problems[:10]:
            typer.echo(problem.render(), err=True)
        if len(exc.problems) > 10:
            typer.echo(f"... and {len(exc.problems) - 10} more", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: cannot read course {spec!r}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None


def _position(course: Course, spec: str | None) -> Position:
    try:
        return nav.parse_position(course, spec)
    except nav.BadPosition as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


PositionArg = Annotated[
    str | None,
    typer.Argument(help="SECTION[/TOPIC[/POINT]] by 1-based numbers or ids, or a point's id."),
]


def prompt(
    course: CourseArg,
    position: PositionArg = None,
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    question: Annotated[
        str | None, typer.Option("--question", help="Show the prompt answering this question.")
    ] = None,
    level: Annotated[str, typer.Option(help="beginner, intermediate or advanced.")] = "beginner",
) -> None:
    """Print the chat messages for a point, exactly as sent.

    The messages are what the model would get for that point (or, with --question, for
    a question asked there), ready to read or to paste into any assistant.
    """
    from tutor import flow
    from tutor.backends.select import engine_options
    from tutor.grounding import grounding
    from tutor.prompt import build_messages, render_json, render_text

    loaded = _course(course)
    pos = _position(loaded, position)
    if level not in ("beginner", "intermediate", "advanced"):
        typer.echo("error: --level must be beginner, intermediate or advanced", err=True)
        raise typer.Exit(2)
    state = flow.state_at(loaded, pos, level)
    number, total = nav.point_number(loaded, pos)
    task: flow.Teach | flow.Answer = flow.Teach(position=pos, number=number, total=total)
    if question is not None:
        state = state.model_copy(update={"taught": True, "phase": "answering"})
        task = flow.Answer(position=pos, question=question)
    extra = grounding(loaded, pos, question) if question is not None else ""
    options = engine_options(load_settings()).prompt
    messages = build_messages(loaded, state, task, options, grounding=extra)
    typer.echo(render_json(messages) if format is Format.json else render_text(messages), nl=False)


def learn(
    course: CourseArg,
    restart: Annotated[bool, typer.Option(help="Forget the saved place and start over.")] = False,
    whole_section: Annotated[
        bool, typer.Option(help="Teach each section's points without waiting for Enter.")
    ] = False,
) -> None:
    """Learn a course in the terminal, where you left off.

    Lessons are streamed as they arrive; your replies are read line by line from
    standard input (so a session can be scripted), and your place is kept between runs.
    """
    from tutor.backends.select import backend_from_settings, engine_options
    from tutor.cache import SqliteLessonCache
    from tutor.engine import Tutor
    from tutor.terminal import run_learn, state_file

    loaded = _course(course)
    settings = load_settings()
    path = state_file(settings.data_dir, loaded)
    with _data_dir(settings.data_dir):
        if restart:
            path.unlink(missing_ok=True)
        cache = SqliteLessonCache(settings.data_dir / "lessons.sqlite3")
        options = engine_options(settings)
        tutor = Tutor(backend_from_settings(settings), cache=cache, options=options)
        try:
            run_learn(tutor, loaded, path, whole_section)
        except nav.BadPosition as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("\nBye: your place is saved.")


@contextmanager
def _data_dir(data_dir: Path) -> Iterator[None]:
    """Turn a data folder that cannot be used (a file, read-only, ...) into a clear error."""
    import sqlite3

    try:
        yield
    except BrokenPipeError:
        # The reader went away (``tutor learn | head``): the place is saved; leave quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except (OSError, sqlite3.Error) as exc:
        about_data = isinstance(exc, sqlite3.Error) or str(exc.filename or "").startswith(
            str(data_dir)
        )
        if not about_data:
            raise
        reason = getattr(exc, "strerror", None) or exc
        if data_dir.exists() and not data_dir.is_dir():
            reason = "it is a file, not a folder"
        typer.echo(
            f"error: cannot use the data folder {data_dir} (TUTOR_DATA_DIR): {reason}", err=True
        )
        raise typer.Exit(2) from None


def freeze(
    course: CourseArg,
    position: Annotated[
        str, typer.Argument(help="SECTION/TOPIC/POINT by numbers or ids, or a point's id.")
    ],
    force: Annotated[bool, typer.Option(help="Replace an existing lesson.")] = False,
) -> None:
    """Write a point's generated lesson into the course.

    The lesson cached when the model taught the point becomes an authored lesson in the
    course YAML, marked for the instructor to review.
    """
    from tutor.cache import SqliteLessonCache
    from tutor.freeze import FreezeError, freeze_lesson
    from tutor.lesson_parse import parse_lesson

    loaded = _course(course)
    pos = _position(loaded, position)
    data_dir = load_settings().data_dir
    with _data_dir(data_dir):
        cached = SqliteLessonCache(data_dir / "lessons.sqlite3").latest(loaded.id, pos.point_id)
    if cached is None:
        why = (
            ": it has an authored lesson, so the tutor never generates one"
            if nav.ref_at(loaded, pos).lesson is not None
            else " (lessons are cached when a model teaches the point, e.g. in `tutor learn`)"
        )
        typer.echo(f"error: no generated lesson is cached for {pos.point_id!r}{why}", err=True)
        raise typer.Exit(1)
    parsed = parse_lesson(cached.markdown)
    if not parsed.complete:
        typer.echo("error: the cached lesson is incomplete: " + "; ".join(parsed.notices), err=True)
        raise typer.Exit(1)
    note = f"Generated by {cached.model}, frozen by `tutor freeze`: review before publishing."
    try:
        path = freeze_lesson(course_path(course), pos, parsed.lesson, note, force=force)
    except FreezeError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote the lesson for {pos.point_id!r} into {path}")
    for notice in parsed.notices:
        typer.echo(f"note: {notice}")


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command("prompt")(prompt)
    app.command("learn")(learn)
    app.command("freeze")(freeze)
