"""Notebooks: download a section as a Jupyter notebook; upload it filled in to be graded."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from exercises.notebook import MAX_NOTEBOOK, export_section
from web.deps import AppDep, LoadedDep, UserDep, course_of, render
from web.services.notebook import upload_notebook
from web.services.refusals import BadInput

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
    request: Request, app: AppDep, entry: LoadedDep, section_id: str, user: UserDep
) -> Response:
    """Grade every answer cell in the grading runner; each is stored as an attempt."""
    course = course_of(entry)
    index = _section_index(entry, section_id)
    form = await request.form()
    try:
        upload = form.get("notebook")
        if not isinstance(upload, UploadFile):
            raise BadInput("Choose the notebook file to upload.")
        raw = await upload.read(MAX_NOTEBOOK + 1)
    finally:
        await form.close()
    graded = await upload_notebook(
        app=app, user_id=user.id, course=course, section_index=index, raw=raw
    )
    return render(
        request,
        "notebook_result.html",
        title="Notebook graded",
        course=course,
        section=course.outline.sections[index].section,
        results=graded.results,
    )
