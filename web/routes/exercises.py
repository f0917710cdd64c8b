"""Exercise pages: code (editor, Run and Check in the grading runner, drafts, hints,
solution), quizzes, self-checks, and the way on (Next after a pass, Skip for now).
The operations are in ``web.services``; this module parses and renders."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData

from curriculum import Course
from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise
from curriculum.outline import ExerciseRef
from web.attempts import verdict_of
from web.context import AppContext
from web.courses import LoadedCourse
from web.deps import (
    AppDep,
    LoadedDep,
    MaybeUser,
    UserDep,
    check_deadline,
    course_of,
    exercise_ref,
    render,
)
from web.models import Attempt, aware
from web.path import path_context
from web.services import quiz
from web.services.chat import conversation, exercise_scope
from web.services.classes import exercise_deadline
from web.services.code import submit_code
from web.services.drafts import save_draft
from web.services.progress import attempts_at, open_exercise, skip_exercise
from web.services.refusals import BadInput, Refused
from web.services.run import run_code
from web.services.selfcheck import MAX_ANSWER_CHARS, answer_self_check
from web.tutor_view import conversation_html

router = APIRouter(include_in_schema=False)


def _src(value: object) -> str:
    return value if isinstance(value, str) else ""


def _page_context(
    course: Course,
    ref: ExerciseRef,
    attempts: list[Attempt],
    reset: bool = False,
    draft: str | None = None,
    user_id: int | None = None,
) -> dict[str, Any]:
    ex = ref.exercise
    passed = any(a.passed for a in attempts)
    step = course.outline.step(ex.id)
    assert step is not None
    ctx: dict[str, Any] = {
        "ref": ref,
        "ex": ex,
        "attempts": attempts,
        "passed": passed,
        "step_done": passed,  # the way on is Next (else Skip for now)
        **path_context(course.outline, step),
    }
    if isinstance(ex, CodeExercise):
        failed = sum(not a.passed for a in attempts)
        last = attempts[0].submission if attempts else _src(ex.starter)
        ctx.update(
            source=_src(ex.starter) if reset else draft if draft is not None else last,
            hints=ex.hints[:failed],
            hints_left=max(len(ex.hints) - failed, 0),
            show_solution=passed or len(attempts) >= ex.attempts_before_solution,
            solution=_src(ex.solution),
            starter=_src(ex.starter),
            verdict=verdict_of(attempts[0]) if attempts and not reset else None,
        )
    elif isinstance(ex, QuizExercise):
        learner = user_id if user_id is not None else attempts[0].user_id if attempts else None
        ctx.update(_quiz_context(course, ex, attempts, learner))
    elif isinstance(ex, SelfCheckExercise):
        ctx["step_done"] = bool(attempts)  # committed: the learner's own judgement, so go on
        ctx["selfcheck"] = verdict_of(attempts[0]) if attempts else None
        ctx["answer"] = attempts[0].submission if attempts else ""
        ctx["answer_limit"] = MAX_ANSWER_CHARS
    return ctx


def _quiz_context(
    course: Course, ex: QuizExercise, attempts: list[Attempt], user_id: int | None
) -> dict[str, Any]:
    """A quiz's verdict as the learner may see it (the answers only once due), its
    options' order for the next attempt, and the learner's last answers to start from."""
    verdict = quiz.shown(course, attempts)
    questions = verdict.questions if verdict is not None else []
    return {
        "quiz": verdict,
        "orders": quiz.option_orders(ex, user_id=user_id or 0, attempt=len(attempts) + 1),
        "last": {q.id: q for q in questions},
        "attempts_left": max(course.quiz_answers_after - len(attempts), 0),
        "wrong_numbers": [n for n, q in enumerate(questions, start=1) if not q.correct],
    }


@router.get("/courses/{course_id}/exercises/{exercise_id}")
async def exercise_page(
    request: Request,
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: MaybeUser,
    reset: bool = False,
    saved: bool = False,
) -> Response:
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    attempts: list[Attempt] = []
    draft = None
    due_at = None
    help_html = Markup("")
    if user is not None:
        opened = await open_exercise(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
        attempts, draft = opened.attempts, opened.draft
        due_at = await exercise_deadline(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
        help_html = await _help_html(app, user.id, course.id, ref)
    return render(
        request,
        "exercise.html",
        title=ref.exercise.title,
        course=course,
        due_at=aware(due_at) if due_at is not None else None,
        draft_saved=saved and draft is not None,
        help_html=help_html,
        **_page_context(course, ref, attempts, reset, draft, user.id if user else None),
    )


async def _help_html(app: AppContext, user_id: int, course_id: str, ref: ExerciseRef) -> Markup:
    """The learner's Help conversation for a code exercise, as HTML."""
    if not isinstance(ref.exercise, CodeExercise):
        return Markup("")
    scope = exercise_scope(ref.exercise.id)
    messages = await conversation(app=app, user_id=user_id, course_id=course_id, scope=scope)
    return conversation_html(app.templates, messages)


def _answer(
    request: Request,
    entry: LoadedCourse,
    ref: ExerciseRef,
    attempts: list[Attempt],
    status: int = 200,
    **extra: Any,
) -> Response:
    partial = request.headers.get("hx-request") == "true"
    ctx = _page_context(course_of(entry), ref, attempts) | extra
    template = "exercise.html"
    if partial:
        quiz_form = isinstance(ref.exercise, QuizExercise)
        template = "_quiz.html" if quiz_form else "_exercise_result.html"
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
    source = await _source(request)
    course = course_of(entry)
    try:
        submitted = await submit_code(
            app=app,
            user_id=user.id,
            course=course,
            ref=ref,
            source=source,
            deadline=check_deadline(request),
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
    help_html = Markup("")
    if request.headers.get("hx-request") != "true":  # the whole page: with its Help
        help_html = await _help_html(app, user.id, course.id, ref)
    return _answer(request, entry, ref, submitted.attempts, help_html=help_html)


async def _source(request: Request) -> str:
    source = (await request.form()).get("source")
    if not isinstance(source, str):
        raise BadInput("Send your code in the editor.")
    return source


@router.post("/courses/{course_id}/exercises/{exercise_id}/run")
async def run(
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    """Run the code in the sandbox and show its output and errors; nothing is graded.
    Without JS (a whole page), the code is also kept as the learner's draft."""
    ref = exercise_ref(entry, exercise_id)
    source = await _source(request)
    partial = request.headers.get("hx-request") == "true"
    status, headers = 200, {}
    extra: dict[str, object] = {}
    try:
        extra["run_output"] = await run_code(app=app, user_id=user.id, ref=ref, source=source)
    except Refused as exc:
        if exc.status_code == 400:
            raise
        status, extra["run_error"], headers = exc.status_code, exc.message, dict(exc.headers or {})
    if partial:
        response = render(request, "_run_output.html", status, **extra)
    else:
        course = course_of(entry)
        # Without JS the code reaches the server only when a button is pressed: keep it.
        with contextlib.suppress(Refused):
            await save_draft(app=app, user_id=user.id, course_id=course.id, ref=ref, source=source)
        attempts = await attempts_at(
            app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id
        )
        ctx = _page_context(course, ref, attempts) | extra | {"source": source}
        response = render(
            request, "exercise.html", status, title=ref.exercise.title, course=course, **ctx
        )
    response.headers.update(headers)
    return response


@router.post("/courses/{course_id}/exercises/{exercise_id}/draft")
async def draft(
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    """Keep the learner's unsubmitted code: 204 for the page's script, else back to the page."""
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    source = await _source(request)
    await save_draft(app=app, user_id=user.id, course_id=course.id, ref=ref, source=source)
    if request.headers.get("x-tutor-draft") == "1":
        return Response(status_code=204)
    return RedirectResponse(f"/courses/{course.id}/exercises/{exercise_id}?saved=1", 303)


@router.post("/courses/{course_id}/exercises/{exercise_id}/skip")
async def skip(app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep) -> Response:
    """Skip the exercise for now (it stays open) and go on to the next step."""
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    await skip_exercise(app=app, user_id=user.id, course_id=course.id, exercise_id=exercise_id)
    step = course.outline.step(ref.exercise.id)
    nxt = course.outline.step_after(step) if step is not None else None
    where = nxt.path if nxt is not None else "progress"
    return RedirectResponse(f"/courses/{course.id}/{where}", status_code=303)


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
    answer = form.get("answer")
    attempts = await answer_self_check(
        app=app,
        user_id=user.id,
        course=course_of(entry),
        ref=ref,
        ticked=ticked,
        answer=answer if isinstance(answer, str) else "",
    )
    return _answer(request, entry, ref, attempts)
