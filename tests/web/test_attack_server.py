"""Attacks beyond issue 11's table, against one real ``tutor serve`` on loopback.

Each test is what a hostile learner (or a hostile web page a signed-in instructor
visits) would try: state-changing requests without the CSRF token, traversal in every
id and file name, malformed JSON on every API route, bad ids, script in everything a
learner can write, a planted session cookie, redirects off-site, a reset link used
twice at once, a check edited in the browser that goes looking for the server's
secret.  The routes are read from the routers themselves, so a new route is attacked
as soon as it exists.  docs/security-tests.md maps each of these to what it proves.
"""

from __future__ import annotations

import csv
import html
import importlib
import io
import json
import os
import pkgutil
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute

import web.routes
from tests.tutor.fake_openai import FakeOpenAI
from tests.web.conftest import COURSES, PG_URL
from tests.web.server import Browser, Server
from web.deps import SAFE_METHODS

pytestmark = pytest.mark.slow

SECRET = "server-secret-for-the-attack-tests"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SETUP_RE = re.compile(r"setup token ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})")
PASSWORD = "correct horse 1"


@dataclass
class Site:
    server: Server
    data: Path
    courses: Path
    teacher: Browser
    learner: Browser
    learner_id: int
    class_id: int
    stranger: Browser  # signed in to nothing: holds a validly signed CSRF token of its own


def _instructor(server: Server, email: str) -> Browser:
    token = SETUP_RE.search(server.log.read_text())
    assert token, server.log.read_text()
    browser = Browser(server.url)
    r = browser.http.post(
        "/signup",
        data={
            "email": email,
            "password": PASSWORD,
            "setup_token": token.group(1),
            "csrf_token": browser.token(),
        },
    )
    assert r.status_code == 303, r.text
    return browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("attack-server")
    courses = root / "courses"
    shutil.copytree(COURSES, courses)
    data = root / "data"
    data.mkdir()
    (data / "session_secret").write_text(SECRET)
    env = {
        "TUTOR_DATA_DIR": str(data),
        "TUTOR_COURSES_DIR": str(courses),
        "DATABASE_URL": "",
        "TUTOR_MODEL": "",
        "TUTOR_ATTEMPTS_PER_MINUTE": "500",
    }
    server = Server(env, args=["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]).start()
    try:
        teacher = _instructor(server, "teacher@example.org")
        learner = Browser(server.url)
        learner.signup("learner@example.org")
        learner_id = int(learner.http.get("/api/me").json()["id"])
        made = teacher.http.post(
            "/api/classes",
            json={"name": "Class A", "courses": ["mini"]},
            headers={"x-csrf-token": teacher.token()},
        )
        assert made.status_code == 201, made.text
        joined = learner.http.post(
            "/api/classes/join",
            json={"code": made.json()["join_code"]},
            headers={"x-csrf-token": learner.token()},
        )
        assert joined.status_code < 300, joined.text
        stranger = Browser(server.url)
        yield Site(
            server, data, courses, teacher, learner, learner_id, int(made.json()["id"]), stranger
        )
        for browser in (teacher, learner, stranger):
            browser.close()
    finally:
        server.stop()


def _healthy(site: Site) -> None:
    assert httpx.get(f"{site.server.url}/healthz", timeout=30).status_code == 200


# --- every route, as the routers declare them -------------------------------------------


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    path: str
    body: bool  # takes a JSON or form body


def _routes() -> list[Route]:
    """Every route of every router module in ``web.routes`` (what the app includes), and
    the plain Starlette routes a module serves beside its router (``plain_routes``)."""
    found: list[Route] = []
    for info in pkgutil.iter_modules(web.routes.__path__):
        module = importlib.import_module(f"web.routes.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            found += [
                Route(frozenset(r.methods or ()), r.path, r.body_field is not None)
                for r in router.routes
                if isinstance(r, APIRoute)
            ]
        found += [
            Route(frozenset(r.methods or ()), r.path, False)
            for r in getattr(module, "plain_routes", [])
        ]
    return found


ROUTES = _routes()
STATE_CHANGING = sorted({(m, r.path) for r in ROUTES for m in r.methods - SAFE_METHODS})


def _fill(path: str, site: Site, **override: str) -> str:
    values = {
        "course_id": "mini",
        "exercise_id": "add-function",
        "point_id": "plus",
        "section_id": "basics",
        "class_id": str(site.class_id),
        "user_id": str(site.learner_id),
        "learner_id": str(site.learner_id),
        "member_id": str(site.learner_id),
        "call_id": "1",
        "token": "not-a-token",
        "code": "NOCODE",
    } | override
    filled = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    assert "{" not in filled, filled
    return filled


def test_the_route_list_is_the_apps() -> None:
    """The sweep below sees every state-changing route, page and JSON API alike."""
    paths = {p for _, p in STATE_CHANGING}
    assert {"/login", "/signup", "/logout", "/reset/{token}"} <= paths
    assert "/api/courses/{course_id}/exercises/{exercise_id}/check" in paths
    assert "/instructor/courses/{course_id}/edit" in paths
    assert "/api/instructor/learners/{user_id}" in paths  # DELETE
    assert len(STATE_CHANGING) >= 45


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING, ids=lambda v: str(v))
def test_every_state_changing_route_refuses_a_forged_request(
    site: Site, method: str, path: str
) -> None:
    """A page on another site can make the instructor's browser send this request with
    its cookies, but not with its CSRF token: no token, a token from another browser,
    or a JSON body sent as ``text/plain`` (what a cross-site form can do) are all 403."""
    url = _fill(path, site)
    teacher = site.teacher.http
    attacker_token = site.stranger.token()  # validly signed, another browser's
    forged = (
        {"data": {"email": "x@example.org", "password": PASSWORD, "content": "x"}},
        {"data": {"csrf_token": attacker_token, "email": "x@example.org"}},
        {"headers": {"x-csrf-token": attacker_token}, "json": {"source": "x"}},
        {"headers": {"content-type": "text/plain"}, "content": b'{"source": "x"}'},
    )
    for request in forged:
        r = teacher.request(method, url, **request)
        assert r.status_code == 403, (method, url, request, r.status_code, r.text[:200])
        assert "CSRF" in r.text


# --- traversal in ids and file names -----------------------------------------------------

TRAVERSALS = (  # a bare ".." segment is resolved by the client, as browsers do
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fsession_secret",
    "..%5C..%5Cetc%5Cpasswd",
    "mini%2F..%2F..%2Fdata",
    "%00",
    "mini%00",
    "con",
    "a" * 300,
)
LEAKS = ("root:x:0:0", SECRET, "def add(a, b):\n    return a + b")


def _no_leak(r: httpx.Response, what: str) -> None:
    assert r.status_code < 500, (what, r.status_code, r.text[:300])
    for leak in LEAKS[:2]:
        assert leak not in r.text, (what, leak)


@pytest.mark.parametrize("bad", TRAVERSALS)
def test_traversal_in_url_ids_finds_nothing(site: Site, bad: str) -> None:
    gets = sorted({r.path for r in ROUTES if "GET" in r.methods and "{" in r.path})
    for path in gets:
        for name in re.findall(r"\{(\w+)\}", path):
            url = _fill(path, site, **{name: bad})
            for who in (site.teacher, site.learner):
                r = who.http.get(url)
                _no_leak(r, url)
                assert r.status_code in (400, 403, 404, 422), (url, r.status_code, r.text[:200])
    _healthy(site)


@pytest.mark.parametrize(
    "name",
    [
        "../course.yaml",
        "../../data/session_secret",
        "/etc/passwd",
        "sections/../../mini/course.yaml",
        "sections/../../../data/session_secret",
        "sections/01-basics.yaml\x00.txt",
        "sections\\..\\..\\etc\\passwd",
        "./course.yaml/.",
    ],
)
def test_the_editor_opens_and_saves_only_the_courses_own_files(site: Site, name: str) -> None:
    teacher = site.teacher.http
    r = teacher.get("/instructor/courses/mini/edit", params={"file": name})
    _no_leak(r, name)
    assert r.status_code in (400, 404), (name, r.status_code)
    outside = site.courses.parent / "planted.yaml"
    for route in ("edit", "preview"):
        r = teacher.post(
            f"/instructor/courses/mini/{route}",
            data={
                "csrf_token": site.teacher.token(),
                "file": name,
                "content": "id: planted\n",
                "point": "plus",
            },
        )
        _no_leak(r, name)
        assert r.status_code in (400, 404), (route, name, r.status_code)
    assert not outside.exists()
    assert (site.data / "session_secret").read_text() == SECRET


@pytest.mark.parametrize(
    "reference",
    ["../../data/session_secret", "/etc/passwd", "../" * 12 + "etc/passwd", "../../courses"],
)
def test_a_file_reference_in_a_course_cannot_reach_outside_it(site: Site, reference: str) -> None:
    """``{file: PATH}`` in a course saved from the editor (or previewed) cannot read the
    server's files: the starter a learner would see is never the session secret."""
    name = "sections/01-basics.yaml"
    path = site.courses / "mini" / name
    section = path.read_text()
    starter = "    starter: |\n      def add(a, b):\n          pass\n"
    assert starter in section
    edited = section.replace(starter, f"    starter: {{file: {reference!r}}}\n")
    for route in ("edit", "preview"):
        r = site.teacher.http.post(
            f"/instructor/courses/mini/{route}",
            data={
                "csrf_token": site.teacher.token(),
                "file": name,
                "content": edited,
                "point": "plus",
            },
        )
        _no_leak(r, reference)
        assert "outside the course folder" in r.text, (route, r.status_code, r.text[:300])
    assert path.read_text() == section


@pytest.mark.parametrize("new_id", ["../escaped", "..", "a/b", "mini/../../x", "/tmp/x", "A"])
def test_a_duplicated_course_stays_in_the_courses_folder(site: Site, new_id: str) -> None:
    before = sorted(p.name for p in site.courses.parent.iterdir())
    r = site.teacher.http.post(
        "/instructor/courses/mini/duplicate",
        data={"csrf_token": site.teacher.token(), "new_id": new_id, "title": "x"},
    )
    assert r.status_code == 400, (new_id, r.status_code, r.text[:200])
    assert sorted(p.name for p in site.courses.parent.iterdir()) == before
    assert sorted(p.name for p in site.courses.iterdir()) == ["mini"]


def test_a_notebooks_file_name_is_not_a_path(site: Site) -> None:
    notebook = site.learner.http.get("/courses/mini/sections/basics/notebook").content
    for filename in ("../../../../tmp/owned.ipynb", "/etc/cron.d/x", "..\\..\\x.ipynb"):
        r = site.learner.http.post(
            "/courses/mini/sections/basics/notebook",
            files={"notebook": (filename, notebook, "application/x-ipynb+json")},
            data={"csrf_token": site.learner.token()},
        )
        assert r.status_code == 200, r.text[:300]  # graded as the notebook it is
    assert not Path("/tmp/owned.ipynb").exists()


def test_static_files_stay_in_the_static_folder(site: Site) -> None:
    for path in (
        "/static/..%2F..%2Fweb%2Fsettings.py",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fdata%2fsession_secret",
    ):
        r = httpx.get(site.server.url + path, timeout=30)
        _no_leak(r, path)
        assert r.status_code == 404, (path, r.status_code)


def test_file_parts_are_never_spooled_to_disk_outside_the_uploads(site: Site) -> None:
    """A signed-in learner's multipart body on a submission route gets 1 MiB at most
    (Starlette spools a larger file part to disk): a 1.5 MB file part is refused
    unread, while the editor's 200,000 characters still fit, even at 4 bytes each."""
    learner = site.learner
    draft = "/courses/mini/exercises/add-function/draft"
    js = {"x-tutor-draft": "1"}
    for route in ("draft", "check", "run"):
        r = learner.http.post(
            f"/courses/mini/exercises/add-function/{route}",
            data={"csrf_token": learner.token(), "source": "x"},
            files={"junk": ("junk.bin", b"\0" * 1_500_000, "application/octet-stream")},
            headers=js,
        )
        assert r.status_code == 413, (route, r.status_code, r.text[:200])
    widest = "def add(a, b):\n    return a + b\n#" + "\U0001d538" * 199_000
    r = learner.http.post(
        draft,
        data={"csrf_token": learner.token()},
        files={"source": (None, widest.encode())},
        headers=js,
    )
    assert r.status_code == 204, (r.status_code, r.text[:200])


# --- malformed bodies on every JSON route ------------------------------------------------

API_WRITES = sorted(
    {(m, r.path) for r in ROUTES if r.body and r.path.startswith("/api/") for m in r.methods}
)
MALFORMED = (  # not a JSON object of the route's fields: always a 4xx
    b"[" * 100_000,
    b'{"a":' * 50_000,
    b"\xff\xfe\x00",
    b'{"source": 1e999, "name": null, "courses": [1e999], "code": {"x": 1}, "archived": []}',
    b"null",
    b"",
    b'"' + b"x" * 200_000 + b'"',
)
ODD = (  # valid JSON that may be accepted: never a 5xx
    b'{"answers": {"two-plus-two": [[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]}}',
    b'{"deadlines": [{"exercise_id": "' + b"x" * 5000 + b'", "due": "9999-99-99"}]}',
    b'{"source": "\\ud800", "answers": {"\\ud800": "\\udfff"}, "name": "\\udfff"}',
    b'{"source": "\\u0000", "code": "\\u0000", "course_id": "\\u0000", "email": "\\u0000"}',
)


@pytest.fixture(scope="module")
def spare_class(site: Site) -> int:
    """A class of its own for the writes below (one of them archives it)."""
    made = site.teacher.http.post(
        "/api/classes",
        json={"name": "Spare", "courses": ["mini"]},
        headers={"x-csrf-token": site.teacher.token()},
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


@pytest.mark.parametrize(("method", "path"), API_WRITES, ids=lambda v: str(v))
def test_malformed_json_on_every_api_route_is_a_4xx(
    site: Site, spare_class: int, method: str, path: str
) -> None:
    url = _fill(path, site, class_id=str(spare_class))
    for who in (site.learner, site.teacher):
        headers = {"x-csrf-token": who.token(), "content-type": "application/json"}
        for body in MALFORMED + ODD:
            r = who.http.request(method, url, content=body, headers=headers)
            assert r.status_code < 500, (url, body[:40], r.status_code, r.text[:300])
            if body in MALFORMED:
                assert 400 <= r.status_code < 500, (url, body[:40], r.status_code, r.text[:300])
                assert r.headers["content-type"].startswith("application/json"), r.text[:200]
        too_big = b'{"source": "' + b"x" * (9 * 2**20) + b'"}'
        r = who.http.request(method, url, content=too_big, headers=headers)
        assert r.status_code == 413, (url, r.status_code)
    _healthy(site)


# --- bad ids ----------------------------------------------------------------------------

BAD_IDS = ("99999999999999999999999", "2147483648", "-1", "0", "1e3", "abc", "%C2%B9", "1%00")


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_numeric_ids_are_404_on_every_route(site: Site, bad: str) -> None:
    """Class, learner, member and tutor-call ids in every route, read or written."""
    numeric = ("class_id", "user_id", "learner_id", "member_id", "call_id")
    for route in ROUTES:
        names = [n for n in re.findall(r"\{(\w+)\}", route.path) if n in numeric]
        for name, method in ((n, m) for n in names for m in route.methods - {"HEAD"}):
            url = _fill(route.path, site, **{name: bad})
            headers = {"x-csrf-token": site.teacher.token()}
            r = site.teacher.http.request(method, url, headers=headers, json={})
            assert r.status_code in (404, 422), (method, url, r.status_code, r.text[:200])
            assert "Traceback" not in r.text


# --- script in everything a learner writes ----------------------------------------------


def _learner_writes_script_everywhere(site: Site) -> Browser:
    hostile = Browser(site.server.url)
    hostile.signup("hostile@example.org")
    token = hostile.token()
    join_code = site.teacher.http.get(f"/api/classes/{site.class_id}").json()["join_code"]
    hostile.http.post(
        "/api/classes/join", json={"code": join_code}, headers={"x-csrf-token": token}
    )
    source = (
        f"# </textarea></pre>{SCRIPT}\n"
        f"def add(a, b):\n    return {IMG!r}  # [phish](javascript:alert(1))\n"
    )
    for route in ("check", "run", "draft"):
        r = hostile.http.post(
            f"/courses/mini/exercises/add-function/{route}",
            data={"csrf_token": token, "source": source},
        )
        assert r.status_code < 500, (route, r.text[:300])
    r = hostile.http.post(
        "/api/courses/mini/exercises/sum-quiz/quiz",
        json={"answers": {"two-plus-two": SCRIPT}},
        headers={"x-csrf-token": token},
    )
    assert r.status_code < 500, r.text
    r = hostile.http.post(
        "/courses/mini/exercises/reflect/self-check",
        data={"csrf_token": token, "answer": f"{SCRIPT} {IMG} [x](javascript:alert(1))"},
    )
    assert r.status_code < 500, r.text
    for point in ("plus", "no-lesson"):
        hostile.http.post(
            f"/courses/mini/learn/{point}/tutor",
            data={"csrf_token": token, "action": "ask", "question": f"{SCRIPT}{IMG}"},
        )
    return hostile


def test_learner_text_is_escaped_on_every_page_that_shows_it(site: Site) -> None:
    hostile = _learner_writes_script_everywhere(site)
    me = int(hostile.http.get("/api/me").json()["id"])
    own = [
        "/courses/mini/exercises/add-function",
        "/courses/mini/exercises/reflect",
        "/courses/mini/learn/plus",
        "/courses/mini/learn/no-lesson",
        "/courses/mini/progress",
        "/progress",
    ]
    staff = [
        "/instructor",
        "/instructor/courses/mini",
        f"/instructor/learners/{me}",
        f"/instructor/learners/{me}/delete",
        "/instructor/flags",
        f"/classes/{site.class_id}",
        f"/classes/{site.class_id}/gradebook",
        f"/classes/{site.class_id}/help",
        f"/classes/{site.class_id}/learners/{me}",
    ]
    shown = 0
    for who, pages in ((hostile, own), (site.teacher, staff)):
        for page in pages:
            r = who.http.get(page)
            assert r.status_code == 200, (page, r.status_code)
            for raw in (SCRIPT, IMG, 'href="javascript:'):
                assert raw not in r.text, (page, raw)
            shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert shown >= 3  # the payload is on the pages, as text
    for api in (f"/api/instructor/learners/{me}/tutor", f"/api/instructor/learners/{me}/export"):
        r = site.teacher.http.get(api)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    hostile.close()


MARKUP_EMAIL = '"><img/src=x/onerror=alert(1)>@example.org'
FORMULA_EMAIL = '=hyperlink("//evil.example","open")@example.org'


def test_learner_emails_are_text_on_pages_and_in_spreadsheets(site: Site) -> None:
    """An email is almost free text: one with markup, one that starts a formula."""
    join_code = site.teacher.http.get(f"/api/classes/{site.class_id}").json()["join_code"]
    ids = []
    for email in (MARKUP_EMAIL, FORMULA_EMAIL):
        learner = Browser(site.server.url)
        learner.signup(email)
        token = {"x-csrf-token": learner.token()}
        learner.http.post("/api/classes/join", json={"code": join_code}, headers=token)
        learner.http.post(
            "/api/courses/mini/exercises/sum-quiz/quiz",
            json={"answers": {"two-plus-two": 0}},
            headers=token,
        )
        ids.append(int(learner.http.get("/api/me").json()["id"]))
        learner.close()
    teacher = site.teacher.http
    pages = [
        "/instructor/courses/mini",
        f"/classes/{site.class_id}",
        f"/classes/{site.class_id}/gradebook",
        f"/classes/{site.class_id}/help",
        *(f"/instructor/learners/{i}" for i in ids),
        *(f"/classes/{site.class_id}/learners/{i}" for i in ids),
    ]
    for page in pages:
        r = teacher.get(page)
        assert r.status_code == 200, (page, r.status_code)
        assert "<img/src=x" not in r.text, page
    assert "&lt;img/src=x/onerror=alert(1)&gt;" in teacher.get(pages[0]).text
    for sheet in ("/instructor/courses/mini/export.csv", f"/classes/{site.class_id}/gradebook.csv"):
        rows = list(csv.reader(io.StringIO(teacher.get(sheet).text)))
        cells = [cell for row in rows for cell in row]
        assert "'" + FORMULA_EMAIL in cells, sheet  # shown as text, never run
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], sheet


# --- sessions, redirects, one-time links -------------------------------------------------


def test_a_planted_session_cookie_is_replaced_at_login(site: Site) -> None:
    """Session fixation: a cookie set by an attacker before login never becomes a session."""
    owner = Browser(site.server.url)
    owner.signup("fixed@example.org")
    owner.close()
    planted = "attacker-chosen-session-value-0123456789abcdef"
    victim = httpx.Client(base_url=site.server.url)
    token = str(victim.get("/api/csrf").json()["token"])
    victim.cookies.set("tutor_session", planted, domain="127.0.0.1", path="/")
    form = {"email": "fixed@example.org", "password": PASSWORD, "csrf_token": token}
    r = victim.post("/login", data=form)
    assert r.status_code == 303
    issued = r.cookies.get("tutor_session")
    assert issued and issued != planted
    attacker = httpx.Client(base_url=site.server.url, cookies={"tutor_session": planted})
    assert attacker.get("/api/me").status_code == 401
    stolen = httpx.Client(base_url=site.server.url, cookies={"tutor_session": issued})
    assert stolen.get("/api/me").json()["email"] == "fixed@example.org"
    victim.post("/logout", data={"csrf_token": token})
    assert stolen.get("/api/me").status_code == 401  # logging out ends it everywhere
    again = victim.post("/login", data=form).cookies.get("tutor_session")
    assert again not in (None, issued, planted)
    for client in (attacker, stolen, victim):
        client.close()


def _off_site(server_url: str, location: str) -> bool:
    """Where a browser would go: tabs and newlines dropped, backslashes as slashes."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin(server_url + "/login", cleaned)).netloc != urlsplit(server_url).netloc


def _next_field(page: str) -> str:
    found = re.search(r'name="next" value="([^"]*)"', page)
    assert found, "the form keeps no next"
    return html.unescape(found.group(1))


NEXTS = (
    "//evil.example/x",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/%2F%2Fevil.example",
    "/\r\nLocation: https://evil.example",
)


def test_next_never_leads_off_site(site: Site) -> None:
    user = Browser(site.server.url)
    user.signup("redirect@example.org")
    for target in NEXTS:
        user.http.post("/logout", data={"csrf_token": user.token()})
        for page in ("/login", "/signup"):
            kept = _next_field(site.stranger.http.get(page, params={"next": target}).text)
            assert not _off_site(site.server.url, kept), (page, target, kept)
        r = user.http.post(
            "/login",
            data={
                "email": "redirect@example.org",
                "password": PASSWORD,
                "csrf_token": user.token(),
                "next": target,
            },
        )
        assert r.status_code == 303, (target, r.text[:200])
        location = r.headers["location"]
        assert not _off_site(site.server.url, location), (target, location)
        assert "\n" not in location and "\r" not in location
    user.close()


def test_a_reset_link_used_twice_at_once_works_once(site: Site) -> None:
    forgetful = Browser(site.server.url)
    forgetful.signup("twice@example.org")
    uid = int(forgetful.http.get("/api/me").json()["id"])
    r = site.teacher.http.post(
        f"/api/instructor/learners/{uid}/reset-link",
        headers={"x-csrf-token": site.teacher.token()},
    )
    assert r.status_code == 201, r.text
    path = urlsplit(r.json()["url"]).path
    users = [Browser(site.server.url) for _ in range(6)]
    tokens = [u.token() for u in users]

    def use(i: int) -> int:
        data = {"csrf_token": tokens[i], "password": f"new password {i}"}
        return users[i].http.post(path, data=data).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(use, range(6)))
    assert sorted(codes) == [200, 400, 400, 400, 400, 400], codes
    winner = codes.index(200)
    assert forgetful.http.get("/api/me").status_code == 401  # its sessions were ended
    for i in (winner, (winner + 1) % 6):  # the winner's password is the account's
        logged_in = Browser(site.server.url)
        r = logged_in.http.post(
            "/login",
            data={
                "email": "twice@example.org",
                "password": f"new password {i}",
                "csrf_token": logged_in.token(),
            },
        )
        assert r.status_code == (303 if i == winner else 400), (i, r.status_code)
        logged_in.close()
    assert users[0].http.get(path).status_code == 400  # spent
    for u in (forgetful, *users):
        u.close()


def _from(site: Site, address: str) -> Browser:
    """A browser whose requests arrive through the proxy from ``address``."""
    browser = Browser(site.server.url)
    browser.http.headers["x-forwarded-for"] = address
    return browser


def _login_status(browser: Browser, email: str, password: str) -> int:
    form = {"email": email, "password": password, "csrf_token": browser.token()}
    return browser.http.post("/login", data=form).status_code


def test_a_guesser_locks_out_only_themselves(site: Site) -> None:
    """Wrong passwords from the owner's own address and from elsewhere stop the guesser;
    the owner's browser, and a fresh browser at a third address, still log in."""
    email = "locked@example.org"
    owner = _from(site, "203.0.113.10")
    owner.signup(email)
    owner.http.post("/logout", data={"csrf_token": owner.token()})
    guessers = [_from(site, "203.0.113.10"), _from(site, "203.0.113.11")]
    for guesser in guessers:
        codes = [_login_status(guesser, email, f"guess {i}") for i in range(7)]
        assert codes == [400] * 5 + [429] * 2, codes
        assert _login_status(guesser, email, PASSWORD) == 429  # even the right one
    assert _login_status(owner, email, PASSWORD) == 303
    elsewhere = _from(site, "203.0.113.12")
    assert _login_status(elsewhere, email, PASSWORD) == 303
    for browser in (owner, elsewhere, *guessers):
        browser.close()


def test_cookies_are_secure_behind_an_https_proxy(site: Site) -> None:
    browser = Browser(site.server.url)
    form = {"email": "secure@example.org", "password": PASSWORD, "csrf_token": browser.token()}
    r = browser.http.post("/signup", data=form, headers={"x-forwarded-proto": "https"})
    assert r.status_code == 303, r.text[:300]
    cookies = r.headers.get_list("set-cookie")
    assert {c.split("=", 1)[0] for c in cookies} >= {"tutor_session", "tutor_device"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    browser.close()


def test_the_setup_token_is_spent_once_an_instructor_exists(site: Site) -> None:
    token = SETUP_RE.search(site.server.log.read_text())
    assert token
    late = Browser(site.server.url)
    r = late.http.post(
        "/signup",
        data={
            "email": "second-teacher@example.org",
            "password": PASSWORD,
            "setup_token": token.group(1),
            "csrf_token": late.token(),
        },
    )
    assert r.status_code == 400 and "setup token is not valid" in r.text
    assert 'name="setup_token"' not in late.http.get("/signup").text
    late.close()


# --- the server's own files, metrics, an answer larger than the editor allows -----------


def test_the_running_server_keeps_its_files_private(site: Site) -> None:
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(site.data) == 0o700
    for name in ("tutor.sqlite3", "session_secret"):
        assert mode(site.data / name) == 0o600, name


def test_metrics_are_refused_to_a_client_behind_the_proxy(site: Site) -> None:
    url = f"{site.server.url}/metrics"
    assert httpx.get(url, timeout=30).status_code == 200  # loopback itself
    remote = {"x-forwarded-for": "203.0.113.5"}
    assert httpx.get(url, headers=remote, timeout=30).status_code == 403


def test_a_notebook_answer_longer_than_the_editor_allows_is_refused(site: Site) -> None:
    learner = site.learner
    notebook = json.loads(learner.http.get("/courses/mini/sections/basics/notebook").text)
    answers = [c for c in notebook["cells"] if c["metadata"].get("tutor", {}).get("role")]
    answer = next(c for c in answers if c["metadata"]["tutor"]["role"] == "answer")
    answer["source"] = "def add(a, b):\n    return a + b\n#" + "x" * 200_000
    before = learner.http.get("/api/courses/mini/attempts").json()
    r = learner.http.post(
        "/courses/mini/sections/basics/notebook",
        files={"notebook": ("n.ipynb", json.dumps(notebook).encode(), "application/json")},
        data={"csrf_token": learner.token()},
    )
    assert r.status_code == 400, r.text[:300]
    assert "longer than 200,000 characters" in r.text
    assert learner.http.get("/api/courses/mini/attempts").json() == before


# --- a check edited in the browser, looking for the way out ------------------------------

ESCAPE = """
import os

def test_confined(submission):
    found = {}
    for path in (DATA + "/session_secret", DATA + "/tutor.sqlite3", "/proc/1/root" + DATA):
        try:
            with open(path, "rb") as fh:
                found[path] = fh.read(40)
        except OSError as exc:
            found[path] = type(exc).__name__
    with open("/proc/self/status") as fh:
        status = dict(line.split(":", 1) for line in fh if ":" in line)
    found["CapEff"] = status["CapEff"].strip()
    found["NoNewPrivs"] = status["NoNewPrivs"].strip()
    found["Seccomp"] = status["Seccomp"].strip()
    found["data dir"] = os.path.exists(DATA)
    expected = {
        DATA + "/session_secret": "FileNotFoundError",
        DATA + "/tutor.sqlite3": "FileNotFoundError",
        "/proc/1/root" + DATA: "FileNotFoundError",
        "CapEff": "0000000000000000",
        "NoNewPrivs": "1",
        "Seccomp": "2",
        "data dir": False,
    }
    assert found == expected, found
    assert submission.call("add", 2, 3) == 5
"""


def _with_checks(section: str, checks: str) -> str:
    indented = "".join(f"      {line}\n" if line else "\n" for line in checks.splitlines())
    start = section.index("    checks: |\n") + len("    checks: |\n")
    end = section.index("    hints:")
    return section[:start] + indented + section[end:]


def test_a_check_edited_in_the_browser_cannot_read_the_servers_secret(site: Site) -> None:
    """Issue 11, row 1, end to end: the instructor's editor saves a check that looks for
    the running server's data directory and privileges; a learner's check runs it."""
    name = "sections/01-basics.yaml"
    path = site.courses / "mini" / name
    section = path.read_text()
    path.chmod(0o640)
    checks = f"DATA = {str(site.data)!r}\n" + ESCAPE
    r = site.teacher.http.post(
        "/instructor/courses/mini/edit",
        data={
            "csrf_token": site.teacher.token(),
            "file": name,
            "content": _with_checks(section, checks),
        },
    )
    assert r.status_code == 200 and "Saved" in r.text, r.text[:500]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the save kept the file's mode
    try:
        r = site.learner.http.post(
            "/api/courses/mini/exercises/add-function/check",
            json={"source": "def add(a, b):\n    return a + b\n"},
            headers={"x-csrf-token": site.learner.token()},
            timeout=120,
        )
        assert r.status_code == 201, r.text
        verdict = json.loads(r.json()["verdict_json"])
        assert [c["name"] for c in verdict["checks"]] == ["test_confined"], verdict  # it ran
        assert r.json()["passed"], verdict["checks"][0]
    finally:
        restore = site.teacher.http.post(
            "/instructor/courses/mini/edit",
            data={"csrf_token": site.teacher.token(), "file": name, "content": section},
        )
        assert restore.status_code == 200


# --- fresh servers of their own ---------------------------------------------------------


def _env_name(setting: str) -> str:
    return setting.upper() if setting.startswith("openai_") else f"TUTOR_{setting.upper()}"


def _fresh(
    tmp_path: Path, database_url: str = "", courses: Path | None = COURSES, **settings: str
) -> Server:
    """A server of its own (``courses=None``: the bundled courses)."""
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": database_url,
        "TUTOR_MODEL": "",
    } | {_env_name(k): v for k, v in settings.items()}
    if courses is not None:
        env["TUTOR_COURSES_DIR"] = str(courses)
    return Server(env, args=["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]).start()


def _learner_from(server: Server, i: int) -> Browser:
    """A learner signing up from an address of its own (the sign-up limit is per address)."""
    browser = Browser(server.url)
    browser.http.headers["x-forwarded-for"] = f"198.51.100.{i}"
    browser.http.timeout = httpx.Timeout(180)
    browser.signup(f"waiting{i}@example.org")
    return browser


def test_checks_waiting_for_a_runner_hold_no_database_connection(tmp_path: Path) -> None:
    """60 learners' checks wait for one runner longer than the pool's 30 s timeout: were
    each holding a connection (SQLite's pool has 50), another learner's page would fail
    with a 500 once the pool timed out. It answers, and every check is graded or 503."""
    server = _fresh(tmp_path, grading_runners="1", grading_queue="100", grading_wait_s="40")
    learners: list[Browser] = []
    try:
        learners += [_learner_from(server, i) for i in range(61)]
        reader, waiting = learners[0], learners[1:]
        tokens = [b.token() for b in waiting]
        endless = "def add(a, b):\n    while True:\n        pass\n"

        def check(i: int) -> httpx.Response:
            return waiting[i].http.post(
                "/api/courses/mini/exercises/add-function/check",
                json={"source": endless},
                headers={"x-csrf-token": tokens[i]},
            )

        with ThreadPoolExecutor(len(waiting)) as pool:
            answers = [pool.submit(check, i) for i in range(len(waiting))]
            time.sleep(3)  # order only: the checks are queued first
            pages = [reader.http.get("/api/me") for _ in range(3)]
            statuses = sorted(a.result().status_code for a in answers)
        assert [p.status_code for p in pages] == [200, 200, 200]
        assert set(statuses) <= {201, 503}, statuses
        assert 503 in statuses  # most waited out their 40 s behind one runner
    finally:
        for browser in learners:
            browser.close()
        server.stop()


NUL = "\x00"


def _nul_everywhere(server: Server) -> dict[str, int]:
    """Every kind of text a visitor or learner sends, with a NUL character in it."""
    anonymous = Browser(server.url)
    token = anonymous.token()
    codes = {
        "login": anonymous.http.post(
            "/login",
            data={"email": f"a{NUL}@example.org", "password": PASSWORD, "csrf_token": token},
        ).status_code,
        "signup": anonymous.http.post(
            "/signup",
            data={"email": f"b{NUL}@example.org", "password": PASSWORD, "csrf_token": token},
        ).status_code,
    }
    anonymous.close()
    learner = Browser(server.url)
    learner.signup("nul@example.org")
    token = learner.token()
    source = f"def add(a, b):\n    return a + b  # {NUL}\n"
    code = "/courses/mini/exercises/add-function"
    for route in ("check", "run", "draft"):
        codes[route] = learner.http.post(
            f"{code}/{route}", data={"csrf_token": token, "source": source}
        ).status_code
    codes["api check"] = learner.http.post(
        f"/api{code}/check", json={"source": source}, headers={"x-csrf-token": token}
    ).status_code
    codes["self-check"] = learner.http.post(
        "/courses/mini/exercises/reflect/self-check",
        data={"csrf_token": token, "answer": f"an answer{NUL}"},
    ).status_code
    codes["quiz"] = learner.http.post(
        "/api/courses/mini/exercises/sum-quiz/quiz",
        json={"answers": {"two-plus-two": NUL}},
        headers={"x-csrf-token": token},
    ).status_code
    codes["tutor"] = learner.http.post(
        "/courses/mini/learn/plus/tutor",
        data={"csrf_token": token, "action": "ask", "question": f"why{NUL}?"},
    ).status_code
    codes["join"] = learner.http.post(
        "/api/classes/join", json={"code": f"ABCD{NUL}EFG"}, headers={"x-csrf-token": token}
    ).status_code
    learner.close()
    return codes


def _database(db: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The DATABASE_URL for a fresh server: "" (SQLite) or a migrated PostgreSQL schema."""
    if db != "postgres":
        return ""
    if not PG_URL:
        pytest.skip("needs TUTOR_TEST_DATABASE_URL (PostgreSQL)")
    database: str = request.getfixturevalue("pg_schema_url")
    upgrade = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "db", "upgrade"],
        env={**os.environ, "DATABASE_URL": database, "TUTOR_DATA_DIR": str(tmp_path / "d")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    return database


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_nul_character_in_any_text_is_never_a_500(
    tmp_path: Path, db: str, request: pytest.FixtureRequest
) -> None:
    """PostgreSQL stores no NUL in text: before this was handled, a NUL in the login
    form's email gave any visitor a 500, as did one in code, drafts and answers."""
    server = _fresh(tmp_path, database_url=_database(db, tmp_path, request))
    try:
        codes = _nul_everywhere(server)
    finally:
        server.stop()
    assert len(codes) == 10
    assert all(code < 500 for code in codes.values()), codes
    if db == "postgres":  # what PostgreSQL cannot store is refused, not half-done
        assert codes["login"] == codes["signup"] == codes["check"] == 400, codes


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_setup_token_makes_one_instructor_even_when_raced(
    tmp_path: Path, db: str, request: pytest.FixtureRequest
) -> None:
    server = _fresh(tmp_path, database_url=_database(db, tmp_path, request))
    try:
        token = SETUP_RE.search(server.log.read_text())
        assert token, server.log.read_text()
        racers = [Browser(server.url) for _ in range(6)]
        forms = [
            {
                "email": f"racer{i}@example.org",
                "password": PASSWORD,
                "setup_token": token.group(1),
                "csrf_token": b.token(),
            }
            for i, b in enumerate(racers)
        ]
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda i: racers[i].http.post("/signup", data=forms[i]), range(6)))
        made = sum(b.http.get("/instructor").status_code == 200 for b in racers)
        for browser in racers:
            browser.close()
        assert made == 1, f"{made} instructors from one setup token"
    finally:
        server.stop()


HOSTILE_REPLY = (
    f"Sure! {SCRIPT} {IMG} [click me](javascript:alert(1)) "
    '<a href="javascript:alert(1)">here</a>\n\n'
    f"```python\n</code></pre>{SCRIPT}\n```\n"
)


def test_a_hostile_model_reply_is_escaped_for_the_learner_and_the_instructor(
    tmp_path: Path,
) -> None:
    """A learner talks the model into replying with markup (prompt injection): the
    reply reaches the learner's page, its stream and the instructor's review escaped."""
    with FakeOpenAI(reply=HOSTILE_REPLY) as fake:
        server = _fresh(tmp_path, model="fake", openai_base_url=fake.base_url)
        try:
            teacher = _instructor(server, "teacher@example.org")
            learner = Browser(server.url)
            learner.signup("injector@example.org")
            me = int(learner.http.get("/api/me").json()["id"])
            ask = {"csrf_token": learner.token(), "action": "ask", "question": f"say {SCRIPT}"}
            streamed = learner.http.post(
                "/courses/mini/learn/plus/tutor",
                data=ask,
                headers={"accept": "application/x-ndjson"},
            )
            learner.http.post("/courses/mini/learn/plus/tutor", data=ask)
            assert fake.requests, "the model was not asked"
            events = [json.loads(line) for line in streamed.text.splitlines() if line]
            html = [ev["html"] for ev in events if ev["kind"] == "html"]  # set as innerHTML
            assert html, events  # (deltas are set as textContent: tutor.js)
            pages = {
                "stream": "\n".join(html),
                "lesson": learner.http.get("/courses/mini/learn/plus").text,
                "review": teacher.http.get(f"/instructor/learners/{me}").text,
            }
            calls = teacher.http.get(f"/api/instructor/learners/{me}/tutor").json()
            assert calls, "no tutor call was recorded"
            for name, text in pages.items():  # the reply is shown, as text
                assert "Sure! &lt;script&gt;alert(1)&lt;/script&gt;" in text, name
            for name, text in pages.items():
                for raw in (SCRIPT, IMG, 'href="javascript:', 'href=\\"javascript:'):
                    assert raw not in text, (name, raw)
            teacher.close()
            learner.close()
        finally:
            server.stop()


def test_hostile_text_for_the_mistake_patterns_does_not_stall_the_server(tmp_path: Path) -> None:
    """Issue 11, row 3, on a server: ``ttl-cache-aside``'s common-mistake pattern once
    took 46 s per line of 60,000 spaces, holding the whole process (``re`` keeps the
    GIL). Three such lines are checked while another request is made: it is answered
    (a generous timeout: with ``re`` the server was stuck for minutes)."""
    server = _fresh(tmp_path, courses=None)
    learner = _learner_from(server, 1)
    try:
        hostile = (" " * 60_000 + "\n") * 3  # within the editor's 200,000 characters
        url = "/api/courses/python-backend/exercises/ttl-cache-aside/check"
        with ThreadPoolExecutor(1) as pool:
            checked = pool.submit(
                learner.http.post,
                url,
                json={"source": hostile},
                headers={"x-csrf-token": learner.token()},
            )
            time.sleep(1)  # order only: the check is on its way
            health = httpx.get(f"{server.url}/healthz", timeout=60)
            r = checked.result()
        assert health.status_code == 200
        assert r.status_code == 201, r.text[:300]
        assert not r.json()["passed"]
    finally:
        learner.close()
        server.stop()


def test_attempts_runs_and_drafts_are_rate_limited_per_learner(tmp_path: Path) -> None:
    """Issue 11, row 10: attempts were unlimited. Past each per-minute limit, 429 with
    ``Retry-After``; another learner is not affected. (A Run also keeps the draft, so
    each kind is tried by a learner of its own.)"""
    server = _fresh(tmp_path, attempts_per_minute="2", runs_per_minute="2", drafts_per_minute="2")
    learners = [_learner_from(server, i) for i in range(4)]
    code = "/courses/mini/exercises/add-function"
    try:

        def quiz(browser: Browser) -> httpx.Response:
            return browser.http.post(
                "/api/courses/mini/exercises/sum-quiz/quiz",
                json={"answers": {"two-plus-two": 0}},
                headers={"x-csrf-token": browser.token()},
            )

        def post(browser: Browser, route: str) -> httpx.Response:
            form = {"csrf_token": browser.token(), "source": "print(1)"}
            return browser.http.post(f"{code}/{route}", data=form, headers={"x-tutor-draft": "1"})

        limited = {
            "quiz": [quiz(learners[0]) for _ in range(3)],
            "run": [post(learners[1], "run") for _ in range(3)],
            "draft": [post(learners[2], "draft") for _ in range(3)],
        }
        for kind, answers in limited.items():
            statuses = [r.status_code for r in answers]
            assert all(s < 300 for s in statuses[:2]) and statuses[2] == 429, (kind, statuses)
            assert int(answers[2].headers["retry-after"]) > 0, kind
        assert quiz(learners[3]).status_code == 201  # per learner
    finally:
        for browser in learners:
            browser.close()
        server.stop()
