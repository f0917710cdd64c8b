"""Run, drafts and Skip for now through the JSON API, against the real app, database
and sandbox: the same operations as the exercise pages (what one does, the other sees),
the same per-learner limits (429 with ``Retry-After``, shared with the pages), the
CSRF header, and the submission's body cap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, func, select

from tests.web.conftest import app_context, csrf, new_client, signup
from web.app import create_app
from web.context import context_of
from web.models import Attempt, ExerciseDraft, ProgressEvent
from web.settings import WebSettings

COURSE = "/courses/mini"
CODE = f"{COURSE}/exercises/add-function"
API = f"/api{CODE}"
QUIZ_API = f"/api{COURSE}/exercises/sum-quiz"
RIGHT = "def add(a, b):\n    return a + b\n"


def _headers(client: TestClient) -> dict[str, str]:
    return {"x-csrf-token": str(client.get("/api/csrf").json()["token"])}


def _count(client: TestClient, model: type[SQLModel], **where: object) -> int:
    with Session(app_context(client).db_engine) as db:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(db.exec(query).one())


@pytest.fixture
def limited(settings: WebSettings) -> Iterator[TestClient]:
    """An app (SQLite, and PostgreSQL when configured) allowing 2 runs and 3 draft saves
    a minute per learner."""
    app = create_app(settings.model_copy(update={"runs_per_minute": 2, "drafts_per_minute": 3}))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    context_of(app).db_engine.dispose()


def test_api_run_shows_output_and_errors_and_stores_nothing(client: TestClient) -> None:
    signup(client, "a@example.org")
    source = "def add(a, b):\n    return a + b\nprint('sum', add(2, 3))\nadd(1)\n"
    r = client.post(f"{API}/run", json={"source": source}, headers=_headers(client))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["exercise_id"] == "add-function"
    assert out["ok"] is False
    assert out["output"] == "sum 5\n"
    assert "TypeError" in out["errors"]
    r = client.post(f"{API}/run", json={"source": "print('<b>hi</b>')"}, headers=_headers(client))
    assert r.json()["ok"] is True and r.json()["output"] == "<b>hi</b>\n"  # JSON: as printed
    assert _count(client, Attempt) == 0  # a Run is no attempt
    assert _count(client, ExerciseDraft) == 0  # and keeps no draft (PUT .../draft does)


def test_api_run_refuses_like_the_page(client: TestClient) -> None:
    r = client.post(f"{API}/run", json={"source": "print(1)"}, headers=_headers(client))
    assert r.status_code == 401
    signup(client, "a@example.org")
    r = client.post(f"{API}/run", json={"source": "print(1)"})
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    headers = _headers(client)
    r = client.post(f"{QUIZ_API}/run", json={"source": "1"}, headers=headers)
    assert r.status_code == 400
    assert r.json()["detail"] == "This exercise is not a code exercise."
    r = client.post(f"/api{COURSE}/exercises/nope/run", json={"source": "1"}, headers=headers)
    assert r.status_code == 404
    r = client.post(f"{API}/run", json={"source": "x" * 200_001}, headers=headers)
    assert r.status_code == 422  # the editor's limit, like POST .../check


def test_runs_per_minute_are_one_limit_for_the_page_and_the_api(limited: TestClient) -> None:
    signup(limited, "fast@example.org")
    r = limited.post(
        f"{CODE}/run",
        data={"csrf_token": csrf(limited, CODE), "source": "print(1)"},
        headers={"hx-request": "true"},
    )
    assert r.status_code == 200 and "Output" in r.text
    headers = _headers(limited)
    r = limited.post(f"{API}/run", json={"source": "print(2)"}, headers=headers)
    assert r.status_code == 200 and r.json()["output"] == "2\n"
    r = limited.post(f"{API}/run", json={"source": "print(3)"}, headers=headers)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert "at most 2 runs a minute" in r.json()["detail"]
    slow = new_client(limited)
    signup(slow, "slow@example.org")
    r = slow.post(f"{API}/run", json={"source": "print(1)"}, headers=_headers(slow))
    assert r.status_code == 200  # per learner


def test_api_drafts_are_the_pages_drafts(client: TestClient) -> None:
    signup(client, "a@example.org")
    headers = _headers(client)
    assert client.get(f"{API}/draft").status_code == 404  # none yet
    draft = "def add(a, b):\n    # thinking <here>\r\n"
    r = client.put(f"{API}/draft", json={"source": draft}, headers=headers)
    assert r.status_code == 204
    assert client.get(f"{API}/draft").json() == {
        "source": "def add(a, b):\n    # thinking <here>\n"
    }
    assert "# thinking &lt;here&gt;\n</textarea>" in client.get(CODE).text  # the page opens it
    # a draft saved by the page's script is the one the API reads
    r = client.post(
        f"{CODE}/draft",
        data={"csrf_token": csrf(client, CODE), "source": "def add(a, b):\n    return 0\n"},
        headers={"x-tutor-draft": "1"},
    )
    assert r.status_code == 204
    assert client.get(f"{API}/draft").json()["source"] == "def add(a, b):\n    return 0\n"
    assert _count(client, ExerciseDraft) == 1  # one row per learner and exercise
    other = new_client(client)
    signup(other, "b@example.org")
    assert other.get(f"{API}/draft").status_code == 404  # another learner's draft is private
    # a check keeps the code in the attempt: the draft goes
    r = client.post(f"{API}/check", json={"source": RIGHT}, headers=headers)
    assert r.status_code == 201
    assert client.get(f"{API}/draft").status_code == 404


def test_api_draft_refuses_like_the_page(client: TestClient) -> None:
    r = client.put(f"{API}/draft", json={"source": "x"}, headers=_headers(client))
    assert r.status_code == 401
    assert client.get(f"{API}/draft").status_code == 401
    signup(client, "a@example.org")
    assert client.put(f"{API}/draft", json={"source": "x"}).status_code == 403  # no CSRF header
    headers = _headers(client)
    r = client.put(f"{QUIZ_API}/draft", json={"source": "1"}, headers=headers)
    assert r.status_code == 400 and r.json()["detail"] == "Only code exercises keep drafts."
    r = client.put(f"{API}/draft", json={"source": "x" * 200_001}, headers=headers)
    assert r.status_code == 422
    assert _count(client, ExerciseDraft) == 0


def test_draft_saves_are_one_limit_for_the_page_and_the_api(limited: TestClient) -> None:
    signup(limited, "a@example.org")
    token = csrf(limited, CODE)
    js = {"x-tutor-draft": "1"}
    r = limited.post(f"{CODE}/draft", data={"csrf_token": token, "source": "0"}, headers=js)
    assert r.status_code == 204
    headers = _headers(limited)
    for i in (1, 2):
        r = limited.put(f"{API}/draft", json={"source": str(i)}, headers=headers)
        assert r.status_code == 204
    r = limited.put(f"{API}/draft", json={"source": "late"}, headers=headers)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "at most 3 saves a minute" in r.json()["detail"]
    assert limited.get(f"{API}/draft").json()["source"] == "2"  # the refused one was not kept


def test_a_draft_gets_the_submission_body_cap(client: TestClient) -> None:
    """A signed-in learner's draft may exceed the small body cap (256 KB), as on the page:
    199,000 quotes are 398 KB of JSON."""
    signup(client, "a@example.org")
    source = '"' * 199_000
    r = client.put(f"{API}/draft", json={"source": source}, headers=_headers(client))
    assert r.status_code == 204, r.text
    assert client.get(f"{API}/draft").json()["source"] == source


def test_api_skip_is_the_pages_skip(client: TestClient) -> None:
    r = client.post(f"{API}/skip", headers=_headers(client))
    assert r.status_code == 401
    signup(client, "a@example.org")
    assert client.post(f"{API}/skip").status_code == 403  # no CSRF header
    headers = _headers(client)
    assert client.post(f"/api{COURSE}/exercises/nope/skip", headers=headers).status_code == 404
    r = client.post(f"{API}/skip", headers=headers)
    assert r.status_code == 201
    progress = r.json()
    assert progress["course_id"] == "mini" and progress["completed"] is False
    skipped = [e for e in progress["events"] if e["kind"] == "skipped"]
    assert [(e["target_kind"], e["target_id"]) for e in skipped] == [("exercise", "add-function")]
    # the page's Skip for now and the API's record one event between them
    r = client.post(f"{CODE}/skip", data={"csrf_token": csrf(client, CODE)}, follow_redirects=False)
    assert r.status_code == 303
    client.post(f"{API}/skip", headers=headers)
    assert _count(client, ProgressEvent, kind="skipped", target_id="add-function") == 1
    assert "Skipped for now: still open" in client.get(f"{COURSE}/progress").text


def test_openapi_describes_run_drafts_and_skip(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    base = "/api/courses/{course_id}/exercises/{exercise_id}"
    assert set(paths[f"{base}/run"]) == {"post"}
    assert set(paths[f"{base}/draft"]) == {"get", "put"}
    assert set(paths[f"{base}/skip"]) == {"post"}
    run = paths[f"{base}/run"]["post"]
    assert "TUTOR_RUNS_PER_MINUTE" in run["description"]
