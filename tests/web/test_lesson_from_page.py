"""A point that borrows its lesson (``lesson_from``) shows that lesson and where it is from."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from curriculum import bundled_course_dirs
from tutor.settings import Settings
from web.app import create_app
from web.courses import CourseStore

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


def test_an_edit_of_the_lending_course_reaches_the_borrower(tmp_path: Path) -> None:
    dirs = bundled_course_dirs()
    flagship, roadmap = tmp_path / "python-backend", tmp_path / "backend-roadmap"
    shutil.copytree(dirs["python-backend"], flagship)
    shutil.copytree(dirs["backend-roadmap"], roadmap)
    section = roadmap / "sections" / "01-basic-level.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace(POINT, POINT + LESSON_FROM, 1), encoding="utf-8")
    store = CourseStore({"python-backend": flagship, "backend-roadmap": roadmap})
    before = store.get("backend-roadmap")
    assert before is not None and before.course is not None
    version = before.version
    lent = before.course.outline.point("variables-types-operators")
    assert lent is not None and lent.lesson is not None
    old = lent.lesson.summary.strip().splitlines()[0]
    (lender,) = [f for f in flagship.rglob("*.yaml") if old in f.read_text(encoding="utf-8")]
    lender.write_text(lender.read_text(encoding="utf-8").replace(old, "EDITED " + old, 1), "utf-8")
    store.refresh(force=True)
    after = store.get("backend-roadmap")
    assert after is not None and after.course is not None
    edited = after.course.outline.point("variables-types-operators")
    assert edited is not None and edited.lesson is not None
    assert edited.lesson.summary.lstrip().startswith("EDITED ")
    assert after.version != version  # pages cached by version are not served stale
