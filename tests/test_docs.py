"""Docs kept true to the code: every setting documented, every command in the README."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from tutor.cli import app
from tutor.settings import env_var_name
from web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[1]


def _env_names() -> list[str]:
    return [env_var_name(name, WebSettings) for name in WebSettings.model_fields]


def _command_paths() -> list[str]:
    group = typer.main.get_group(app)
    paths: list[str] = []
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        paths.extend(f"{name} {s}" for s in sub) if sub else paths.append(name)
    return sorted(paths)


def test_every_setting_is_documented() -> None:
    documented = set(
        re.findall(r"^### `([A-Z0-9_]+)`", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    missing = [n for n in _env_names() if n not in documented]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_no_documented_setting_is_stale() -> None:
    documented = set(
        re.findall(r"^### `([A-Z0-9_]+)`", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    stale = documented - set(_env_names())
    assert not stale, f"docs/settings.md documents settings the code lacks: {sorted(stale)}"


def test_every_command_is_in_the_readme_reference() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [p for p in _command_paths() if f"`tutor {p}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(\./scripts/\S+)", quick, re.M)
    assert commands == ["./scripts/serve", "./scripts/test"]
    assert "exec ./scripts/test" in (ROOT / ".ci/run").read_text()
