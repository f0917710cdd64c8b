"""Write imported exercises as a course: ``tutor import-exercises DIR --out COURSE_DIR``.

Each exercise becomes a topic (``ID-practice``, with one point ``ID-task`` titled
like the exercise) of a single section,
holding a ``mode: testfile`` code exercise: the instructor's tests run unchanged
against the learner's module.  Its stub, reference, tests and files are written under
``exercises/<id>/`` and named from the section file with ``{file: ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curriculum.exercise_folders import ExerciseDraft, Refusal, read_exercise_folders
from curriculum.model import SCHEMA_VERSION
from curriculum.slugs import IdRegistry
from curriculum.writer import write_course_folder

SECTION_ID = "exercises"


@dataclass(frozen=True)
class ExerciseImport:
    """What an import wrote (exercise ids with their folders) and what it refused."""

    imported: list[tuple[str, ExerciseDraft]]
    refused: list[Refusal]


def import_exercises(root: Path, out: Path, *, course_id: str, title: str) -> ExerciseImport:
    """Read every exercise folder of ``root`` and write the expressible ones to ``out``.

    Nothing is written when no exercise can be expressed.
    """
    drafts, refused = read_exercise_folders(root)
    ids = IdRegistry()
    imported = [(ids.take(d.folder, "exercise"), d) for d in drafts]
    if imported:
        topics = [_topic(exercise_id, draft, out, ids) for exercise_id, draft in imported]
        section = {
            "schema_version": SCHEMA_VERSION,
            "id": SECTION_ID,
            "title": "Exercises",
            "summary": f"Imported from {root.name} with `tutor import-exercises`.",
            "topics": topics,
        }
        course = {
            "schema_version": SCHEMA_VERSION,
            "id": course_id,
            "title": title,
            "description": f"Practice exercises imported from {root.name}.",
        }
        write_course_folder(out, course, [section])
    return ExerciseImport(imported, refused)


def _write(out: Path, relative: str, text: str) -> dict[str, str]:
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {"file": f"../{relative}"}  # relative to sections/NN-exercises.yaml


def _topic(exercise_id: str, draft: ExerciseDraft, out: Path, ids: IdRegistry) -> dict[str, Any]:
    base = f"exercises/{exercise_id}"
    exercise: dict[str, Any] = {
        "id": exercise_id,
        "kind": "code",
        "title": draft.title,
        "prompt": draft.prompt,
        "mode": "testfile",
        "module": draft.module,
        "starter": _write(out, f"{base}/{draft.module}.py", draft.starter),
        "solution": _write(out, f"{base}/solution/{draft.module}.py", draft.solution),
        "tests": {name: _write(out, f"{base}/tests/{name}", t) for name, t in draft.tests.items()},
    }
    if draft.files:
        files = draft.files.items()
        exercise["files"] = {name: _write(out, f"{base}/files/{name}", t) for name, t in files}
    if draft.hints:
        exercise["hints"] = draft.hints
    if draft.starter_passes:
        exercise["starter_passes"] = True
    return {
        "id": ids.take(f"{exercise_id}-practice", "practice"),
        "title": draft.title,
        "points": [{"id": ids.take(f"{exercise_id}-task", "task"), "title": draft.title}],
        "exercises": [exercise],
    }
