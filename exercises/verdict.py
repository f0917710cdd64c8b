"""The result of grading a code submission, as shown to the learner and stored."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

OUTPUT_SHOWN = 4000


class CheckResult(BaseModel):
    """One check: its name, pass/fail, and a learner-readable message."""

    model_config = ConfigDict(frozen=True)

    name: str
    passed: bool
    message: str = Field(
        default="", description="In plain words: what was expected, and what the code did."
    )
    details: str = Field(
        default="", description="A failed assertion's internals (`assert ...`, `+ where ...`)."
    )
    output: str = Field(default="", description="What the submission printed during this check.")
    elapsed: float = Field(default=0.0, description="Wall-clock seconds, measured by the grader.")
    limit: str | None = Field(
        default=None, description="The limit hit, if any: time, memory, output, processes or crash."
    )


class Verdict(BaseModel):
    """Everything a learner sees after submitting code."""

    model_config = ConfigDict(frozen=True)

    exercise_id: str
    passed: bool
    checks: list[CheckResult]
    output: str = Field(default="", description="Captured output, truncated.")
    output_truncated: bool = False
    time_used: float = Field(default=0.0, description="Seconds spent grading, in total.")
    limit_hit: str | None = Field(
        default=None,
        description="A learner-readable message naming the limit that stopped the code, if any.",
    )
    mistakes: list[str] = Field(
        default_factory=list, description="Messages of the common mistakes detected."
    )
    hints: list[str] = Field(default_factory=list, description="Hints revealed so far.")
    solution_available: bool = False
    weak_sandbox: bool = Field(
        default=False, description="Graded with rlimits only: the kernel refused namespaces."
    )
    error: str | None = Field(
        default=None,
        description="Set when the exercise itself is broken (its checks cannot be loaded): "
        "nothing was graded, and the submission is neither right nor wrong.",
    )
    limits: str = Field(
        default="rlimit",
        description=(
            "How memory and processes were bounded: 'cgroup' (for the submission's whole "
            "process tree) or 'rlimit' (per process: RLIMIT_AS, the cgroup fallback)."
        ),
    )
    unchecked: list[str] = Field(
        default_factory=list,
        description="Checks not run because the time for grading ran out after a check had "
        "already failed (so the verdict, failed, stands); they say nothing about the code.",
    )

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    def summary(self) -> str:
        passed = sum(c.passed for c in self.checks)
        if self.error is not None:
            return f"{self.exercise_id}: not graded: the exercise is broken"
        state = "passed" if self.passed else "failed"
        unchecked = f", {len(self.unchecked)} not run" if self.unchecked else ""
        return f"{self.exercise_id}: {state} ({passed}/{len(self.checks)} checks{unchecked})"


class RunOutput(BaseModel):
    """What the learner sees after Run: their program's output and errors, not graded."""

    model_config = ConfigDict(frozen=True)

    exercise_id: str
    ok: bool = Field(description="It ran to the end with exit status 0.")
    output: str = Field(default="", description="Standard output, truncated.")
    errors: str = Field(
        default="", description="Why it stopped (a limit, an exception) and standard error."
    )
    truncated: bool = False
    limit_hit: str | None = None
    time_used: float = 0.0
    weak_sandbox: bool = False
