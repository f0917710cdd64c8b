"""A regular (wheel) install: course data inside site-packages stays out of the sandbox.

The bundled courses are package data, so in a non-editable install their solutions and
checks sit inside the site-packages the sandbox must show.  A submission found every
``solution.py`` and passed by running it.  This test builds the real wheel, installs it
into a fresh virtualenv (its dependencies come from this environment's site-packages
through a ``.pth`` file), and grades a submission that searches for course files, the
database and the session secret: it must find none, while the same search run outside
the sandbox finds the solutions.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SECRET = "wheel-install-secret-9f3a"

SEARCH = """
import fnmatch, importlib.util, os

PATTERNS = ("solution.py", "course.yaml", "*.sqlite3", "session_secret", ".env", "*.ipynb")
found = []


def look(top, depth):
    for dirpath, dirnames, filenames in os.walk(top, onerror=lambda e: None):
        if dirpath in ("/proc", "/sys", "/dev") or dirpath.count("/") - top.count("/") >= depth:
            dirnames[:] = []
        for name in filenames + dirnames:
            if any(fnmatch.fnmatch(name, p) for p in PATTERNS):
                found.append(os.path.join(dirpath, name))
        if "/courses/" in dirpath + "/" and filenames:
            found.extend(os.path.join(dirpath, n) for n in filenames)


package = importlib.util.find_spec("curriculum").submodule_search_locations[0]
look(os.path.dirname(package), 12)  # the site-packages holding Tutor and its courses
solutions = sum(p.startswith(package) and p.endswith("/solution.py") for p in found)
look("/", 4)
secret = os.path.exists(os.path.join(DATA_DIR, "session_secret"))
print("SOLUTIONS", solutions, "SECRET", secret, "FOUND", sorted(set(found))[:10], flush=True)
"""


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with Tutor installed from its wheel (not editable)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(
        REPOSITORY,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "tests", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    python = sys.executable
    _run(python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", source, cwd=work)
    (wheel,) = (work / "dist").glob("tutor-*.whl")
    venv = work / "venv"
    _run(python, "-m", "venv", "--without-pip", venv, cwd=work)
    venv_python = venv / "bin" / "python"
    _run(
        python, "-m", "pip", "--python", venv_python, "install", "-q", "--no-deps", wheel, cwd=work
    )
    (purelib,) = (venv / "lib").glob("python3*/site-packages")
    assert (purelib / "curriculum" / "courses" / "python-backend" / "course.yaml").is_file()
    (purelib / "tutor-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv_python


@pytest.mark.slow
def test_a_submission_finds_no_course_data_or_secrets_in_a_wheel_install(
    wheel_venv: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "session_secret").write_text(SECRET)
    (data / "tutor.sqlite3").write_text(SECRET)
    (tmp_path / ".env").write_text(f"TUTOR_SESSION_SECRET={SECRET}\n")
    submission = tmp_path / "search.py"
    submission.write_text(f"DATA_DIR = {str(data)!r}\n" + SEARCH)
    env = {"PATH": "/usr/bin:/bin", "TUTOR_DATA_DIR": str(data), "LANG": "C.UTF-8"}

    outside = _run(wheel_venv, submission, cwd=tmp_path, env=env)
    assert "SOLUTIONS 0 " not in outside and "SECRET True" in outside  # the search works

    out = _run(
        wheel_venv,
        "-m",
        "tutor.cli",
        "check",
        "python-backend",
        "pydantic-signup-validator",
        submission,
        "--json",
        cwd=tmp_path,
        env=env,
    )
    verdict = json.loads(out)
    shown = verdict["checks"][0]["output"]
    assert "SOLUTIONS 0 SECRET False FOUND []" in shown, shown or verdict["checks"][0]["message"]
