"""A point that borrows its lesson (``lesson_from``) shows that lesson and where it is from."""

from __future__ import annotations

import shutil

from fastapi.testclient import TestClient

from curriculum import bundled_course_dirs
from tutor.settings import Settings
from web.app import create_app

POINT = """\
      - id: variables-types-operators
        title: Variables, data types, and operators
"""
LESSON_FROM = """\
        lesson_from:
          course: python-backend
          point: what-is-pydantic
          why: The flagship's lesson on data validation covers the same ground.
"""


def test_the_page_serves_the_lesson_and_names_its_course(settings: Settings) -> None:
    assert settings.courses_dir is not None
    copy = settings.courses_dir / "backend-roadmap"  # replaces the bundled roadmap
    shutil.copytree(bundled_course_dirs()["backend-roadmap"], copy)
    section = copy / "sections" / "01-basic-level.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace(POINT, POINT + LESSON_FROM, 1), encoding="utf-8")
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/courses/backend-roadmap/learn/variables-types-operators")
        flagship = client.get("/courses/python-backend/learn/what-is-pydantic")
        api = client.get("/api/courses/backend-roadmap")
    app.state.engine.dispose()
    assert page.status_code == 200
    assert (
        'Lesson from <a href="/courses/python-backend">Python Backend Development</a> › '
        in page.text
    )
    assert 'href="/courses/python-backend/learn/what-is-pydantic"' in page.text
    assert "This point has no written lesson" not in page.text
    assert _article(page.text) == _article(flagship.text)  # the flagship's lesson, as written
    point = api.json()["sections"][0]["topics"][0]["points"][0]
    assert point == {
        "id": "variables-types-operators",
        "title": "Variables, data types, and operators",
        "has_lesson": True,
    }


def _article(html: str) -> str:
    start = html.index('<article class="lesson"')
    return html[start : html.index("</article>", start)]
