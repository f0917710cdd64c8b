"""The sandbox started by a user who is not root: the runner makes its own namespaces.

The command runs as uid 1000 in a user namespace (``unshare --map-user``), without
capabilities: what an operator who starts Tutor from their own account has. The
sandbox must be as strict as under root: no network, no secrets, no app files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from curriculum import bundled_course_dirs

UNSHARE = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    result = subprocess.run([*UNSHARE, "true"], capture_output=True, check=False)
    return result.returncode == 0


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _can_unshare(), reason="user namespaces are not available here"),
]

SECRET = "hunter2-not-for-learners"


def _check(tmp_path: Path, source: str) -> dict[str, Any]:
    """``tutor check --json`` of the flagship's first code exercise, as a non-root user."""
    submission = tmp_path / "submission.py"
    submission.write_text(source, encoding="utf-8")
    tutor = Path(sys.executable).parent / "tutor"  # the console script of this environment
    command = [
        *UNSHARE,
        "env",
        "-i",
        f"HOME={tmp_path}",
        "PATH=/usr/bin:/bin",
        f"TUTOR_SESSION_SECRET={SECRET}",
        str(tutor),
        "check",
        "--json",
        "python-backend",
        "pydantic-signup-validator",
        str(submission),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    verdict: dict[str, Any] = json.loads(result.stdout)
    assert verdict["weak_sandbox"] is False
    return verdict


def _first_message(verdict: dict[str, Any]) -> str:
    return str(verdict["checks"][0]["message"])


def _solution() -> str:
    exercise = bundled_course_dirs()["python-backend"] / "exercises/pydantic-signup-validator"
    return (exercise / "solution.py").read_text(encoding="utf-8")


def test_the_reference_solution_passes(tmp_path: Path) -> None:
    assert _check(tmp_path, _solution())["passed"] is True


def test_no_network(tmp_path: Path) -> None:
    source = "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\n"
    assert "Network is unreachable" in _first_message(_check(tmp_path, source))


def test_no_secrets_and_no_app_files(tmp_path: Path) -> None:
    course_file = bundled_course_dirs()["python-backend"] / "course.yaml"
    source = (
        "import os\n"
        f"raise SystemExit(repr((os.environ.get('TUTOR_SESSION_SECRET'), "
        f"os.path.exists({str(course_file)!r}), os.path.exists({str(tmp_path)!r}))))\n"
    )
    verdict = _check(tmp_path, source)
    assert SECRET not in json.dumps(verdict)
    assert "(None, False, False)" in json.dumps(verdict)


def test_an_endless_loop_is_stopped(tmp_path: Path) -> None:
    verdict = _check(tmp_path, "while True:\n    pass\n")
    assert "your code never finished" in str(verdict["limit_hit"])
