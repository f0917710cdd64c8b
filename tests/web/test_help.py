"""Help on a code exercise page (offline): graded first, the authored hints one per
request, the level kept per learner, the conversation kept and clearable, and the
request's bounds attacked."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, new_client, signup
from web.app import create_app
from web.context import context_of
from web.models import ExerciseHelpRow
from web.settings import WebSettings

CODE = "/courses/mini/exercises/add-function"
WRONG = "def add(a, b):\n    return a - b\n"
RIGHT = "def add(a, b):\n    return a + b\n"


def _help(client: TestClient, source: str, question: str = "") -> list[dict[str, object]]:
    r = client.post(
        f"{CODE}/help",
        data={"csrf_token": csrf(client, CODE), "source": source, "question": question},
        headers={"accept": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines() if line]


def _html(events: list[dict[str, object]]) -> str:
    return "".join(str(e["html"]) for e in events if e["kind"] == "html")


def test_help_climbs_the_authored_hints_then_says_more_needs_the_tutor(client: TestClient) -> None:
    signup(client, "a@example.org")
    assert "Stuck? Ask for help" in client.get(CODE).text
    assert "Hint 1 of 2: Use the" in _html(_help(client, WRONG))
    assert "Hint 2 of 2" in _html(_help(client, WRONG))
    past = _html(_help(client, WRONG, "just tell me"))
    assert "not switched on" in past and "adds negative numbers" in past
    assert "TUTOR_MODEL" not in past
    assert "Every check passes already" in _html(_help(client, RIGHT))
    with Session(app_context(client).db_engine) as db:
        row = db.exec(select(ExerciseHelpRow)).one()
    assert row.level == 2  # the two authored hints; the rest did not climb
    other = new_client(client)
    signup(other, "b@example.org")
    assert "Hint 1 of 2" in _html(_help(other, WRONG))  # the level is per learner


def test_without_js_help_comes_back_with_the_code_and_the_conversation(
    client: TestClient,
) -> None:
    signup(client, "a@example.org")
    r = client.post(
        f"{CODE}/help",
        data={"csrf_token": csrf(client, CODE), "source": "# mine\n" + WRONG},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"{CODE}#help-h"
    page = client.get(CODE).text
    assert "Hint 1 of 2" in page and "# mine" in page
    checked = client.post(f"{CODE}/check", data={"csrf_token": csrf(client, CODE), "source": WRONG})
    assert "Hint 1 of 2" in checked.text.split('id="help-output"')[1]  # Help stays on the page
    client.post(f"{CODE}/help/clear", data={"csrf_token": csrf(client, CODE)})
    page = client.get(CODE).text
    assert "Hint 1 of 2" not in page
    assert "Hint 2 of 2" in _html(_help(client, WRONG))  # clearing keeps the level


def test_help_is_bounded(client: TestClient) -> None:
    signup(client, "a@example.org")
    token = csrf(client, CODE)
    r = client.post(f"{CODE}/help", data={"csrf_token": token, "source": "x" * 200_001})
    assert r.status_code == 400
    r = client.post(
        f"{CODE}/help", data={"csrf_token": token, "source": WRONG, "question": "?" * 2001}
    )
    assert r.status_code == 400 and "too long" in r.text
    r = client.post("/courses/mini/exercises/sum-quiz/help", data={"csrf_token": token})
    assert r.status_code == 400
    anonymous = new_client(client)
    r = anonymous.post(
        f"{CODE}/help", data={"csrf_token": csrf(anonymous, CODE)}, follow_redirects=False
    )
    assert r.status_code in (303, 401)


def test_help_requests_per_minute_are_limited(settings: WebSettings) -> None:
    app = create_app(settings.model_copy(update={"attempts_per_minute": 3}))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        signup(client, "a@example.org")
        token = csrf(client, CODE)
        statuses = []
        for _ in range(4):
            r = client.post(
                f"{CODE}/help",
                data={"csrf_token": token, "source": RIGHT},
                headers={"accept": "application/x-ndjson"},
            )
            statuses.append(r.status_code)
        assert statuses == [200, 200, 200, 429]
        assert "Retry-After" in r.headers and "a bit fast" in r.text
    context_of(app).db_engine.dispose()


def test_a_kept_reply_is_never_cut_inside_its_html() -> None:
    from web.services.chat import MAX_HTML_CHARS, TOO_LONG, tutor_says

    assert tutor_says("<p>ok</p>")["html"] == "<p>ok</p>"
    assert tutor_says('<a href="x">' + "y" * MAX_HTML_CHARS + "</a>")["html"] == TOO_LONG
