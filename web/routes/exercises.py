"""Exercise pages: code (editor, check in the grading runner, hints, solution), quizzes,
self-checks.  Every attempt is stored with its verdict."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise
from curriculum.outline import ExerciseRef
from exercises.grade import Grader, GraderError, SandboxUnavailable
from exercises.quiz import grade_quiz, grade_self_check
from web.attempts import attempts_for, save_attempt, verdict_of
from web.courses import LoadedCourse
from web.db import SessionDep
from web.deps import LoadedDep, MaybeUser, UserDep, course_of, exercise_ref, render
from web.models import Attempt
from web.observe import CHECKS
from web.progress import record, update_completion
from web.security import Viewer
from web.tutoring import note_exercise

router = APIRouter(include_in_schema=False)

MAX_SOURCE_CHARS = 200_000


def _src(value: object) -> str:
    return value if isinstance(value, str) else ""


def _page_context(ref: ExerciseRef, attempts: list[Attempt], reset: bool = False) -> dict[str, Any]:
    ex = ref.exercise
    passed = any(a.passed for a in attempts)
    ctx: dict[str, Any] = {"ref": ref, "ex": ex, "attempts": attempts, "passed": passed}
    if isinstance(ex, CodeExercise):
        failed = sum(not a.passed for a in attempts)
        last = attempts[0].submission if attempts and not reset else _src(ex.starter)
        ctx.update(
            source=last,
            hints=ex.hints[:failed],
            hints_left=max(len(ex.hints) - failed, 0),
            show_solution=passed or len(attempts) >= ex.attempts_before_solution,
            solution=_src(ex.solution),
            starter=_src(ex.starter),
            verdict=verdict_of(attempts[0]) if attempts and not reset else None,
        )
    elif isinstance(ex, QuizExercise):
        ctx["quiz"] = verdict_of(attempts[0]) if attempts else None
    elif isinstance(ex, SelfCheckExercise):
        ctx["selfcheck"] = verdict_of(attempts[0]) if attempts else None
    return ctx


@router.get("/courses/{course_id}/exercises/{exercise_id}")
def exercise_page(
    request: Request,
    entry: LoadedDep,
    exercise_id: str,
    db: SessionDep,
    user: MaybeUser,
    reset: bool = False,
) -> Response:
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    attempts: list[Attempt] = []
    if user is not None and user.id is not None:
        attempts = attempts_for(db, user.id, course.id, exercise_id)
        record(db, user.id, course.id, "opened", "exercise", exercise_id)
    return render(
        request,
        "exercise.html",
        title=ref.exercise.title,
        course=course,
        **_page_context(ref, attempts, reset),
    )


def _store(
    db: Session,
    user: Viewer,
    entry: LoadedCourse,
    ref: ExerciseRef,
    kind: str,
    passed: bool,
    submission: str,
    verdict: dict[str, Any],
) -> list[Attempt]:
    course = course_of(entry)
    assert user.id is not None
    save_attempt(db, user.id, course.id, ref.exercise.id, kind, passed, submission, verdict)
    if passed:
        record(db, user.id, course.id, "passed", "exercise", ref.exercise.id)
        update_completion(db, user.id, course.id, course)
    topic = ref.topic.id if ref.topic is not None else None
    note_exercise(db, user.id, course, ref.exercise.id, passed, topic)
    return attempts_for(db, user.id, course.id, ref.exercise.id)


def _answer(
    request: Request,
    entry: LoadedCourse,
    ref: ExerciseRef,
    attempts: list[Attempt],
    status: int = 200,
    **extra: Any,
) -> Response:
    partial = request.headers.get("hx-request") == "true"
    ctx = _page_context(ref, attempts) | extra
    template = "_exercise_result.html" if partial else "exercise.html"
    return render(
        request, template, status, title=ref.exercise.title, course=course_of(entry), **ctx
    )


@router.post("/courses/{course_id}/exercises/{exercise_id}/check")
async def check_code(
    request: Request, entry: LoadedDep, exercise_id: str, db: SessionDep, user: UserDep
) -> Response:
    """Grade the submission in the grading runner (awaited: never blocks the server)."""
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, CodeExercise):
        raise HTTPException(400, "This exercise is not a code exercise.")
    form = await request.form()
    source = form.get("source")
    if not isinstance(source, str) or len(source) > MAX_SOURCE_CHARS:
        raise HTTPException(400, "Send your code in the editor (at most 200,000 characters).")
    source = source.replace("\r\n", "\n")
    course = course_of(entry)
    assert user.id is not None
    previous = await run_in_threadpool(attempts_for, db, user.id, course.id, exercise_id)
    grader: Grader = request.app.state.grader
    try:
        verdict = await grader.agrade(ref.exercise, source, attempt=len(previous) + 1)
    except (SandboxUnavailable, GraderError) as exc:
        CHECKS.labels("unavailable").inc()
        return _answer(request, entry, ref, previous, 503, grader_error=str(exc), source=source)
    CHECKS.labels("passed" if verdict.passed else "failed").inc()
    attempts = await run_in_threadpool(
        _store, db, user, entry, ref, "code", verdict.passed, source, verdict.model_dump()
    )
    return _answer(request, entry, ref, attempts)


def _index(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 6 else None


def _quiz_answers(form: Any, exercise: QuizExercise) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in exercise.questions:
        key = f"q-{q.id}"
        if q.type == "single":
            answers[q.id] = _index(form.get(key))
        elif q.type == "multiple":
            answers[q.id] = [
                int(v) for v in form.getlist(key) if isinstance(v, str) and v.isdigit()
            ]
        else:
            value = form.get(key)
            answers[q.id] = value[:1000] if isinstance(value, str) else None
    return answers


@router.post("/courses/{course_id}/exercises/{exercise_id}/quiz")
async def answer_quiz(
    request: Request, entry: LoadedDep, exercise_id: str, db: SessionDep, user: UserDep
) -> Response:
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, QuizExercise):
        raise HTTPException(400, "This exercise is not a quiz.")
    answers = _quiz_answers(await request.form(), ref.exercise)
    verdict = grade_quiz(ref.exercise, answers)
    attempts = await run_in_threadpool(
        _store,
        db,
        user,
        entry,
        ref,
        "quiz",
        verdict.passed,
        json.dumps(answers),
        verdict.model_dump(),
    )
    return _answer(request, entry, ref, attempts)


@router.post("/courses/{course_id}/exercises/{exercise_id}/self-check")
async def self_check(
    request: Request, entry: LoadedDep, exercise_id: str, db: SessionDep, user: UserDep
) -> Response:
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, SelfCheckExercise):
        raise HTTPException(400, "This exercise is not a self-check.")
    form = await request.form()
    ticked = [i for v in form.getlist("rubric") if (i := _index(v)) is not None]
    result = grade_self_check(ref.exercise, ticked, committed=True)
    attempts = await run_in_threadpool(
        _store,
        db,
        user,
        entry,
        ref,
        "self-check",
        result.complete,
        ",".join(map(str, ticked)),
        result.model_dump(),
    )
    return _answer(request, entry, ref, attempts)
