"""Pages that orient: catalogue cards with progress and "Continue", course facts, outline
courses labelled, a compact course page (sections collapsible, the current one open), a
section page with the notebook, and inline markdown in every title."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf, signup
from web.app import create_app
from web.context import context_of
from web.settings import WebSettings

MARKED = """\
schema_version: 1
id: marked
title: Learn `asyncio` *well*
description: A course whose titles carry inline markdown.
level: advanced
hours: 3
prerequisites: ["Know `def`"]
sections:
  - id: loop
    title: The *event loop*
    topics:
      - id: basics
        title: "`await` basics"
        points:
          - id: layout
            title: "`fastapi`, `uvicorn`, basic app layout"
        exercises:
          - id: await-quiz
            kind: quiz
            title: Quiz on `await`
            prompt: Answer.
            questions:
              - id: q
                prompt: Does `await` block the loop?
                type: single
                options:
                  - {text: "No", correct: true}
                  - {text: "Yes"}
"""


@pytest.fixture
def marked(settings: WebSettings) -> Iterator[TestClient]:
    """The web app with one more course, whose titles carry inline markdown."""
    assert settings.courses_dir is not None
    (settings.courses_dir / "marked").mkdir()
    (settings.courses_dir / "marked" / "course.yaml").write_text(MARKED)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    context_of(app).db_engine.dispose()


def test_inline_markdown_in_every_title(marked: TestClient) -> None:
    point = marked.get("/courses/marked/learn/layout").text
    assert "<h1><code>fastapi</code>, <code>uvicorn</code>, basic app layout</h1>" in point
    assert "<title>fastapi, uvicorn, basic app layout · Tutor</title>" in point
    assert "Learn <code>asyncio</code> <em>well</em></a>" in point  # the breadcrumb
    assert "The <em>event loop</em>" in point
    course = marked.get("/courses/marked").text
    assert "<title>Learn asyncio well · Tutor</title>" in course
    assert "<h1>Learn <code>asyncio</code> <em>well</em></h1>" in course
    assert "<code>await</code> basics</h3>" in course
    assert ">Quiz on <code>await</code></a>" in course
    assert "`" not in re.sub(r"<(script|pre)[\s\S]*?</\1>", "", course.split("<main", 1)[1])
    quiz = marked.get("/courses/marked/exercises/await-quiz").text
    assert "<h1>Quiz on <code>await</code></h1>" in quiz
    assert "Does <code>await</code> block the loop?" in quiz
    catalogue = marked.get("/").text
    assert ">Learn <code>asyncio</code> <em>well</em></a>" in catalogue
    assert "Advanced · about 3 hours" in catalogue
    assert "Before you start: Know <code>def</code>." in catalogue


def test_outline_courses_are_labelled_when_no_model_is_configured(client: TestClient) -> None:
    catalogue = client.get("/").text
    cards = catalogue.split('<li class="card')
    mini = next(c for c in cards if "/courses/mini" in c)
    flagship = next(c for c in cards if "/courses/python-backend" in c)
    assert "Outline course:" in mini  # two of its points have no written lesson
    assert "2 of 3 lessons are not written yet" in mini
    assert "Outline course:" not in flagship  # every bundled course has its lessons
    assert "Outline course:" in client.get("/courses/mini").text


def test_catalogue_shows_progress_and_continue_cards(client: TestClient) -> None:
    anonymous = client.get("/").text
    assert "Continue where you left off" not in anonymous
    assert "Intermediate · about 40 hours" in anonymous
    assert "Before you start: Python functions, classes and modules" in anonymous
    signup(client, "a@example.org")
    assert "Continue where you left off" not in client.get("/").text  # nothing started
    token = csrf(client, "/courses/mini/learn/plus")
    r = client.post(
        "/courses/mini/learn/plus/complete",
        data={"csrf_token": token, "go": "next"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/").text
    assert "Continue where you left off" in page
    continuing = page.split("Continue where you left off", 1)[1].split("All courses", 1)[0]
    assert 'href="/courses/mini/resume">Continue' in continuing
    assert "1 of 6 done" in continuing
    assert "python-backend" not in continuing  # only the courses the learner started


def test_course_page_is_compact_and_opens_the_current_section(client: TestClient) -> None:
    page = client.get("/courses/python-backend").text
    opened = re.findall(r'<details id="section-([a-z0-9-]+)" open>', page)
    assert len(opened) == 1  # the first section for a newcomer
    assert page.count('<details id="section-') == 7
    assert "Exercise: " not in page  # no repeated labels
    assert 'type="file"' not in page  # the notebook form is on the section's page
    assert page.count("Work in a Jupyter notebook") == 0
    signup(client, "a@example.org")
    token = csrf(client, "/courses/mini/learn/quiz-point")
    r = client.post(  # the learner's furthest step is in Section 2: it opens there
        "/courses/mini/learn/quiz-point/complete",
        data={"csrf_token": token, "go": "next"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/courses/mini").text
    assert re.findall(r'<details id="section-([a-z0-9-]+)" open>', page) == ["more"]


def test_section_page_has_the_outline_and_the_notebook(client: TestClient) -> None:
    anonymous = client.get("/courses/mini/sections/basics").text
    assert "<h1>Section 1: Basics</h1>" in anonymous
    assert 'href="/courses/mini/sections/basics/notebook"' in anonymous
    assert "to upload a filled-in notebook" in anonymous
    signup(client, "a@example.org")
    page = client.get("/courses/mini/sections/basics").text
    assert 'type="file"' in page and 'name="notebook"' in page
    assert ">Write add</a>" in page
    assert client.get("/courses/mini/sections/nope").status_code == 404
    assert 'href="/courses/mini/sections/basics"' in client.get("/courses/mini").text


def test_a_closed_section_says_how_many_exercises_are_skipped(client: TestClient) -> None:
    signup(client, "a@example.org")
    token = csrf(client, "/courses/mini/exercises/add-function")
    r = client.post(
        "/courses/mini/exercises/add-function/skip",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/courses/mini").text
    summary = page.split('<details id="section-basics"', 1)[1].split("</summary>", 1)[0]
    assert "1 skipped: still open" in summary
