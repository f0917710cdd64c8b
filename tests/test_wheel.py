"""The package as a user installs it: the wheel, in a fresh venv, with unlocked dependencies.

``pip install tutor-*.whl`` takes the newest versions pyproject allows (no lock), so a
dependency the app or a bundled course needs but pyproject does not declare shows up here.
Every command runs from a folder outside the repository, so nothing is imported from the
source tree by accident.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from curriculum.registry import bundled_course_dirs
from tests.web.server import Server

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ``bin`` folder of a fresh venv with the wheel installed from PyPI's newest."""
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, elsewhere = base / "dist", base / "venv", base / "elsewhere"
    elsewhere.mkdir()
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, ROOT, cwd=base)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("tutor-*.whl")
    assert _run(sys.executable, "-m", "venv", venv, cwd=base).returncode == 0
    pip = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=base)
    assert pip.returncode == 0, pip.stderr[-3000:]
    yield venv / "bin"


def test_the_wheel_proves_every_bundled_course(installed: Path, tmp_path: Path) -> None:
    for course_id in bundled_course_dirs():
        proof = _run(installed / "tutor", "check-course", course_id, cwd=tmp_path)
        assert proof.returncode == 0, proof.stdout[-4000:] + proof.stderr[-2000:]
        assert f"{course_id}: " in proof.stdout and "proved" in proof.stdout


def test_the_wheel_serves_until_ready(installed: Path, tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    server = Server(env, tutor=[str(installed / "tutor")], cwd=tmp_path).start()
    try:
        ready = httpx.get(f"{server.url}/readyz", timeout=10)
        assert ready.json() == {"status": "ok", "database": "ok"}
        catalogue = httpx.get(f"{server.url}/", timeout=10)
        assert catalogue.status_code == 200
        assert all(c in catalogue.text for c in bundled_course_dirs())
    finally:
        server.stop()
