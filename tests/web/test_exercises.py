"""Exercise pages: code graded in the sandboxed runner, hints, solution, quiz, self-check."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import COURSES, csrf, login, new_client, signup, signup_instructor
from web.app import create_app
from web.context import context_of
from web.settings import WebSettings

CODE = "/courses/mini/exercises/add-function"
WRONG = "def add(a, b):\n    return a - b\n"
RIGHT = "def add(a, b):\n    return a + b\n"


def _check(client: TestClient, source: str, htmx: bool = False) -> str:
    headers = {"hx-request": "true"} if htmx else {}
    r = client.post(
        f"{CODE}/check",
        data={"csrf_token": csrf(client, CODE), "source": source},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return r.text


def test_code_exercise_fail_hint_then_pass_and_solution(client: TestClient) -> None:
    signup(client, "a@example.org")
    page = client.get(CODE).text
    assert "def add(a, b):\n    pass" in page
    assert "Reference solution" not in page
    text = _check(client, WRONG, htmx=True)
    assert "<html" not in text  # a partial for htmx
    assert "Not yet" in text
    assert "test_adds" not in text  # a readable label, not the function name
    assert "Adds negative numbers" in text
    # in plain words: what was expected and what the code did; the internals behind Details
    assert (
        "expected <code>5</code>, got <code>-1</code>. Your code: <code>add(2, 3)</code> "
        "returned <code>-1</code>." in text
    )
    assert '<details class="check-details"><summary>Details' in text
    assert "assert -1 == 5" in text.split("<summary>Details", 1)[1]  # the internals, kept
    assert "&lt;b&gt;add(-1, -2)&lt;/b&gt; should be -3, not 1. Your code:" in text  # escaped
    assert "<b>add" not in text
    assert "One more hint after further attempts." in text
    assert "Use the `+` operator." in text or "Use the <code>+</code> operator." in text
    assert "Reference solution" not in text
    text = _check(client, RIGHT)
    assert "All checks passed" in text
    assert "Adds negative numbers" in text
    assert "more hint" not in text  # no hints promised after a pass
    assert "Reference solution" in text
    assert "passed" in client.get("/courses/mini").text
    # the editor keeps the last submission; reset shows the starter again
    assert "return a + b" in client.get(CODE).text
    assert "    pass\n</textarea>" in client.get(f"{CODE}?reset=1").text


def test_solution_after_attempts_before_solution(client: TestClient) -> None:
    signup(client, "a@example.org")
    _check(client, WRONG)
    text = _check(client, WRONG)
    assert "Reference solution" in text
    assert "Return the result" in text


def test_quiz_and_self_check(client: TestClient) -> None:
    signup(client, "a@example.org")
    quiz = "/courses/mini/exercises/sum-quiz"
    r = client.post(f"{quiz}/quiz", data={"csrf_token": csrf(client, quiz), "q-two-plus-two": "1"})
    assert "0 of 1 correct" in r.text
    r = client.post(f"{quiz}/quiz", data={"csrf_token": csrf(client, quiz), "q-two-plus-two": "0"})
    assert "All correct" in r.text
    sc = "/courses/mini/exercises/reflect"
    r = client.post(f"{sc}/self-check", data={"csrf_token": csrf(client, sc), "rubric": "0"})
    assert "Addition combines quantities." in r.text
    progress = client.get("/courses/mini/progress").text
    assert "sum-quiz" in progress
    assert "reflect" in progress


def test_attempts_are_private(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    signup(new_client(client), "x@example.org")
    a = new_client(client)
    signup(a, "a@example.org")
    _check(a, "def add(a, b):\n    return 'secret-a'\n")
    b = new_client(client)
    signup(b, "b@example.org")
    assert "secret-a" not in b.get(CODE).text
    assert "secret-a" not in b.get("/courses/mini/progress").text
    assert b.get("/instructor/learners/3").status_code == 403
    assert "secret-a" in client.get("/instructor/learners/3").text


def test_bad_input_is_a_clear_400(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.post(f"{CODE}/check", data={"csrf_token": csrf(client)})
    assert r.status_code == 400
    assert "Traceback" not in r.text
    r = client.post(
        "/courses/mini/exercises/sum-quiz/check", data={"csrf_token": csrf(client), "source": "x"}
    )
    assert r.status_code == 400


def test_notebook_download_and_upload_to_grade(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.get("/courses/mini/sections/basics/notebook")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    notebook = json.loads(r.text)
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("tutor", {}).get("role") == "answer":
            cell["source"] = RIGHT
    token = csrf(client, "/courses/mini")
    files = {"notebook": ("mini.ipynb", json.dumps(notebook), "application/x-ipynb+json")}
    r = client.post(
        "/courses/mini/sections/basics/notebook", data={"csrf_token": token}, files=files
    )
    assert r.status_code == 200, r.text
    assert "passed" in r.text
    assert "notebook" in client.get("/courses/mini/progress").text
    notebook["metadata"]["tutor"]["exercises"] = ["something-else"]
    files = {"notebook": ("mini.ipynb", json.dumps(notebook), "application/x-ipynb+json")}
    r = client.post(
        "/courses/mini/sections/basics/notebook", data={"csrf_token": token}, files=files
    )
    assert r.status_code == 400
    assert "cannot be graded" in r.text


def test_attempts_per_minute_are_limited_per_learner(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path / "data", courses_dir=COURSES, attempts_per_minute=2)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as fast:
        signup(fast, "fast@example.org")
        quiz = "/api/courses/mini/exercises/sum-quiz/quiz"
        headers = {"x-csrf-token": csrf(fast)}
        for _ in range(2):
            r = fast.post(quiz, json={"answers": {"two-plus-two": 0}}, headers=headers)
            assert r.status_code == 201
        r = fast.post(quiz, json={"answers": {"two-plus-two": 0}}, headers=headers)
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) > 0
        assert "at most 2 attempts a minute" in r.json()["detail"]
        slow = new_client(fast)
        signup(slow, "slow@example.org")
        r = slow.post(
            quiz, json={"answers": {"two-plus-two": 0}}, headers={"x-csrf-token": csrf(slow)}
        )
        assert r.status_code == 201  # the limit is per learner
    context_of(app).db_engine.dispose()


def _children() -> set[int]:
    """This process's live child processes (the grading runners among them)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except FileNotFoundError:  # that thread ended while we looked
            continue
    return {pid for pid in found if Path(f"/proc/{pid}/status").exists() and not _zombie(pid)}


def _zombie(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    return "\nState:\tZ" in status


def test_the_grader_stops_with_the_app(settings: WebSettings) -> None:
    before = _children()
    app = create_app(settings)
    context = context_of(app)
    with TestClient(app, base_url="http://127.0.0.1") as running:
        signup(running, "learner@example.org")
        assert "All checks passed" in _check(running, RIGHT)
        runners = _children() - before
        assert runners  # the first check started the runners
        grader = context.grading.grader
    assert not runners & _children()  # stopped with the app
    with TestClient(app, base_url="http://127.0.0.1") as again:  # a new lifespan, a new grader
        assert context.grading.grader is not grader
        login(again, "learner@example.org")
        assert "All checks passed" in _check(again, RIGHT)
    context.db_engine.dispose()
