"""A crawler that clicks every control of the app in Chromium, as one role, JS on or off.

It starts from a role's start pages and follows the in-app links breadth-first, visiting
one page per route pattern (per course, and per kind for exercises: see ``Site.key``).
On each page it clicks every link (once per target pattern), and fills and submits every
form button (once per page pattern and label; a code check and a quiz once with a wrong
and once with a right answer), each from a fresh load of the page, and judges what
happened (``Watch``): no response of 500 or more, no 404 or 405, no uncaught script
error or console error, no new "could not answer"-like text, and a real page after it.
Destructive controls (``DESTRUCTIVE``) are left to separate checks. Every outcome is
recorded (``Outcome``) so that a reviewer sees what was clicked and what happened.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError
from starlette.routing import compile_path

from curriculum.model import CodeExercise, Course, QuizExercise, SelfCheckExercise, source_text

Exercise = CodeExercise | QuizExercise | SelfCheckExercise

# Controls that end a session or delete or lock out data: the crawl records them and
# leaves them to checks that follow their confirmation flow (test_every_control.py).
DESTRUCTIVE = frozenset(
    {
        "Log out",
        "Delete the learner and all their data",
        "Remove",
        "Archive the class",
        "Restore the class",
    }
)
# Pages that are not the app's own (Swagger UI loads from a CDN; metrics are for scrapers).
NOT_CRAWLED = frozenset({"/docs", "/docs/oauth2-redirect", "/openapi.json", "/metrics"})
# Words on a page that say a control is broken (tutor.js, drafts.js, error pages).
# (Lessons may well say "Internal Server Error": statuses are judged by Watch.problems.)
BROKEN = re.compile(
    r"could not answer|connection to the tutor failed|Draft not saved", re.IGNORECASE
)
TRACE = bool(os.environ.get("TUTOR_CRAWL_TRACE"))  # print each outcome as it happens
SHOTS = bool(os.environ.get("TUTOR_CRAWL_SHOTS"))  # a screenshot after every control
# Statuses that say a control the page offered is broken (a 400 or 422 is the app
# refusing what was typed, with the form shown again and the problem said).
BROKEN_STATUS = frozenset({401, 403, 404, 405})
CONTROLS = "a[href], button, input[type=submit]"
DESCRIBE = """els => {
 const label = e => {
  const c = e.cloneNode(true);
  c.querySelectorAll('[aria-hidden=true]').forEach(x => x.remove());
  const text = c.textContent || e.value || e.getAttribute('aria-label') || '';
  return text.trim().replace(/\\s+/g, ' ');
 };
 return els.map(e => {
  const form = e.form || null;
  const attr = name => e.getAttribute(name);
  const absolute = url => new URL(url, location.href).href;
  // not for people: not rendered, or hidden from them (a form's Enter-key default button)
  const hidden = !(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
    || !!e.closest('[aria-hidden=true]');
  return {
    tag: e.tagName.toLowerCase(),
    label: label(e),
    chrome: !!e.closest('header.site-header, footer'),
    id: e.id || '',
    href: e.tagName === 'A' ? e.href : '',
    action: form ? absolute(attr('formaction') || form.getAttribute('action') || '') : '',
    method: form ? (attr('formmethod') || form.getAttribute('method') || 'get').toUpperCase() : '',
    type: e.getAttribute('type') || (e.tagName === 'BUTTON' ? 'submit' : ''),
    blank: (e.getAttribute('target') || e.getAttribute('formtarget') || '') === '_blank',
    download: e.hasAttribute('download'),
    disabled: !!e.disabled,
    hidden: hidden,
  };
 });
}"""
FIELDS = """b => {
  const editor = e => {
    const box = e.closest('[data-editor]');
    return !!(box && box.querySelector('.cm-content'));
  };
  const form = b.form;
  if (!form) { return []; }
  const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  return Array.from(form.elements)
    .filter(e => e.name && e.type !== 'hidden' && e.type !== 'submit' && (shown(e) || editor(e)))
    .map(e => ({ name: e.name, id: e.id, tag: e.tagName.toLowerCase(), type: e.type || '',
                 value: e.value, checked: !!e.checked, editor: editor(e) }));
}"""
INVALID = """b => !b.form || b.form.checkValidity() ? '' :
  Array.from(b.form.elements).filter(e => !e.checkValidity())
    .map(e => (e.name || e.id) + ': ' + e.validationMessage).join('; ')"""
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


@dataclass(frozen=True)
class Control:
    """One clickable thing on a page, as the page describes it."""

    tag: str
    label: str
    href: str
    action: str
    method: str
    type: str
    blank: bool
    download: bool
    disabled: bool
    hidden: bool
    chrome: bool  # in the site's header or footer: the same on every page
    id: str
    index: int  # among CONTROLS on the page, to find it again after a reload

    @property
    def is_link(self) -> bool:
        return self.tag == "a"

    @property
    def name(self) -> str:
        """The label, and the element's id when it has one (``Next point → #next-link``)."""
        return f"{self.label} #{self.id}" if self.id else self.label


@dataclass
class Outcome:
    role: str
    js: bool
    page: str
    control: str
    target: str
    result: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Site:
    """The app's routes (to name a URL's pattern) and the courses (to fill forms)."""

    base: str
    routes: list[tuple[str, re.Pattern[str]]]
    courses: dict[str, Course]
    deep: frozenset[str]  # the courses whose pages are each visited; of the others, one

    def deepening(self, deep: Iterable[str]) -> Site:
        """The same site, with ``deep`` the courses whose pages are each visited."""
        return replace(self, deep=frozenset(deep))

    @classmethod
    def of(
        cls, base: str, paths: Iterable[str], courses: dict[str, Course], deep: Iterable[str]
    ) -> Site:
        routes = [(p, compile_path(p)[0]) for p in paths]
        return cls(base, routes, courses, frozenset(deep))

    def match(self, url: str) -> tuple[str, dict[str, str]] | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        for template, regex in self.routes:
            m = regex.match(parts.path)
            if m:
                return template, m.groupdict()
        return None

    def pattern(self, url: str) -> str:
        """The URL's route template, or its path when no route matches."""
        found = self.match(url)
        return found[0] if found else urlsplit(url).path

    def key(self, url: str, *, query: bool = False) -> str:
        """The URL's route pattern, with the course id (of a deep course) and an exercise's
        kind (and with ``query``, the names of its query parameters): the crawl visits one
        page per key. An unrouted URL is its own key."""
        found = self.match(url)
        if found is None:
            return url.split("#")[0]
        template, params = found
        names = sorted({q.split("=")[0] for q in urlsplit(url).query.split("&") if q})
        if query and names:
            template += "?" + "&".join(names)
        course_id = params.get("course_id", "")
        if course_id in self.deep:
            template = template.replace("{course_id}", course_id)
        exercise = self.exercise(course_id, params.get("exercise_id", ""))
        if exercise is not None:
            template += f" [{exercise.kind}]"
        course = self.courses.get(course_id)
        point = course.outline.point(params.get("point_id", "")) if course is not None else None
        if point is not None and point.lesson is None:
            template += " [not written]"  # the tutor writes it (or says it cannot)
        return template

    def exercise(self, course_id: str, exercise_id: str) -> Exercise | None:
        course = self.courses.get(course_id)
        ref = course.outline.exercise(exercise_id) if course is not None else None
        return ref.exercise if ref is not None else None

    def local(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.base and parts.scheme in ("http", "https")

    def path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Watch:
    """What the browser saw while a control was being used."""

    responses: list[tuple[int, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    downloads: list[Any] = field(default_factory=list)
    inflight: set[Any] = field(default_factory=set)
    document: tuple[str, int] = ("", 0)  # the main frame's last navigation: method, status

    def problems(self, site: Site) -> list[str]:
        found = [f"uncaught or console error: {e}" for e in self.errors]
        for status, url, kind in self.responses:
            if status >= 500 or status in BROKEN_STATUS:
                found.append(f"{status} from {kind} {site.path(url)}")
        return found


class Crawler:
    """Walks the app as one role in one browser context (JS on or off)."""

    def __init__(
        self,
        context: Any,
        site: Site,
        *,
        role: str,
        js: bool,
        values: dict[str, str],
        notebook: Path,
        shots: Path,
    ) -> None:
        self.context, self.site, self.role, self.js = context, site, role, js
        self.values, self.notebook, self.shots = values, notebook, shots
        self.page = context.new_page()
        self.watch = Watch()
        self.outcomes: list[Outcome] = []
        self.seen_pages: set[str] = set()
        self.clicked_targets: set[tuple[str, str]] = set()
        self.used: set[tuple[str, str, str]] = set()
        self.queue: deque[str] = deque()
        self.counter = 0
        self.started = time.monotonic()
        self._listen(self.page)

    # --- listening -------------------------------------------------------------------

    def _listen(self, page: Any) -> None:
        page.on("response", self._response)
        page.on("pageerror", self._pageerror)
        page.on("console", self._console)
        page.on("download", self._download)
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)

    def _response(self, r: Any) -> None:
        self.watch.responses.append((r.status, r.url, r.request.resource_type))
        if r.request.is_navigation_request() and r.frame == self.page.main_frame:
            self.watch.document = (r.request.method, r.status)

    def _pageerror(self, error: Any) -> None:
        self.watch.errors.append(f"uncaught {error}")

    def _download(self, download: Any) -> None:
        self.watch.downloads.append(download)

    def _request(self, request: Any) -> None:
        self.watch.inflight.add(request)

    def _finished(self, request: Any) -> None:
        self.watch.inflight.discard(request)

    def _console(self, msg: Any) -> None:
        # a failed resource is judged by its response status (Watch.problems)
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.watch.errors.append(f"console {msg.text}")

    def _failed(self, request: Any) -> None:
        self.watch.inflight.discard(request)
        failure = request.failure or ""
        if "ERR_ABORTED" not in failure:  # a navigation away aborts what was loading
            self.watch.errors.append(f"request failed {request.url}: {failure}")

    @contextmanager
    def watching(self) -> Iterator[Watch]:
        self.watch = Watch()
        yield self.watch

    def settle(self) -> None:
        """Wait for the page to load and every request it started (htmx, fetch) to end."""
        self.page.wait_for_load_state("load")
        quiet = 0
        for _ in range(1200):  # at most 60 s: a tutor reply or a check can take a while
            quiet = quiet + 1 if not self.watch.inflight else 0
            if quiet >= 3:
                return
            self.page.wait_for_timeout(50)

    # --- the walk --------------------------------------------------------------------

    def crawl(self, starts: Iterable[str]) -> list[Outcome]:
        for url in starts:
            self.queue.append(urljoin(self.site.base, url))
        while self.queue:
            url = self.queue.popleft()
            key = self.site.key(url)
            if key in self.seen_pages:
                continue
            self.seen_pages.add(key)
            self.visit(url)
        return self.outcomes

    def load(self, url: str) -> Watch:
        with self.watching() as watch:
            response = self.page.goto(url)
            self.settle()
        status = response.status if response else 0
        if status >= 400:
            watch.errors.append(f"the page answered {status}")
        self.page.evaluate(OPEN_DETAILS)
        return watch

    def controls(self) -> list[Control]:
        found = self.page.locator(CONTROLS).evaluate_all(DESCRIBE)
        return [Control(index=i, **c) for i, c in enumerate(found)]

    def visit(self, url: str) -> None:
        watch = self.load(url)
        page_key = self.site.key(self.page.url)
        self.seen_pages.add(page_key)
        self.record(page_key, "(open the page)", self.site.path(url), watch, "loaded")
        done: set[tuple[str, str, str]] = set()
        for _ in range(4):  # new controls appear after actions (Next after a pass, Flag)
            fresh = [c for c in self.controls() if self.identity(c) not in done]
            if not fresh:
                return
            for control in fresh:
                done.add(self.identity(control))
                try:
                    self.use(url, page_key, control)
                except PlaywrightError as exc:  # the control could not be used: say which
                    problem = f"the crawler could not use it: {str(exc).splitlines()[0]}"
                    self.record_result(page_key, control.name, "", [problem], "error")
            self.load(url)

    def identity(self, c: Control) -> tuple[str, str, str]:
        return (c.tag, c.name, self.site.key(c.href or c.action, query=True))

    def use(self, url: str, page_key: str, c: Control) -> None:
        target = self.site.key(c.href or c.action, query=True) if (c.href or c.action) else ""
        if c.label in DESTRUCTIVE:
            self.note(page_key, c, target, "left to the destructive checks")
            return
        if c.is_link:
            self.use_link(url, page_key, c, target)
            return
        if c.disabled:
            self.note(page_key, c, target, "disabled")
            return
        if c.hidden:
            self.note(page_key, c, target, "hidden")
            return
        for variant in self.variants(c):
            used = ("(every page)" if c.chrome else page_key, c.name + variant, target)
            if used in self.used:
                continue
            self.used.add(used)
            self.press(url, page_key, c, target, variant)

    def note(self, page_key: str, c: Control, target: str, result: str) -> None:
        used = ("(every page)" if c.chrome else page_key, c.name, target)
        if used not in self.used:
            self.used.add(used)
            self.record_result(page_key, c.name, target, [], result)

    # --- links -----------------------------------------------------------------------

    def use_link(self, url: str, page_key: str, c: Control, target: str) -> None:
        if not self.site.local(c.href):
            self.note(page_key, c, c.href, "external: not followed")
            return
        same_page = c.href.split("#")[0] == self.page.url.split("#")[0] and "#" in c.href
        if same_page:
            self.note(page_key, c, target + "#", "in-page link")
            return
        if (target, c.id) in self.clicked_targets:  # an id marks a key control: its own click
            return
        self.clicked_targets.add((target, c.id))
        found = self.site.match(c.href)
        if found is not None and found[0] in NOT_CRAWLED:
            status = self.context.request.get(c.href).status
            problems = [] if status < 400 else [f"{status} from the link"]
            self.record_result(page_key, c.name, target, problems, f"fetched: {status}")
            return
        self.fresh(url)
        with self.watching() as watch:
            link = self.page.locator(CONTROLS).nth(c.index)
            if c.download or self.is_download(c.href):
                with self.page.expect_download() as dl:
                    link.click()
                result = self.downloaded(dl.value)
            elif c.blank:
                with self.context.expect_page() as popup:
                    link.click()
                result = self.popped(popup.value)
            else:
                link.click()
                self.settle()
                result = f"went to {self.site.path(self.page.url)}"
                self.queue.append(self.page.url)
        self.judge(page_key, c.name, target, watch, result)

    def is_download(self, href: str) -> bool:
        return urlsplit(href).path.endswith((".csv", ".json", ".ipynb", "/notebook"))

    def downloaded(self, download: Any) -> str:
        size = Path(download.path()).stat().st_size
        return f"downloaded {download.suggested_filename} ({size} bytes)"

    def popped(self, popup: Any) -> str:
        self._listen(popup)
        popup.wait_for_load_state("load")
        real = popup.locator("main h1").count() > 0
        path = self.site.path(popup.url)
        popup.close()
        return f"opened {path} in a new tab" + ("" if real else " (NOT a page with a heading)")

    # --- buttons and forms -----------------------------------------------------------

    def variants(self, c: Control) -> list[str]:
        """A code check and a quiz are tried wrong first, then right."""
        if c.label in ("Check", "Check answers"):
            return [" (wrong answer)", " (right answer)"]
        return [""]

    def fresh(self, url: str) -> None:
        self.load(url)

    def press(self, url: str, page_key: str, c: Control, target: str, variant: str) -> None:
        cookies = self.context.cookies()
        self.fresh(url)
        button = self.page.locator(CONTROLS).nth(c.index)
        right = {" (wrong answer)": False, " (right answer)": True}.get(variant)
        self.fill(button, url, self.site.pattern(c.action), right=right)
        before = len(BROKEN.findall(self.page.inner_text("body")))
        with self.watching() as watch:
            if c.blank:
                with self.context.expect_page() as popup:
                    button.click()
                result = self.popped(popup.value)
            else:
                button.click()
                self.settle()
                result = self.landed(url)
                if not watch.responses:
                    self.unsent(button)
        after = self.page.inner_text("body")
        if len(BROKEN.findall(after)) > before:
            watch.errors.append(f"the page says: {BROKEN.findall(after)[-1]!r}")
        self.judge(page_key, c.name + variant, target, watch, result)
        self.context.clear_cookies()  # signing up or in as someone else is undone
        self.context.add_cookies(cookies)

    def unsent(self, button: Any) -> None:
        """Nothing was sent: a problem when the browser held the form back as invalid (the
        crawl did not fill it well enough to use the control)."""
        invalid = button.evaluate(INVALID)
        if invalid:
            self.watch.errors.append(f"the browser did not send the form: {invalid}")

    def landed(self, url: str) -> str:
        if self.watch.downloads:
            return self.downloaded(self.watch.downloads[-1])
        here = self.page.url
        if self.page.locator("main h1, main h2").count() == 0:
            self.watch.errors.append("no heading in <main> after the action: not a real page")
        verb = "stayed" if here.split("#")[0] == url.split("#")[0] else "went to"
        method, status = self.watch.document
        if verb == "went to" and method == "GET":  # a page that a POST answered has no URL
            self.queue.append(here)
        result = f"{verb} {self.site.path(here)}" + (f" ({method} {status})" if method else "")
        calls = [str(s) for s, _, kind in self.watch.responses if kind in ("fetch", "xhr")]
        if calls:
            result += f"; htmx/fetch answered {', '.join(calls)}"
        if method == "POST":
            result += self.answered_page()
        return result

    def answered_page(self) -> str:
        """A page that a POST answered cannot be visited again: its own links are fetched
        and its own script buttons (copy) clicked, here and now."""
        links = buttons = 0
        for c in self.controls():
            if c.chrome or c.hidden:
                continue
            if c.is_link and self.site.local(c.href) and "#" not in c.href:
                status = self.context.request.get(c.href).status
                links += 1
                if status >= 500 or status in BROKEN_STATUS:
                    self.watch.errors.append(f"{status} from {c.name!r} on the answered page")
            elif c.type == "button":
                self.page.locator(CONTROLS).nth(c.index).click()
                buttons += 1
        if not links + buttons:
            return ""
        return f"; on it, {links} links fetched, {buttons} buttons clicked"

    def fill(self, button: Any, url: str, action: str, *, right: bool | None) -> None:
        """Fill the button's form; ``right``: the answer is right, wrong, or (None) the
        starter code changed a little, so a draft, a run or a help request has news."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for f in button.evaluate(FIELDS):  # a group of boxes shares its name
            groups.setdefault(f["name"], []).append(f)
        for fields in groups.values():
            f = fields[0]
            value = self.value_for(f, url, action, right=right)
            if value is None and f["type"] == "checkbox" and not any(x["checked"] for x in fields):
                value = f["value"]  # at least one box ticked: say, the first
            if value is not None:
                self.set_field(f, value)

    def set_field(self, f: dict[str, Any], value: str) -> None:
        sel = f"#{f['id']}" if f["id"] else f"[name='{f['name']}']"
        el = self.page.locator(sel).first
        kind = f["type"]
        if kind in ("checkbox", "radio"):
            self.choose(f, value)
        elif kind == "file":
            el.set_input_files(str(self.notebook))
        elif f["tag"] == "select":
            el.select_option(index=int(value))
        elif f["editor"] and self.js:
            box = self.page.locator(f"{sel} >> xpath=ancestor::*[@data-editor][1]")
            box.locator(".cm-content").click()
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Delete")
            self.page.keyboard.insert_text(value)
        else:
            el.fill(value)

    def choose(self, f: dict[str, Any], value: str) -> None:
        """Tick the box or option whose value is ``value`` (``*``: every box of the name)."""
        boxes = self.page.locator(f"input[name='{f['name']}']")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            if value == "*" or box.get_attribute("value") in value.split(","):
                box.check()
            elif f["type"] == "checkbox":
                box.uncheck()

    def value_for(
        self, f: dict[str, Any], url: str, action: str, *, right: bool | None
    ) -> str | None:
        """A plausible value for a field: the role's values (``"ACTION NAME"``, then
        ``"NAME"``) first, then by the field's name and type."""
        name = f["name"]
        for key in (f"{action} {name}", name):
            if key in self.values:
                return self.values[key]
        self.counter += 1
        n = f"{self.role}-{'js' if self.js else 'nojs'}-{self.counter}"
        exercise = self.exercise_of(url)
        if name == "source" and isinstance(exercise, CodeExercise):
            if right is None:
                return source_text(exercise.starter) + f"\n# edited by the crawler ({n})\n"
            return source_text(exercise.solution if right else exercise.starter)
        if name.startswith("q-") and isinstance(exercise, QuizExercise):
            return self.quiz_answer(exercise, name[2:], right=right is not False)
        if f["type"] == "checkbox" and name == "rubric":
            return "*"
        if f["type"] == "file":
            return str(self.notebook)
        if f["type"] == "email":
            return f"crawl-{n}@example.org"
        if f["tag"] == "select":
            return None if f["value"] else "1"
        by_name = {
            "password": "correct horse 1",
            "question": "How do I return a value from a function?",
            "answer": "My plan: run the tests, then deploy behind a reverse proxy.",
            "new_id": f"copy-{n}",
            "point_id": f"point-{n}",
            "exercise_id": f"exercise-{n}",
            "title": f"Crawled {n}",
            "brief": "A point the crawler added.",
            "prompt": "Write `f()` returning 1.",
            "starter": "def f():\n    pass\n",
            "solution": "def f():\n    return 1\n",
            "checks": "def test_f(submission):\n    assert submission.call('f') == 1\n",
            "name": f"Class {n}",
            "note": "Flagged by the crawler.",
            "due": "2030-01-31T12:00",
        }
        return by_name.get(name)

    def exercise_of(self, url: str) -> Any:
        found = self.site.match(url)
        if found is None:
            return None
        params = found[1]
        return self.site.exercise(params.get("course_id", ""), params.get("exercise_id", ""))

    def quiz_answer(self, quiz: QuizExercise, qid: str, *, right: bool) -> str | None:
        for q in quiz.questions:
            if q.id != qid:
                continue
            if q.type == "short":
                return (q.answers[0] if q.answers else "42") if right else "not this"
            picks = [str(i) for i, o in enumerate(q.options) if o.correct == right]
            return ",".join(picks if right else picks[:1])
        return None

    # --- judging ---------------------------------------------------------------------

    def act(self, page_key: str, label: str, action: Callable[[], str]) -> Outcome:
        """Do ``action`` (it says what happened), judged and recorded like a crawled control."""
        with self.watching() as watch:
            result = action()
            self.settle()
        self.judge(page_key, label, "", watch, result)
        return self.outcomes[-1]

    def judge(self, page_key: str, label: str, target: str, watch: Watch, result: str) -> None:
        problems = watch.problems(self.site)
        if problems:
            problems.append(f"screenshot {self.shot()}")
        elif SHOTS:
            result += f" [screenshot {self.shot()}]"
        self.record_result(page_key, label, target, problems, result)

    def shot(self) -> str:
        """A screenshot of the page as it is now, in ``shots``; its file name."""
        self.counter += 1
        mode = "js" if self.js else "nojs"
        path = self.shots / f"crawl-{self.role}-{mode}-{self.counter}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path.name

    def record_result(
        self, page_key: str, label: str, target: str, problems: list[str], result: str
    ) -> None:
        outcome = Outcome(self.role, self.js, page_key, label, target, result, problems)
        self.outcomes.append(outcome)
        if TRACE:
            print(f"{time.monotonic() - self.started:7.1f}s", line(outcome), flush=True)

    def record(self, page_key: str, label: str, target: str, watch: Watch, result: str) -> None:
        self.judge(page_key, label, target, watch, result)


def write_report(outcomes: list[Outcome], path: Path) -> str:
    """Write every outcome as JSON lines and return a readable table of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(asdict(o)) + "\n" for o in outcomes), encoding="utf-8")
    return "\n".join(line(o) for o in outcomes)


def line(o: Outcome) -> str:
    """One outcome, readable: FAIL or ok, the page, the control, its target, what happened."""
    head = f"{'FAIL' if o.problems else 'ok  '} {o.page} :: {o.control!r} -> {o.target}: {o.result}"
    return head + "".join(f"\n       ! {p}" for p in o.problems)


def labels(outcomes: Iterable[Outcome], ok: Callable[[Outcome], bool]) -> set[str]:
    return {o.control for o in outcomes if ok(o)}
