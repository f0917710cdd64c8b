"""``tutor prompt``, ``tutor learn`` and ``tutor freeze`` as real subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import resolve_course
from curriculum.model import Course
from tests.tutor.fake_openai import FakeOpenAI
from tutor import flow
from tutor.prompt import build_messages, render_text

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini-course.yaml")


def _tutor(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "OPENAI_"))}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=full,
        timeout=60,
    )


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.mark.slow
def test_prompt_prints_the_messages_exactly(mini: Course) -> None:
    result = _tutor("prompt", MINI, "1/second-topic")
    assert result.returncode == 0, result.stderr
    pos = mini.sections[0].topics[1]
    assert pos.points[0].id == "gamma"
    from tutor import navigation as nav

    position = nav.parse_position(mini, "1/2/1")
    task = flow.Teach(position=position, number=3, total=3)
    expected = render_text(build_messages(mini, flow.state_at(mini, position), task))
    assert result.stdout == expected
    as_json = _tutor("prompt", MINI, "2", "--format", "json")
    messages = json.loads(as_json.stdout)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[-1]["content"].endswith(
        "Task: teach point 1 of 2 of Section 2: “Delta things.” (topic: Third Topic). "
        "Follow the teaching guidelines; write the lesson under the six fixed headings."
    )


@pytest.mark.slow
def test_prompt_bad_position_is_a_usage_error() -> None:
    result = _tutor("prompt", MINI, "3")
    assert result.returncode == 2
    assert "no section '3': use a number 1-2 or an id (basics, more)" in result.stderr
    missing = _tutor("prompt", "no-such-course")
    assert missing.returncode == 2
    assert missing.stderr == "error: no such course or path: no-such-course\n"


@pytest.mark.slow
def test_an_invalid_course_shows_its_problems_as_validate_does(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(Path(MINI).read_text().replace("title: Mini", "titel: Mini", 1))
    result = _tutor("learn", str(broken))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: course '{broken}' is invalid (run `tutor validate {broken}`):"
    assert any(line.startswith(f"{broken}:") and "unknown key 'titel'" in line for line in lines)
    assert "Problem(" not in result.stderr


@pytest.mark.slow
def test_learn_offline_scripted_and_resumed(tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path)}
    first = _tutor("learn", MINI, stdin="\nwhy are generators lazy?\nno\n", env=env)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert out.startswith(
        "=== Section 1 of 2: Basics · point 1 of 3: Alpha things. ===\n\n"
        "## Explanation\n\nAlpha explains generators"
    )
    assert "> === Section 1 of 2: Basics · point 2 of 3: Beta things. ===\n\n" in out
    assert out.count("=== Section") == 2  # a question's answer gets no heading
    assert "----- prompt (copy from here) -----" in out
    assert "Generators are lazy." in out
    assert "Shall we pick up where we left off: Gamma things (Section 1, Basics)?" in out
    assert "Alright, let's stop here." in out
    assert out.endswith("Bye: your place is saved.\n")
    saved = json.loads((tmp_path / "learn" / "mini.json").read_text())
    assert saved["phase"] == "paused" and saved["position"]["point_id"] == "beta"
    second = _tutor("learn", MINI, stdin="yes\n", env=env)
    assert second.stdout.startswith(
        "\nShall we pick up where we left off: Gamma things (Section 1, Basics)?"
    )
    assert "Would you like me to continue to Section 2 (More)?" in second.stdout


@pytest.mark.slow
def test_learn_streams_from_a_model_and_freeze_writes_the_lesson(
    tmp_path: Path, fake: FakeOpenAI
) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_MODEL": "fake"}
    env["OPENAI_BASE_URL"] = fake.base_url
    run = _tutor("learn", MINI, stdin="\n", env=env)
    assert run.returncode == 0, run.stderr
    assert '@app.get("/health")' in run.stdout
    assert fake.requests[0].body["model"] == "fake"
    course_copy = tmp_path / "mini-course.yaml"
    shutil.copy(MINI, course_copy)
    frozen = _tutor("freeze", str(course_copy), "1/1/2", env=env)
    assert frozen.returncode == 0, frozen.stderr
    text = course_copy.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "# Generated by fake, frozen by `tutor freeze`: review before publishing." in text
    lesson = resolve_course(str(course_copy)).sections[0].topics[0].points[1].lesson
    assert lesson is not None
    assert lesson.summary == "Routes are decorated functions."
    again = _tutor("freeze", str(course_copy), "1/1/2", env=env)
    assert again.returncode == 1 and "already has a lesson" in again.stderr
    none = _tutor("freeze", str(course_copy), "2/1/1", env=env)
    assert none.returncode == 1 and "no generated lesson is cached" in none.stderr
    authored = _tutor("freeze", str(course_copy), "1/1/1", env=env)
    assert authored.returncode == 1
    assert authored.stderr == (
        "error: no generated lesson is cached for 'alpha': it has an authored lesson, "
        "so the tutor never generates one\n"
    )


@pytest.mark.slow
def test_learn_whole_section_asks_only_at_the_section_end(tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path)}
    run = _tutor("learn", MINI, "--whole-section", stdin="", env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("----- prompt (copy from here) -----") == 2  # beta and gamma
    assert run.stdout.count("\n> ") == 1
    assert "Would you like me to continue to Section 2 (More)?\n\n(yes / no" in run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("io_encoding", ["utf-8", "utf-8:surrogateescape"])
def test_learn_survives_input_that_is_not_utf8(tmp_path: Path, io_encoding: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "OPENAI_"))}
    env.update({"TUTOR_DATA_DIR": str(tmp_path), "PYTHONIOENCODING": io_encoding})
    run = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "learn", MINI],
        input=b"caf\xe9 \xff\xfe?\n",
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
    )
    assert b"Traceback" not in run.stderr, run.stderr.decode(errors="replace")
    assert run.returncode == 0
    saved = json.loads((tmp_path / "learn" / "mini.json").read_text(encoding="utf-8"))
    assert {"role": "learner", "text": "caf\ufffd \ufffd\ufffd?", "section": 0} in saved["turns"]


def test_a_reply_with_lone_surrogates_is_made_valid_unicode() -> None:
    assert flow.Reply(text="caf\udce9").text == "caf\ufffd"


@pytest.mark.slow
def test_the_lesson_commands_have_whole_one_line_helps() -> None:
    listing = _tutor("--help", env={"COLUMNS": "80"}).stdout
    lines = {line.split()[0]: line for line in listing.splitlines() if line.startswith("  ")}
    for name in ("prompt", "learn", "freeze"):
        assert not lines[name].endswith("..."), lines[name]


@pytest.mark.slow
def test_a_data_dir_that_cannot_be_used_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    for args in (["learn", MINI], ["freeze", MINI, "1/1/2"]):
        result = _tutor(*args, stdin="\n", env={"TUTOR_DATA_DIR": str(data)})
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"error: cannot use the data folder {data} (TUTOR_DATA_DIR): "
            "it is a file, not a folder\n"
        )


@pytest.mark.slow
def test_a_bad_setting_is_named_not_a_traceback(tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path), "TUTOR_MAX_REPLY_TOKENS": "lots"}
    for args in (["learn", MINI], ["prompt", MINI], ["freeze", MINI, "1/1/2"]):
        result = _tutor(*args, env=env)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: setting TUTOR_MAX_REPLY_TOKENS='lots': ")
        assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_learn_into_a_closed_pipe_leaves_quietly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "OPENAI_"))}
    env["TUTOR_DATA_DIR"] = str(tmp_path)
    with subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "learn", MINI],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith(b"=== Section 1 of 2")
        proc.stdout.close()  # like `tutor learn | head -1`
        proc.stdin.write(b"\n" * 50)
        proc.stdin.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 1
    assert stderr == ""
