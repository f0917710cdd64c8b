"""Course tools in the browser: duplicate a course, the file tree, errors named relative
to the course with a link to the line, a preview from unsaved YAML; and who may use them."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from curriculum import bundled_course_dirs
from tests.web.conftest import app_context, csrf, new_client, signup, signup_instructor
from web.settings import WebSettings

BASICS = "sections/01-basics.yaml"


def _courses(settings: WebSettings) -> Path:
    assert settings.courses_dir is not None
    return settings.courses_dir


def test_duplicate_a_bundled_course_then_edit_the_copy(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    form = client.get("/instructor/courses/python-backend/edit").text
    assert 'name="new_id"' in form and '<details id="duplicate" open>' in form
    r = client.post(
        "/instructor/courses/python-backend/duplicate",
        data={"csrf_token": csrf(client), "new_id": "backend-2027", "title": "Backend 2027"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/instructor/courses/backend-2027/edit")
    copy = _courses(settings) / "backend-2027"
    assert "id: backend-2027" in (copy / "course.yaml").read_text()
    page = client.get(r.headers["location"]).text
    assert "Validate and save" in page  # the copy is editable
    assert 'class="file-tree"' in page and "sections/" in page
    assert "Backend 2027" in client.get("/").text
    assert "Python Backend Development" in client.get("/").text  # the original stays


def test_duplicate_refuses_bad_and_taken_ids(client: TestClient, settings: WebSettings) -> None:
    signup_instructor(client, "teacher@example.org")
    token = csrf(client)
    for bad in ("../evil", "a/b", "..", "UPPER", "x" * 81, "mini", "python-backend", ""):
        r = client.post(
            "/instructor/courses/mini/duplicate", data={"csrf_token": token, "new_id": bad}
        )
        assert r.status_code in (400, 422), bad
    assert sorted(p.name for p in _courses(settings).iterdir() if p.name[0] != ".") == ["mini"]
    assert not (_courses(settings).parent / "evil").exists()


def test_file_tree_opens_files_and_refuses_paths_outside(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    page = client.get("/instructor/courses/mini/edit").text
    assert f'href="/instructor/courses/mini/edit?file={BASICS}"' in page
    assert '<select id="file-select"' not in page
    opened = client.get("/instructor/courses/mini/edit", params={"file": BASICS}).text
    assert 'aria-current="page"' in opened and "title: Adding numbers" in opened
    assert '<option value="plus" selected>' in opened  # the preview's default: its first point
    for evil in ("../../etc/passwd", "/etc/passwd", "sections/../../../etc/passwd"):
        assert client.get("/instructor/courses/mini/edit", params={"file": evil}).status_code == 404


def test_the_editor_highlights_each_file_by_its_extension(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    course = _courses(settings) / "mini"
    (course / "notes.md").write_text("# Notes\n")
    (course / "helper.py").write_text("X = 1\n")
    (course / "data.txt").write_text("plain\n")
    app_context(client).courses.refresh(force=True)
    for name, language in [
        ("course.yaml", "yaml"),
        (BASICS, "yaml"),
        ("notes.md", "markdown"),
        ("helper.py", "python"),
        ("data.txt", "text"),
    ]:
        page = client.get("/instructor/courses/mini/edit", params={"file": name}).text
        assert f'<div class="editor" data-editor data-language="{language}"' in page, name


def test_errors_name_the_file_relative_to_the_course_and_link_to_the_line(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _courses(settings) / "mini" / BASICS
    good = path.read_text()
    bad = good.replace("  title: Adding numbers\n", "  title: Adding numbers\n  colour: red\n")
    r = client.post(
        "/instructor/courses/mini/edit",
        data={"csrf_token": csrf(client), "file": BASICS, "content": bad},
    )
    assert r.status_code == 400
    line = bad.splitlines().index("  colour: red") + 1
    assert f"{BASICS}:{line}" in r.text  # without JS the error names file:line
    assert (
        f'data-line="{line}" data-column="3"' in r.text
    )  # with JS the link moves the cursor there
    assert str(_courses(settings)) not in r.text and "/tmp" not in r.text
    assert path.read_text() == good


def test_an_error_in_another_file_links_to_that_file(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    course_yaml = (_courses(settings) / "mini" / "course.yaml").read_text()
    broken = re.sub(r"sections/01-basics\.yaml", "sections/missing.yaml", course_yaml)
    assert broken != course_yaml
    r = client.post(
        "/instructor/courses/mini/edit",
        data={"csrf_token": csrf(client), "file": "course.yaml", "content": broken},
    )
    assert r.status_code == 400
    assert str(_courses(settings)) not in r.text and "/tmp" not in r.text
    assert "sections/missing.yaml" in r.text


def test_problems_on_disk_link_to_their_file_and_line(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _courses(settings) / "mini" / BASICS
    bad = path.read_text().replace("  title: Adding numbers\n", "  title: Adding\n  colour: red\n")
    path.write_text(bad)
    line = bad.splitlines().index("  colour: red") + 1
    app_context(client).courses.refresh(force=True)
    page = client.get("/instructor/courses/mini/edit").text  # course.yaml is open
    assert "Problems in the files on disk" in page
    assert f'href="/instructor/courses/mini/edit?file={BASICS}&amp;line={line}"' in page
    opened = client.get("/instructor/courses/mini/edit", params={"file": BASICS, "line": line})
    assert f'data-line="{line}"' in opened.text  # the editor opens there (with JS)
    assert str(_courses(settings)) not in page


def test_preview_shows_the_unsaved_lesson_as_a_learner_sees_it(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _courses(settings) / "mini" / BASICS
    good = path.read_text()
    edited = good.replace("adds numbers.", "adds numbers, previewed.")
    r = client.post(
        "/instructor/courses/mini/preview",
        data={"csrf_token": csrf(client), "file": BASICS, "content": edited, "point": "plus"},
    )
    assert r.status_code == 200
    assert "adds numbers, previewed." in r.text
    assert "&lt;script&gt;" in r.text  # rendered like the lesson: raw HTML stays text
    assert "Preview of the unsaved file" in r.text
    assert path.read_text() == good  # nothing saved
    bad = client.post(
        "/instructor/courses/mini/preview",
        data={"csrf_token": csrf(client), "file": BASICS, "content": "id: [", "point": "plus"},
    )
    assert bad.status_code == 400 and f"{BASICS}:" in bad.text


def test_bundled_course_preview_works_but_edits_are_refused(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    original = (bundled_course_dirs()["python-backend"] / "course.yaml").read_text()
    r = client.post(
        "/instructor/courses/python-backend/edit",
        data={"csrf_token": csrf(client), "file": "course.yaml", "content": original + "\n"},
    )
    assert r.status_code == 403
    assert (bundled_course_dirs()["python-backend"] / "course.yaml").read_text() == original


def test_learners_and_strangers_cannot_use_the_course_tools(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "learner@example.org")
    token = csrf(learner)
    gets = [
        "/instructor/courses/mini/edit",
        "/instructor/courses/mini/new-point",
        "/instructor/courses/mini/new-exercise",
    ]
    posts = {
        "/instructor/courses/mini/new-point": {"topic": "adding", "point_id": "x", "title": "T"},
        "/instructor/courses/mini/duplicate": {"new_id": "stolen"},
        "/instructor/courses/mini/preview": {"file": BASICS, "content": "x", "point": "plus"},
        "/instructor/courses/mini/edit": {"file": BASICS, "content": "x"},
    }
    for url in gets:
        assert learner.get(url).status_code == 403, url
    for url, data in posts.items():
        assert learner.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    # an instructor's request without the CSRF token is refused before any work
    r = client.post("/instructor/courses/mini/duplicate", data={"new_id": "no-token"})
    assert r.status_code == 403
    assert not (_courses(settings) / "stolen").exists()
    assert not (_courses(settings) / "no-token").exists()


def test_new_point_and_exercise_forms_write_valid_yaml_keeping_comments(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _courses(settings) / "mini" / BASICS
    path.write_text("# kept: a comment of the author\n" + path.read_text())
    app_context(client).courses.refresh(force=True)
    assert 'name="point_id"' in client.get("/instructor/courses/mini/new-point").text
    r = client.post(
        "/instructor/courses/mini/new-point",
        data={
            "csrf_token": csrf(client),
            "topic": "adding",
            "point_id": "minus",
            "title": "The minus operator: `-`",
            "brief": "Subtracting",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"/instructor/courses/mini/edit?file={BASICS}")
    text = path.read_text()
    assert text.startswith("# kept: a comment of the author\n")
    assert "id: minus" in text
    assert "The minus operator" in client.get("/courses/mini/learn/minus").text
    form = client.get("/instructor/courses/mini/new-exercise").text
    assert "def test_solves(submission)" in form
    r = client.post(
        "/instructor/courses/mini/new-exercise",
        data={
            "csrf_token": csrf(client),
            "topic": "adding",
            "exercise_id": "sub-function",
            "title": "Write sub",
            "prompt": "Write `sub(a, b)`.",
            "starter": "def sub(a, b):\n    pass\n",
            "solution": "def sub(a, b):\n    return a - b\n",
            "checks": 'def test_subs(submission):\n    assert submission.call("sub", 3, 1) == 2\n',
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert "Write sub" in client.get("/courses/mini/exercises/sub-function").text
    assert path.read_text().startswith("# kept: a comment of the author\n")


def test_new_point_with_a_taken_or_bad_id_is_not_written(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _courses(settings) / "mini" / BASICS
    good = path.read_text()
    for bad in ("plus", "Bad Id", "../x"):
        r = client.post(
            "/instructor/courses/mini/new-point",
            data={"csrf_token": csrf(client), "topic": "adding", "point_id": bad, "title": "T"},
        )
        assert r.status_code == 400, bad
        assert "Not added" in r.text and f"{BASICS}:" in r.text
        assert path.read_text() == good
    r = client.post(
        "/instructor/courses/mini/new-point",
        data={"csrf_token": csrf(client), "topic": "nope", "point_id": "x", "title": "T"},
    )
    assert r.status_code == 400
    r = client.post(
        "/instructor/courses/python-backend/new-point",
        data={"csrf_token": csrf(client), "topic": "x", "point_id": "x", "title": "T"},
    )
    assert r.status_code == 403
