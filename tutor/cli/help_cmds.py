"""``tutor hint``: help on a code exercise in the terminal, one rung of the ladder per run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel, Field, ValidationError

from curriculum.model import CodeExercise, Course
from tutor.cli.common import CourseArg, fail, load_course, load_settings, read_source

if TYPE_CHECKING:
    from tutor.help import HelpReply

MAX_KEPT = 20


class ExerciseHelpState(BaseModel):
    """Where one learner is on one exercise's hint ladder."""

    level: int = 0
    given: list[str] = Field(default_factory=list)
    blocks: list[str] = Field(default_factory=list)


class HelpFile(BaseModel):
    exercises: dict[str, ExerciseHelpState] = Field(default_factory=dict)


def _help_file(data_dir: Path, course: Course) -> Path:
    return data_dir / "hints" / f"{course.id}.json"


def _read_state(path: Path) -> HelpFile:
    try:
        return HelpFile.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return HelpFile()


def _exercise(course: Course, exercise_id: str) -> CodeExercise:
    from exercises.grade import ExerciseNotFound, find_exercise

    try:
        exercise = find_exercise(course, exercise_id)
    except ExerciseNotFound as exc:
        fail(str(exc))
    if not isinstance(exercise, CodeExercise):
        fail(f"{exercise_id!r} is a {exercise.kind}, not a code exercise: hints are for code")
    return exercise


def hint(
    course: CourseArg,
    exercise_id: Annotated[str, typer.Argument(help="The id of a code exercise.")],
    file: Annotated[Path, typer.Argument(help="Your code, a Python file.")],
    question: Annotated[str, typer.Option(help="What you are stuck on (optional).")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    restart: Annotated[bool, typer.Option(help="Start this exercise's hints over.")] = False,
) -> None:
    """Grade your code, then give the next hint: authored hints first, then the tutor's.

    Each run goes one step further. The tutor never shows a solution: its reply is run
    against the exercise's checks and compared with the reference before you see it.
    Exit 0 when a hint (or "all checks pass") was shown, 1 when none could be, 2 on a
    usage error.
    """
    from exercises.grade import GraderError, SandboxUnavailable
    from tutor.terminal import write_atomic

    settings = load_settings()
    loaded = load_course(course)
    exercise = _exercise(loaded, exercise_id)
    source = read_source(file)
    path = _help_file(settings.data_dir, loaded)
    state = _read_state(path)
    mine = ExerciseHelpState() if restart else state.exercises.get(exercise_id, ExerciseHelpState())
    try:
        reply = asyncio.run(_help(loaded, exercise, source, mine, question))
    except (SandboxUnavailable, GraderError) as exc:
        fail(f"cannot grade your code: {exc}", 1)
    if reply.kind in ("authored", "model", "withheld"):
        mine.level = reply.level + 1
        mine.given = [*mine.given, reply.text][-MAX_KEPT:]
        mine.blocks = [*mine.blocks, *reply.shown_blocks][-MAX_KEPT:]
    state.exercises[exercise_id] = mine
    try:
        write_atomic(path, state.model_dump_json(indent=2))
    except OSError as exc:
        fail(f"cannot keep your place on the hint ladder in {path} (TUTOR_DATA_DIR): {exc}", 1)
    _print(reply, as_json)
    raise typer.Exit(1 if reply.kind == "error" else 0)


async def _help(
    course: Course, exercise: CodeExercise, source: str, mine: ExerciseHelpState, question: str
) -> HelpReply:
    from exercises.grade import Grader
    from exercises.verdict import Verdict
    from tutor.backends.select import backend_from_settings
    from tutor.help import HelpRequest, help_with

    settings = load_settings()
    grader = Grader(settings.sandbox)

    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await grader.agrade(ex, src)

    backend = backend_from_settings(settings)
    request = HelpRequest(
        course=course,
        exercise=exercise,
        source=source,
        level=mine.level,
        question=question,
        given=mine.given,
        earlier_blocks=mine.blocks,
    )
    try:
        return await help_with(
            request, grade=grade, backend=backend, max_tokens=settings.max_reply_tokens
        )
    finally:
        await asyncio.to_thread(grader.close)
        close = getattr(backend, "aclose", None)
        if close is not None:
            await close()


def _print(reply: HelpReply, as_json: bool) -> None:
    if not as_json:
        typer.echo(reply.verdict.summary())
        typer.echo("")
        typer.echo(reply.text)
        return
    data = {
        "kind": reply.kind,
        "text": reply.text,
        "level": reply.level,
        "passed": reply.verdict.passed,
        "failing": [c.name for c in reply.verdict.failed_checks],
        "model_calls": reply.model_calls,
        "guard": [
            {"allowed": g.allowed, "reason": g.reason, "blocks": g.blocks, "seconds": g.seconds}
            for g in reply.guard
        ],
    }
    typer.echo(json.dumps(data, indent=2))


def register(app: typer.Typer) -> None:
    app.command()(hint)
