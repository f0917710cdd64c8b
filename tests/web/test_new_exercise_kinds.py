""" "New exercise" as a quiz or a self-check: the YAML written is the course format's, the
course still validates (`tutor validate`), a learner can answer it; a bad input is
refused with a message that says what to fix, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.web.conftest import csrf, new_client, signup, signup_instructor
from web.settings import WebSettings

BASICS = "sections/01-basics.yaml"
URL = "/instructor/courses/mini/new-exercise"


def _section(settings: WebSettings) -> Path:
    assert settings.courses_dir is not None
    return settings.courses_dir / "mini" / BASICS


def _exercise(settings: WebSettings, exercise_id: str) -> dict[str, Any]:
    data = yaml.safe_load(_section(settings).read_text())
    found: dict[str, Any] = next(
        e for e in data["topics"][0]["exercises"] if e["id"] == exercise_id
    )
    return found


def _quiz_form(**extra: str) -> dict[str, str]:
    """Two questions (a single choice with "Yes"/"No" options, which YAML 1.1 would read
    as booleans unquoted, and a short answer) and a blank third block, left out."""
    return {
        "kind": "quiz",
        "topic": "adding",
        "exercise_id": "plus-quiz",
        "title": "The plus operator",
        "prompt": "Check what `+` does.",
        "questions": "3",
        "q1_options": "4",
        "q1_prompt": "Does `1 + 1` give `2`?",
        "q1_type": "single",
        "q1_o1_text": "Yes",
        "q1_o1_correct": "1",
        "q1_o1_explanation": "Integers add.",
        "q1_o2_text": "No",
        "q1_o3_text": "",
        "q1_o4_text": "",
        "q1_explanation": "`+` on numbers is addition.\nOn strings it joins them.",
        "q2_options": "4",
        "q2_prompt": "What does `'a' + 'b'` give?",
        "q2_type": "short",
        "q2_answers": "ab\n'ab'\n",
        "q3_options": "4",
        "q3_prompt": "",
        "q3_type": "single",
        **extra,
    }


def _post(client: TestClient, data: dict[str, str]) -> Any:
    return client.post(URL, data={"csrf_token": csrf(client), **data}, follow_redirects=False)


def _validate(settings: WebSettings) -> subprocess.CompletedProcess[str]:
    assert settings.courses_dir is not None
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", "validate", str(settings.courses_dir / "mini")],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )


def test_a_quiz_is_written_in_the_course_format_and_a_learner_answers_it(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    form = client.get(URL, params={"kind": "quiz"}).text
    assert 'value="quiz" id="kind-quiz" checked' in form
    r = _post(client, _quiz_form())
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/instructor/courses/mini/edit?file={BASICS}&line=")
    assert _exercise(settings, "plus-quiz") == {
        "id": "plus-quiz",
        "kind": "quiz",
        "title": "The plus operator",
        "prompt": "Check what `+` does.",
        "questions": [
            {
                "id": "q1",
                "prompt": "Does `1 + 1` give `2`?",
                "type": "single",
                "options": [
                    {"text": "Yes", "correct": True, "explanation": "Integers add."},
                    {"text": "No"},
                ],
                "explanation": "`+` on numbers is addition.\nOn strings it joins them.\n",
            },
            {
                "id": "q2",
                "prompt": "What does `'a' + 'b'` give?",
                "type": "short",
                "answers": ["ab", "'ab'"],
            },
        ],
    }
    validated = _validate(settings)
    assert validated.returncode == 0, validated.stdout + validated.stderr

    learner = new_client(client)
    signup(learner, "learner@example.org")
    page = learner.get("/courses/mini/exercises/plus-quiz").text
    assert "Does <code>1 + 1</code> give <code>2</code>?" in page
    answered = learner.post(
        "/courses/mini/exercises/plus-quiz/quiz",
        data={"csrf_token": csrf(learner), "q-q1": "0", "q-q2": "ab"},
    )
    assert answered.status_code == 200
    assert "All correct" in answered.text


def test_a_self_check_is_written_in_the_course_format_and_a_learner_ticks_it(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    r = _post(
        client,
        {
            "kind": "self-check",
            "topic": "adding",
            "exercise_id": "plus-review",
            "title": "Review an adder",
            "prompt": "Read a colleague's `add` and review it.",
            "rubric": "- You ran it with negative numbers.\n\n* You checked floats.\nOn",
            "model_answer": "It works for ints and floats.\n\nStrings join instead.",
            # the other kinds' fields, as a form without JavaScript posts them: ignored
            "starter": "def add(a, b):\n    pass\n",
            "questions": "1",
            "q1_options": "4",
            "q1_prompt": "Unused",
        },
    )
    assert r.status_code == 303, r.text
    assert _exercise(settings, "plus-review") == {
        "id": "plus-review",
        "kind": "self-check",
        "title": "Review an adder",
        "prompt": "Read a colleague's `add` and review it.",
        "rubric": ["You ran it with negative numbers.", "You checked floats.", "On"],
        "model_answer": "It works for ints and floats.\n\nStrings join instead.\n",
    }
    assert _validate(settings).returncode == 0

    learner = new_client(client)
    signup(learner, "learner@example.org")
    page = learner.get("/courses/mini/exercises/plus-review").text
    assert "You checked floats." in page
    ticked = learner.post(
        "/courses/mini/exercises/plus-review/self-check",
        data={"csrf_token": csrf(learner), "rubric": ["0", "1", "2"]},
    )
    assert ticked.status_code == 200
    assert "It works for ints and floats." in ticked.text  # the model answer


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"questions": "0"}, "A quiz needs at least one question"),
        ({"q1_prompt": ""}, "Question 1: write its prompt."),
        ({"q1_o2_correct": "1"}, "Question 1: a single-choice question needs exactly one"),
        ({"q1_o1_correct": ""}, "Question 1: a single-choice question needs exactly one"),
        ({"q1_o2_text": ""}, "Question 1: give at least two options."),
        ({"q1_o3_explanation": "why"}, "Question 1: an option has a mark or an explanation"),
        ({"q1_type": "essay"}, "Question 1: choose its type"),
        ({"q2_answers": " \n"}, "Question 2: give the accepted answers, one a line."),
        ({"q2_o1_text": "ab"}, "Question 2: a short answer has no options"),
        ({"q1_answers": "yes"}, "Question 1: accepted answers are for short answers"),
        ({"exercise_id": ""}, "Give the exercise an id."),
        ({"title": " "}, "Give the exercise a title."),
        ({"kind": "essay"}, "Choose the kind of exercise: code, quiz or self-check."),
        ({"kind": "self-check", "rubric": "\n"}, "A self-check needs a rubric"),
        ({"kind": "self-check", "rubric": "x"}, "Write the model answer"),
        ({"kind": "code", "checks": ""}, "Write the checks: a code exercise needs"),
    ],
)
def test_a_bad_input_says_what_to_fix_and_writes_nothing(
    client: TestClient, settings: WebSettings, change: dict[str, str], message: str
) -> None:
    signup_instructor(client, "teacher@example.org")
    before = _section(settings).read_text()
    r = _post(client, _quiz_form(**change))
    assert r.status_code == 400
    assert "Not added: fix these first" in r.text
    assert message in r.text.replace("&#39;", "'")
    assert _section(settings).read_text() == before
    posted = _quiz_form(**change)
    assert f'name="title" required maxlength="200" size="60" value="{posted["title"]}"' in r.text


def test_a_quiz_the_course_would_refuse_is_not_written(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    before = _section(settings).read_text()
    r = _post(client, _quiz_form(exercise_id="add-function"))  # taken by the code exercise
    assert r.status_code == 400
    assert "Not added: the course would be invalid" in r.text
    assert f"{BASICS}:" in r.text and "duplicate id &#39;add-function&#39;" in r.text
    assert _section(settings).read_text() == before


def test_add_a_question_shows_one_more_block_keeping_the_values(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    before = _section(settings).read_text()
    r = _post(client, _quiz_form(more="question", q1_o3_text="Maybe", q1_o4_text="Never"))
    assert r.status_code == 200
    assert _section(settings).read_text() == before
    # two filled questions and the blank one asked for (the posted blank third is dropped)
    assert 'name="questions" value="3"' in r.text
    assert 'id="q3-prompt" name="q3_prompt" rows="2" cols="70" maxlength="20000" autofocus>' in (
        r.text
    )
    assert 'name="q1_o4_text" maxlength="20000" value="Never"' in r.text
    assert 'name="q1_options" value="5"' in r.text  # a blank row after the four filled
    assert 'id="q1-o1-correct" name="q1_o1_correct" value="1" checked' in r.text
    assert '<option value="short" selected>' in r.text


def test_learners_cannot_add_a_quiz(client: TestClient, settings: WebSettings) -> None:
    signup_instructor(client, "teacher@example.org")
    before = _section(settings).read_text()
    learner = new_client(client)
    signup(learner, "learner@example.org")
    r = learner.post(URL, data={"csrf_token": csrf(learner), **_quiz_form()})
    assert r.status_code == 403
    assert _section(settings).read_text() == before
