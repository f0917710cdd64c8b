"""The outline of the bundled courses: one walk, with every place, lookup and text."""

from __future__ import annotations

import pytest

from curriculum import Course, bundled_course_dirs, load_course
from curriculum.outline import Outline

BUNDLED = list(bundled_course_dirs())


@pytest.fixture(scope="module")
def courses() -> dict[str, Course]:
    return {cid: load_course(path) for cid, path in bundled_course_dirs().items()}


def test_the_loader_builds_the_outline_once(courses: dict[str, Course]) -> None:
    course = courses["python-backend"]
    assert "_outline" in course.__dict__  # built while loading, not on first request
    assert course.outline is course.outline


@pytest.mark.parametrize("course_id", BUNDLED)
def test_points_are_the_course_tree_in_order(courses: dict[str, Course], course_id: str) -> None:
    course = courses[course_id]
    outline = course.outline
    expected = [
        (s, t, p, section.id, topic.id, point.id)
        for s, section in enumerate(course.sections)
        for t, topic in enumerate(section.topics)
        for p, point in enumerate(topic.points)
    ]
    got = [
        (
            r.position.section,
            r.position.topic,
            r.position.point,
            r.position.section_id,
            r.position.topic_id,
            r.position.point_id,
        )
        for r in outline.points
    ]
    assert got == expected
    assert [r.index for r in outline.points] == list(range(len(expected)))
    for ref in outline.points:
        assert (
            ref.point
            is course.sections[ref.section_index]
            .topics[ref.position.topic]
            .points[ref.position.point]
        )
        assert outline.point(ref.point.id) is ref
        assert outline.at(ref.position.section, ref.position.topic, ref.position.point) is ref


@pytest.mark.parametrize("course_id", BUNDLED)
def test_numbers_and_ends_per_section(courses: dict[str, Course], course_id: str) -> None:
    outline = courses[course_id].outline
    for section in outline.sections:
        assert [r.number for r in section.points] == list(range(1, len(section.points) + 1))
        assert [r.section_end for r in section.points] == [False] * (len(section.points) - 1) + [
            True
        ]
        for topic in section.topics:
            assert [r.topic_end for r in topic.points][-1] is True
            assert sum(r.topic_end for r in topic.points) == 1


@pytest.mark.parametrize("course_id", BUNDLED)
def test_exercises_in_course_order_and_by_id(courses: dict[str, Course], course_id: str) -> None:
    course = courses[course_id]
    outline = course.outline
    expected: list[tuple[str, str | None]] = []
    for section in course.sections:
        for topic in section.topics:
            expected += [(e.id, topic.id) for e in topic.exercises]
        expected += [(e.id, None) for e in section.exercises]
    got = [(r.exercise.id, r.topic.id if r.topic else None) for r in outline.exercises]
    assert got == expected
    for ref in outline.exercises:
        assert outline.exercise(ref.exercise.id) is ref
        assert ref in outline.section_exercises(ref.section_index)
        if ref.topic is not None:
            assert ref in outline.topic_exercises(ref.topic.id)
        else:
            assert ref in outline.sections[ref.section_index].own_exercises
    assert outline.exercise("no-such-exercise") is None
    assert outline.point("no-such-point") is None


def test_neighbours_cross_sections(courses: dict[str, Course]) -> None:
    outline = courses["python-backend"].outline
    first, second = outline.sections[0], outline.sections[1]
    last_of_first = first.points[-1]
    prev, nxt = outline.neighbours(last_of_first)
    assert prev is first.points[-2]
    assert nxt is second.points[0]
    assert outline.neighbours(outline.points[0])[0] is None
    assert outline.neighbours(outline.points[-1])[1] is None
    assert outline.first_from(1) is second.points[0]


def test_continue_text_names_the_next_section(courses: dict[str, Course]) -> None:
    course = courses["python-backend"]
    outline = course.outline
    second = outline.sections[1]
    expected = course.continue_prompt.format(number=2, title=second.section.title)
    assert outline.continue_text(1) == expected
    assert outline.continue_after(outline.sections[0].points[-1]) == expected
    assert outline.continue_after(outline.points[0]) is None  # the section goes on
    assert outline.continue_after(outline.points[-1]) is None  # the course ends


def test_a_copy_of_a_course_gets_its_own_outline(courses: dict[str, Course]) -> None:
    course = courses["backend-roadmap"]
    renamed = course.model_copy(update={"continue_prompt": "Next: {title} ({number})?"})
    assert renamed.outline is not course.outline
    assert renamed.outline.course is renamed
    assert renamed.outline.continue_text(1).startswith("Next: ")
    assert renamed == renamed.model_copy()  # the kept outline is no field
    assert isinstance(course.outline, Outline)


# --- the learner's path ------------------------------------------------------------------


@pytest.mark.parametrize("course_id", BUNDLED)
def test_the_path_is_each_topics_points_then_its_exercises(
    courses: dict[str, Course], course_id: str
) -> None:
    course = courses[course_id]
    expected: list[tuple[str, str]] = []
    for section in course.sections:
        for topic in section.topics:
            expected += [("point", p.id) for p in topic.points]
            expected += [("exercise", e.id) for e in topic.exercises]
        expected += [("exercise", e.id) for e in section.exercises]
    steps = course.outline.steps
    assert [(s.kind, s.id) for s in steps] == expected
    assert [s.index for s in steps] == list(range(len(steps)))
    assert all(course.outline.step(s.id) is s for s in steps)


def test_every_step_has_one_way_forward_labelled_next_or_continue(
    courses: dict[str, Course],
) -> None:
    outline = courses["python-backend"].outline
    first = outline.sections[0].section
    labels = [outline.next_label(s) for s in outline.section_steps(0)]
    assert labels[0] == "Next point"
    assert "Next: practise Validate a sign-up payload with Pydantic v2" in labels
    assert labels[-1] == "Continue to Section 2 (Asynchronous Programming with asyncio)"
    assert all(label.startswith("Next") for label in labels[:-1])
    assert outline.next_label(outline.steps[-1]) == "Finish the course"
    assert outline.step_before(outline.steps[0]) is None
    assert outline.step_after(outline.steps[-1]) is None
    assert first.id == "fastapi-fundamentals"
    # the last step of Section 1 is an exercise: the section's practice comes before Section 2
    last = outline.section_steps(0)[-1]
    assert last.kind == "exercise"
    assert last.path == f"exercises/{last.id}"
    assert outline.section_steps(1)[0].path.startswith("learn/")


def test_resume_is_the_first_unfinished_step_after_the_furthest_finished(
    courses: dict[str, Course],
) -> None:
    outline = courses["python-backend"].outline
    steps = outline.steps
    assert outline.resume_step(frozenset()) is steps[0]
    # read 0, 1 and 5, skipped nothing: the furthest finished is 5, so 6 (not 2)
    finished = frozenset({steps[0].id, steps[1].id, steps[5].id})
    assert outline.resume_step(finished) is steps[6]
    # everything after the furthest is done: back to the first gap
    everything_else = frozenset(s.id for s in steps) - {steps[3].id}
    assert outline.resume_step(everything_else) is steps[3]
    assert outline.resume_step(frozenset(s.id for s in steps)) is None
