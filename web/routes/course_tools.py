"""Course tools for instructors: the in-browser editor (a file tree, errors that jump to
the line), "Duplicate course", and a preview of a point from unsaved YAML (the "New
point" and "New exercise" forms are in ``web.routes.authoring``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from curriculum import Problem
from curriculum.registry import is_bundled
from web.courses import LoadedCourse
from web.deps import AppDep, InstructorDep, StoreDep, render
from web.editor import (
    EditError,
    file_tree,
    language_of,
    relative_problem,
    resolve_file,
    save_file,
    validate_edit,
)
from web.services.coursecopy import duplicate_course
from web.services.coursetools import (
    MAX_ID,
    MAX_TITLE,
    Preview,
    ToolError,
    bundled_notice,
    course_entry,
    editable_entry,
    preview_point,
)

router = APIRouter(prefix="/instructor", include_in_schema=False)
MAX_NAME = 300
MAX_CONTENT = 600_000  # characters; the editor's byte limit is checked after


def _first_point(entry: LoadedCourse, content: str) -> str:
    """The first point of the course named in ``content`` (the preview's default)."""
    if entry.course is None:
        return ""
    outline = entry.course.outline
    for line in content.splitlines():
        text = line.strip().removeprefix("- ")
        if text.startswith("id: ") and outline.point(text[4:].strip()) is not None:
            return text[4:].strip()
    return ""


def _editor(
    request: Request,
    entry: LoadedCourse,
    course_id: str,
    name: str,
    content: str,
    *,
    status: int = 200,
    problems: list[Problem] | None = None,
    saved: bool = False,
    line: int = 0,
    duplicated: bool = False,
) -> Response:
    return render(
        request,
        "instructor/edit.html",
        status,
        title=f"Edit {course_id}",
        entry=entry,
        course_id=course_id,
        tree=file_tree(entry.path),
        name=name,
        language=language_of(name),
        content=content,
        problems=problems or [],
        load_problems=[relative_problem(p, entry.path) for p in entry.problems],
        saved=saved,
        line=line,
        points=entry.course.outline.points if entry.course else (),
        preview_default=_first_point(entry, content),
        bundled=is_bundled(entry.path),
        bundled_notice=bundled_notice(course_id),
        duplicated=duplicated,
    )


@router.get("/courses/{course_id}/edit")
def edit_page(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    file: Annotated[str, Query(max_length=MAX_NAME)] = "",
    line: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    duplicated: Annotated[str, Query(max_length=1)] = "",
) -> Response:
    entry = course_entry(courses, course_id)
    name = file or "course.yaml"
    try:
        content = resolve_file(entry.path, name).read_text(encoding="utf-8")
    except EditError as exc:
        raise HTTPException(404, str(exc)) from None
    return _editor(
        request, entry, course_id, name, content, line=line, duplicated=duplicated == "1"
    )


@router.post("/courses/{course_id}/edit")
def save_edit(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    file: Annotated[str, Form(max_length=MAX_NAME)],
    content: Annotated[str, Form(max_length=MAX_CONTENT)],
) -> Response:
    entry = editable_entry(courses, course_id)
    content = content.replace("\r\n", "\n")
    try:
        problems = validate_edit(entry.path, file, content)
        if not problems:
            save_file(entry.path, file, content)
            courses.refresh(force=True)
    except EditError as exc:
        raise HTTPException(400, str(exc)) from None
    first = next((p.line for p in problems if str(p.file) == file and p.line), 0)
    return _editor(
        request,
        entry,
        course_id,
        file,
        content,
        status=400 if problems else 200,
        problems=problems,
        saved=not problems,
        line=first,
    )


@router.post("/courses/{course_id}/preview")
def preview(
    request: Request,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    file: Annotated[str, Form(max_length=MAX_NAME)],
    content: Annotated[str, Form(max_length=MAX_CONTENT)],
    point: Annotated[str, Form(max_length=MAX_ID)],
) -> Response:
    """A point as the learner would see it with the editor's unsaved ``content``."""
    entry = course_entry(courses, course_id)
    try:
        shown = preview_point(
            course_dir=entry.path,
            name=file,
            content=content.replace("\r\n", "\n"),
            point_id=point,
        )
    except (EditError, ToolError) as exc:
        raise HTTPException(400, str(exc)) from None
    if isinstance(shown, list):
        return _editor(request, entry, course_id, file, content, status=400, problems=shown)
    return render(request, "instructor/preview.html", **_preview_context(course_id, shown))


def _preview_context(course_id: str, shown: Preview) -> dict[str, Any]:
    outline = shown.course.outline
    return {
        "title": f"Preview: {shown.ref.point.title}",
        "course": shown.course,
        "course_id": course_id,
        "ref": shown.ref,
        "lesson_html": shown.lesson_html,
        "point_number": shown.ref.number,
        "point_count": len(outline.section_points(shown.ref.section_index)),
    }


@router.post("/courses/{course_id}/duplicate")
async def duplicate(
    app: AppDep,
    course_id: str,
    user: InstructorDep,
    new_id: Annotated[str, Form(max_length=MAX_ID)],
    title: Annotated[str, Form(max_length=MAX_TITLE)] = "",
) -> Response:
    """Copy any course (bundled ones too) into the courses folder, then edit the copy."""
    made = await duplicate_course(app=app, source_id=course_id, new_id=new_id, title=title)
    return RedirectResponse(f"/instructor/courses/{made}/edit?duplicated=1", status_code=303)
