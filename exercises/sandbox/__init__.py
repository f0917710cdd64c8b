"""The sandbox: runner processes that run instructor checks against learner code.

Only the grading API (:mod:`exercises.grade`) imports this package (an import
contract in ``pyproject.toml`` says so).  What it offers:

- :class:`RunnerPool`: a few grading runner processes; ``run(job, timeout)`` sends a
  :class:`~exercises.sandbox.protocol.GradingJob` (``run(job, timeout, deadline)`` to
  bound it by a deadline) and returns its
  :class:`~exercises.sandbox.protocol.GradingResult`; ``hello()`` is a runner's
  :class:`~exercises.sandbox.protocol.RunnerHello` (its sandbox, its scratch folder).
- :class:`SandboxUnavailable`, :class:`GraderError`: why a job could not be graded;
  :class:`OutOfTime`: it could not be graded before the caller's deadline.
- :mod:`exercises.sandbox.protocol`: the typed messages on the runner pipe.
- :mod:`exercises.sandbox.submission`: what instructor checks import
  (``submission`` fixture, ``LearnerError``).

Everything else (``_runner``, ``_job``, ``_child``, ``_jail``, ``_zygote``...) is
internal to the runner process.
"""

from __future__ import annotations

from exercises.sandbox._jail import SANDBOX_UID, private_tmp_dir
from exercises.sandbox._runners import GraderError, OutOfTime, RunnerPool, SandboxUnavailable

__all__ = [
    "SANDBOX_UID",
    "GraderError",
    "OutOfTime",
    "RunnerPool",
    "SandboxUnavailable",
    "private_tmp_dir",
]
