"""Shared fixtures of the engine tests, and the ``--update-goldens`` option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curriculum import resolve_course
from curriculum.model import Course

DATA = Path(__file__).parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/prompts/ from the current prompt builder.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    option = request.config.getoption("--update-goldens", default=False)
    return bool(option) or os.environ.get("TUTOR_UPDATE_GOLDENS") == "1"


@pytest.fixture(scope="session")
def mini() -> Course:
    return resolve_course(str(DATA / "mini-course.yaml"))


@pytest.fixture(scope="session")
def flagship() -> Course:
    # TUTOR_TEST_FLAGSHIP lets a developer point at a snapshot while the course is edited.
    return resolve_course(os.environ.get("TUTOR_TEST_FLAGSHIP", "python-backend"))
