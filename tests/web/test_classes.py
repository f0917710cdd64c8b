"""Classes: create, invite, join, assistants, archive, remove; the gradebook and its
downloads; who needs help; deadlines; class-only courses; and authorization both ways
between classes, instructors, assistants and learners (pages and API)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, new_client, signup, signup_instructor
from web.accounts import create_user
from web.app import create_app
from web.attempts import save_attempt
from web.context import context_of
from web.models import ClassMember, User
from web.settings import WebSettings

WRONG = {"answers": {"two-plus-two": 1}}
RIGHT = {"answers": {"two-plus-two": 0}}


def api_token(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": str(client.get("/api/csrf").json()["token"])}


def make_class(
    client: TestClient, name: str = "Monday group", courses: tuple[str, ...] = ("mini",)
) -> dict[str, object]:
    r = client.post(
        "/api/classes", json={"name": name, "courses": list(courses)}, headers=api_token(client)
    )
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def join(client: TestClient, code: object) -> int:
    r = client.post("/api/classes/join", json={"code": code}, headers=api_token(client))
    return r.status_code


def answer(client: TestClient, body: Mapping[str, object]) -> None:
    r = client.post(
        "/api/courses/mini/exercises/sum-quiz/quiz", json=body, headers=api_token(client)
    )
    assert r.status_code == 201, r.text


def second_instructor(client: TestClient, email: str) -> TestClient:
    with Session(app_context(client).db_engine) as db:
        create_user(db, email, "correct horse 1", instructor=True)
        db.commit()
    other = new_client(client)
    token = csrf(other, "/login")
    r = other.post(
        "/login",
        data={"email": email, "password": "correct horse 1", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return other


def test_class_in_the_browser_pages(client: TestClient) -> None:
    """Create with the form, join by the invite link, see attempts, who's stuck, CSV."""
    signup_instructor(client, "teacher@example.org")
    r = client.post(
        "/classes",
        data={
            "csrf_token": csrf(client, "/classes"),
            "name": "Tuesday <b>group</b>",
            "courses": ["mini"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    class_url = r.headers["location"].split("?")[0]
    page = client.get(class_url).text
    assert "Tuesday &lt;b&gt;group&lt;/b&gt;" in page
    invite = re.search(r'id="invite-url" value="([^"]+)"', page)
    assert invite and "/join/" in invite.group(1)
    path = invite.group(1).replace("http://127.0.0.1", "")

    learner = new_client(client)
    r = learner.get(path, follow_redirects=False)  # not logged in: log in, then back here
    assert r.status_code == 303 and r.headers["location"] == f"/login?next={path}"
    assert f'href="/signup?next={path}"' in learner.get(r.headers["location"]).text
    r = learner.post(
        "/signup",
        data={
            "email": "=sum(a1)@example.org",
            "password": "correct horse 1",
            "csrf_token": csrf(learner, "/signup"),
            "next": path,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == path  # the invite survives
    assert "Join the class" in learner.get(path).text
    code = path.rsplit("/", 1)[1]
    r = learner.post(
        "/classes/join",
        data={"csrf_token": csrf(learner), "code": code.lower()},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(class_url)
    mine = learner.get(class_url).text
    assert "Gradebook" not in mine and code not in mine  # learners see no staff views
    assert "Tuesday" in learner.get("/classes").text
    for _ in range(3):
        answer(learner, WRONG)

    book = client.get(f"{class_url}/gradebook").text
    assert "=sum(a1)@example.org" in book
    assert 'class="st-tried"' in book and "3×" in book
    help_page = client.get(f"{class_url}/help").text
    assert "=sum(a1)@example.org" in help_page and "A quiz on sums" in help_page
    learner_link = re.search(r'href="(/classes/\d+/learners/\d+\?exercise=[^"]+)"', help_page)
    assert learner_link
    assert "failed" in client.get(learner_link.group(1).replace("&amp;", "&")).text
    rows = list(csv.reader(io.StringIO(client.get(f"{class_url}/gradebook.csv").text)))
    assert rows[1][0] == "'=sum(a1)@example.org"  # no spreadsheet formula
    i = rows[0].index("mini/sum-quiz status")
    assert rows[1][i : i + 3] == ["tried", "0", "3"]

    answer(learner, RIGHT)
    book = client.get(f"{class_url}/gradebook").text
    assert 'class="st-passed"' in book and "100% · 4×" in book
    assert "=sum(a1)@example.org" not in client.get(f"{class_url}/help").text


def test_invite_link_opened_by_its_teacher_or_a_member_leads_into_the_class(
    client: TestClient,
) -> None:
    signup_instructor(client, "a@example.org")
    created = make_class(client)
    invite, home = f"/join/{created['join_code']}", f'href="/classes/{created["id"]}"'
    page = client.get(invite).text  # the teacher, trying their own link
    assert "You teach this class" in page and home in page
    assert 'action="/classes/join"' not in page  # no Join button that could only fail

    learner = new_client(client)
    signup(learner, "learner@example.org")
    page = learner.get(invite).text
    assert 'action="/classes/join"' in page and "Join the class" in page
    assert join(learner, created["join_code"]) == 200
    page = learner.get(invite).text
    assert "You are in this class already" in page and home in page
    assert 'action="/classes/join"' not in page
    assert learner.get(f"/classes/{created['id']}").status_code == 200


def test_api_classes_and_authorization_both_ways(client: TestClient) -> None:
    signup_instructor(client, "a@example.org")
    created = make_class(client)
    assert set(created) == {"id", "name", "join_code", "invite_url"}
    assert str(created["invite_url"]).endswith(f"/join/{created['join_code']}")
    cid = created["id"]

    learner = new_client(client)
    signup(learner, "learner@example.org")
    assert (
        learner.post(
            "/api/classes", json={"name": "x", "courses": ["mini"]}, headers=api_token(learner)
        ).status_code
        == 403
    )
    assert join(learner, "NOPE1234") == 400
    assert join(learner, created["join_code"]) == 200
    assert join(learner, created["join_code"]) == 200  # idempotent
    answer(learner, WRONG)

    other = second_instructor(client, "b@example.org")
    b_class = make_class(other, "B's class")
    assistant = new_client(client)
    signup(assistant, "ta@example.org")
    r = client.post(
        f"/api/classes/{cid}/assistants",
        json={"email": "ta@example.org"},
        headers=api_token(client),
    )
    assert r.status_code == 204

    anonymous = new_client(client)
    for suffix in ("gradebook.csv", "gradebook.json", "help"):
        url = f"/api/classes/{cid}/{suffix}"
        assert client.get(url).status_code == 200
        assert assistant.get(url).status_code == 200
        assert learner.get(url).status_code == 403
        assert other.get(url).status_code == 404  # another instructor's class
        assert anonymous.get(url).status_code == 401
        assert (
            client.get(f"/api/classes/{b_class['id']}/{suffix}").status_code == 404
        )  # the other way
        assert other.get(f"/api/classes/{b_class['id']}/{suffix}").status_code == 200
        assert client.get(f"/api/classes/999999/{suffix}").status_code == 404
        assert client.get(f"/api/classes/x'1/{suffix}").status_code == 404
    for page in ("gradebook", "help", "gradebook.csv"):
        assert assistant.get(f"/classes/{cid}/{page}").status_code == 200
        assert learner.get(f"/classes/{cid}/{page}").status_code == 403
        assert other.get(f"/classes/{cid}/{page}").status_code == 404
    book = client.get(f"/api/classes/{cid}/gradebook.json").json()
    assert [le["email"] for le in book["learners"]] == ["learner@example.org"]
    assert book["learners"][0]["cells"]["mini/sum-quiz"]["status"] == "tried"
    assert assistant.get(f"/api/classes/{cid}/gradebook.json").json() == book

    # assistants and learners see the class, but cannot change it
    for who in (assistant, learner, other):
        h = api_token(who)
        expected = 404 if who is other else 403
        assert who.post(f"/api/classes/{cid}/archive", json={}, headers=h).status_code == expected
        assert (
            who.post(
                f"/api/classes/{cid}/assistants", json={"email": "learner@example.org"}, headers=h
            ).status_code
            == expected
        )
        assert (
            who.put(
                f"/api/classes/{cid}/deadlines",
                json={"course_id": "mini", "exercise_id": "sum-quiz"},
                headers=h,
            ).status_code
            == expected
        )
        r = who.post(
            f"/classes/{cid}/archive",
            data={"csrf_token": csrf(who), "archived": "1"},
            follow_redirects=False,
        )
        assert r.status_code == expected
    uid = book["learners"][0]["user_id"]
    assert (
        assistant.delete(
            f"/api/classes/{cid}/members/{uid}", headers=api_token(assistant)
        ).status_code
        == 403
    )

    # instructors see only their own classes; the others their classes with their role
    assert [c["id"] for c in client.get("/api/classes").json()] == [cid]
    assert [c["id"] for c in other.get("/api/classes").json()] == [b_class["id"]]
    assert [(c["role"], c["join_code"]) for c in learner.get("/api/classes").json()] == [
        ("learner", None)
    ]
    assert [c["role"] for c in assistant.get("/api/classes").json()] == ["assistant"]
    assert "Monday group" not in other.get("/classes").text
    assert other.get(f"/classes/{cid}").status_code == 404

    # a learner in several classes
    assert join(learner, b_class["join_code"]) == 200
    assert len(learner.get("/api/classes").json()) == 2

    # remove and archive
    assert (
        client.delete(f"/api/classes/{cid}/members/{uid}", headers=api_token(client)).status_code
        == 204
    )
    assert client.get(f"/api/classes/{cid}/gradebook.json").json()["learners"] == []
    assert learner.get(f"/api/classes/{cid}").status_code == 404
    assert (
        client.post(
            f"/api/classes/{cid}/archive", json={"archived": True}, headers=api_token(client)
        ).status_code
        == 204
    )
    assert join(learner, created["join_code"]) == 400  # archived: no new learners
    assert client.get(f"/api/classes/{cid}").json()["archived"] is True


def test_class_only_course_is_seen_by_its_classes_only(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "learner@example.org")
    anonymous = new_client(client)
    r = client.put(
        "/api/courses/mini/visibility", json={"visibility": "class"}, headers=api_token(client)
    )
    assert r.status_code == 204
    assert (
        learner.put(
            "/api/courses/mini/visibility",
            json={"visibility": "public"},
            headers=api_token(learner),
        ).status_code
        == 403
    )
    hidden = (
        "/courses/mini",
        "/courses/mini/learn/plus",
        "/courses/mini/exercises/sum-quiz",
        "/api/courses/mini",
    )
    for who in (learner, anonymous):
        for url in hidden:
            assert who.get(url).status_code == 404, url
        assert "/courses/mini" not in who.get("/").text
        assert "mini" not in [c["id"] for c in who.get("/api/courses").json()]
    assert client.get("/courses/mini/learn/plus").status_code == 200  # instructors see it
    assert "/courses/mini" in client.get("/").text

    created = make_class(client)
    assert join(learner, created["join_code"]) == 200
    for url in hidden:
        assert learner.get(url).status_code == 200, url
    assert "mini" in [c["id"] for c in learner.get("/api/courses").json()]
    assert anonymous.get("/courses/mini").status_code == 404

    # the instructor's form sets it back to public
    r = client.post(
        "/instructor/courses/mini/visibility",
        data={"csrf_token": csrf(client), "visibility": "public"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert anonymous.get("/courses/mini").status_code == 200


def test_deadlines_show_to_learners_and_mark_late(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    created = make_class(client)
    cid = created["id"]
    learner = new_client(client)
    signup(learner, "learner@example.org")
    assert join(learner, created["join_code"]) == 200
    past = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    r = client.put(
        f"/api/classes/{cid}/deadlines",
        json={"course_id": "mini", "exercise_id": "sum-quiz", "due_at": past.isoformat()},
        headers=api_token(client),
    )
    assert r.status_code == 204
    bad = client.put(
        f"/api/classes/{cid}/deadlines",
        json={"course_id": "mini", "exercise_id": "nope"},
        headers=api_token(client),
    )
    assert bad.status_code == 400
    # the page form: a datetime-local value, in the future, for the self-check
    r = client.post(
        f"/classes/{cid}/deadlines",
        data={"csrf_token": csrf(client), "exercise": "mini/reflect", "due": "2999-01-02T03:04"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = learner.get("/courses/mini/exercises/sum-quiz").text
    assert f"Due {past.strftime('%Y-%m-%d %H:%M')} UTC" in page
    assert "Due 2999-01-02 03:04 UTC" in learner.get("/courses/mini/exercises/reflect").text
    assert "2999-01-02 03:04" in learner.get(f"/classes/{cid}").text
    answer(learner, RIGHT)
    book = client.get(f"/api/classes/{cid}/gradebook.json").json()
    cells = book["learners"][0]["cells"]
    assert cells["mini/sum-quiz"] == cells["mini/sum-quiz"] | {
        "status": "passed",
        "late": True,
        "best": 100,
    }
    assert cells["mini/reflect"]["late"] is False
    assert "late" in client.get(f"/classes/{cid}/gradebook").text
    # cleared with an empty value
    r = client.put(
        f"/api/classes/{cid}/deadlines",
        json={"course_id": "mini", "exercise_id": "sum-quiz", "due_at": None},
        headers=api_token(client),
    )
    assert r.status_code == 204
    assert "Due " not in learner.get("/courses/mini/exercises/sum-quiz").text


def test_gradebook_sorts_filters_and_pages_in_sql(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    created = make_class(client, courses=("mini", "python-backend"))
    cid = int(str(created["id"]))
    engine = app_context(client).db_engine
    with Session(engine) as db:
        for n in range(60):
            user = User(email=f"l{n:02d}@example.org", password_hash="x")
            db.add(user)
            db.flush()
            assert user.id is not None
            db.add(ClassMember(class_id=cid, user_id=user.id))
            for k in range(n % 4):
                save_attempt(
                    db,
                    user_id=user.id,
                    course_id="mini",
                    exercise_id="sum-quiz",
                    kind="quiz",
                    passed=k == 2,
                    submission="",
                    verdict={"score": int(k == 2), "total": 1},
                )
        save_attempt(
            db,
            user_id=user.id or 0,
            course_id="mini",
            exercise_id="gone",
            kind="quiz",
            passed=True,
            submission="",
            verdict={},
        )  # not in the outline: not counted
        db.commit()
    first = client.get(f"/classes/{cid}/gradebook").text
    assert first.count('<tr><th scope="row">') == 50
    assert "l00@example.org" in first and "l50@example.org" not in first
    assert 'rel="next"' in first
    second = client.get(f"/classes/{cid}/gradebook?page=2").text
    assert second.count('<tr><th scope="row">') == 10 and "l59@example.org" in second
    top = client.get(f"/classes/{cid}/gradebook?sort=attempts&order=desc").text
    emails = re.findall(r"(l\d\d)@example.org</a></th>", top)
    assert emails[:3] == ["l03", "l07", "l11"]
    passed = client.get(f"/classes/{cid}/gradebook?exercise=mini/sum-quiz&status=passed").text
    assert "15 learners match" in passed  # n % 4 == 3
    assert (
        "15 learners match"
        in client.get(f"/classes/{cid}/gradebook?exercise=mini/sum-quiz&status=open").text
    )
    assert (
        "30 learners match"
        in client.get(f"/classes/{cid}/gradebook?exercise=mini/sum-quiz&status=tried").text
    )
    assert "1 learner match" in client.get(f"/classes/{cid}/gradebook?q=L07").text
    assert "0 learners match" in client.get(f"/classes/{cid}/gradebook?q=%25").text  # LIKE escaped
    assert (
        client.get(f"/classes/{cid}/gradebook?sort=bogus&order=x&status=zz&page=99").status_code
        == 200
    )
    rows = list(csv.reader(io.StringIO(client.get(f"/api/classes/{cid}/gradebook.csv").text)))
    assert len(rows) == 61
    assert not any("gone" in h for h in rows[0])
    by_email = {r[0]: r for r in rows[1:]}
    assert by_email["l03@example.org"][1:3] == ["1", "3"]
    data = client.get(f"/api/classes/{cid}/gradebook.json").json()
    assert len(data["learners"]) == 60
    assert any(e["course_id"] == "python-backend" for e in data["exercises"])


def test_who_needs_help_lists_idle_learners(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    created = make_class(client)
    cid = created["id"]
    learner = new_client(client)
    signup(learner, "idle@example.org")
    assert join(learner, created["join_code"]) == 200
    engine = app_context(client).db_engine
    with Session(engine) as db:
        member = db.exec(select(ClassMember)).one()
        member.joined_at = datetime.now(UTC) - timedelta(days=30)
        db.add(member)
        db.commit()
    help_page = client.get(f"/classes/{cid}/help?days=7").text
    assert "idle@example.org" in help_page and "nothing yet" in help_page
    assert client.get(f"/api/classes/{cid}/help").json()["idle"][0]["email"] == "idle@example.org"
    answer(learner, WRONG)
    assert (
        "idle@example.org"
        not in client.get(f"/classes/{cid}/help?days=7").text.split('id="idle-h"')[1]
    )


def test_gradebook_shows_skipped_exercises(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    created = make_class(client)
    cid = created["id"]
    learner = new_client(client)
    signup(learner, "skipper@example.org")
    assert join(learner, created["join_code"]) == 200
    r = learner.post(
        "/courses/mini/exercises/add-function/skip",
        data={"csrf_token": csrf(learner)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    cells = client.get(f"/api/classes/{cid}/gradebook.json").json()["learners"][0]["cells"]
    assert cells["mini/add-function"]["status"] == "skipped"
    assert cells["mini/sum-quiz"]["status"] == "open"
    url = f"/classes/{cid}/gradebook?exercise=mini/add-function"
    assert "1 learner match" in client.get(f"{url}&status=skipped").text
    assert "0 learners match" in client.get(f"{url}&status=open").text
    answer(learner, WRONG)
    assert (
        "0 learners match"
        in client.get(f"/classes/{cid}/gradebook?exercise=mini/sum-quiz&status=skipped").text
    )


def test_duplicate_course_bundled_or_not(client: TestClient, settings: WebSettings) -> None:
    signup_instructor(client, "teacher@example.org")
    assert settings.courses_dir is not None
    page = client.get("/instructor/courses/scripts-to-applications/edit").text
    assert "Duplicate course" in page and 'value="scripts-to-applications-copy"' in page
    token = csrf(client)
    r = client.post(
        "/instructor/courses/scripts-to-applications/duplicate",
        data={"csrf_token": token, "new_id": "my-scripts", "title": "My <scripts>"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(
        "/instructor/courses/my-scripts/edit"
    )
    assert "This is your copy" in client.get(r.headers["location"]).text
    assert (settings.courses_dir / "my-scripts" / "course.yaml").is_file()
    assert not any(
        p.name.startswith(".") and any(p.iterdir())
        for p in settings.courses_dir.iterdir()
        if p.is_dir()
    )
    assert "My &lt;scripts&gt;" in client.get("/").text
    assert client.get("/courses/my-scripts").status_code == 200
    # the copy is editable (not bundled); the original is untouched
    edit = client.get("/instructor/courses/my-scripts/edit").text
    assert "read-only" not in edit and "Validate and save" in edit
    for bad, status in (("my-scripts", 400), ("mini", 400), ("Bad Id", 400), ("../x", 400)):
        r = client.post(
            "/instructor/courses/mini/duplicate", data={"csrf_token": token, "new_id": bad}
        )
        assert r.status_code == status, bad
    assert (
        client.post(
            "/instructor/courses/nope/duplicate", data={"csrf_token": token, "new_id": "x"}
        ).status_code
        == 404
    )
    learner = new_client(client)
    signup(learner, "l@example.org")
    r = learner.post(
        "/instructor/courses/mini/duplicate", data={"csrf_token": csrf(learner), "new_id": "mine"}
    )
    assert r.status_code == 403


def test_a_course_folder_added_while_serving_is_found() -> None:
    """Another worker's duplicate appears in this worker's store (polling fallback)."""
    import tempfile
    from pathlib import Path

    from curriculum import bundled_course_dirs
    from curriculum.copying import copy_course
    from web.courses import CourseStore

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = CourseStore(
            {},
            interval=0,
            discover=lambda: {p.name: p for p in root.iterdir() if (p / "course.yaml").is_file()},
            root=root,
        )
        assert store.ids() == []
        copy_course(
            bundled_course_dirs()["scripts-to-applications"], root / "late", course_id="late"
        )
        store.refresh(force=True)
        assert store.ids() == ["late"]


def test_a_deadline_with_a_zone_is_kept_as_that_instant(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    created = make_class(client)
    learner = new_client(client)
    signup(learner, "learner@example.org")
    assert join(learner, created["join_code"]) == 200
    r = client.put(
        f"/api/classes/{created['id']}/deadlines",
        json={
            "course_id": "mini",
            "exercise_id": "sum-quiz",
            "due_at": "2999-01-02T12:00:00+02:00",
        },
        headers=api_token(client),
    )
    assert r.status_code == 204
    # 12:00 at +02:00 is 10:00 UTC, on SQLite (no zone in the column) and PostgreSQL alike
    assert "Due 2999-01-02 10:00 UTC" in learner.get("/courses/mini/exercises/sum-quiz").text


def test_wrong_join_codes_are_limited_per_account_and_per_address(
    settings: WebSettings,
) -> None:
    """Three wrong codes an hour per account, five per address (here): beyond them 429 with
    Retry-After, even for the right code; right codes count for nothing."""
    limited = settings.model_copy(
        update={"join_failures_per_hour": 3, "join_failures_per_address_per_hour": 5}
    )
    app = create_app(limited)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as teacher:
            signup_instructor(teacher, "t@example.org")
            code = make_class(teacher)["join_code"]

            def learner(email: str, address: str) -> TestClient:
                c = TestClient(app, base_url="http://127.0.0.1", client=(address, 50000))
                signup(c, email)
                return c

            a = learner("a@example.org", "10.0.0.1")
            assert [join(a, "NOPE1234") for _ in range(3)] == [400, 400, 400]
            refused = a.post("/api/classes/join", json={"code": code}, headers=api_token(a))
            assert refused.status_code == 429
            assert 3000 < int(refused.headers["Retry-After"]) <= 3600
            assert "wrong class codes" in refused.json()["detail"]
            page = a.post("/classes/join", data={"csrf_token": csrf(a), "code": code})
            assert page.status_code == 429 and "Retry-After" in page.headers

            b = learner("b@example.org", "10.0.0.1")  # the same address: its own account
            assert [join(b, code) for _ in range(4)] == [200, 200, 200, 200]
            assert [join(b, "NOPE1234"), join(b, "NOPE5678")] == [400, 400]
            c = learner("c@example.org", "10.0.0.1")  # the address has had its five
            assert join(c, code) == 429

            d = learner("d@example.org", "10.0.0.2")  # elsewhere: unaffected
            assert join(d, code) == 200
            assert [join(d, "NOPE1234") for _ in range(4)] == [400, 400, 400, 429]
    finally:
        context_of(app).db_engine.dispose()
