"""Seed 004 imported as written: teaching begins at once with Section 1, and the
continue prompt at its end is exactly the seed's question."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import resolve_course
from tutor import flow

SEED = next((Path(__file__).parents[1] / "data" / "seeds").glob("004_*.txt"))  # verbatim


@pytest.mark.slow
def test_seed_004_kickoff_teaches_section_1_at_once(tmp_path: Path) -> None:
    out = tmp_path / "seed-004"
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "import", str(SEED), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    course = resolve_course(str(out))
    state, outputs = flow.step(course, flow.new_state(course), flow.Kickoff())
    first = outputs[0]
    assert isinstance(first, flow.Teach) and first.position.section == 0
    assert (first.number, first.position.point) == (1, 0)
    while state.phase == "teaching":
        state, outputs = flow.step(course, state, flow.Continue())
    said = outputs[-1]
    assert isinstance(said, flow.Say)
    assert said.text == (
        "Would you like me to continue to Section 2 (Asynchronous Programming with asyncio)?"
    )
