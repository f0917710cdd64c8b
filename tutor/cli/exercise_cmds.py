"""Exercise subcommands: check, check-course, grade (notebooks), export notebook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from curriculum.model import Course

CourseArg = Annotated[str, typer.Argument(help="A bundled course id or a path to a course.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]

export_app = typer.Typer(
    help="Export course material to other formats.", no_args_is_help=True, rich_markup_mode=None
)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _sandbox() -> str:
    from tutor.settings import get_settings

    return get_settings().sandbox


def _load(course: str) -> Course:
    from curriculum import CourseInvalid, resolve_course

    try:
        return resolve_course(course)
    except CourseInvalid as exc:
        _fail(f"the course is invalid:\n{exc}")
    except (OSError, ValueError) as exc:
        _fail(f"cannot load course {course!r}: {exc}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {path}: {exc}")


def check(
    course: CourseArg,
    exercise_id: Annotated[str, typer.Argument(help="The id of a code exercise.")],
    file: Annotated[Path, typer.Argument(help="The submission, a Python file.")],
    as_json: JsonOpt = False,
) -> None:
    """Grade a submission for a code exercise (exit 0 passed, 1 failed)."""
    from exercises.grade import ExerciseNotFound, GraderError, SandboxUnavailable, default_grader
    from exercises.report import verdict_text

    loaded = _load(course)
    source = _read(file)
    try:
        verdict = default_grader(_sandbox()).grade(loaded, exercise_id, source)
    except ExerciseNotFound as exc:
        _fail(str(exc))
    except (SandboxUnavailable, GraderError) as exc:
        _fail(f"cannot grade: {exc}", 1)
    typer.echo(verdict.model_dump_json(indent=2) if as_json else verdict_text(verdict))
    raise typer.Exit(0 if verdict.passed else 1)


def check_course(
    path: CourseArg,
    as_json: JsonOpt = False,
) -> None:
    """Prove a course: solutions pass, starters fail, mistakes trigger, examples run."""
    from dataclasses import asdict

    from exercises.grade import GraderError, SandboxUnavailable, default_grader
    from exercises.prove import prove_course
    from exercises.report import proof_text

    loaded = _load(path)
    try:
        proof = prove_course(loaded, default_grader(_sandbox()))
    except (SandboxUnavailable, GraderError) as exc:
        _fail(f"cannot prove the course: {exc}", 1)
    if as_json:
        data = {
            "course": proof.course_id,
            "ok": proof.ok,
            "items": [asdict(i) for i in proof.items],
        }
        typer.echo(json.dumps(data, indent=2))
    else:
        typer.echo(proof_text(proof))
    raise typer.Exit(0 if proof.ok else 1)


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command()(check)
    app.command("check-course")(check_course)
