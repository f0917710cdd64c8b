""" "New point" and "New exercise": forms that add a point, or a code exercise, a quiz or a
self-check, to a topic of a course in the courses folder (never a bundled one), validated
before writing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from curriculum.outline import TopicRef
from web.courses import LoadedCourse
from web.deps import InstructorDep, StoreDep, render
from web.editor import EditError
from web.services.authoring import (
    MAX_FIELD,
    AuthoringError,
    add_to_topic,
    line_of,
    point_node,
)
from web.services.coursetools import MAX_ID, MAX_TITLE, editable_entry
from web.services.exercise_form import (
    KINDS,
    QUESTION_TYPES,
    ExerciseInput,
    QuestionInput,
    exercise_node,
    form_blocks,
    read_questions,
)

router = APIRouter(prefix="/instructor", include_in_schema=False)


def _topic(entry: LoadedCourse, topic_id: str) -> TopicRef:
    topic = entry.course.outline.topic(topic_id) if entry.course else None
    if topic is None:
        raise HTTPException(400, "Choose a topic of the course.")
    return topic


def _editable(courses: StoreDep, course_id: str) -> LoadedCourse:
    entry = editable_entry(courses, course_id)
    if entry.course is None:
        raise HTTPException(409, "The course does not load: fix its files in the editor first.")
    return entry


def _form(
    request: Request,
    entry: LoadedCourse,
    course_id: str,
    thing: str,
    status: int = 200,
    *,
    context: dict[str, Any] | None = None,
    **values: Any,
) -> Response:
    """The "New point" or "New exercise" (``thing``) form, with ``values`` filled in and
    the template's other ``context``."""
    assert entry.course is not None
    return render(
        request,
        f"instructor/new_{thing}.html",
        status,
        title=f"New {thing} in {course_id}",
        course_id=course_id,
        topics=entry.course.outline.topics,
        sections=entry.course.outline.sections,
        values=values,
        problems=values.pop("problems", []),
        errors=values.pop("errors", []),
        name=values.pop("name", ""),
        max_field=MAX_FIELD,
        **(context or {}),
    )


def _added(
    entry: LoadedCourse,
    course_id: str,
    node_id: str,
    node: Any,
    key: str,
    topic: TopicRef,
    courses: StoreDep,
    again: Callable[..., Response],
) -> Response:
    """Write ``node`` into the topic's ``key`` list and open the editor at it; or, when the
    course would be invalid, ``again``: the form with the problems (nothing written)."""
    try:
        name, text, problems = add_to_topic(course_dir=entry.path, topic=topic, key=key, node=node)
    except (AuthoringError, EditError) as exc:
        raise HTTPException(400, str(exc)) from None
    if problems:
        return again(problems=problems, name=name)
    courses.refresh(force=True)
    target = (
        f"/instructor/courses/{course_id}/edit?file={quote(name)}&line={line_of(text, node_id)}"
    )
    return RedirectResponse(target, status_code=303)


@router.get("/courses/{course_id}/new-point")
def new_point_form(
    request: Request, course_id: str, courses: StoreDep, user: InstructorDep
) -> Response:
    return _form(request, _editable(courses, course_id), course_id, "point")


@router.post("/courses/{course_id}/new-point")
def new_point(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    topic: Annotated[str, Form(max_length=MAX_ID)],
    point_id: Annotated[str, Form(max_length=MAX_ID)],
    title: Annotated[str, Form(max_length=MAX_TITLE)],
    brief: Annotated[str, Form(max_length=MAX_FIELD)] = "",
) -> Response:
    """Add a point to a topic (in the file holding its section), validated first."""
    entry = _editable(courses, course_id)
    values: dict[str, Any] = {"topic": topic, "point_id": point_id, "title": title, "brief": brief}
    node = point_node(point_id=point_id, title=title, brief=brief)
    again = partial(_form, request, entry, course_id, "point", 400, **values)
    return _added(entry, course_id, point_id, node, "points", _topic(entry, topic), courses, again)


STARTER = "def solve():\n    pass\n"
SOLUTION = "def solve():\n    return 42\n"
CHECKS = 'def test_solves(submission):\n    assert submission.call("solve") == 42\n'


async def posted_questions(request: Request) -> list[QuestionInput]:
    """A quiz's question blocks, whose number the instructor chooses (the form is parsed
    once per request: the CSRF check has read it already)."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if any(len(value) > MAX_FIELD for value in fields.values()):
        raise HTTPException(400, f"A field is longer than {MAX_FIELD} characters.")
    return read_questions(fields)


QuestionsDep = Annotated[list[QuestionInput], Depends(posted_questions)]


def _exercise_form(
    request: Request,
    entry: LoadedCourse,
    course_id: str,
    form: ExerciseInput,
    status: int = 200,
    *,
    more: bool = False,
    **extra: Any,
) -> Response:
    values = {f.name: getattr(form, f.name) for f in fields(form)}
    values["questions"] = form_blocks(form.questions, more=more)
    return _form(
        request,
        entry,
        course_id,
        "exercise",
        status,
        context={"kinds": KINDS, "question_types": QUESTION_TYPES, "more": more},
        **values,
        **extra,
    )


@router.get("/courses/{course_id}/new-exercise")
def new_exercise_form(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    kind: Annotated[str, Query(max_length=20)] = "code",
) -> Response:
    entry = _editable(courses, course_id)
    form = ExerciseInput(
        kind=kind if kind in KINDS else "code", starter=STARTER, solution=SOLUTION, checks=CHECKS
    )
    return _exercise_form(request, entry, course_id, form)


@router.post("/courses/{course_id}/new-exercise")
def new_exercise(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    questions: QuestionsDep,
    kind: Annotated[str, Form(max_length=20)] = "code",
    topic: Annotated[str, Form(max_length=MAX_ID)] = "",
    exercise_id: Annotated[str, Form(max_length=MAX_ID)] = "",
    title: Annotated[str, Form(max_length=MAX_TITLE)] = "",
    prompt: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    starter: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    solution: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    checks: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    rubric: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    model_answer: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    more: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Add a code exercise, a quiz or a self-check to a topic (in the file holding its
    section), validated first; "Add a question" (``more``) shows the form again with one
    more question block, writing nothing."""
    entry = _editable(courses, course_id)
    form = ExerciseInput(
        kind=kind,
        topic=topic,
        exercise_id=exercise_id,
        title=title,
        prompt=prompt,
        starter=starter,
        solution=solution,
        checks=checks,
        questions=questions,
        rubric=rubric,
        model_answer=model_answer,
    )
    if more:
        return _exercise_form(request, entry, course_id, form, more=True)
    node, errors = exercise_node(form)
    if node is None:
        return _exercise_form(request, entry, course_id, form, 400, errors=errors)
    again = partial(_exercise_form, request, entry, course_id, form, 400)
    return _added(
        entry,
        course_id,
        exercise_id.strip(),
        node,
        "exercises",
        _topic(entry, topic),
        courses,
        again,
    )
