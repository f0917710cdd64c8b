"""A section's own page: its summary, topics, points and exercises, and its notebook."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from web.db import SessionDep
from web.deps import LoadedDep, MaybeUser, course_of, render
from web.progress import Done, events, section_bars

router = APIRouter(include_in_schema=False)


@router.get("/courses/{course_id}/sections/{section_id}")
def section_page(
    request: Request, entry: LoadedDep, db: SessionDep, user: MaybeUser, section_id: str
) -> Response:
    course = course_of(entry)
    sec = course.outline.section(section_id)
    if sec is None:
        raise HTTPException(404, "No such section in this course.")
    done = Done(frozenset(), frozenset(), frozenset(), None)
    if user is not None:
        done = Done.of(events(db, user.id, course.id))
    return render(
        request,
        "section.html",
        title=f"Section {sec.number}: {sec.section.title}",
        course=course,
        sec=sec,
        section=sec.section,
        bar=section_bars(course, done)[sec.index],
        done=done,
    )
