"""Course subcommands: schema, validate, show, import, import-exercises, new."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from curriculum import CourseInvalid, course_path, load_course
from curriculum.model import Course
from curriculum.problems import Problem
from tutor.cli.common import CourseArg


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class SchemaKind(StrEnum):
    course = "course"
    section = "section"


def _problem_json(problem: Problem) -> dict[str, object]:
    return {
        "file": str(problem.file),
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
        "source_line": problem.source_line,
    }


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"tutor: {message}", err=True)
    return typer.Exit(2)


def _load(spec: str) -> Course | list[Problem]:
    """The course, or its problems; exit 2 when there is no such course."""
    path = course_path(spec)
    if not spec.strip() or not path.exists():
        raise _usage_error(f"no such course or path: {spec}")
    try:
        return load_course(path)
    except CourseInvalid as exc:
        return exc.problems


def validate(
    path: Annotated[str, typer.Argument(help="A course folder, course file, or bundled id.")],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text for people, json for tools.")
    ] = OutputFormat.text,
) -> None:
    """Check a course and report every problem.

    Each problem is file:line:column: message, then the line quoted.
    Exit status: 0 valid, 1 invalid, 2 usage error.
    """
    from curriculum.tree import counts

    result = _load(path)
    problems = result if isinstance(result, list) else []
    if output is OutputFormat.json:
        payload = {
            "valid": not problems,
            "course": None if isinstance(result, list) else result.id,
            "problems": [_problem_json(p) for p in problems],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif isinstance(result, Course):
        c = counts(result)
        typer.echo(
            f"{path}: valid: course '{result.id}', {c['sections']} sections, {c['topics']} "
            f"topics, {c['points']} points, {c['lessons']} lessons, {c['exercises']} exercises"
        )
    else:
        for problem in problems:
            typer.echo(problem.render())
        typer.echo(f"{path}: {len(problems)} problem(s)", err=True)
    if problems:
        raise typer.Exit(1)


def schema(
    kind: Annotated[
        SchemaKind, typer.Option("--kind", help="course (course.yaml) or section (a section file).")
    ] = SchemaKind.course,
    write: Annotated[
        bool, typer.Option("--write", help="Regenerate the copies shipped in curriculum/schema/.")
    ] = False,
) -> None:
    """Print the JSON Schema of the course format.

    Generated from the models; editors use it to autocomplete and underline mistakes.
    """
    from curriculum.schema import schema_text, write_schemas

    if write:
        for written in write_schemas():
            typer.echo(f"wrote {written}")
        return
    typer.echo(schema_text(kind.value), nl=False)


def show(
    course: CourseArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tree as JSON.")] = False,
) -> None:
    """Print a course's tree with every id.

    For each point whether it has a lesson; for each exercise its kind and place.
    """
    from curriculum.tree import course_tree, render_tree

    result = _load(course)
    if isinstance(result, list):
        for problem in result:
            typer.echo(problem.render(), err=True)
        typer.echo(f"{course}: invalid course; run `tutor validate {course}`", err=True)
        raise typer.Exit(1)
    tree = course_tree(result)
    if as_json:
        typer.echo(json.dumps(tree, indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join(render_tree(tree)))


def import_(
    roadmap: Annotated[Path, typer.Argument(help="A markdown roadmap file.")],
    out: Annotated[Path, typer.Option("--out", help="The course folder to create.")],
    course_id: Annotated[
        str, typer.Option("--id", help="Course id (default: from the folder name).")
    ] = "",
    title: Annotated[
        str, typer.Option("--title", help="Course title (default: the document's title).")
    ] = "",
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that is not empty.")
    ] = False,
) -> None:
    """Turn a markdown roadmap into a course folder."""
    from curriculum.importer import ImportFailed, import_file
    from curriculum.writer import write_course_folder

    if not roadmap.is_file():
        what = "is a folder, not a markdown file" if roadmap.is_dir() else "no such file"
        raise _usage_error(f"{what}: {roadmap}")
    _check_out(out, force=force)
    course_id = _check_id(course_id, out)
    try:
        result = import_file(roadmap, title=title, course_id=course_id)
        write_course_folder(out, result.course, result.sections)
    except ImportFailed as exc:
        typer.echo(f"tutor: {roadmap}: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"tutor: cannot import: {exc}", err=True)
        raise typer.Exit(1) from None
    for note in result.notes:
        typer.echo(f"note: {note}")
    _report_written(out)


def import_exercises(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of exercise folders.")],
    out: Annotated[
        Path,
        typer.Option("--out", metavar="COURSE_DIR", help="The course folder to create."),
    ],
    course_id: Annotated[
        str, typer.Option("--id", help="Course id (default: from COURSE_DIR's name).")
    ] = "",
    title: Annotated[
        str, typer.Option("--title", help="Course title (default: from DIR's name).")
    ] = "",
) -> None:
    """Turn a folder of exercise folders into a course.

    Reads the public layout (.docs/instructions.md, .meta/config.json) and the plain one
    (README.md, a stub, solution.py, test_*.py, extra files); the instructor's tests run
    unchanged (mode: testfile). Every exercise that cannot be expressed is listed with the
    reason. Exit status: 0 all imported, 1 some (or all) could not be, 2 usage error.
    """
    from curriculum.exercise_course import import_exercises as write_exercises

    if not folder.is_dir():
        raise _usage_error(f"not a folder: {folder}")
    _check_out(out)
    course_id = _check_id(course_id, out)
    default_title = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    try:
        result = write_exercises(
            folder, out, course_id=course_id, title=title or default_title.capitalize()
        )
    except OSError as exc:
        typer.echo(f"tutor: cannot import: {exc}", err=True)
        raise typer.Exit(1) from None
    for exercise_id, draft in result.imported:
        notes = "".join(f"; {note}" for note in draft.notes)
        typer.echo(f"imported {draft.folder} as exercise {exercise_id}{notes}")
    for refusal in result.refused:
        typer.echo(f"NOT imported {refusal.folder}: {refusal.reason}")
    total = len(result.imported) + len(result.refused)
    typer.echo(f"{len(result.imported)} of {total} exercises imported")
    if result.imported:
        _report_written(out)
    else:
        typer.echo("tutor: no exercise could be imported; nothing was written", err=True)
    if result.refused or not result.imported:
        raise typer.Exit(1)


def _check_out(out: Path, *, force: bool | None = None) -> None:
    """``out`` must be a new or empty folder (or any folder with ``--force``, where offered)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise _usage_error(f"{out} is a file; give a folder to create the course in")
    if force or not any(out.iterdir()):
        return
    hint = " (use --force to write into it)" if force is not None else ""
    raise _usage_error(f"{out} exists and is not an empty folder{hint}")


def _check_id(course_id: str, out: Path) -> str:
    """The course id given (it must be a slug), or one made from the folder name."""
    from curriculum.slugs import slugify

    if not course_id:
        return slugify(out.resolve().name, "course")
    if slugify(course_id, "") != course_id:
        raise _usage_error(
            f"--id {course_id!r} is not a valid id: use lowercase letters, digits and single "
            f"hyphens, e.g. {slugify(course_id, 'my-course')!r}"
        )
    return course_id


def _report_written(out: Path) -> None:
    """Validate what was written: a course Tutor writes must load."""
    from curriculum.tree import counts

    result = _load(str(out))
    if isinstance(result, list):
        for problem in result:
            typer.echo(problem.render(), err=True)
        raise typer.Exit(1)
    c = counts(result)
    typer.echo(
        f"wrote {out}: course '{result.id}', {c['sections']} sections, {c['topics']} topics, "
        f"{c['points']} points; check it with `tutor validate {out}`"
    )


def new(
    out: Annotated[Path, typer.Argument(help="The folder to create the course in.")],
    course_id: Annotated[
        str, typer.Option("--id", help="Course id (default: from the folder name).")
    ] = "",
    title: Annotated[str, typer.Option("--title", help="Course title.")] = "",
    source: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="COURSE",
            help="Copy this course (a bundled course id or a course folder) instead.",
        ),
    ] = "",
) -> None:
    """Scaffold a small course that teaches the format, or copy a course to adapt.

    The scaffold validates as written, has one exercise of each kind, and its comments
    explain every key. With --from, the copy keeps everything of the course but its id
    (and title, with --title), and gets its own JSON Schemas for editors.
    """
    _check_out(out)
    name = out.resolve().name
    new_id = _check_id(course_id, out)
    try:
        if source:
            _copy(source, out, new_id, title)
        else:
            from curriculum.scaffold import scaffold

            default_title = name.replace("-", " ").replace("_", " ").strip().capitalize()
            scaffold(out, new_id, title or default_title or "My course")
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    except OSError as exc:
        typer.echo(f"tutor: cannot write the course: {exc}", err=True)
        raise typer.Exit(1) from None
    _report_written(out)


def _copy(source: str, out: Path, course_id: str, title: str) -> None:
    """Copy the course ``source`` to ``out``; only a valid course is copied."""
    from curriculum.copying import copy_course

    result = _load(source)
    if isinstance(result, list):
        for problem in result:
            typer.echo(problem.render(), err=True)
        typer.echo(
            f"tutor: {source} has {len(result)} problem(s); fix them before copying it",
            err=True,
        )
        raise typer.Exit(1)
    copy_course(course_path(source), out, course_id=course_id, title=title)


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command()(validate)
    app.command()(schema)
    app.command()(show)
    app.command("import")(import_)
    app.command("import-exercises")(import_exercises)
    app.command()(new)
