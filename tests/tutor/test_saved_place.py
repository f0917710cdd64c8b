"""The learner's saved place in ``tutor learn``: atomic, with no shared temp file."""

from __future__ import annotations

import io
from pathlib import Path

from curriculum import resolve_course
from tutor import flow
from tutor.terminal import load_state, save_state


def test_saved_place_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    course = resolve_course("python-backend")
    state = flow.new_state(course)
    path = tmp_path / "places" / "python-backend.json"
    save_state(path, state)
    save_state(path, state)
    assert load_state(path, course, io.StringIO()) == state
    assert [p.name for p in path.parent.iterdir()] == ["python-backend.json"]


def test_a_leftover_fixed_temp_name_does_not_block_saving(tmp_path: Path) -> None:
    course = resolve_course("python-backend")
    path = tmp_path / "python-backend.json"
    (tmp_path / "python-backend.tmp").mkdir()  # what another run's temp file used to be called
    save_state(path, flow.new_state(course))
    assert path.is_file()
