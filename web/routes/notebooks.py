"""Notebooks: download a section as a Jupyter notebook; upload it filled in to be graded."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from curriculum.model import CodeExercise
from exercises.grade import Grader, GraderError, SandboxUnavailable
from exercises.notebook import MAX_NOTEBOOK, NotebookRejected, answers, export_section
from web.attempts import attempts_for
from web.db import SessionDep
from web.deps import LoadedDep, UserDep, course_of, render
from web.routes.exercises import _store

router = APIRouter(include_in_schema=False)


def _section_index(entry: LoadedDep, section_id: str) -> int:
    ref = course_of(entry).outline.section(section_id)
    if ref is None:
        raise HTTPException(404, "No such section in this course.")
    return ref.index


@router.get("/courses/{course_id}/sections/{section_id}/notebook")
def download(entry: LoadedDep, section_id: str) -> Response:
    course = course_of(entry)
    _section_index(entry, section_id)
    text = export_section(course, section_id)
    return Response(
        text,
        media_type="application/x-ipynb+json",
        headers={"content-disposition": f'attachment; filename="{course.id}-{section_id}.ipynb"'},
    )


@router.post("/courses/{course_id}/sections/{section_id}/notebook")
async def upload(
    request: Request, entry: LoadedDep, section_id: str, db: SessionDep, user: UserDep
) -> Response:
    """Grade every answer cell in the grading runner; each is stored as an attempt."""
    course = course_of(entry)
    index = _section_index(entry, section_id)
    form = await request.form()
    try:
        upload = form.get("notebook")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, "Choose the notebook file to upload.")
        raw = await upload.read(MAX_NOTEBOOK + 1)
    finally:
        await form.close()
    try:
        found = answers(raw.decode("utf-8", errors="replace"), course)
    except NotebookRejected as exc:
        raise HTTPException(400, f"This notebook cannot be graded: {exc}") from None
    outline = course.outline
    results = []
    assert user.id is not None
    for exercise_id, source in found.items():
        ref = outline.exercise(exercise_id)
        if ref is None or ref.section_index != index or not isinstance(ref.exercise, CodeExercise):
            raise HTTPException(400, "The notebook names an exercise of another section.")
        previous = await run_in_threadpool(attempts_for, db, user.id, course.id, exercise_id)
        grader: Grader = request.app.state.grader
        try:
            verdict = await grader.agrade(ref.exercise, source, attempt=len(previous) + 1)
        except (SandboxUnavailable, GraderError) as exc:
            raise HTTPException(503, f"The checks could not run: {exc}") from None
        await run_in_threadpool(
            _store, db, user, entry, ref, "notebook", verdict.passed, source, verdict.model_dump()
        )
        results.append((ref.exercise, verdict))
    return render(
        request,
        "notebook_result.html",
        title="Notebook graded",
        course=course,
        section=course.outline.sections[index].section,
        results=results,
    )
