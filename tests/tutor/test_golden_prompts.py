"""Golden files of the rendered prompts: the first point of every section of every bundled course.

Regenerate with ``pytest tests/tutor --update-goldens`` (or ``TUTOR_UPDATE_GOLDENS=1``)
and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import bundled_course_dirs, resolve_course
from tutor import flow
from tutor import navigation as nav
from tutor.grounding import grounding
from tutor.prompt import build_messages, render_text

GOLDEN = Path(__file__).parents[1] / "golden" / "prompts"


def _rendered(course_id: str) -> dict[str, str]:
    course = resolve_course(course_id)
    files = {}
    for index, section in enumerate(course.sections):
        if not nav.section_points(course, index):
            continue
        pos = nav.first_position(course, index)
        state = flow.state_at(course, pos)
        task = flow.Teach(position=pos, number=1, total=len(nav.section_points(course, index)))
        name = f"{course_id}/{index + 1:02d}-{section.id}.txt"
        files[name] = render_text(build_messages(course, state, task))
    question = flow.Answer(position=nav.first_position(course), question="Why does this matter?")
    state = flow.state_at(course, question.position).model_copy(update={"taught": True})
    extra = grounding(course, question.position, question.question)
    answer = build_messages(course, state, question, grounding=extra)
    files[f"{course_id}/answer.txt"] = render_text(answer)
    return files


@pytest.mark.parametrize("course_id", list(bundled_course_dirs()))
def test_rendered_prompts_match_the_goldens(course_id: str, update_goldens: bool) -> None:
    rendered = _rendered(course_id)
    if update_goldens:
        folder = GOLDEN / course_id
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.txt"):
            old.unlink()
        for name, text in rendered.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    stored = sorted(p.relative_to(GOLDEN).as_posix() for p in (GOLDEN / course_id).glob("*.txt"))
    assert stored == sorted(rendered), "golden prompts out of date: run pytest --update-goldens"
    for name, text in rendered.items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == text, (
            f"{name} differs: run `pytest tests/tutor --update-goldens` and review the diff"
        )
