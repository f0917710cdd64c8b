"""A point that borrows its lesson (``lesson_from``) shows that lesson and where it is from."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from curriculum import bundled_course_dirs
from tests.curriculum.lending import FLAGSHIP_POINT, lesson_from, roadmap_copy
from web.app import create_app
from web.context import context_of
from web.courses import CourseStore
from web.settings import WebSettings

WHY = "The flagship's lesson on data validation covers the same ground."


def test_the_page_serves_the_lesson_and_names_its_course(settings: WebSettings) -> None:
    assert settings.courses_dir is not None  # its backend-roadmap replaces the bundled one
    _, (point_id,) = roadmap_copy(
        settings.courses_dir, lesson_from("python-backend", FLAGSHIP_POINT, WHY)
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get(f"/courses/backend-roadmap/learn/{point_id}")
        flagship = client.get(f"/courses/python-backend/learn/{FLAGSHIP_POINT}")
        api = client.get("/api/courses/backend-roadmap")
    context_of(app).db_engine.dispose()
    assert page.status_code == 200
    assert (
        'Lesson from <a href="/courses/python-backend">Python Backend Development</a> › '
        in page.text
    )
    assert f'href="/courses/python-backend/learn/{FLAGSHIP_POINT}"' in page.text
    assert "This point has no written lesson" not in page.text
    assert _article(page.text) == _article(flagship.text)  # the flagship's lesson, as written
    point = api.json()["sections"][0]["topics"][0]["points"][0]
    assert point["id"] == point_id and point["has_lesson"] is True
    assert set(point) == {"id", "title", "has_lesson"}


def _article(html: str) -> str:
    start = html.index('<article class="lesson"')
    return html[start : html.index("</article>", start)]


def test_an_edit_of_the_lending_course_reaches_the_borrower(tmp_path: Path) -> None:
    flagship = tmp_path / "python-backend"
    shutil.copytree(bundled_course_dirs()["python-backend"], flagship)
    roadmap, (point_id,) = roadmap_copy(
        tmp_path, lesson_from("python-backend", FLAGSHIP_POINT, WHY)
    )
    store = CourseStore({"python-backend": flagship, "backend-roadmap": roadmap})
    before = store.get("backend-roadmap")
    assert before is not None and before.course is not None
    version = before.version
    lent = before.course.outline.point(point_id)
    assert lent is not None and lent.lesson is not None
    old = lent.lesson.summary.strip().splitlines()[0]
    (lender,) = [f for f in flagship.rglob("*.yaml") if old in f.read_text(encoding="utf-8")]
    lender.write_text(lender.read_text(encoding="utf-8").replace(old, "EDITED " + old, 1), "utf-8")
    store.refresh(force=True)
    after = store.get("backend-roadmap")
    assert after is not None and after.course is not None
    edited = after.course.outline.point(point_id)
    assert edited is not None and edited.lesson is not None
    assert edited.lesson.summary.lstrip().startswith("EDITED ")
    assert after.version != version  # pages cached by version are not served stale
