"""The lesson flow: a pure state machine walked event by event."""

from __future__ import annotations

import pytest

from curriculum.model import Course
from tutor import flow
from tutor.flow import Answer, Continue, Kickoff, Pause, Reply, Say, Shortcut, Teach
from tutor.state import ExerciseResult, LearnerState


def _kinds(outputs: list[Teach | Answer | Say]) -> list[str]:
    return [o.kind if not isinstance(o, Teach) else f"teach:{o.position.point_id}" for o in outputs]


def test_kickoff_teaches_the_first_point_at_once(mini: Course) -> None:
    state, outputs = flow.step(mini, flow.new_state(mini), Kickoff())
    assert _kinds(outputs) == ["teach:alpha"]
    assert state.phase == "teaching"
    assert isinstance(outputs[0], Teach)
    assert (outputs[0].number, outputs[0].total) == (1, 3)


def test_section_end_asks_the_course_continue_prompt(mini: Course) -> None:
    state, _ = flow.step(mini, flow.new_state(mini), Kickoff())
    state, out = flow.step(mini, state, Continue())
    assert _kinds(out) == ["teach:beta"]
    state, out = flow.step(mini, state, Reply(text="next"))
    assert _kinds(out) == ["teach:gamma", "say"]
    assert isinstance(out[1], Say)
    assert out[1].text == "Would you like me to continue to Section 2 (More)?"
    assert out[1].purpose == "continue_prompt"
    assert state.phase == "awaiting_continue"
    assert state.completed_sections == ("basics",)


def test_yes_advances_no_pauses_and_continue_resumes(mini: Course) -> None:
    state = flow.new_state(mini)
    for event in (Kickoff(), Continue(), Continue()):
        state, _ = flow.step(mini, state, event)
    paused, out = flow.step(mini, state, Reply(text="Not now."))
    assert paused.phase == "paused"
    assert paused.position == state.position
    assert "Would you like me to continue to Section 2 (More)?" in out[0].model_dump()["text"]
    state, out = flow.step(mini, paused, Reply(text="Yes!"))
    assert _kinds(out) == ["teach:delta"]
    assert state.summaries[0].title == "Basics"
    assert state.summaries[0].points_taught == 3


def test_question_is_answered_position_kept_and_resume_offered(mini: Course) -> None:
    state, _ = flow.step(mini, flow.new_state(mini), Kickoff())
    before = state.position
    state, out = flow.step(mini, state, Reply(text="yes, but why are generators lazy?"))
    assert isinstance(out[0], Answer)
    assert out[0].question == "yes, but why are generators lazy?"
    assert isinstance(out[1], Say)
    assert out[1].text == "Shall we pick up where we left off: Beta things (Section 1, Basics)?"
    assert state.position == before
    assert state.phase == "answering"
    state, out = flow.step(mini, state, Reply(text="ok"))
    assert _kinds(out) == ["teach:beta"]


def test_question_at_a_section_boundary_re_asks_the_continue_prompt(mini: Course) -> None:
    state = flow.new_state(mini)
    for event in (Kickoff(), Continue(), Continue()):
        state, _ = flow.step(mini, state, event)
    state, out = flow.step(mini, state, Reply(text="what was gamma again?"))
    assert _kinds(out) == ["answer", "say"]
    assert isinstance(out[1], Say)
    assert out[1].text == "Would you like me to continue to Section 2 (More)?"


def test_shortcuts_re_teach_the_current_point(mini: Course) -> None:
    state, _ = flow.step(mini, flow.new_state(mini), Kickoff())
    state, out = flow.step(mini, state, Reply(text="Quiz me"))
    assert isinstance(out[0], Teach)
    assert (out[0].variant, out[0].position.point_id) == ("quiz_me", "alpha")
    state, out = flow.step(mini, state, Shortcut(name="deeper"))
    assert isinstance(out[0], Teach)
    assert (out[0].variant, out[0].position.point_id) == ("deeper", "alpha")


def test_end_of_course_is_handled(mini: Course) -> None:
    state = flow.new_state(mini)
    outputs: list[Teach | Answer | Say] = []
    for event in (Kickoff(), Continue(), Continue(), Continue(), Continue()):
        state, outputs = flow.step(mini, state, event)
    assert _kinds(outputs) == ["teach:epsilon", "say"]
    assert state.phase == "finished"
    assert state.completed_sections == ("basics", "more")
    state, outputs = flow.step(mini, state, Continue())
    assert isinstance(outputs[0], Say) and outputs[0].purpose == "finished"
    state, outputs = flow.step(mini, state, Reply(text="what is epsilon?"))
    assert _kinds(outputs) == ["answer"]


def test_returning_learner_is_offered_to_resume(mini: Course) -> None:
    state, _ = flow.step(mini, flow.new_state(mini), Kickoff())
    stored = LearnerState.model_validate_json(state.model_dump_json())
    assert stored == state
    state, out = flow.step(mini, stored, Kickoff())
    assert isinstance(out[0], Say)
    assert out[0].text == "Shall we pick up where we left off: Beta things (Section 1, Basics)?"
    state, out = flow.step(mini, state, Reply(text="sure"))
    assert _kinds(out) == ["teach:beta"]


def test_pause_event_and_exercise_results(mini: Course) -> None:
    state, _ = flow.step(mini, flow.new_state(mini), Kickoff())
    state, out = flow.step(mini, state, Pause())
    assert state.phase == "paused" and out[0].kind == "say"
    result = ExerciseResult(exercise_id="gen-two", passed=False)
    state, out = flow.step(mini, state, flow.ExerciseDone(result=result))
    assert out == []
    assert state.latest_exercise == result
    assert state.struggled_topics == ("first-topic",)


def test_classify_is_exact_after_normalising() -> None:
    assert flow.classify("  Yes please! ")[0] == "yes"
    assert flow.classify("nope")[0] == "no"
    assert flow.classify("Another example")[1] == "another_example"
    assert flow.classify("yes, but what is a coroutine?")[0] == "question"
    assert flow.classify("no idea what await does")[0] == "question"


def test_whole_flagship_course_walk(flagship: Course) -> None:
    state, out = flow.step(flagship, flow.new_state(flagship), Kickoff())
    prompts: list[str] = []
    practice: list[str] = []
    taught = 0
    while state.phase != "finished":
        taught += sum(isinstance(o, Teach) for o in out)
        prompts += [o.text for o in out if isinstance(o, Say) and o.purpose != "practice_offer"]
        practice += [o.text for o in out if isinstance(o, Say) and o.purpose == "practice_offer"]
        state, out = flow.step(flagship, state, Reply(text="yes"))
    taught += sum(isinstance(o, Teach) for o in out)
    practice += [o.text for o in out if isinstance(o, Say) and o.purpose == "practice_offer"]
    total = sum(len(t.points) for s in flagship.sections for t in s.topics)
    assert taught == total
    assert (
        prompts[0]
        == "Would you like me to continue to Section 2 (Asynchronous Programming with asyncio)?"
    )
    assert len(prompts) == len(flagship.sections) - 1
    assert isinstance(out[-1], Say) and out[-1].purpose == "finished"
    # after each topic's points, its practice, in the order of the web app's path
    assert len(practice) == sum(bool(t.exercises) for s in flagship.sections for t in s.topics)
    assert all(text.startswith("Next: practise ") for text in practice)
    assert state.completed_sections == tuple(s.id for s in flagship.sections)
    assert [s.section for s in state.summaries] == list(range(len(flagship.sections) - 1))


def test_a_topic_or_point_id_alone_is_a_position(mini: Course) -> None:
    from tutor import navigation as nav

    assert nav.parse_position(mini, "epsilon") == nav.parse_position(mini, "2/1/2")
    assert nav.parse_position(mini, "second-topic") == nav.parse_position(mini, "1/2/1")
    assert nav.parse_position(mini, "more") == nav.parse_position(mini, "2")
    with pytest.raises(nav.BadPosition, match="no section 'zeta'"):
        nav.parse_position(mini, "zeta")
    with pytest.raises(nav.BadPosition, match="no topic 'epsilon'"):
        nav.parse_position(mini, "1/epsilon")


def test_the_practice_of_a_topic_follows_its_last_point(flagship: Course) -> None:
    from tutor import navigation as nav

    outline = flagship.outline
    last = outline.topics[0].points[-1]  # "where-fastapi-fits": its topic's exercises follow
    state = flow.new_state(flagship).model_copy(update={"taught": True})
    before = outline.topics[0].points[-2].position
    state = state.model_copy(update={"position": before, "phase": "teaching"})
    state, out = flow.step(flagship, state, Reply(text="yes"))
    assert _kinds(out) == [f"teach:{last.point.id}", "say"]
    assert isinstance(out[1], Say)
    assert out[1].text.startswith("Next: practise Validate a sign-up payload with Pydantic v2")
    assert [e.exercise.id for e in nav.practice_after(flagship, last.position)] == [
        e.exercise.id for e in outline.topics[0].exercises
    ]
    assert nav.practice_after(flagship, outline.topics[0].points[0].position) == ()
