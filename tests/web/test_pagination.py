"""Instructor lists are bounded: each page and list API answers one page, pages are
disjoint and together complete, page sizes are capped, the links navigate (without
JavaScript: plain ``<a href>``), bad paging parameters are 422s, and the downloads
stream every row (SQLite, and PostgreSQL when ``TUTOR_TEST_DATABASE_URL`` is set)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, signup_instructor
from web.models import (
    Attempt,
    ClassCourse,
    ClassMember,
    Classroom,
    ModelUsage,
    TutorCall,
    TutorFlag,
    User,
    utcnow,
)
from web.paging import MAX_PAGE_SIZE, PAGE_SIZE

NEXT_RE = re.compile(r'<a href="([^"]+)" rel="next"')
PREV_RE = re.compile(r'<a href="([^"]+)" rel="prev"')
LINK_RE = re.compile(r'<([^>]+)>; rel="(next|prev)"')


def _db(client: TestClient) -> Session:
    return Session(app_context(client).db_engine)


def _learners(client: TestClient, n: int, prefix: str = "l") -> list[int]:
    """``n`` learner accounts, ``{prefix}000@example.org`` on; their ids."""
    with _db(client) as db:
        users = [User(email=f"{prefix}{i:03d}@example.org", password_hash="x") for i in range(n)]
        db.add_all(users)
        db.commit()
        return [u.id or 0 for u in users]


def _calls(client: TestClient, user_id: int, n: int) -> list[int]:
    """``n`` recorded tutor calls of the learner, oldest first; their ids."""
    with _db(client) as db:
        calls = [
            TutorCall(
                user_id=user_id,
                course_id="mini",
                target_kind="point",
                target_id="plus",
                model="fake",
                guard="passed",
                prompt_hash="h",
                question=f"question number {i:03d}?",
                reply=f"reply {i:03d}",
            )
            for i in range(n)
        ]
        db.add_all(calls)
        db.commit()
        return [c.id or 0 for c in calls]


def _instructor(client: TestClient) -> int:
    signup_instructor(client, "teacher@example.org")
    with _db(client) as db:
        return db.exec(select(User.id).where(User.email == "teacher@example.org")).one() or 0


def _follow(
    client: TestClient, first: str, found: Callable[[str], list[str]], pattern: re.Pattern[str]
) -> list[list[str]]:
    """Each page's items, from ``first`` on, following its ``pattern`` link to the end."""
    pages = []
    url: str | None = first
    base = first.split("?")[0]
    while url is not None:
        r = client.get(url)
        assert r.status_code == 200, url
        pages.append(found(r.text))
        link = pattern.search(r.text)
        url = base + html.unescape(link.group(1)).split("#")[0] if link else None
        assert len(pages) < 50, "the links loop"
    return pages


def _links(r: Any) -> dict[str, str]:
    """The response's ``Link`` header: URL by relation (``r``: the test client's response)."""
    return {rel: url for url, rel in LINK_RE.findall(r.headers.get("link", ""))}


def _api_pages(client: TestClient, first: str) -> list[list[object]]:
    """Each page's JSON body, from ``first`` on, following the ``Link: rel="next"`` header."""
    pages: list[list[object]] = []
    url: str | None = first
    while url is not None:
        r = client.get(url)
        assert r.status_code == 200, url
        pages.append(r.json())
        url = _links(r).get("next")
        assert len(pages) < 50, "the links loop"
    return pages


def _disjoint_and_complete(pages: list[list[str]], expected: list[str], size: int) -> None:
    assert all(0 < len(p) <= size for p in pages), [len(p) for p in pages]
    assert len(pages[0]) == size and len(pages) > 1
    flat = [x for p in pages for x in p]
    assert len(flat) == len(set(flat))  # no row on two pages
    assert sorted(flat) == sorted(expected)  # every row on one


def _questions(text: str) -> list[str]:
    return re.findall(r"question number (\d+)\?", text)


def test_learner_tutor_conversations_page_by_keyset(client: TestClient) -> None:
    _instructor(client)
    [ann] = _learners(client, 1)
    _calls(client, ann, 2 * PAGE_SIZE + 7)
    expected = [f"{i:03d}" for i in range(2 * PAGE_SIZE + 7)]
    url = f"/instructor/learners/{ann}"
    older = _follow(client, url, _questions, NEXT_RE)
    _disjoint_and_complete(older, expected, PAGE_SIZE)
    assert older[0][-1] == expected[-1]  # the newest calls first (each page oldest first)
    assert older[-1][0] == expected[0]
    (to_second,) = NEXT_RE.findall(client.get(url).text)
    second_url = url + html.unescape(to_second).split("#")[0]
    (to_first,) = PREV_RE.findall(client.get(second_url).text)
    assert "calls_after=" in to_first
    assert _questions(client.get(url + html.unescape(to_first).split("#")[0]).text) == older[0]
    # a call recorded meanwhile does not shift the older pages
    _calls(client, ann, 1)
    assert _questions(client.get(second_url).text) == older[1]


def test_the_attempts_pager_keeps_the_conversation_page(client: TestClient) -> None:
    _instructor(client)
    [ann] = _learners(client, 1)
    with _db(client) as db:
        db.add_all(
            Attempt(user_id=ann, course_id="mini", exercise_id="add-function", kind="code")
            for _ in range(55)
        )
        db.commit()
    call_ids = _calls(client, ann, PAGE_SIZE + 5)
    page = client.get(f"/instructor/learners/{ann}?calls_before={call_ids[-1]}").text
    attempts_next = re.findall(r'<a href="([^"]+)" rel="next">Older attempts', page)
    assert attempts_next == [f"?calls_before={call_ids[-1]}&amp;page=2#attempts-h"]


def test_tutor_conversations_api_gives_cursors_and_caps_the_limit(client: TestClient) -> None:
    _instructor(client)
    [ann] = _learners(client, 1)
    _calls(client, ann, 30)
    api = f"/api/instructor/learners/{ann}/tutor"
    pages = _api_pages(client, f"{api}?limit=12")
    questions = [
        [ex["call"]["question"] for c in page for ex in c["exchanges"]]  # type: ignore[index]
        for page in pages
    ]
    assert [len(q) for q in questions] == [12, 12, 6]
    flat = [q for page in questions for q in page]
    assert sorted(flat) == [f"question number {i:03d}?" for i in range(30)]
    second = client.get(_links(client.get(f"{api}?limit=12"))["next"])
    prev = _links(second)["prev"]
    assert "after=" in prev and "limit=12" in prev
    assert client.get(f"{api}?limit={MAX_PAGE_SIZE + 1}").status_code == 422
    for bad in ("0", "-1", "abc", "99999999999", "1e3"):
        assert client.get(f"{api}?before={bad}").status_code == 422, bad
        assert client.get(f"/instructor/learners/{ann}?calls_before={bad}").status_code == 422
        assert client.get(f"/instructor/learners/{ann}?page={bad}").status_code == 422


def test_flags_page_and_api_page_by_keyset(client: TestClient) -> None:
    teacher = _instructor(client)
    [ann] = _learners(client, 1)
    call_ids = _calls(client, ann, PAGE_SIZE + 9)
    with _db(client) as db:
        db.add_all(TutorFlag(call_id=c, instructor_id=teacher, note=f"n{c}") for c in call_ids)
        db.commit()
    pages = _follow(client, "/instructor/flags", _questions, NEXT_RE)
    _disjoint_and_complete(pages, [f"{i:03d}" for i in range(PAGE_SIZE + 9)], PAGE_SIZE)
    api_pages = _api_pages(client, "/api/instructor/tutor-flags?limit=20")
    assert [len(p) for p in api_pages] == [20, 20, PAGE_SIZE + 9 - 40]
    both = [f["call"]["id"] for p in api_pages for f in p]  # type: ignore[index]
    assert both == sorted(call_ids, reverse=True)  # newest flag first, each once


def test_dashboard_model_usage_pages(client: TestClient) -> None:
    _instructor(client)
    ids = _learners(client, PAGE_SIZE + 3, prefix="u")
    with _db(client) as db:
        db.add_all(ModelUsage(user_id=i, course_id="mini", model="m", prompt_tokens=1) for i in ids)
        db.commit()

    def emails(text: str) -> list[str]:
        return re.findall(r"<td>(u\d+@example.org)</td>", text)

    pages = _follow(client, "/instructor", emails, NEXT_RE)
    _disjoint_and_complete(pages, [f"u{i:03d}@example.org" for i in range(len(ids))], PAGE_SIZE)
    assert "back to the first page" in client.get("/instructor?page=9").text
    assert client.get("/instructor?page=0").status_code == 422


def _class_with(client: TestClient, teacher: int, learners: list[int]) -> int:
    with _db(client) as db:
        room = Classroom(name="Big class", owner_id=teacher, join_code="BIGCLASS1")
        db.add(room)
        db.flush()
        assert room.id is not None
        db.add(ClassCourse(class_id=room.id, course_id="mini"))
        long_ago = utcnow() - timedelta(days=30)
        db.add_all(ClassMember(class_id=room.id, user_id=u, joined_at=long_ago) for u in learners)
        db.commit()
        return room.id


def test_who_needs_help_pages_both_lists(client: TestClient) -> None:
    teacher = _instructor(client)
    stuck = _learners(client, PAGE_SIZE + 4, prefix="s")
    idle = _learners(client, PAGE_SIZE + 2, prefix="i")
    cid = _class_with(client, teacher, stuck + idle)
    with _db(client) as db:
        db.add_all(
            Attempt(user_id=u, course_id="mini", exercise_id="add-function", kind="code")
            for u in stuck
            for _ in range(3)
        )
        db.commit()

    def rows(prefix: str) -> Callable[[str], list[str]]:
        return lambda text: re.findall(rf">({prefix}\d+@example.org)</a></th>", text)

    url = f"/classes/{cid}/help"
    stuck_pages = _follow(
        client, url, rows("s"), re.compile(r'<a href="([^"]+#stuck-h)" rel="next"')
    )
    _disjoint_and_complete(stuck_pages, [f"s{i:03d}@example.org" for i in range(54)], PAGE_SIZE)
    first = client.get(url).text
    idle_next = re.findall(r'<a href="([^"]+#idle-h)" rel="next"', first)
    assert len(idle_next) == 1
    second_idle = client.get(url + html.unescape(idle_next[0]).split("#")[0]).text
    first_idle = set(rows("i")(first))
    assert len(first_idle) == PAGE_SIZE
    assert first_idle.isdisjoint(rows("i")(second_idle))
    assert len(first_idle | set(rows("i")(second_idle))) == PAGE_SIZE + 2
    assert set(rows("s")(second_idle)) == set(rows("s")(first))  # the other list stays put

    api = client.get(f"/api/classes/{cid}/help").json()
    assert len(api["stuck"]) == PAGE_SIZE and api["next_stuck_page"] == 2
    assert len(api["idle"]) == PAGE_SIZE and api["next_idle_page"] == 2
    more = client.get(f"/api/classes/{cid}/help?stuck_page=2&idle_page=2").json()
    assert len(more["stuck"]) == 4 and more["next_stuck_page"] is None
    assert len(more["idle"]) == 2 and more["next_idle_page"] is None
    assert {s["email"] for s in api["stuck"]}.isdisjoint({s["email"] for s in more["stuck"]})
    assert client.get(f"/api/classes/{cid}/help?stuck_page=0").status_code == 422
    assert client.get(f"{url}?idle_page=x").status_code == 422


def test_course_learners_api_links_and_limit(client: TestClient) -> None:
    _instructor(client)
    ids = _learners(client, 25)
    with _db(client) as db:
        db.add_all(
            Attempt(user_id=u, course_id="mini", exercise_id="add-function", kind="code")
            for u in ids
        )
        db.commit()
    pages = _api_pages(client, "/api/instructor/courses/mini/learners?limit=10")
    assert [len(p) for p in pages] == [10, 10, 5]
    seen = [row["email"] for p in pages for row in p]  # type: ignore[index]
    assert seen == [f"l{i:03d}@example.org" for i in range(25)]
    api = "/api/instructor/courses/mini/learners"
    assert client.get(f"{api}?limit={MAX_PAGE_SIZE + 1}").status_code == 422
    assert client.get(f"{api}?page=0").status_code == 422
    assert client.get(f"{api}?page=10").json() == []


def test_class_learner_attempts_links_navigate(client: TestClient) -> None:
    teacher = _instructor(client)
    [ann] = _learners(client, 1)
    cid = _class_with(client, teacher, [ann])
    with _db(client) as db:
        attempts = [
            Attempt(
                user_id=ann,
                course_id="mini",
                exercise_id="add-function",
                kind="code",
                submission=f"# attempt {i:03d}",
            )
            for i in range(2 * 50 + 3)
        ]
        db.add_all(attempts)
        db.commit()
    expected = [f"{i:03d}" for i in range(103)]

    def found(text: str) -> list[str]:
        return re.findall(r"<code># attempt (\d+)</code>", text)

    for url in (f"/classes/{cid}/learners/{ann}", f"/instructor/learners/{ann}"):
        pages = _follow(client, url, found, NEXT_RE)
        _disjoint_and_complete(pages, expected, 50)


def test_downloads_stream_every_row(client: TestClient) -> None:
    """More learners than a chunk of each download (200), and more rows of one table
    than a chunk of the learner export (500)."""
    teacher = _instructor(client)
    ids = _learners(client, 205)
    cid = _class_with(client, teacher, ids)
    with _db(client) as db:
        db.add_all(
            Attempt(user_id=u, course_id="mini", exercise_id="add-function", kind="code")
            for u in ids
        )
        db.add_all(
            Attempt(user_id=ids[0], course_id="mini", exercise_id="add-function", kind="code")
            for _ in range(520)
        )
        db.commit()
    emails = [f"l{i:03d}@example.org" for i in range(205)]

    progress = list(csv.reader(io.StringIO(client.get("/instructor/courses/mini/export.csv").text)))
    assert progress[0][0] == "email" and [r[0] for r in progress[1:]] == emails

    for prefix in (f"/classes/{cid}", f"/api/classes/{cid}"):
        r = client.get(f"{prefix}/gradebook.csv")
        assert "attachment" in r.headers["content-disposition"]
        book = list(csv.reader(io.StringIO(r.text)))
        assert book[0][0] == "email" and [r[0] for r in book[1:]] == emails
        data = json.loads(client.get(f"{prefix}/gradebook.json").text)
        assert data["name"] == "Big class" and data["exercises"]
        assert [r["email"] for r in data["learners"]] == emails
        assert data["learners"][0]["cells"]["mini/add-function"]["attempts"] == 521

    for url in (
        f"/instructor/learners/{ids[0]}/export.json",
        f"/api/instructor/learners/{ids[0]}/export",
    ):
        export = json.loads(client.get(url).text)
        assert export["learner"]["email"] == emails[0]
        attempt_ids = [a["id"] for a in export["tables"]["attempt"]]
        assert len(attempt_ids) == 521 and len(set(attempt_ids)) == 521
        assert attempt_ids == sorted(attempt_ids)
        assert export["tables"]["progress_event"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/instructor?page=-3",
        "/instructor/courses/mini?page=abc",
        "/instructor/flags?before=0",
        "/instructor/flags?after=2147483648",
        "/api/instructor/tutor-flags?limit=0",
        "/api/instructor/courses/mini/learners?limit=1000000",
    ],
)
def test_bad_paging_values_are_422_not_500(client: TestClient, path: str) -> None:
    _instructor(client)
    csrf(client)
    assert client.get(path).status_code == 422
