"""The typed wire between the grading API and a runner: both sides validate each message."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from exercises.sandbox import _wire
from exercises.sandbox._runners import Runner
from exercises.sandbox.protocol import GradingJob, GradingResult, JobLimits, RunnerHello

LIMITS = JobLimits(time_s=2, memory_mb=256, output_kb=64)
CHECKS = "def test_f(submission):\n    assert submission.call('f') == 1\n"


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read, write = os.pipe()
    yield read, write
    os.close(read)
    os.close(write)


def test_a_malformed_job_gets_an_error_result_and_the_runner_goes_on() -> None:
    runner = Runner("strict")
    try:
        assert isinstance(runner.hello, RunnerHello) and runner.hello.sandbox == "strict"
        _wire.send(runner._in, {"checks": 1, "source": None, "limits": {}, "extra": True})
        deadline = time.monotonic() + 60
        refused = _wire.recv_model(runner._out, GradingResult, deadline)
        assert refused.checks == []
        assert refused.error is not None and "a malformed job" in refused.error
        job = GradingJob(checks=CHECKS, source="def f():\n    return 1\n", limits=LIMITS)
        graded = runner.run(job, 60)
        assert graded.error is None and graded.sandbox == "strict"
        assert [(c.name, c.passed) for c in graded.checks] == [("test_f", True)]
    finally:
        runner.close()


def test_a_result_of_the_wrong_shape_is_a_wire_error(pipe: tuple[int, int]) -> None:
    read, write = pipe
    _wire.send(write, {"checks": [{"name": "test_f"}], "error": None, "sandbox": "strict"})
    with pytest.raises(_wire.WireError, match=r"not a GradingResult: checks\.0\.passed"):
        _wire.recv_model(read, GradingResult, time.monotonic() + 5)
    _wire.send(write, {"checks": [], "error": None, "sandbox": "lax"})
    with pytest.raises(_wire.WireError, match="sandbox"):
        _wire.recv_model(read, GradingResult, time.monotonic() + 5)


def test_models_round_trip_and_keep_the_size_limit(pipe: tuple[int, int]) -> None:
    read, write = pipe
    job = GradingJob(checks=CHECKS, source="x = '\udcff'\n", limits=LIMITS, only="test_f")
    _wire.send_model(write, job, time.monotonic() + 5)
    assert _wire.recv_model(read, GradingJob, time.monotonic() + 5) == job
    _wire.send_model(write, job, time.monotonic() + 5)
    with pytest.raises(_wire.WireError, match="exceeds the 100-byte limit"):
        _wire.recv_model(read, GradingJob, time.monotonic() + 5, limit=100)
