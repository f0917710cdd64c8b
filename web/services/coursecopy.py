"""Duplicate a course (a bundled one too) into the courses folder, as a new course the
instructor can edit in the browser."""

from __future__ import annotations

import re
import secrets
import shutil

from anyio import to_thread

from curriculum.copying import copy_course
from web.context import AppContext
from web.services.refusals import BadInput, Refused

COURSE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # curriculum.model.Slug
STAGING = ".tutor-staging"  # inside the courses folder: holds no course.yaml of its own
MAX_TITLE = 200


async def duplicate_course(*, app: AppContext, source_id: str, new_id: str, title: str = "") -> str:
    """Copy course ``source_id`` to ``COURSES_DIR/new_id`` as course ``new_id`` (staged
    beside, then renamed into place, so no half-copied course is ever loaded); its id."""
    root = app.settings.courses_dir
    if root is None:
        raise BadInput(
            "Duplicating needs a courses folder: start Tutor with TUTOR_COURSES_DIR=FOLDER."
        )
    entry = app.courses.entry(source_id)
    if entry is None:
        raise Refused(404, "No such course.")
    if not COURSE_ID.fullmatch(new_id) or len(new_id) > 80:
        raise BadInput(
            "A course id is lowercase letters, digits and single hyphens, e.g. 'my-course'."
        )
    if app.courses.entry(new_id) is not None or (root / new_id).exists():
        raise BadInput(f"A course '{new_id}' exists already: choose another id.")

    def work() -> None:
        staging = root / STAGING / f"{new_id}-{secrets.token_hex(4)}"
        staging.parent.mkdir(parents=True, exist_ok=True)
        try:
            copy_course(entry.path, staging, course_id=new_id, title=title.strip()[:MAX_TITLE])
            staging.rename(root / new_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        app.courses.refresh(force=True)

    await to_thread.run_sync(work)
    return new_id
