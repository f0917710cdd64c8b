"""With a model configured (a real local fake of the Chat Completions API): generated
lessons stream into the page, are cached in the database, and usage is counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.tutor.fake_openai import FakeOpenAI
from tests.web.conftest import app_context, csrf, signup
from web.app import create_app
from web.context import context_of
from web.models import LessonCache, ModelUsage
from web.settings import WebSettings

POINT = "/courses/mini/learn/no-lesson"


@pytest.fixture
def model_client(settings: WebSettings) -> Iterator[TestClient]:
    with FakeOpenAI() as fake:
        configured = settings.model_copy(update={"model": "fake", "openai_base_url": fake.base_url})
        app = create_app(configured)
        with TestClient(app, base_url="http://127.0.0.1") as c:
            yield c
        context_of(app).db_engine.dispose()


def _stream(
    client: TestClient, action: str, question: str = "", point: str = POINT
) -> list[dict[str, object]]:
    r = client.post(
        f"{point}/tutor",
        data={"csrf_token": csrf(client, point), "action": action, "question": question},
        headers={"accept": "application/x-ndjson"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines() if line]


def test_generated_lesson_streams_and_is_cached(model_client: TestClient, tmp_path: Path) -> None:
    signup(model_client, "a@example.org")
    page = model_client.get(POINT).text
    assert "data-autostart" in page
    assert "Generate the lesson" in page
    events = _stream(model_client, "lesson")
    deltas = [e for e in events if e["kind"] == "delta"]
    assert len(deltas) > 3  # streamed in pieces, as they arrived
    html = next(e for e in events if e["kind"] == "html")
    assert "<h2>Explanation</h2>" in str(html["html"])
    engine = app_context(model_client).db_engine
    with Session(engine) as db:
        assert len(db.exec(select(LessonCache)).all()) == 1
        usage = db.exec(select(ModelUsage)).all()
        assert len(usage) == 1
        assert usage[0].completion_tokens > 0
    again = _stream(model_client, "lesson")
    assert [e for e in again if e["kind"] == "delta"] == [
        {"kind": "delta", "text": "".join(str(d["text"]) for d in deltas)}
    ]  # served whole from the cache: no second model call
    with Session(engine) as db:
        assert len(db.exec(select(ModelUsage)).all()) == 1


def test_answer_ends_with_the_offer_to_resume(model_client: TestClient) -> None:
    signup(model_client, "a@example.org")
    events = _stream(model_client, "ask", "Why add?", point="/courses/mini/learn/plus")
    says = [e for e in events if e["kind"] == "say"]
    assert says
    assert says[-1]["purpose"] == "resume_offer"
    assert any(e["kind"] == "delta" for e in events)  # the model's answer, streamed
    at_end = _stream(model_client, "ask", "And then?")
    assert [e["purpose"] for e in at_end if e["kind"] == "say"] == ["continue_prompt"]
