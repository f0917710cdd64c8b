"""Jupyter notebooks: export a section, grade a filled-in notebook with the same sandbox.

An exported notebook has lessons as markdown cells, runnable examples as code cells
(examples marked not runnable, or not Python, as fenced markdown, so "Run all" works),
and for each code exercise an *answer* cell (its starter) followed by a *check* cell
that grades the answer from Jupyter through :mod:`exercises.notebook_kernel`.  Cells
are recognised by their ``metadata.tutor``; the notebook's own ``metadata.tutor``
names the course and section and carries a digest of the exercise list, so a foreign,
malformed or tampered notebook is refused with a clear error.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat import v4

from curriculum.model import CodeExercise, Course, Exercise, Lesson, QuizExercise
from curriculum.outline import SectionRef
from exercises.grade import Grader, find_code_exercise
from exercises.verdict import Verdict

FORMAT = 1
MAX_NOTEBOOK = 5 * 1024 * 1024
ANSWER_MARK = "# Your answer to exercise '{id}' (keep this first line)"


class SectionNotFound(LookupError):
    """No such section in the course."""


class NotebookRejected(ValueError):
    """The notebook is malformed, from another course, or has been tampered with."""


def _md(text: str) -> Any:
    return v4.new_markdown_cell(text)  # type: ignore[no-untyped-call]


def _code(text: str) -> Any:
    return v4.new_code_cell(text)  # type: ignore[no-untyped-call]


def strip_mark(source: str, exercise_id: str) -> str:
    """The answer without its first-line mark."""
    first, _, rest = source.lstrip().partition("\n")
    return rest if first.strip() == ANSWER_MARK.format(id=exercise_id) else source


def find_section(course: Course, spec: str) -> SectionRef:
    """The section with this id or 1-based number, in the course's outline."""
    for ref in course.outline.sections:
        if spec in (ref.section.id, str(ref.number)):
            return ref
    ids = ", ".join(ref.section.id for ref in course.outline.sections)
    raise SectionNotFound(f"no section {spec!r} in course {course.id!r} (sections: {ids})")


def section_exercises(section: SectionRef) -> list[Exercise]:
    return [ref.exercise for ref in section.exercises]


def digest(course_id: str, section_id: str, exercise_ids: list[str]) -> str:
    payload = json.dumps([FORMAT, course_id, section_id, exercise_ids])
    return hashlib.sha256(payload.encode()).hexdigest()


def _lesson_cells(title: str, lesson: Lesson) -> list[Any]:
    cells = [_md(f"### {title}\n\n{lesson.explanation}")]
    source = str(lesson.code.source)
    if lesson.code.runnable:
        cells.append(_code(source))
    else:
        cell = _md(f"```{lesson.code.language}\n{source.rstrip()}\n```")
        if lesson.code.not_runnable:
            cell.source += f"\n\n*Not runnable here: {lesson.code.not_runnable}.*"
            cell.metadata["tutor"] = {"not_runnable": lesson.code.not_runnable}
        cells.append(cell)
    for part in (lesson.walkthrough, lesson.notes, lesson.summary):
        if part.strip():
            cells.append(_md(part))
    if lesson.try_it.strip():
        cells.append(_md(f"**Try it yourself:** {lesson.try_it}"))
    return cells


def _check_source(course_ref: str, exercise_id: str) -> str:
    return (
        f"# Checks for '{exercise_id}', run in Tutor's sandbox (needs Tutor installed).\n"
        "try:\n"
        "    from exercises.notebook_kernel import grade_answer\n"
        "except ImportError:\n"
        "    print('Install Tutor in this kernel to run the checks: pip install tutor')\n"
        "else:\n"
        f"    grade_answer({course_ref!r}, {exercise_id!r})"
    )


def _code_under_test(exercise: CodeExercise) -> list[Any]:
    """mode=tests: the reference implementation, saved where the learner's tests import it."""
    reference = exercise.implementations.get("reference")
    if exercise.mode != "tests" or reference is None:
        return []
    note = _md("The code under test; run this cell to save it as `app_under_test.py`.")
    cell = _code(f"%%writefile app_under_test.py\n{reference}")
    cell.metadata["tutor"] = {"exercise": exercise.id, "role": "code-under-test"}
    return [note, cell]


def _exercise_cells(course_ref: str, exercise: Exercise) -> list[Any]:
    head = _md(f"## Exercise: {exercise.title}\n\n{exercise.prompt}")
    if isinstance(exercise, CodeExercise):
        answer = _code(ANSWER_MARK.format(id=exercise.id) + "\n" + str(exercise.starter))
        answer.metadata["tutor"] = {"exercise": exercise.id, "role": "answer"}
        check = _code(_check_source(course_ref, exercise.id))
        check.metadata["tutor"] = {"exercise": exercise.id, "role": "check"}
        return [head, *_code_under_test(exercise), answer, check]
    if isinstance(exercise, QuizExercise):
        lines = [f"{n}. {q.prompt}" for n, q in enumerate(exercise.questions, start=1)]
        return [head, _md("Answer this quiz in Tutor:\n\n" + "\n".join(lines))]
    rubric = "\n".join(f"- [ ] {item}" for item in exercise.rubric)
    return [head, _md(f"Tick what you have done:\n\n{rubric}")]


def export_section(course: Course, section_spec: str, course_ref: str | None = None) -> str:
    """The section as notebook JSON; ``course_ref`` is how check cells name the course."""
    found = find_section(course, section_spec)
    section = found.section
    ref = course_ref or course.id
    cells = [_md(f"# {section.title}\n\n{section.summary}".rstrip())]
    for topic in found.topics:
        cells.append(_md(f"## {topic.topic.title}"))
        for point in topic.points:
            if point.lesson is None:
                cells.append(_md(f"- {point.point.title}"))
            else:
                cells += _lesson_cells(point.point.title, point.lesson)
    exercises = section_exercises(found)
    for exercise in exercises:
        cells += _exercise_cells(ref, exercise)
    code_ids = [e.id for e in exercises if isinstance(e, CodeExercise)]
    notebook = v4.new_notebook(cells=cells)  # type: ignore[no-untyped-call]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["tutor"] = {
        "format": FORMAT,
        "course": course.id,
        "section": section.id,
        "exercises": code_ids,
        "digest": digest(course.id, section.id, code_ids),
    }
    nbformat.validate(notebook)
    return str(nbformat.writes(notebook))  # type: ignore[no-untyped-call]


def _read(text: str) -> Any:
    if len(text) > MAX_NOTEBOOK:
        raise NotebookRejected(f"the notebook is larger than {MAX_NOTEBOOK // 2**20} MB")
    try:
        notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises several unrelated types
        raise NotebookRejected(f"not a valid Jupyter notebook: {_first_line(exc)}") from None
    return notebook


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _tutor_meta(notebook: Any, course: Course) -> tuple[SectionRef, list[str]]:
    meta = notebook.metadata.get("tutor")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise NotebookRejected("this notebook was not exported by Tutor (no tutor metadata)")
    if meta.get("course") != course.id:
        raise NotebookRejected(
            f"this notebook belongs to course {meta.get('course')!r}, not {course.id!r}"
        )
    try:
        section = find_section(course, str(meta.get("section")))
    except SectionNotFound as exc:
        raise NotebookRejected(str(exc)) from None
    ids = meta.get("exercises")
    if not isinstance(ids, list) or meta.get("digest") != digest(
        course.id, section.section.id, [str(i) for i in ids]
    ):
        raise NotebookRejected("the notebook's Tutor metadata has been altered")
    return section, [str(i) for i in ids]


def answers(notebook_text: str, course: Course) -> dict[str, str]:
    """The answer cell of each code exercise, checked against the notebook's metadata."""
    notebook = _read(notebook_text)
    section, ids = _tutor_meta(notebook, course)
    known = {e.id: e for e in section_exercises(section) if isinstance(e, CodeExercise)}
    if set(ids) - set(known):
        raise NotebookRejected("the notebook names exercises this section does not have")
    found: dict[str, str] = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("tutor")
        if not isinstance(meta, dict) or meta.get("role") != "answer":
            continue
        exercise_id = str(meta.get("exercise"))
        if exercise_id not in ids or cell.cell_type != "code":
            raise NotebookRejected(f"an answer cell names an unknown exercise {exercise_id!r}")
        if exercise_id in found:
            raise NotebookRejected(f"exercise {exercise_id!r} has two answer cells")
        found[exercise_id] = strip_mark(str(cell.source), exercise_id)
    if not found:
        raise NotebookRejected("the notebook has no answer cells")
    return found


def grade_notebook(course: Course, notebook_text: str, grader: Grader) -> list[Verdict]:
    """Grade every answer cell of a filled-in notebook, in notebook order."""
    found = answers(notebook_text, course)
    return [grader.grade(find_code_exercise(course, i), source) for i, source in found.items()]


def course_reference(spec: str, bundled: dict[str, Path]) -> str:
    """How check cells name the course: its bundled id, else its absolute path."""
    return spec if spec in bundled else str(Path(spec).resolve())
