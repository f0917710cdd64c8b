"""Every model call the engine makes is metered and recorded once (tutor/calls.py): lessons,
answers and exercise help, with the guard's outcome and the text the learner saw; a call
refused by a limit is not a call, a failed call is recorded with the error shown."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from curriculum.model import CodeExercise, Course, source_text
from exercises.grade import Grader, find_exercise
from exercises.verdict import Verdict
from tests.tutor.fake_openai import FakeOpenAI
from tests.tutor.personalities import PERSONALITIES
from tutor import flow
from tutor.backends.openai_backend import OpenAIBackend, OpenAIOptions
from tutor.calls import MemoryCallLog, prompt_hash
from tutor.engine import EngineOptions, Tutor
from tutor.events import EngineEvent
from tutor.help import HelpReply, HelpRequest
from tutor.limits import Limiter, LimitSettings
from tutor.prompt import ChatMessage


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def _tutor(
    fake: FakeOpenAI, log: MemoryCallLog, model: str = "fake", per_minute: int = 10
) -> Tutor:
    limits = LimitSettings(requests_per_minute=per_minute)
    backend = OpenAIBackend(OpenAIOptions(model=model, base_url=fake.base_url, max_retries=0))
    return Tutor(backend, options=EngineOptions(limits=limits), limiter=Limiter(limits), calls=log)


def _sent_hash(body: dict[str, Any]) -> str:
    """The hash of the messages as the model server received them."""
    return prompt_hash([ChatMessage(**m) for m in body["messages"]])


def _turn(tutor: Tutor, course: Course, event: flow.Event) -> list[EngineEvent]:
    async def run() -> list[EngineEvent]:
        try:
            state = flow.new_state(course)
            return [ev async for ev in tutor.turn(course, state, event, learner="7")]
        finally:
            await tutor.backend.aclose()  # type: ignore[attr-defined]

    return asyncio.run(run())


def test_an_answer_is_recorded_with_its_figures(mini: Course, fake: FakeOpenAI) -> None:
    log = MemoryCallLog()
    events = _turn(_tutor(fake, log), mini, flow.Reply(text="Why add numbers?"))
    shown = "".join(getattr(ev, "text", "") for ev in events if ev.kind == "delta")
    [call] = log.calls
    assert (call.learner, call.course_id, call.target_kind) == ("7", mini.id, "point")
    assert call.target_id == mini.outline.points[0].point.id
    assert call.question == "Why add numbers?" and call.reply == shown and shown
    assert call.model == "fake" and call.guard == "not_applicable"
    assert call.prompt_tokens > 0 and call.completion_tokens > 0 and call.latency_ms >= 0
    assert call.prompt_hash == _sent_hash(fake.requests[-1].body)


def test_a_refused_call_is_not_recorded_and_a_failed_one_is(mini: Course, fake: FakeOpenAI) -> None:
    log = MemoryCallLog()
    refused = _turn(_tutor(fake, log, per_minute=0), mini, flow.Reply(text="Why?"))
    assert [ev.kind for ev in refused if ev.kind == "error"] == ["error"]
    assert log.calls == [] and fake.requests == []
    failed = _turn(_tutor(fake, log, model="fake-500-always"), mini, flow.Reply(text="Why?"))
    assert any(ev.kind == "error" for ev in failed)
    [call] = log.calls
    assert (call.model, call.guard, call.question) == ("fake-500-always", "not_applicable", "Why?")


@pytest.mark.slow
def test_help_records_each_call_with_the_guards_outcome(flagship: Course, fake: FakeOpenAI) -> None:
    exercise = find_exercise(flagship, "ttl-cache-aside")
    assert isinstance(exercise, CodeExercise)
    grader = Grader("strict", runners=1)
    log = MemoryCallLog()
    tutor = _tutor(fake, log)

    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await grader.agrade(ex, src)

    async def ask(personality: str) -> HelpReply:
        fake.respond = PERSONALITIES[personality].respond(exercise)
        request = HelpRequest(
            course=flagship,
            exercise=exercise,
            source=source_text(exercise.starter),
            level=len(exercise.hints),
            question="The code, please.",
        )
        return await tutor.help(request, grade=grade, learner="7")

    async def run() -> list[HelpReply]:
        try:
            return [await ask("pseudocode"), await ask("well-behaved")]
        finally:
            await tutor.backend.aclose()  # type: ignore[attr-defined]

    try:
        withheld, helped = asyncio.run(run())
    finally:
        grader.close()
    assert (withheld.kind, helped.kind) == ("withheld", "model")
    assert [c.guard for c in log.calls] == ["held_retried", "replaced", "passed"]
    assert [c.reply for c in log.calls] == ["", withheld.text, helped.text]
    assert {(c.target_kind, c.target_id) for c in log.calls} == {("exercise", exercise.id)}
    assert [c.prompt_hash for c in log.calls] == [_sent_hash(r.body) for r in fake.requests]
