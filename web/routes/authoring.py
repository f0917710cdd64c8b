""" "New point" and "New exercise": forms that add a point or a code exercise to a topic
of a course in the courses folder (never a bundled one), validated before writing."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from curriculum.outline import TopicRef
from web.courses import LoadedCourse
from web.deps import InstructorDep, StoreDep, render
from web.editor import EditError
from web.services.authoring import (
    MAX_FIELD,
    AuthoringError,
    add_to_topic,
    code_exercise_node,
    line_of,
    point_node,
)
from web.services.coursetools import MAX_ID, MAX_TITLE, editable_entry

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
    kind: str,
    status: int = 200,
    **values: Any,
) -> Response:
    assert entry.course is not None
    return render(
        request,
        f"instructor/new_{kind}.html",
        status,
        title=f"New {kind} in {course_id}",
        course_id=course_id,
        topics=entry.course.outline.topics,
        sections=entry.course.outline.sections,
        values=values,
        problems=values.pop("problems", []),
        name=values.pop("name", ""),
        max_field=MAX_FIELD,
    )


def _added(
    request: Request,
    entry: LoadedCourse,
    course_id: str,
    kind: str,
    values: dict[str, Any],
    node_id: str,
    node: Any,
    key: str,
    topic: TopicRef,
    courses: StoreDep,
) -> Response:
    try:
        name, text, problems = add_to_topic(course_dir=entry.path, topic=topic, key=key, node=node)
    except (AuthoringError, EditError) as exc:
        raise HTTPException(400, str(exc)) from None
    if problems:
        return _form(request, entry, course_id, kind, 400, problems=problems, name=name, **values)
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
    values = {"topic": topic, "point_id": point_id, "title": title, "brief": brief}
    node = point_node(point_id=point_id, title=title, brief=brief)
    return _added(
        request,
        entry,
        course_id,
        "point",
        values,
        point_id,
        node,
        "points",
        _topic(entry, topic),
        courses,
    )


STARTER = "def solve():\n    pass\n"
SOLUTION = "def solve():\n    return 42\n"
CHECKS = 'def test_solves(submission):\n    assert submission.call("solve") == 42\n'


@router.get("/courses/{course_id}/new-exercise")
def new_exercise_form(
    request: Request, course_id: str, courses: StoreDep, user: InstructorDep
) -> Response:
    entry = _editable(courses, course_id)
    return _form(
        request, entry, course_id, "exercise", starter=STARTER, solution=SOLUTION, checks=CHECKS
    )


@router.post("/courses/{course_id}/new-exercise")
def new_exercise(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    topic: Annotated[str, Form(max_length=MAX_ID)],
    exercise_id: Annotated[str, Form(max_length=MAX_ID)],
    title: Annotated[str, Form(max_length=MAX_TITLE)],
    prompt: Annotated[str, Form(max_length=MAX_FIELD)],
    starter: Annotated[str, Form(max_length=MAX_FIELD)],
    solution: Annotated[str, Form(max_length=MAX_FIELD)],
    checks: Annotated[str, Form(max_length=MAX_FIELD)],
) -> Response:
    """Add a code exercise to a topic (in the file holding its section), validated first."""
    entry = _editable(courses, course_id)
    values = {
        "topic": topic,
        "exercise_id": exercise_id,
        "title": title,
        "prompt": prompt,
        "starter": starter,
        "solution": solution,
        "checks": checks,
    }
    node = code_exercise_node(
        exercise_id=exercise_id,
        title=title,
        prompt=prompt,
        starter=starter,
        solution=solution,
        checks=checks,
    )
    return _added(
        request,
        entry,
        course_id,
        "exercise",
        values,
        exercise_id,
        node,
        "exercises",
        _topic(entry, topic),
        courses,
    )
