"""Every control a person can click, clicked in Chromium, with JavaScript on and off.

For each role (an anonymous visitor, a learner, an instructor) the crawler (``crawl.py``)
follows the in-app links from the role's start pages, one page per route pattern (per
course, and per kind of exercise), and on each page clicks every link and fills and
submits every form; nothing may answer 500 or more, 404 or 405, log a script or console
error, or say it could not do what was asked. The destructive controls (log out, delete a
learner, remove a class member, archive a class) are checked afterwards, through their
confirmation flows. Each run writes what it clicked and what happened to
``test-artifacts/crawl/ROLE-MODE.jsonl`` (and prints it on failure); the run fails if it
no longer reaches the key controls (``KEY_CONTROLS``).

The tutor talks to the fake OpenAI-compatible server, so the instructor has replies to
flag."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import Route

import web.routes
from curriculum.registry import Catalogue
from tests.e2e.crawl import Crawler, Outcome, Site, write_report
from tests.tutor.fake_openai import FakeOpenAI
from tests.web.server import CSRF_RE, Browser, Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "correct horse 1"
TEACHER = "teacher@example.org"
ASSISTANT = "assistant@example.org"
COURSES = Path(__file__).resolve().parents[1] / "web" / "courses"
# Every page of these courses is visited (one per pattern); of the other courses, one.
DEEP = {"anonymous": {"mini"}, "learner": {"mini", "python-backend"}, "instructor": {"mini"}}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "crawl"
# The controls each role must reach: patterns of the names the crawl records (the label,
# `` #id`` when the control has an id, then the variant).
KEY_CONTROLS = {
    "anonymous": [
        "Log in",
        "Create account",
        "Sign up",
        "Dark mode #theme-toggle",
        "download Section 1 as a notebook",
    ],
    "learner": [
        "Ask",
        "Shorter",
        "Quiz me",
        "Clear conversation",
        "Help #help-button",
        r"Check #check-button \(wrong answer\)",
        r"Check #check-button \(right answer\)",
        "Run #run-button",
        "Save draft #draft-button",
        "Reset to starter",
        "Skip for now #skip-button",
        "Next point → #next-link",
        r"Next: practise .* #next-link",
        "← Previous #prev-link",
        r"Check answers #check-button \(wrong answer\)",
        r"Check answers #check-button \(right answer\)",
        "Commit and see the model answer #check-button",
        "download Section 1 as a notebook",
        "Grade",
        "Join",
        "Join the class",
    ],
    "instructor": [
        "Validate and save",
        "Preview as a learner #preview-button",
        "Duplicate course #duplicate-submit",
        "Add the point #add-point",
        "Add the exercise #add-exercise",
        "Export progress as CSV",
        "Create the class",
        "Copy the invite link #copy-invite",
        "Gradebook #gradebook-link",
        "Download CSV",
        "Apply",
        "Save the courses",
        "Set the deadline",
        "Add the assistant",
        "Make a password reset link",
        "Flag",
        "Remove flag",
        "Export their data \\(JSON\\) #export-link",
    ],
}


@dataclass
class App:
    server: Server
    site: Site
    invite: str
    join_code: str
    throwaways: dict[str, int]  # per mode: a learner in the class, to remove and delete


def _cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        input=PASSWORD + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _routes() -> list[str]:
    """Every route's path template: the routers of ``web.routes`` (the app includes each
    without a prefix), their plain routes (matched before them) and FastAPI's own pages."""
    paths = ["/docs", "/docs/oauth2-redirect", "/openapi.json"]
    for module in pkgutil.iter_modules(web.routes.__path__):
        routes = importlib.import_module(f"web.routes.{module.name}")
        for r in [*routes.router.routes, *getattr(routes, "plain_routes", [])]:
            paths += [r.path] if isinstance(r, Route) else []
    return paths


def _class(url: str) -> tuple[str, str]:
    with httpx.Client(base_url=url) as c:
        token = CSRF_RE.search(c.get("/login").text)
        assert token
        data = {"email": TEACHER, "password": PASSWORD, "csrf_token": token.group(1)}
        assert c.post("/login", data=data).status_code == 303
        csrf = c.get("/api/csrf").json()["token"]
        r = c.post(
            "/api/classes",
            json={"name": "Crawled class", "courses": ["mini", "python-backend"]},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["invite_url"]), str(r.json()["join_code"])


def _throwaway(mode: str) -> str:
    return f"throwaway-{mode}@example.org"


def _signup(url: str, email: str, join: str = "") -> int:
    """A learner account (in the class when ``join`` is its code); its id."""
    b = Browser(url)
    try:
        b.signup(email)
        if join:
            csrf = {"X-CSRF-Token": b.token()}
            r = b.http.post("/api/classes/join", json={"code": join}, headers=csrf)
            assert r.status_code == 200, r.text
        return int(b.http.get("/api/me").json()["id"])
    finally:
        b.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    root = tmp_path_factory.mktemp("every-control")
    shutil.copytree(COURSES, root / "courses")
    with FakeOpenAI() as fake:
        env = {
            "TUTOR_DATA_DIR": str(root / "data"),
            "DATABASE_URL": "",
            "TUTOR_COURSES_DIR": str(root / "courses"),
            "TUTOR_MODEL": "fake",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "x",
            "TUTOR_REQUESTS_PER_MINUTE": "1000",
            "TUTOR_ATTEMPTS_PER_MINUTE": "1000",
            "TUTOR_RUNS_PER_MINUTE": "1000",
            "TUTOR_DRAFTS_PER_MINUTE": "1000",
        }
        _cli(env, "user", "create", TEACHER, "--instructor", "--password-stdin")
        server = Server(env).start()
        invite, code = _class(server.url)
        for email in ("learner-js@example.org", "learner-nojs@example.org", ASSISTANT):
            _signup(server.url, email)
        throwaways = {m: _signup(server.url, _throwaway(m), code) for m in ("js", "nojs")}
        catalogue = Catalogue.bundled(root / "courses")
        courses = {i: c for i in catalogue.ids() if (c := catalogue.course(i)) is not None}
        site = Site.of(server.url, _routes(), courses, deep=())
        yield App(server, site, invite, code, throwaways)
        server.stop()


def _login(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert email in page.inner_text("header")


def _notebook(app: App, tmp_path: Path) -> Path:
    """A notebook to upload: the first section of the mini course, as downloaded."""
    path = tmp_path / "mini-basics.ipynb"
    path.write_bytes(httpx.get(f"{app.server.url}/courses/mini/sections/basics/notebook").content)
    return path


ROLES = [
    ("anonymous", True),
    ("anonymous", False),
    ("learner", True),
    ("learner", False),
    ("instructor", True),
    ("instructor", False),
]
ROLE_IDS = [f"{role}-{'js' if js else 'nojs'}" for role, js in ROLES]


@pytest.mark.parametrize(("role", "js"), ROLES, ids=ROLE_IDS)
def test_every_control(
    browser: Any, app: App, screenshots: Path, tmp_path: Path, role: str, js: bool
) -> None:
    mode = "js" if js else "nojs"
    url = app.server.url
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    if js:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    values: dict[str, str] = {"code": app.join_code}
    starts = ["/", "/login", "/signup"]
    if role == "learner":
        email = f"learner-{mode}@example.org"
        starts = ["/", app.invite, "/courses/mini"]
    elif role == "instructor":
        email = TEACHER
        values["/classes/{class_id}/assistants email"] = ASSISTANT
        starts = ["/", "/instructor", "/classes", "/instructor/courses/mini/edit"]
    else:
        email = ""
        values["/login email"] = "learner-js@example.org"  # a known account: it logs in
    crawler = Crawler(
        context,
        app.site.deepening(DEEP[role]),
        role=role,
        js=js,
        values=values,
        notebook=_notebook(app, tmp_path),
        shots=screenshots,
    )
    if email:
        _login(crawler.page, url, email)
    outcomes = crawler.crawl(starts)
    context.close()
    _assert_clean(outcomes, role, mode, tmp_path)


NOT_USED = ("disabled", "hidden", "left to", "external", "in-page")


def _assert_clean(outcomes: list[Outcome], role: str, mode: str, tmp_path: Path) -> None:
    report = write_report(outcomes, ARTIFACTS / f"{role}-{mode}.jsonl")
    (tmp_path / "report.txt").write_text(report, encoding="utf-8")
    failed = [o for o in outcomes if o.problems]
    assert not failed, f"{len(failed)} controls failed ({ARTIFACTS}):\n{report}"
    reached = [o.control for o in outcomes if not o.result.startswith(NOT_USED)]
    missing = [k for k in KEY_CONTROLS[role] if not any(re.fullmatch(k, r) for r in reached)]
    assert not missing, f"the crawl no longer reaches {sorted(missing)}:\n{report}"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_destructive_controls(browser: Any, app: App, screenshots: Path, js: bool) -> None:
    """Remove a class member, archive and restore the class, delete a learner (a wrong
    email first: nothing is deleted), then log out: each through its confirmation flow."""
    mode = "js" if js else "nojs"
    url, email, learner_id = app.server.url, _throwaway(mode), app.throwaways[mode]
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    crawler = Crawler(
        context, app.site, role="instructor", js=js, values={}, notebook=Path(), shots=screenshots
    )
    page = crawler.page
    _login(page, url, TEACHER)
    page.goto(f"{url}/classes")
    page.click("main >> text=Crawled class")
    class_page = page.url

    def remove() -> str:
        page.goto(f"{class_page}/gradebook")
        page.click(f"#gradebook button[aria-label='Remove {email} from the class']")
        return str(page.url)

    crawler.act("/classes/{class_id}/gradebook", "Remove", remove)
    assert email not in page.inner_text("#gradebook")

    def archive(label: str) -> Any:
        def click() -> str:
            page.goto(class_page)
            page.click(f"#archive-form >> text={label}")
            return str(page.url)

        return click

    crawler.act("/classes/{class_id}", "Archive the class", archive("Archive the class"))
    assert page.locator("#archive-form >> text=Restore the class").count() == 1
    crawler.act("/classes/{class_id}", "Restore the class", archive("Restore the class"))
    assert page.locator("#archive-form >> text=Archive the class").count() == 1

    def delete(typed: str) -> Any:
        def confirm() -> str:
            page.goto(f"{url}/instructor/learners/{learner_id}")
            page.click("#delete-link")
            page.fill("#confirm-email", typed)
            page.click("#delete-confirm")
            return str(page.url)

        return confirm

    confirmation = "/instructor/learners/{user_id}/delete"
    wrong = crawler.act(confirmation, "Delete (a wrong email typed)", delete("x@example.org"))
    assert "nothing was deleted" in page.inner_text("main"), wrong
    crawler.act(confirmation, "Delete the learner and all their data", delete(email))
    assert page.goto(f"{url}/instructor/learners/{learner_id}").status == 404

    def logout() -> str:
        page.goto(f"{url}/instructor")
        page.click("header >> text=Log out")
        return str(page.url)

    crawler.act("/instructor", "Log out", logout)
    assert "Log in" in page.inner_text("header")
    page.goto(f"{url}/instructor")
    assert "/login" in page.url
    context.close()
    outcomes = crawler.outcomes
    report = write_report(outcomes, ARTIFACTS / f"destructive-{mode}.jsonl")
    assert not [o for o in outcomes if o.problems], report
