"""Exercise pages: code (editor, check in the grading runner, hints, solution), quizzes,
self-checks.  The operations are in ``web.services``; this module parses and renders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise
from curriculum.outline import ExerciseRef
from web.attempts import verdict_of
from web.courses import LoadedCourse
from web.deps import AppDep, LoadedDep, MaybeUser, UserDep, course_of, exercise_ref, render
from web.gradebook import aware
from web.models import Attempt
from web.services import quiz
from web.services.classes import exercise_deadline
from web.services.code import submit_code
from web.services.progress import attempts_at, open_exercise
from web.services.refusals import BadInput, Refused
from web.services.selfcheck import answer_self_check

router = APIRouter(include_in_schema=False)


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
async def exercise_page(
    request: Request,
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: MaybeUser,
    reset: bool = False,
) -> Response:
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    attempts: list[Attempt] = []
    due_at = None
    if user is not None:
        attempts = await open_exercise(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
        due_at = await exercise_deadline(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
    return render(
        request,
        "exercise.html",
        title=ref.exercise.title,
        course=course,
        due_at=aware(due_at) if due_at is not None else None,
        **_page_context(ref, attempts, reset),
    )


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
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    """Grade the submission in the grading runner (awaited: never blocks the server)."""
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, CodeExercise):
        raise BadInput("This exercise is not a code exercise.")
    source = (await request.form()).get("source")
    if not isinstance(source, str):
        raise BadInput("Send your code in the editor.")
    course = course_of(entry)
    try:
        submitted = await submit_code(
            app=app, user_id=user.id, course=course, ref=ref, source=source
        )
    except Refused as exc:
        if exc.status_code == 400:
            raise
        # the page keeps the learner's code and says why it was not checked, and when to retry
        attempts = await attempts_at(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
        response = _answer(
            request, entry, ref, attempts, exc.status_code, grader_error=exc.message, source=source
        )
        response.headers.update(exc.headers or {})
        return response
    return _answer(request, entry, ref, submitted.attempts)


def _index(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 6 else None


def _quiz_form(form: FormData, exercise: QuizExercise) -> dict[str, object]:
    """The form's answers as the quiz service takes them (indexes as numbers)."""
    given: dict[str, object] = {}
    for q in exercise.questions:
        key = f"q-{q.id}"
        if q.type == "single":
            given[q.id] = _index(form.get(key))
        elif q.type == "multiple":
            given[q.id] = [i for v in form.getlist(key) if (i := _index(v)) is not None]
        else:
            given[q.id] = form.get(key)
    return given


@router.post("/courses/{course_id}/exercises/{exercise_id}/quiz")
async def answer_quiz(
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, QuizExercise):
        raise BadInput("This exercise is not a quiz.")
    given = _quiz_form(await request.form(), ref.exercise)
    attempts = await quiz.answer_quiz(
        app=app, user_id=user.id, course=course_of(entry), ref=ref, given=given
    )
    return _answer(request, entry, ref, attempts)


@router.post("/courses/{course_id}/exercises/{exercise_id}/self-check")
async def self_check(
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    ref = exercise_ref(entry, exercise_id)
    form = await request.form()
    ticked = [i for v in form.getlist("rubric") if (i := _index(v)) is not None]
    attempts = await answer_self_check(
        app=app, user_id=user.id, course=course_of(entry), ref=ref, ticked=ticked
    )
    return _answer(request, entry, ref, attempts)
