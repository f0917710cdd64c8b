"""The OpenAI backend through the real ``openai`` client against a local fake server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest

from curriculum.model import Course
from tests.tutor.fake_openai import LESSON, FakeOpenAI
from tutor import flow
from tutor.backends.base import ModelRequest
from tutor.backends.openai_backend import OpenAIBackend, OpenAIOptions
from tutor.cache import MemoryLessonCache
from tutor.engine import EngineOptions, Tutor
from tutor.events import BackendEvent, EngineEvent, StateChanged
from tutor.limits import Limiter, LimitSettings
from tutor.prompt import build_messages
from tutor.state import LearnerState


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(stall_s=3.0) as server:
        yield server


def _backend(
    fake: FakeOpenAI, model: str, retries: int = 1, first_token_s: float = 1.0
) -> OpenAIBackend:
    options = OpenAIOptions(
        model=model,
        api_key="test-key",
        base_url=fake.base_url,
        connect_timeout_s=2.0,
        first_token_timeout_s=first_token_s,
        idle_timeout_s=0.5,
        max_retries=retries,
    )
    return OpenAIBackend(options)


def _request(course: Course) -> ModelRequest:
    state, out = flow.step(course, flow.new_state(course), flow.Kickoff())
    assert isinstance(out[0], flow.Teach)
    messages = build_messages(course, state, out[0])
    return ModelRequest(messages=messages, max_tokens=700, task=out[0], course=course)


def _collect(backend: OpenAIBackend, request: ModelRequest) -> list[BackendEvent]:
    async def run() -> list[BackendEvent]:
        try:
            return [ev async for ev in backend.stream(request)]
        finally:
            await backend.aclose()

    return asyncio.run(run())


def _text(events: list[BackendEvent]) -> str:
    return "".join(e.text for e in events if e.kind == "delta")


def test_normal_reply_streams_and_reports_usage(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake"), _request(mini))
    assert _text(events) == LESSON
    assert sum(e.kind == "delta" for e in events) > 10
    usage = [e for e in events if e.kind == "usage"]
    assert usage[0].kind == "usage" and usage[0].completion_tokens == 80
    body = fake.requests[0].body
    assert body["max_tokens"] == 700
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_slow_first_token_within_the_timeout_is_fine(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake-slow"), _request(mini))
    assert _text(events) == LESSON


def _error(events: list[BackendEvent]) -> tuple[str, str]:
    last = events[-1]
    assert last.kind == "error", events
    return last.code, last.message


def test_mid_stream_disconnect(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake-disconnect"), _request(mini))
    assert _text(events) == LESSON[:36]
    assert _error(events)[0] == "connection"


def test_error_frame_mid_stream(fake: FakeOpenAI, mini: Course) -> None:
    code, message = _error(_collect(_backend(fake, "fake-error-frame"), _request(mini)))
    assert code == "stream_error"
    assert "The server had an error while processing your request." in message


@pytest.mark.parametrize("model", ["fake-malformed", "fake-misshapen"])
def test_malformed_chunk(fake: FakeOpenAI, mini: Course, model: str) -> None:
    events = _collect(_backend(fake, model), _request(mini))
    code, message = _error(events)
    assert code == "malformed"
    assert "could not read" in message
    assert _text(events) == LESSON[:36]


@pytest.mark.slow
def test_429_retried_after_retry_after(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake-429", first_token_s=5.0), _request(mini))
    assert _text(events) == LESSON
    first, second = fake.requests
    assert second.at - first.at >= 0.9  # Retry-After: 1 was honoured


@pytest.mark.slow
def test_429_every_time_ends_in_a_clear_message(fake: FakeOpenAI, mini: Course) -> None:
    code, message = _error(
        _collect(_backend(fake, "fake-429-always", first_token_s=5.0), _request(mini))
    )
    assert code == "rate_limited" and "try again" in message
    assert len(fake.requests) == 2


@pytest.mark.slow
def test_500_retried_then_clear_message(fake: FakeOpenAI, mini: Course) -> None:
    assert _text(_collect(_backend(fake, "fake-500"), _request(mini))) == LESSON
    code, message = _error(_collect(_backend(fake, "fake-500-always"), _request(mini)))
    assert code == "server_error" and "HTTP 500" in message


def test_stall_past_the_idle_timeout(fake: FakeOpenAI, mini: Course) -> None:
    code, message = _error(_collect(_backend(fake, "fake-stall"), _request(mini)))
    assert code == "timeout" and "too long" in message


@pytest.mark.slow
def test_stall_before_the_first_token(fake: FakeOpenAI, mini: Course) -> None:
    code, _ = _error(_collect(_backend(fake, "fake-stall-first", retries=0), _request(mini)))
    assert code == "timeout"


def test_thinking_model_with_empty_content(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake-thinking"), _request(mini))
    code, message = _error(events)
    assert code == "empty" and "thinking" in message
    assert _text(events) == ""


def test_unreachable_server(mini: Course) -> None:
    server = FakeOpenAI().start()
    url = server.base_url
    server.stop()
    options = OpenAIOptions(model="fake", base_url=url, max_retries=0, connect_timeout_s=1.0)
    code, message = _error(_collect(OpenAIBackend(options), _request(mini)))
    assert code == "connection"
    assert message == (
        f"I could not reach the model service at {url}/: check that it is running and that "
        "OPENAI_BASE_URL is right, then try again."
    )


def test_cancellation_closes_the_request(fake: FakeOpenAI, mini: Course) -> None:
    backend = _backend(fake, "fake-stall")

    async def run() -> str:
        agen = backend.stream(_request(mini))
        first = await agen.__anext__()
        await agen.aclose()
        await backend.aclose()
        return first.kind

    assert asyncio.run(run()) == "delta"
    assert len(fake.requests) == 1
    _wait_for(lambda: fake.requests[0].disconnected)


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(200):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the server never saw the connection close")


def test_learner_leaving_mid_lesson_closes_the_request(fake: FakeOpenAI, mini: Course) -> None:
    backend = _backend(fake, "fake-stall", first_token_s=5.0)
    backend.options = OpenAIOptions(**{**backend.options.__dict__, "idle_timeout_s": 5.0})
    tutor = Tutor(backend)

    async def run() -> list[str]:
        state, _ = flow.step(mini, flow.new_state(mini), flow.Kickoff())
        seen: list[str] = []
        agen = tutor.turn(mini, state, flow.Continue())
        async for ev in agen:
            seen.append(ev.kind)
            if ev.kind == "delta":
                break
        await agen.aclose()
        await backend.aclose()
        return seen

    assert asyncio.run(run()) == ["delta"]
    _wait_for(lambda: fake.requests[0].disconnected)


Turn = tuple[LearnerState, list[EngineEvent]]


async def _turn(tutor: Tutor, course: Course, state: LearnerState, event: flow.Event) -> Turn:
    events = [ev async for ev in tutor.turn(course, state, event)]
    last = events[-1]
    assert isinstance(last, StateChanged)
    return last.state, events[:-1]


def test_engine_generates_parses_and_caches_lessons(fake: FakeOpenAI, mini: Course) -> None:
    cache = MemoryLessonCache()
    backend = _backend(fake, "fake")
    tutor = Tutor(backend, cache=cache)

    async def run() -> None:
        state, _ = await _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
        assert fake.requests == []  # the authored lesson needs no model
        state, events = await _turn(tutor, mini, state, flow.Continue())
        lesson = next(e for e in events if e.kind == "lesson")
        assert lesson.kind == "lesson" and lesson.source == "generated" and lesson.complete
        assert isinstance(lesson.lesson.code.source, str)
        assert lesson.lesson.code.source.startswith("from fastapi import FastAPI")
        assert len(cache.entries) == 1
        await _turn(tutor, mini, state, flow.Shortcut(name="shorter"))
        assert len(fake.requests) == 2  # shortcuts are generated, not cached
        fresh, _ = await _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
        _, events = await _turn(tutor, mini, fresh, flow.Continue())
        cached = next(e for e in events if e.kind == "lesson")
        assert cached.kind == "lesson" and cached.source == "cached"
        assert len(fake.requests) == 2
        _, events = await _turn(tutor, mini, state, flow.Reply(text="why async?"))
        assert len(fake.requests) == 3  # answers are never cached
        assert [e.kind for e in events][-2:] == ["say", "done"]
        await backend.aclose()

    asyncio.run(run())


def test_engine_turns_failures_into_an_error_event(fake: FakeOpenAI, mini: Course) -> None:
    backend = _backend(fake, "fake-error-frame")
    tutor = Tutor(backend, cache=MemoryLessonCache())

    async def run() -> Turn:
        state, _ = await _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
        result = await _turn(tutor, mini, state, flow.Continue())
        await backend.aclose()
        return result

    state, events = asyncio.run(run())
    kinds = [e.kind for e in events]
    assert "error" in kinds and "lesson" not in kinds
    assert kinds[-1] == "done"
    assert state.phase == "teaching"
    assert state.position.point_id == "alpha"  # not moved: Continue again retries beta


def test_rate_limit_refuses_model_calls_with_a_message(fake: FakeOpenAI, mini: Course) -> None:
    backend = _backend(fake, "fake")
    limits = LimitSettings(requests_per_minute=1)
    tutor = Tutor(backend, options=EngineOptions(limits=limits), limiter=Limiter(limits))

    async def run() -> tuple[LearnerState, LearnerState, list[EngineEvent]]:
        state, _ = await _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
        state, _ = await _turn(tutor, mini, state, flow.Continue())
        after, events = await _turn(tutor, mini, state, flow.Continue())
        await backend.aclose()
        return state, after, events

    before, after, events = asyncio.run(run())
    assert len(fake.requests) == 1
    errors = [e for e in events if e.kind == "error"]
    assert errors[0].kind == "error" and errors[0].code == "limit"
    assert "at most 1 tutor requests per minute" in errors[0].message
    assert after == before


def test_reply_cut_at_max_tokens_is_shown_incomplete(fake: FakeOpenAI, mini: Course) -> None:
    backend = _backend(fake, "fake-length")
    tutor = Tutor(backend, cache=MemoryLessonCache())

    async def run() -> list[EngineEvent]:
        state, _ = await _turn(tutor, mini, flow.new_state(mini), flow.Kickoff())
        _, events = await _turn(tutor, mini, state, flow.Continue())
        await backend.aclose()
        return events

    events = asyncio.run(run())
    notices = [e.text for e in events if e.kind == "notice"]
    assert (
        notices[0]
        == "The reply reached the maximum length (TUTOR_MAX_REPLY_TOKENS) and was cut short."
    )
    lesson = next(e for e in events if e.kind == "lesson")
    assert lesson.kind == "lesson" and not lesson.complete
    assert "This lesson is incomplete: missing" in lesson.notices[0]


def test_think_tags_in_content_are_hidden(fake: FakeOpenAI, mini: Course) -> None:
    events = _collect(_backend(fake, "fake-think-tags"), _request(mini))
    assert _text(events) == LESSON
    code, message = _error(_collect(_backend(fake, "fake-think-only"), _request(mini)))
    assert code == "empty" and "thinking" in message
