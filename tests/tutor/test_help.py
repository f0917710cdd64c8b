"""Help on an exercise end to end: real grading, the real OpenAI client, a fake model server,
and ``tutor hint`` as a learner runs it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum.model import CodeExercise, Course, source_text
from exercises.grade import Grader, find_exercise
from exercises.verdict import Verdict
from tests.tutor.fake_openai import FakeOpenAI
from tests.tutor.personalities import PERSONALITIES
from tutor.backends.offline import OfflineBackend
from tutor.backends.openai_backend import OpenAIBackend, OpenAIOptions
from tutor.help import HelpReply, HelpRequest, help_with

pytestmark = pytest.mark.slow
EXERCISE = "ttl-cache-aside"


@pytest.fixture(scope="module")
def grader() -> Iterator[Grader]:
    g = Grader("strict", runners=2)
    yield g
    g.close()


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def _exercise(course: Course) -> CodeExercise:
    exercise = find_exercise(course, EXERCISE)
    assert isinstance(exercise, CodeExercise)
    return exercise


def _help(
    grader: Grader, course: Course, fake: FakeOpenAI | None, source: str, level: int
) -> HelpReply:
    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await grader.agrade(ex, src)

    async def run() -> HelpReply:
        if fake is None:
            backend: OfflineBackend | OpenAIBackend = OfflineBackend()
        else:
            backend = OpenAIBackend(
                OpenAIOptions(model="fake", base_url=fake.base_url, max_retries=0)
            )
        request = HelpRequest(course=course, exercise=_exercise(course), source=source, level=level)
        try:
            return await help_with(request, grade=grade, backend=backend, max_tokens=500)
        finally:
            if isinstance(backend, OpenAIBackend):
                await backend.aclose()

    return asyncio.run(run())


def test_authored_hints_come_first_then_offline_says_so(flagship: Course, grader: Grader) -> None:
    exercise = _exercise(flagship)
    starter = source_text(exercise.starter)
    first = _help(grader, flagship, None, starter, 0)
    assert (first.kind, first.verdict.passed) == ("authored", False)
    assert first.text.startswith(f"Hint 1 of {len(exercise.hints)}: ")
    past = _help(grader, flagship, None, starter, len(exercise.hints))
    assert past.kind == "no_model"
    assert "not switched on here" in past.text and "What the checks say now" in past.text
    assert "TUTOR_MODEL" not in past.text and "prompt" not in past.text.lower()


def test_passing_code_needs_no_hint(flagship: Course, grader: Grader) -> None:
    solved = _help(grader, flagship, None, source_text(_exercise(flagship).solution), 0)
    assert solved.kind == "passed" and solved.verdict.passed


def test_model_hint_sees_the_code_and_failing_checks_never_the_answer(
    flagship: Course, grader: Grader, fake: FakeOpenAI
) -> None:
    exercise = _exercise(flagship)
    fake.respond = PERSONALITIES["well-behaved"].respond(exercise)
    almost = source_text(exercise.mistakes[0].sample)
    reply = _help(grader, flagship, fake, almost, len(exercise.hints))
    assert reply.kind == "model" and reply.model_calls == 1, reply
    assert reply.guard[0].allowed and reply.shown_blocks
    (request,) = fake.requests
    system, user = request.body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert almost.strip() in user["content"] and almost.strip() not in system["content"]
    failing = [c.name.removeprefix("test_").replace("_", " ") for c in reply.verdict.failed_checks]
    assert failing and any(f"- {name}" in user["content"] for name in failing)
    everything = system["content"] + user["content"]
    assert source_text(exercise.solution).strip() not in everything
    assert exercise.checks is not None
    assert source_text(exercise.checks).strip()[:200] not in everything


@pytest.mark.parametrize("personality", ["leaky-verbatim", "leaky-renamed", "leaky-unfenced"])
def test_a_leaky_model_is_asked_again_then_replaced_by_a_hint(
    flagship: Course, grader: Grader, fake: FakeOpenAI, personality: str
) -> None:
    exercise = _exercise(flagship)
    fake.respond = PERSONALITIES[personality].respond(exercise)
    reply = _help(grader, flagship, fake, source_text(exercise.starter), len(exercise.hints))
    assert reply.kind == "withheld" and reply.model_calls == 2
    assert [g.allowed for g in reply.guard] == [False, False]
    assert "held back" in reply.text and "```" not in reply.text
    second = fake.requests[1].body["messages"][0]["content"]
    assert "prose only" in second  # the stricter instruction on the second try


def _tutor_hint(env: dict[str, str], tmp: Path, source: str, *extra: str) -> dict[str, object]:
    file = tmp / "mine.py"
    file.write_text(source)
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "hint", "python-backend", EXERCISE, str(file), *extra],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_tutor_hint_climbs_the_ladder_and_never_prints_a_solution(
    flagship: Course, fake: FakeOpenAI, tmp_path: Path
) -> None:
    exercise = _exercise(flagship)
    fake.respond = PERSONALITIES["leaky-verbatim"].respond(exercise)
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "TUTOR_MODEL": "fake",
        "OPENAI_BASE_URL": fake.base_url,
        "OPENAI_API_KEY": "test",
        "TUTOR_MODEL_MAX_RETRIES": "0",
    }
    starter = source_text(exercise.starter)
    kinds = [_tutor_hint(env, tmp_path, starter, "--json")["kind"] for _ in exercise.hints]
    assert kinds == ["authored"] * len(exercise.hints)
    leaked = _tutor_hint(env, tmp_path, starter, "--json")
    assert leaked["kind"] == "withheld" and leaked["model_calls"] == 2
    assert source_text(exercise.solution).strip()[:120] not in str(leaked["text"])
    restarted = _tutor_hint(env, tmp_path, starter, "--json", "--restart")
    assert restarted["kind"] == "authored" and restarted["level"] == 0
