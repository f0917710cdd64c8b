"""The learner's path in the web app, against the real app, database and sandbox:
Next through points and exercises, Skip for now (recorded, shown open), Run (output and
errors, never graded, bounded), drafts (saved, restored, bounded), a self-check's
written answer, resume at the first unfinished step, and the migration for drafts."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, func, select

from curriculum import load_course
from curriculum.model import CodeExercise
from tests.web.conftest import COURSES, app_context, csrf, new_client, signup
from web.app import create_app
from web.context import context_of
from web.grading import GradingGate
from web.models import Attempt, ExerciseDraft, ProgressEvent, User
from web.services.refusals import TooManyChecks
from web.settings import WebSettings

COURSE = "/courses/mini"
CODE = f"{COURSE}/exercises/add-function"
RIGHT = "def add(a, b):\n    return a + b\n"


def _post(client: TestClient, path: str, **data: str) -> tuple[int, str]:
    """POST a form like the page; the status and where it redirects."""
    data = {"csrf_token": csrf(client, CODE), **data}
    r = client.post(path, data=data, follow_redirects=False)
    return r.status_code, r.headers.get("location", "")


def _count(client: TestClient, model: type[SQLModel], **where: object) -> int:
    with Session(app_context(client).db_engine) as db:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(db.exec(query).one())


def test_next_walks_points_then_practice_then_the_next_section(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.post(
        f"{COURSE}/learn/plus/complete", data={"csrf_token": csrf(client)}, follow_redirects=False
    )
    assert r.headers["location"] == f"{COURSE}/learn/no-lesson"
    page = client.get(f"{COURSE}/learn/no-lesson").text
    assert 'id="next-link">Next: practise Write add' in page
    r = client.post(
        f"{COURSE}/learn/no-lesson/complete",
        data={"csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert r.headers["location"] == CODE
    page = client.get(CODE).text
    assert 'href="/courses/mini/learn/no-lesson">← Previous' in page
    assert "Skip for now" in page and 'id="next-link"' not in page
    r = client.post(f"{CODE}/check", data={"csrf_token": csrf(client, CODE), "source": RIGHT})
    assert "Continue to Section 2 (More)" in r.text
    assert "Skip for now" not in r.text
    # the quiz, then the self-check: after each, Next
    quiz = f"{COURSE}/exercises/sum-quiz"
    r = client.post(f"{quiz}/quiz", data={"csrf_token": csrf(client), "q-two-plus-two": "0"})
    assert (
        'id="next-link" href="/courses/mini/exercises/reflect">Next: practise Reflect on sums'
        in r.text
    )
    sc = f"{COURSE}/exercises/reflect"
    r = client.post(f"{sc}/self-check", data={"csrf_token": csrf(client), "rubric": "0"})
    assert 'id="next-link" href="/courses/mini/progress">Finish the course' in r.text


def test_anonymous_readers_get_next_links(client: TestClient) -> None:
    page = client.get(CODE).text
    assert 'id="next-link" href="/courses/mini/learn/quiz-point">Continue to Section 2' in page
    assert "Skip for now" not in page


def test_skip_is_recorded_shown_open_and_resume_goes_past_it(client: TestClient) -> None:
    signup(client, "a@example.org")
    client.get(f"{COURSE}/learn/plus")
    assert _post(client, f"{CODE}/skip") == (303, f"{COURSE}/learn/quiz-point")
    assert _count(client, ProgressEvent, kind="skipped", target_id="add-function") == 1
    _post(client, f"{CODE}/skip")
    assert _count(client, ProgressEvent, kind="skipped") == 1  # once
    progress = client.get(f"{COURSE}/progress").text
    assert "Skipped for now: still open" in progress
    assert 'href="/courses/mini/exercises/add-function">Write add</a>' in progress
    assert "skipped: still open" in client.get(COURSE).text
    assert "1 skipped exercise still open" in client.get("/progress").text
    # resume: the first unfinished step after the furthest finished one (the skip)
    r = client.get(f"{COURSE}/resume", follow_redirects=False)
    assert r.headers["location"] == f"{COURSE}/learn/quiz-point"
    # once passed, it is no longer open
    client.post(f"{CODE}/check", data={"csrf_token": csrf(client, CODE), "source": RIGHT})
    assert "Skipped for now" not in client.get(f"{COURSE}/progress").text
    assert "skipped: still open" not in client.get(COURSE).text


def test_resume_follows_progress_not_the_last_page_opened(client: TestClient) -> None:
    signup(client, "a@example.org")
    assert "Start the course" in client.get(COURSE).text
    r = client.get(f"{COURSE}/resume", follow_redirects=False)
    assert r.headers["location"] == f"{COURSE}/learn/plus"
    client.post(f"{COURSE}/learn/plus/complete", data={"csrf_token": csrf(client)})
    client.get(f"{COURSE}/learn/quiz-point")  # a look ahead is not progress
    client.get(f"{COURSE}/learn/plus")  # nor a look back
    r = client.get(f"{COURSE}/resume", follow_redirects=False)
    assert r.headers["location"] == f"{COURSE}/learn/no-lesson"
    assert "Resume where I left off: A point without a written lesson." in client.get(COURSE).text


def test_run_shows_output_and_errors_and_grades_nothing(client: TestClient) -> None:
    signup(client, "a@example.org")
    source = "def add(a, b):\n    return a + b\nprint('sum', add(2, 3))\nadd(1)\n"
    r = client.post(
        f"{CODE}/run",
        data={"csrf_token": csrf(client, CODE), "source": source},
        headers={"hx-request": "true"},
    )
    assert r.status_code == 200
    assert "<html" not in r.text  # the partial for htmx
    assert "sum 5" in r.text
    assert "TypeError" in r.text
    assert "not graded" in r.text
    assert _count(client, Attempt) == 0  # a Run is no attempt
    # without JavaScript: the whole page, with the code kept in the editor
    r = client.post(
        f"{CODE}/run", data={"csrf_token": csrf(client, CODE), "source": "print('<b>hi</b>')\n"}
    )
    assert "<html" in r.text
    assert "&lt;b&gt;hi&lt;/b&gt;" in r.text and "<b>hi</b>" not in r.text  # escaped
    assert "print(&#39;&lt;b&gt;hi&lt;/b&gt;&#39;)\n</textarea>" in r.text
    assert _count(client, ExerciseDraft) == 1  # and the code is kept as the draft
    assert "print(&#39;&lt;b&gt;hi&lt;/b&gt;&#39;)\n</textarea>" in client.get(CODE).text


def test_run_needs_an_account_and_a_code_exercise(client: TestClient) -> None:
    token = csrf(client, CODE)
    r = client.post(f"{CODE}/run", data={"csrf_token": token, "source": "print(1)"})
    assert r.status_code == 200 and "/login" in str(r.url)  # redirected to log in
    signup(client, "a@example.org")
    r = client.post(
        f"{COURSE}/exercises/sum-quiz/run", data={"csrf_token": csrf(client), "source": "1"}
    )
    assert r.status_code == 400
    r = client.post(f"{CODE}/run", data={"csrf_token": csrf(client, CODE), "source": "x" * 200_001})
    assert r.status_code == 400


def test_runs_per_minute_are_limited_per_learner(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path / "data", courses_dir=COURSES, runs_per_minute=2)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as fast:
        signup(fast, "fast@example.org")
        token = csrf(fast, CODE)
        hx = {"hx-request": "true"}
        for _ in range(2):
            r = fast.post(
                f"{CODE}/run", data={"csrf_token": token, "source": "print(1)"}, headers=hx
            )
            assert r.status_code == 200 and "Output" in r.text
        r = fast.post(f"{CODE}/run", data={"csrf_token": token, "source": "print(1)"}, headers=hx)
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) > 0
        assert "at most 2 runs a minute" in r.text
        slow = new_client(fast)
        signup(slow, "slow@example.org")
        r = slow.post(
            f"{CODE}/run", data={"csrf_token": csrf(slow, CODE), "source": "print(1)"}, headers=hx
        )
        assert r.status_code == 200  # per learner
    context_of(app).db_engine.dispose()


def test_drafts_are_saved_restored_private_and_dropped_on_check(client: TestClient) -> None:
    signup(client, "a@example.org")
    token = csrf(client, CODE)
    draft = "def add(a, b):\n    # thinking <here>\n"
    r = client.post(
        f"{CODE}/draft", data={"csrf_token": token, "source": draft}, headers={"x-tutor-draft": "1"}
    )
    assert r.status_code == 204  # the page's script
    assert "# thinking &lt;here&gt;\n</textarea>" in client.get(CODE).text  # restored, escaped
    # without JavaScript: "Save draft" posts the form and comes back to the page
    saved = _post(client, f"{CODE}/draft", source="def add(a, b):\n    return 0\n")
    assert saved == (303, f"{CODE}?saved=1")
    page = client.get(f"{CODE}?saved=1").text
    assert "Draft saved." in page and "    return 0\n</textarea>" in page
    assert _count(client, ExerciseDraft) == 1  # one row per learner and exercise
    other = new_client(client)
    signup(other, "b@example.org")
    assert "return 0" not in other.get(CODE).text  # another learner's draft is private
    # a check keeps the code in the attempt: the draft goes
    client.post(f"{CODE}/check", data={"csrf_token": csrf(client, CODE), "source": RIGHT})
    assert _count(client, ExerciseDraft) == 0
    assert "    return a + b\n</textarea>" in client.get(CODE).text


def test_drafts_are_bounded_in_size_and_rate(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path / "data", courses_dir=COURSES, drafts_per_minute=3)
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        signup(c, "a@example.org")
        token = csrf(c, CODE)
        js = {"x-tutor-draft": "1"}
        r = c.post(f"{CODE}/draft", data={"csrf_token": token, "source": "x" * 200_001}, headers=js)
        assert r.status_code == 400
        for i in range(3):
            r = c.post(f"{CODE}/draft", data={"csrf_token": token, "source": str(i)}, headers=js)
            assert r.status_code == 204
        r = c.post(f"{CODE}/draft", data={"csrf_token": token, "source": "late"}, headers=js)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        r = c.post(f"{COURSE}/exercises/sum-quiz/draft", data={"csrf_token": token, "source": "1"})
        assert r.status_code == 400  # only code exercises keep drafts
    context_of(app).db_engine.dispose()


def test_a_self_check_keeps_what_the_learner_wrote(client: TestClient) -> None:
    signup(client, "a@example.org")
    sc = f"{COURSE}/exercises/reflect"
    page = client.get(sc).text
    assert '<textarea id="answer" name="answer"' in page
    assert 'id="next-link"' not in page  # before committing: Skip for now
    written = "name: CI\non: [push]\n<script>x</script>\n"
    r = client.post(f"{sc}/self-check", data={"csrf_token": csrf(client), "answer": written})
    assert r.status_code == 200
    assert 'id="next-link"' in r.text  # committed (nothing ticked): the learner may go on
    assert 'class="verdict-pass">passed' not in r.text  # but it is not passed
    page = client.get(sc).text
    assert "name: CI\non: [push]\n&lt;script&gt;x&lt;/script&gt;\n</textarea>" in page
    with Session(app_context(client).db_engine) as db:
        attempt = db.exec(select(Attempt).where(Attempt.exercise_id == "reflect")).one()
    assert attempt.submission == written
    r = client.post(
        f"{sc}/self-check", data={"csrf_token": csrf(client), "rubric": "0", "answer": "x" * 20_001}
    )
    assert r.status_code == 400


def test_the_draft_migration_matches_the_models(client: TestClient) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app_context(client).db_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in diff if "exercise_draft" in str(d)] == []


def test_a_run_counts_as_a_check_at_the_grading_gate(client: TestClient) -> None:
    """A learner with a Run in flight is at the per-learner cap: a second one is 429."""
    course = load_course(COURSES / "mini")
    ref = course.outline.exercise("add-function")
    assert ref is not None and isinstance(ref.exercise, CodeExercise)
    exercise = ref.exercise
    signup(client, "one@example.org")
    signup(new_client(client), "two@example.org")
    engine = app_context(client).db_engine
    with Session(engine) as db:
        assert {u.id for u in db.exec(select(User)).all()} == {1, 2}
    gate = GradingGate(sandbox="strict", db_engine=engine, runners=1, queue=4, per_learner=1)

    async def main() -> None:
        await gate.start(warm=True)
        try:
            async with anyio.create_task_group() as tasks:
                slow = "import time\ntime.sleep(1.5)\nprint('done')\n"
                tasks.start_soon(lambda: gate.run(learner=1, exercise=exercise, source=slow))
                await anyio.sleep(0.3)
                assert gate.admitted == 1
                with pytest.raises(TooManyChecks):
                    await gate.run(learner=1, exercise=exercise, source="print(1)")
                other = await gate.run(learner=2, exercise=exercise, source="print(2)")
                assert other.output == "2\n"  # another learner waits for the runner, then runs
        finally:
            await gate.stop()

    anyio.run(main)
