"""Upload a notebook: parsed in a worker thread (size and cell-count caps), each answer
within the editor's limit, then every answer submitted like code from the editor."""

from __future__ import annotations

import json
from dataclasses import dataclass

from anyio import to_thread

from curriculum import Course
from curriculum.model import Exercise
from exercises.notebook import MAX_NOTEBOOK, NotebookRejected, answers
from exercises.verdict import Verdict
from web.context import AppContext
from web.services.code import MAX_SOURCE_CHARS, submit_code
from web.services.refusals import BadInput

MAX_CELLS = 2000  # an exported section has tens of cells; a notebook this long is not one


@dataclass(frozen=True)
class NotebookGraded:
    results: list[tuple[Exercise, Verdict]]


def notebook_answers(raw: bytes, course: Course) -> dict[str, str]:
    """The answer cell of each exercise; refused (``BadInput``) when too large, too long,
    malformed, foreign or tampered with. CPU-bound: call it in a worker thread."""
    if len(raw) > MAX_NOTEBOOK:
        raise BadInput(f"This notebook is larger than {MAX_NOTEBOOK // 2**20} MB.")
    text = raw.decode("utf-8", errors="replace")
    try:
        cells = json.loads(text).get("cells")
    except (ValueError, AttributeError):
        raise BadInput("This notebook cannot be graded: it is not a Jupyter notebook.") from None
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        raise BadInput(f"This notebook has more than {MAX_CELLS:,} cells: upload the exported one.")
    try:
        found = answers(text, course)
    except NotebookRejected as exc:
        raise BadInput(f"This notebook cannot be graded: {exc}") from None
    too_long = [e for e, source in found.items() if len(source) > MAX_SOURCE_CHARS]
    if too_long:
        raise BadInput(
            f"The answer to {too_long[0]!r} is longer than {MAX_SOURCE_CHARS:,} characters."
        )
    return found


async def upload_notebook(
    *, app: AppContext, user_id: int, course: Course, section_index: int, raw: bytes
) -> NotebookGraded:
    """Grade every answer of a section's notebook; each is stored as a notebook attempt."""
    found = await to_thread.run_sync(notebook_answers, raw, course)
    outline = course.outline
    refs = [outline.exercise(exercise_id) for exercise_id in found]
    if any(ref is None or ref.section_index != section_index for ref in refs):
        raise BadInput("The notebook names an exercise of another section.")
    results: list[tuple[Exercise, Verdict]] = []
    for ref, source in zip(refs, found.values(), strict=True):
        assert ref is not None
        submitted = await submit_code(
            app=app, user_id=user_id, course=course, ref=ref, source=source, kind="notebook"
        )
        results.append((ref.exercise, submitted.verdict))
    return NotebookGraded(results=results)
