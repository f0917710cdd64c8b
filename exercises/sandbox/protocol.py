"""What crosses the pipe between the grading API and a runner: typed, fixed-shape messages.

Each message is one length-prefixed JSON frame (:mod:`exercises.sandbox._wire`, with
its size limit and deadlines); both sides validate it against these models, so a
malformed job or result is a clear error, never a ``KeyError`` deep in the grader.
A runner greets with :class:`RunnerHello`, then answers each :class:`GradingJob`
with one :class:`GradingResult`.  The shape of a result never changes: a job that
could not be graded has ``error`` set and no checks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL = 3
SandboxMode = Literal["strict", "weak"]
LimitsMode = Literal["cgroup", "rlimit"]
LimitHit = Literal["time", "memory", "output", "processes", "crash"]


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunnerHello(_Message):
    """The runner's first message: whether it can grade, and how it is confined."""

    protocol: int
    sandbox: SandboxMode | None = Field(description="None: grading is refused (see reason).")
    reason: str = ""
    scratch_dir: str = Field(description="The folder learner code may write to.")
    limits: LimitsMode = Field(
        default="rlimit",
        description="cgroup: memory and processes bounded per sandbox; rlimit: per process.",
    )


class JobLimits(_Message):
    """Limits for each check of a job."""

    time_s: float = Field(gt=0)
    memory_mb: int = Field(gt=0)
    output_kb: int = Field(gt=0)


class GradingJob(_Message):
    """Run ``checks`` (an instructor's checks file) against ``source``; in mode
    ``testfile``, run the instructor's ``tests`` files against ``source`` imported as
    ``module_name``."""

    checks: str = ""
    source: str
    mode: Literal["module", "tests", "testfile"] = "module"
    module_name: str = Field(
        default="submission", description="mode=testfile: the name the tests import."
    )
    tests: dict[str, str] = Field(
        default_factory=dict, description="mode=testfile: test file name -> source."
    )
    files: dict[str, str] = Field(
        default_factory=dict, description="Files placed read-only beside the learner's module."
    )
    limits: JobLimits
    implementations: dict[str, str] = Field(
        default_factory=dict, description="mode=tests: the implementations to test against."
    )
    fail_fast: bool = Field(default=False, description="Stop after the first failing check.")
    only: str | None = Field(default=None, description="Run only the check of this name.")
    filename: str | None = Field(
        default=None, description="The learner's name for the file, used in messages."
    )
    run: bool = Field(
        default=False,
        description="Run the submission as __main__ instead of the checks (the learner's Run): "
        "one outcome named 'run', its stdout as output, its stderr as message.",
    )
    budget_s: float | None = Field(
        default=None,
        gt=0,
        description="Seconds the whole job may take from when the runner reads it (None: no "
        "budget). A check still waiting for its child at the end is stopped, not judged, and "
        "no later check starts: they are the result's ``unfinished``.",
    )


class CheckOutcome(_Message):
    """One check as the runner saw it (output not yet cut for display)."""

    name: str
    passed: bool
    message: str = ""
    details: str = ""  # a failed assertion's internals (the message is in plain words)
    limit: LimitHit | None = None
    output: str = ""
    elapsed: float = 0.0


class GradingResult(_Message):
    """The answer to one job: its checks in order, or why there are none."""

    checks: list[CheckOutcome] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Set when the job could not be graded.")
    broken: bool = Field(
        default=False,
        description="The error is the exercise's own (its checks cannot be loaded), "
        "not the grader's nor the learner's.",
    )
    unfinished: list[str] = Field(
        default_factory=list,
        description="Checks not judged because the job's budget ran out (the first may have "
        "started and been stopped); ``checks`` holds those judged before.",
    )
    sandbox: SandboxMode | None = None
    limits: LimitsMode = "rlimit"
