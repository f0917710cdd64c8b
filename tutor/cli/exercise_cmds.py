"""Exercise subcommands: check, check-course, grade (notebooks), export notebook.

The functions are named for what they do (grade a file, prove a course, grade a
notebook); the command names are the interface and stay as they are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from exercises.grade import Grader
from tutor.cli.common import CourseArg, fail, load_course, load_settings, read_source

EXIT_BROKEN = 3  # tutor check: the exercise is broken, the submission was not graded
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]

export_app = typer.Typer(
    help="Export course material to other formats.", no_args_is_help=True, rich_markup_mode=None
)


def _grader(*, runners: int) -> Grader:
    """A grader for one command, in the configured sandbox mode (close it when done)."""
    from exercises.grade import Grader

    sandbox = load_settings().sandbox
    try:
        return Grader(sandbox, runners=runners)
    except ValueError as exc:
        fail(f"TUTOR_SANDBOX: {exc}")


def grade_file(
    course: CourseArg,
    exercise_id: Annotated[str, typer.Argument(help="The id of a code exercise.")],
    file: Annotated[Path, typer.Argument(help="The submission, a Python file.")],
    as_json: JsonOpt = False,
) -> None:
    """Grade a code exercise submission in the sandbox.

    Exit 0 when every check passes, 1 when one fails, 2 on a usage error, 3 when the
    exercise itself is broken (its checks cannot be loaded: nothing was graded).
    """
    from exercises.grade import (
        ExerciseBroken,
        ExerciseNotFound,
        GraderError,
        SandboxUnavailable,
        find_code_exercise,
    )
    from exercises.report import verdict_text

    loaded = load_course(course)
    try:
        exercise = find_code_exercise(loaded, exercise_id)
    except ExerciseNotFound as exc:
        fail(str(exc))
    source = read_source(file)
    try:
        with _grader(runners=1) as grader:
            verdict = grader.grade(exercise, source, filename=file.name)
    except ExerciseBroken as exc:
        verdict = exc.verdict
    except (SandboxUnavailable, GraderError) as exc:
        fail(f"cannot grade: {exc}", 1)
    typer.echo(verdict.model_dump_json(indent=2) if as_json else verdict_text(verdict))
    raise typer.Exit(EXIT_BROKEN if verdict.error else 0 if verdict.passed else 1)


def prove_course_claims(
    path: CourseArg,
    as_json: JsonOpt = False,
) -> None:
    """Prove a course's exercises and examples.

    Every solution passes, every starter fails, every mistake triggers on its sample,
    every runnable example runs cleanly, every quiz question has a correct answer.
    """
    from dataclasses import asdict

    from exercises.grade import GraderError, SandboxUnavailable
    from exercises.prove import prove_course
    from exercises.report import proof_text

    loaded = load_course(path, invalid_code=1)
    try:
        with _grader(runners=2) as grader:
            proof = prove_course(loaded, grader)
    except (SandboxUnavailable, GraderError) as exc:
        fail(f"cannot prove the course: {exc}", 1)
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


def grade_notebook_file(
    course: CourseArg,
    notebook: Annotated[Path, typer.Argument(help="A filled-in notebook exported by Tutor.")],
    as_json: JsonOpt = False,
) -> None:
    """Grade a filled-in notebook in the sandbox.

    Exit 0 when every exercise passes, 1 otherwise, 2 on a usage error.
    """
    from exercises.grade import GraderError, SandboxUnavailable
    from exercises.notebook import NotebookRejected, grade_notebook
    from exercises.report import verdict_text

    loaded = load_course(course)
    text = read_source(notebook)
    try:
        with _grader(runners=1) as grader:
            verdicts = grade_notebook(loaded, text, grader)
    except NotebookRejected as exc:
        fail(f"cannot grade this notebook: {exc}", 1)
    except (SandboxUnavailable, GraderError) as exc:
        fail(f"cannot grade: {exc}", 1)
    if as_json:
        typer.echo(json.dumps([v.model_dump() for v in verdicts], indent=2))
    else:
        typer.echo("\n".join(verdict_text(v) for v in verdicts))
    raise typer.Exit(0 if verdicts and all(v.passed for v in verdicts) else 1)


def export_notebook(
    course: CourseArg,
    section: Annotated[str, typer.Argument(help="A section id (or its number, from 1).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the .ipynb file.")],
) -> None:
    """Export a section as a Jupyter notebook.

    Lessons become markdown cells, examples code cells, and each exercise its starter
    cell followed by a cell that runs its checks.
    """
    from curriculum import bundled_course_dirs
    from exercises.notebook import SectionNotFound, course_reference, export_section

    loaded = load_course(course)
    try:
        text = export_section(loaded, section, course_reference(course, bundled_course_dirs()))
    except SectionNotFound as exc:
        fail(str(exc))
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc}")
    typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command("check")(grade_file)
    app.command("check-course")(prove_course_claims)
    app.command("grade")(grade_notebook_file)
    export_app.command("notebook")(export_notebook)
    app.add_typer(export_app, name="export")
