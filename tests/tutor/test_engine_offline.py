"""The engine with the offline backend: authored lessons, the exact prompt, passages."""

from __future__ import annotations

import asyncio

import pytest

from curriculum.model import Course
from tutor import flow
from tutor.backends import OfflineBackend
from tutor.engine import EngineOptions, Tutor
from tutor.events import EngineEvent, StateChanged
from tutor.limits import LimitSettings
from tutor.prompt import render_text
from tutor.state import LearnerState


def _turn(
    tutor: Tutor, course: Course, state: LearnerState, event: flow.Event
) -> tuple[LearnerState, list[EngineEvent]]:
    async def run() -> list[EngineEvent]:
        return [ev async for ev in tutor.turn(course, state, event)]

    events = asyncio.run(run())
    last = events[-1]
    assert isinstance(last, StateChanged)
    return last.state, events[:-1]


def test_authored_lesson_shown_as_written(mini: Course) -> None:
    tutor = Tutor(OfflineBackend())
    state, events = _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
    kinds = [e.kind for e in events]
    assert kinds == ["delta", "lesson", "done"]
    lesson = events[1]
    assert lesson.kind == "lesson" and lesson.source == "authored" and lesson.complete
    assert lesson.lesson == mini.sections[0].topics[0].points[0].lesson
    assert state.turns[-1].role == "tutor"


def test_point_without_lesson_gets_the_exact_prompt(mini: Course) -> None:
    tutor = Tutor(OfflineBackend())
    state, _ = _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
    request_state = state
    state, events = _turn(tutor, mini, state, flow.Continue())
    prompt = next(e for e in events if e.kind == "prompt")
    assert prompt.kind == "prompt"
    _, outputs = flow.step(mini, request_state, flow.Continue())
    task = outputs[0]
    assert isinstance(task, flow.Teach)
    assert prompt.text == render_text(tutor.request(mini, request_state, task).messages)
    assert "Task: teach point 2 of 3 of Section 1: “Beta things.”" in prompt.text
    first = next(e for e in events if e.kind == "delta")
    assert first.kind == "delta" and "no written lesson yet" in first.text
    assert "TUTOR_MODEL" not in first.text and "prompt" not in first.text.lower()


def test_question_offline_gets_matching_passages_then_resume_offer(mini: Course) -> None:
    tutor = Tutor(OfflineBackend())
    state, _ = _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
    state, events = _turn(tutor, mini, state, flow.Reply(text="Why are generators lazy?"))
    passages = next(e for e in events if e.kind == "passages")
    assert passages.kind == "passages"
    assert passages.items[0].text == "Generators are lazy."
    said = [e for e in events if e.kind == "say"]
    assert said[0].kind == "say"
    assert said[0].text == "Shall we pick up where we left off: Beta things (Section 1, Basics)?"
    assert state.phase == "answering"
    # the offline placeholder is not conversation: the lesson, the question, the offer
    assert [t.role for t in state.turns] == ["tutor", "learner", "tutor"]
    assert state.turns[-1].text.startswith("Shall we pick up")


def test_too_long_question_gets_a_clear_message(mini: Course) -> None:
    tutor = Tutor(
        OfflineBackend(), options=EngineOptions(limits=LimitSettings(max_question_chars=20))
    )
    state, _ = _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
    after, events = _turn(tutor, mini, state, flow.Reply(text="why " * 20))
    assert events[0].kind == "error" and events[0].code == "too_long"
    assert "too long (80 characters; the limit is 20)" in events[0].message
    assert after == state


def test_flagship_walk_through_the_engine(flagship: Course) -> None:
    tutor = Tutor(OfflineBackend())

    async def run() -> tuple[LearnerState, list[EngineEvent]]:
        state = flow.new_state(flagship)
        seen: list[EngineEvent] = []
        event: flow.Event = flow.Kickoff()
        while True:
            async for ev in tutor.turn(flagship, state, event):
                if isinstance(ev, StateChanged):
                    state = ev.state
                else:
                    seen.append(ev)
            if state.phase == "finished":
                return state, seen
            event = flow.Reply(text="yes")

    state, events = asyncio.run(run())
    said = [e.text for e in events if e.kind == "say" and e.purpose != "practice_offer"]
    assert said[0] == (
        "Would you like me to continue to Section 2 (Asynchronous Programming with asyncio)?"
    )
    # the practice of the learner's path (the outline's steps), after each topic's points
    practice = [e.text for e in events if e.kind == "say" and e.purpose == "practice_offer"]
    assert practice[0] == (
        "Next: practise Validate a sign-up payload with Pydantic v2 "
        "(`pydantic-signup-validator`), then What FastAPI is made of "
        "(`fastapi-foundations-quiz`)."
    )
    assert len(practice) == sum(bool(t.exercises) for s in flagship.sections for t in s.topics)
    assert said[-1].startswith("That's the end of Python Backend Development")
    points = [p for s in flagship.sections for t in s.topics for p in t.points]
    taught = [e for e in events if e.kind in ("lesson", "prompt")]
    assert len(taught) == len(points)
    authored = sum(p.lesson is not None for p in points)
    assert sum(e.kind == "lesson" for e in taught) == authored
    assert state.completed_sections == tuple(s.id for s in flagship.sections)


@pytest.mark.parametrize("name", ["shorter", "another_example", "deeper"])
def test_a_shortcut_offline_says_in_a_learners_words_that_it_needs_the_tutor(
    mini: Course, name: flow.ShortcutName
) -> None:
    tutor = Tutor(OfflineBackend())
    state, _ = _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())  # alpha: authored
    _, events = _turn(tutor, mini, state, flow.Shortcut(name=name))
    text = "".join(e.text for e in events if e.kind == "delta")
    assert "needs the AI tutor, which is not switched on" in text
    for operator_words in ("TUTOR_MODEL", "docs/", "prompt", "paste", "assistant", "setting"):
        assert operator_words not in text
    assert "no written lesson" not in text
    # the prompt is still there, as its own event, for the people who run the course
    assert any(e.kind == "prompt" for e in events)


def test_quiz_me_offline_offers_the_courses_own_quiz_for_the_topic(flagship: Course) -> None:
    tutor = Tutor(OfflineBackend())
    ref = flagship.outline.point("modern-async-framework")
    assert ref is not None
    state = flow.new_state(flagship).model_copy(
        update={"position": ref.position, "taught": True, "phase": "teaching"}
    )
    _, events = _turn(tutor, flagship, state, flow.Shortcut(name="quiz_me"))
    quizzes = next(e for e in events if e.kind == "quizzes")
    assert quizzes.kind == "quizzes"
    expected = [
        e.exercise.id
        for e in flagship.outline.topic_exercises(ref.topic.id)
        if e.exercise.kind == "quiz"
    ]
    assert expected and [q.exercise_id for q in quizzes.items] == expected
    assert not any(e.kind == "prompt" for e in events)
    text = "".join(e.text for e in events if e.kind == "delta")
    assert "quiz" in text and "TUTOR_MODEL" not in text


def test_offline_answer_shows_the_passages_once(flagship: Course) -> None:
    tutor = Tutor(OfflineBackend())
    ref = flagship.outline.point("modern-async-framework")
    assert ref is not None
    state = flow.new_state(flagship).model_copy(
        update={"position": ref.position, "taught": True, "phase": "teaching"}
    )
    _, events = _turn(tutor, flagship, state, flow.Reply(text="Why FastAPI over Flask?"))
    passages = next(e for e in events if e.kind == "passages")
    assert passages.kind == "passages"
    assert passages.items[0].position.point_id == "modern-async-framework"
    text = "".join(e.text for e in events if e.kind == "delta")
    assert passages.items[0].text not in text  # shown once: as passages, not in the text too
    assert "TUTOR_MODEL" not in text
