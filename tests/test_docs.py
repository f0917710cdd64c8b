"""Docs kept true to the code: every setting documented, every command in the README."""

from __future__ import annotations

import ast
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


SECURITY_TESTS = ROOT / "docs/security-tests.md"
ATTACK_MODULES = (
    "tests/web/test_attack_*.py",
    "tests/exercises/test_attacks_*.py",
    "tests/web/test_security_headers.py",
    "tests/e2e/test_api_docs.py",
)


def _tests_in(path: Path) -> set[str]:
    """The module-level test functions of a test file."""
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def _named_tests() -> set[tuple[str, str]]:
    text = SECURITY_TESTS.read_text()
    return set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", text))


def test_every_test_named_in_the_security_doc_exists() -> None:
    named = _named_tests()
    assert len(named) > 50
    missing = [
        f"{path}::{name}"
        for path, name in sorted(named)
        if not (ROOT / path).is_file() or name not in _tests_in(ROOT / path)
    ]
    assert not missing, f"docs/security-tests.md names tests that do not exist: {missing}"


def test_every_attack_test_is_in_the_security_doc() -> None:
    named = _named_tests()
    modules = sorted(p for pattern in ATTACK_MODULES for p in ROOT.glob(pattern))
    assert len(modules) >= 9
    unmapped = [
        f"{path.relative_to(ROOT)}::{name}"
        for path in modules
        for name in sorted(_tests_in(path))
        if (str(path.relative_to(ROOT)), name) not in named
    ]
    assert not unmapped, f"attack tests missing from docs/security-tests.md: {unmapped}"
