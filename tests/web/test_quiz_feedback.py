"""Quizzes that teach: a wrong attempt says which questions are wrong, never the answers;
the answers and explanations come after a pass or after the course's
``quiz_answers_after`` attempts, on the page and in the JSON API alike; options are
shuffled per attempt with a stable seed; short answers are echoed."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.web.conftest import csrf, signup

QUIZ = "/courses/python-backend/exercises/fastapi-foundations-quiz"
API = "/api/courses/python-backend/exercises/fastapi-foundations-quiz/quiz"
# question 1 right, 2 wrong (one option missing), 3 right, 4 wrong (a v1 name), 5 right
WRONG: dict[str, str | list[str]] = {
    "q-built-on": "0",
    "q-generated-from-hints": ["0", "1"],
    "q-def-endpoint": "0",
    "q-pydantic-dump": "dict()",
    "q-load-model-once": "0",
}
RIGHT: dict[str, str | list[str]] = {
    **WRONG,
    "q-generated-from-hints": ["0", "1", "2"],
    "q-pydantic-dump": "model_dump()",
}
# words that only the explanations and the correct options' feedback contain
SECRETS = ("Starlette provides routing", "That is the job of an ORM", "a right answer", "Accepted:")


def _answer(client: TestClient, form: dict[str, str | list[str]], htmx: bool = False) -> str:
    headers = {"hx-request": "true"} if htmx else {}
    r = client.post(
        f"{QUIZ}/quiz", data={"csrf_token": csrf(client, QUIZ), **form}, headers=headers
    )
    assert r.status_code == 200, r.text
    return r.text


def _order(page: str, question: str) -> list[str]:
    return re.findall(rf'name="q-{question}" value="(\d+)"', page)


def test_a_wrong_attempt_names_the_wrong_questions_and_withholds_the_answers(
    client: TestClient,
) -> None:
    signup(client, "a@example.org")
    for htmx in (True, False):
        text = _answer(client, WRONG, htmx=htmx)
        assert "3 of 5 correct" in text
        assert "Questions 2 and 4 are not right yet" in text
        assert "after you pass, or after" in text
        for secret in SECRETS:
            assert secret not in text, secret
        assert "You answered: “dict()”" in text  # the short answer is echoed
        assert 'value="dict()"' in text  # and kept in the form for the next try
    assert "<html" not in _answer(client, WRONG, htmx=True)  # htmx swaps the quiz only


def test_answers_and_markdown_explanations_after_n_tries(client: TestClient) -> None:
    signup(client, "a@example.org")
    _answer(client, WRONG)
    text = _answer(client, WRONG)
    assert "or after one more try" in text
    assert "Starlette provides routing" not in text
    text = _answer(client, WRONG)  # the third try: the course default
    assert "Starlette provides routing" in text
    assert "a right answer" in text
    assert "<code>model_dump()</code>" in text  # the explanation rendered as markdown
    assert "Accepted: “model_dump”" in text


def test_answers_after_a_pass(client: TestClient) -> None:
    signup(client, "a@example.org")
    text = _answer(client, RIGHT)
    assert "All correct" in text
    assert "Starlette provides routing" in text


def test_options_are_shuffled_per_attempt_with_a_stable_seed(client: TestClient) -> None:
    signup(client, "a@example.org")
    first = client.get(QUIZ).text
    assert client.get(QUIZ).text.count('name="q-') == first.count('name="q-')
    orders = {q: _order(first, q) for q in ("built-on", "def-endpoint", "load-model-once")}
    assert orders == {q: _order(client.get(QUIZ).text, q) for q in orders}  # a reload: same
    for order in orders.values():
        assert sorted(order) == ["0", "1", "2", "3"]
    seen = [orders]
    for _ in range(3):
        page = _answer(client, WRONG)
        seen.append({q: _order(page, q) for q in orders})
    assert len({json.dumps(s) for s in seen}) > 1  # the next attempts get other orders


def test_the_api_withholds_answers_until_they_are_due(client: TestClient) -> None:
    signup(client, "a@example.org")
    headers = {"x-csrf-token": csrf(client)}
    answers = {
        "built-on": 0,
        "generated-from-hints": [0, 1],
        "def-endpoint": 0,
        "pydantic-dump": "dict()",
        "load-model-once": 0,
    }
    for attempt in (1, 2):
        r = client.post(API, json={"answers": answers}, headers=headers)
        assert r.status_code == 201, r.text
        verdict = json.loads(r.json()["verdict_json"])
        assert verdict["revealed"] is False
        for q in verdict["questions"]:
            assert q["explanation"] == "" and q["accepted"] == []
            assert all(o["correct"] is None and o["explanation"] == "" for o in q["options"])
            assert all(o["chosen"] for o in q["options"])  # only the learner's own choices
        assert [q["correct"] for q in verdict["questions"]] == [True, False, True, False, True]
        listed = client.get("/api/courses/python-backend/attempts").json()
        assert len(listed) == attempt
        for a in listed:
            assert "Starlette provides routing" not in a["verdict_json"]
            listed_verdict = json.loads(a["verdict_json"])
            options = [o for q in listed_verdict["questions"] for o in q["options"]]
            assert all(o["correct"] is None for o in options)
    r = client.post(API, json={"answers": answers}, headers=headers)
    verdict = json.loads(r.json()["verdict_json"])
    assert verdict["revealed"] is True
    assert "Starlette provides routing" in r.json()["verdict_json"]
    listed = client.get("/api/courses/python-backend/attempts").json()
    assert all("Starlette provides routing" in a["verdict_json"] for a in listed)
