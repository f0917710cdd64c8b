"""The ``tutor`` command: every subcommand is listed with one-line help and has ``--help``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer.main

from tutor.cli import app


def _tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, check=False
    )


def _command_names() -> list[str]:
    group = typer.main.get_group(app)
    return sorted(group.commands)


def test_help_lists_every_subcommand_with_one_line_help() -> None:
    result = _tutor("--help")
    assert result.returncode == 0
    for name in _command_names():
        line = next(ln for ln in result.stdout.splitlines() if ln.strip().startswith(name + " "))
        assert len(line.split(maxsplit=1)) == 2, f"{name} has no one-line help"


def test_every_subcommand_has_help() -> None:
    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        paths = [[name, s] for s in sub] if sub else [[name]]
        for path in paths:
            result = _tutor(*path, "--help")
            assert result.returncode == 0, (path, result.stderr)
            assert "Usage:" in result.stdout


def test_a_bad_setting_is_a_clear_usage_error_for_every_area() -> None:
    import os

    env = {**os.environ, "TUTOR_DAILY_TOKENS": "lots"}
    for args in (
        ["db", "upgrade"],
        ["serve"],
        ["learn", "python-backend"],
        ["prompt", "python-backend"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "tutor.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "TUTOR_DAILY_TOKENS='lots'" in result.stderr, args
        assert "Traceback" not in result.stderr, args


def test_a_bad_sandbox_or_grading_limit_stops_the_command_at_start(tmp_path: Path) -> None:
    import os

    for name, value in (
        ("TUTOR_SANDBOX", "off"),
        ("TUTOR_GRADING_QUEUE", "-1"),
        ("TUTOR_CHECKS_PER_LEARNER", "0"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "tutor.cli", "serve", "--port", "1"],
            capture_output=True,
            text=True,
            env={**os.environ, name: value},
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert result.returncode == 2, (name, result.stderr)
        assert f"{name}={value!r}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    answer = tmp_path / "answer.py"
    answer.write_text("print('hi')\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tutor.cli",
            "check",
            "python-backend",
            "lifespan-app-state",
            str(answer),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TUTOR_SANDBOX": "off"},
        check=False,
    )
    assert result.returncode == 2 and "TUTOR_SANDBOX='off'" in result.stderr, result.stderr
