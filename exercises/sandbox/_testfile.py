"""``mode: testfile``: the instructor's unittest/pytest files, run in the runner.

The test files are compiled here (with pytest's assertion rewriting) and collected
by pytest from memory: nothing is written to disk, nothing of them reaches the
learner's child.  The learner's module is a stand-in (:mod:`exercises.sandbox._refs`)
under the name the tests import; helper modules of the exercise are importable by
the tests.  Each test becomes one check outcome, decided here from pytest's own
reports and the session's record of grader faults: the framework and the verdict
never exist in the learner's process.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import importlib.util
import linecache
import os
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.assertion.rewrite import rewrite_asserts

from exercises.sandbox import _job, _plain
from exercises.sandbox._child_pool import Budget, BudgetSpent, ChildPool
from exercises.sandbox._refs import Fault, MissingName, Session
from exercises.sandbox.protocol import CheckOutcome, GradingJob, GradingResult, LimitHit
from exercises.sandbox.submission import LearnerError

ROOT = Path("/tutor-tests")
PREFIX = "tutor-tests/"
MESSAGE_LIMIT = _job.MESSAGE_LIMIT


class TestsBroken(Exception):
    """A test file or helper module of the exercise does not compile."""


def _compile(name: str, source: str) -> types.CodeType:
    filename = str(ROOT / name)
    try:
        tree = ast.parse(source, filename)
        rewrite_asserts(tree, source.encode(), filename, None)
        # dont_inherit: the code's own __future__ imports, not this module's
        code = compile(tree, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise TestsBroken(f"the test file {name} is broken: {type(exc).__name__}: {exc}") from None
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    return code


class _Sources(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the exercise's test files and helper modules from memory."""

    def __init__(self, codes: dict[str, types.CodeType]) -> None:
        self.codes = codes

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.codes:
            return None
        origin = self.codes[fullname].co_filename
        spec = importlib.util.spec_from_loader(fullname, self, origin=origin)
        if spec is not None:
            spec.has_location = True
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__file__ = self.codes[module.__name__].co_filename
        exec(self.codes[module.__name__], module.__dict__)  # noqa: S102 - instructor code


def _outcome(name: str, passed: bool, message: str = "", limit: LimitHit | None = None) -> Any:
    return CheckOutcome(
        name=name, passed=passed, message=_plain.bounded(message, MESSAGE_LIMIT), limit=limit
    )


def _exception_message(exc: BaseException, job: GradingJob) -> tuple[str, LimitHit | None]:
    if isinstance(exc, Fault):
        return exc.message, exc.limit
    if isinstance(exc, AssertionError):
        return str(exc) or "assertion failed", None
    if isinstance(exc, MissingName):
        return str(exc), None
    if getattr(exc, "_tutor_learner", False):
        types_ = [c.__name__ for c in type(exc).__mro__]
        line = getattr(exc, "_tutor_line", None)
        error = LearnerError(type(exc).__name__, types_, str(exc), line)
        return _job._learner_message(error, job)
    return f"{type(exc).__name__}: {exc}", None


class _Reporter:
    """A pytest plugin: collects the compiled test modules, turns reports into outcomes."""

    def __init__(
        self, modules: list[types.ModuleType], session: Session, job: GradingJob, budget: Budget
    ) -> None:
        self.modules = modules
        self.session = session
        self.job = job
        self.budget = budget
        self.outcomes: list[CheckOutcome] = []
        self.unfinished: list[str] = []
        self._failure: tuple[str, LimitHit | None] | None = None
        self._skipped = False

    def pytest_addoption(self, parser: pytest.Parser) -> None:
        # The terminal plugin is off (it would own --tb): failures are reported by the
        # line only, as formatting full tracebacks costs tens of milliseconds each.
        parser.addoption("--tutor-tb", dest="tbstyle", default="line")

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> bool:
        self.session.begin(self.job.limits.time_s)
        items: list[pytest.Item] = []
        for module in self.modules:
            collector = pytest.Module.from_parent(session, path=Path(str(module.__file__)))
            collector._obj = module
            items.extend(session.genitems(collector))
        if self.job.only is not None:
            items = [item for item in items if _name(item) == self.job.only] or items
        session.items = items
        session.testscollected = len(items)
        return True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            name = report.nodeid.removeprefix(PREFIX)
            text = _plain.bounded(str(report.longreprtext), 1500)
            self.outcomes.append(_outcome(name, False, f"the tests could not be collected: {text}"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: Any) -> Iterator[None]:
        self.session.begin(self.job.limits.time_s)
        self._failure, self._skipped = None, False
        start = time.monotonic()
        yield
        cut = self.budget.spent  # only a wait stopped by the budget sets it during a test
        if cut or self.budget.over():
            self._stop(item, cut)
            if cut:
                return  # stopped while it waited for the learner's code: not judged
        fault = self.session.fault
        failure = (fault.message, fault.limit) if fault is not None else self._failure
        if failure is None and self.session.callback_failures:
            failure = (
                "an assertion in a function the tests passed to your code failed: "
                + self.session.callback_failures[0],
                None,
            )
        if self._skipped and failure is None:
            return
        outcome = _outcome(_name(item), failure is None, *(failure or ("", None)))
        output = self.session.take_output()
        elapsed = round(time.monotonic() - start, 4)
        self.outcomes.append(outcome.model_copy(update={"output": output, "elapsed": elapsed}))

    def _stop(self, item: pytest.Item, cut: bool) -> None:
        """The job's budget has ended: no later test runs; they are unfinished, and so is
        ``item`` if the budget stopped it (``cut``)."""
        items = item.session.items
        start = items.index(item) + (0 if cut else 1)
        self.unfinished = [_name(i) for i in items[start:]]
        item.session.shouldstop = "the time for grading ran out"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        result = yield
        report = result.get_result()
        if report.skipped and not hasattr(report, "wasxfail"):
            self._skipped = True
        elif report.failed and self._failure is None:
            excinfo = call.excinfo
            if excinfo is not None:
                self._failure = _exception_message(excinfo.value, self.job)
            else:
                self._failure = (_plain.bounded(str(report.longreprtext), 1500), None)


def _name(item: pytest.Item) -> str:
    return item.nodeid.removeprefix(PREFIX)


# pytest's plugins a test file in the runner does not need (the runner has no writable
# disk, no terminal, no debugger); gc-heavy ones cost half a second per job.
UNUSED_PLUGINS = (
    "cacheprovider",
    "terminal",
    "faulthandler",
    "logging",
    "junitxml",
    "pastebin",
    "doctest",
    "tmpdir",
    "unraisableexception",
    "threadexception",
    "stepwise",
    "setuponly",
    "setupplan",
    "legacypath",
    "python_path",
)


def _args(job: GradingJob) -> list[str]:
    args: list[str] = []
    for plugin in UNUSED_PLUGINS:
        args += ["-p", f"no:{plugin}"]
    args += ["--assert=plain", "--capture=sys", "-c", os.devnull, "--rootdir", "/"]
    args.append("--noconftest")  # no conftest.py of whatever disk the runner sees
    args += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    args += ["-p", "anyio.pytest_plugin"]  # for @pytest.mark.anyio; no other plugin is loaded
    if job.fail_fast:
        args.append("-x")
    return args


def _pytest(job: GradingJob, plugin: object) -> int:
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the entry-point scan costs ~0.1 s
    return int(pytest.main(_args(job), plugins=[plugin]))


def _setup(job: GradingJob) -> dict[str, Any]:
    setup = _job._setup_message(job, job.module_name, {})
    setup["cpu_s"] = job.limits.time_s * (len(job.tests) * 50 + 2)
    return setup


def _session(job: GradingJob, pool: ChildPool) -> Session:
    def ended(status: str) -> tuple[str, LimitHit | None]:
        return _job._ended_message(job, status)

    def limit(kind: LimitHit) -> str:
        return _job._limit_message(job, kind)

    return Session(lambda: _job._take(pool, job), _setup(job), job.module_name, ended, limit)


def run_job(job: GradingJob, pool: ChildPool) -> GradingResult:
    """Run the exercise's test files against the submission: one outcome per test."""
    try:
        codes = {name.removesuffix(".py"): _compile(name, text) for name, text in job.tests.items()}
        helpers = {
            name.removesuffix(".py"): _compile(name, text)
            for name, text in job.files.items()
            if name.endswith(".py")
        }
    except TestsBroken as exc:
        return GradingResult(error=str(exc), broken=True)
    if not codes:
        return GradingResult(error="mode: testfile needs at least one test file", broken=True)
    session = _session(job, pool)
    finder = _Sources({**helpers, **codes})
    before = set(sys.modules)
    hidden = sys.modules.get(job.module_name)
    sys.modules[job.module_name] = session.stand_in()
    sys.meta_path.insert(0, finder)
    try:
        return _run(job, session, list(codes), pool.budget)
    except TestsBroken as exc:
        return GradingResult(error=str(exc))
    finally:
        sys.meta_path.remove(finder)
        for name in set(sys.modules) - before:
            del sys.modules[name]
        sys.modules.pop(job.module_name, None)
        if hidden is not None:
            sys.modules[job.module_name] = hidden
        session.close()


def _run(job: GradingJob, session: Session, names: list[str], budget: Budget) -> GradingResult:
    session.begin(job.limits.time_s)
    start = time.monotonic()
    importing = f"import {job.module_name}"
    try:
        session.load()
    except Fault as fault:
        outcome = _outcome(importing, False, fault.message, fault.limit)
        output = session.take_output()
        elapsed = round(time.monotonic() - start, 4)
        return GradingResult(
            checks=[outcome.model_copy(update={"output": output, "elapsed": elapsed})]
        )
    except BudgetSpent:
        return GradingResult(unfinished=[importing])
    modules: list[types.ModuleType] = []
    broken: list[CheckOutcome] = []
    for i, name in enumerate(names):
        try:
            modules.append(__import__(name))
        except BudgetSpent:
            return GradingResult(checks=broken, unfinished=[f"{n}.py" for n in names[i:]])
        except Fault as fault:
            broken.append(_outcome(f"{name}.py", False, fault.message, fault.limit))
        except Exception as exc:
            broken.append(_outcome(f"{name}.py", False, _load_message(exc, job)))
    reporter = _Reporter(modules, session, job, budget)
    if modules:
        code = _pytest(job, reporter)
        if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
            raise TestsBroken(f"grader error: pytest could not run the tests (exit {int(code)})")
    return GradingResult(checks=broken + reporter.outcomes, unfinished=reporter.unfinished)


def _load_message(exc: Exception, job: GradingJob) -> str:
    text = str(exc)
    if isinstance(exc, ImportError) and f"from '{job.module_name}'" in text:
        missing = text.split("'")[1] if text.count("'") >= 2 else "?"
        return f"the tests need {missing!r}, and there is no {missing!r} in your code"
    message, _ = _exception_message(exc, job)
    return f"the tests could not be loaded: {message}"


WARM_TESTS = """
import unittest

import pytest


class WarmTest(unittest.TestCase):
    def test_equal(self):
        self.assertEqual([1], [1])


@pytest.fixture
def value():
    yield 1


@pytest.mark.parametrize("n, text", [(1, "é"), (2, b"x")])
def test_value(value, n, text):
    with pytest.raises(ValueError):
        int("x")
    assert value <= n
"""


class _WarmReporter(_Reporter):
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> bool:
        items: list[pytest.Item] = []
        for module in self.modules:
            collector = pytest.Module.from_parent(session, path=Path(str(module.__file__)))
            collector._obj = module
            items.extend(session.genitems(collector))
        session.items = items
        session.testscollected = len(items)
        return True

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: Any) -> Iterator[None]:
        yield


def warm() -> None:
    """Run pytest once on a small in-memory file, so the first job finds it loaded."""
    module = types.ModuleType("test_tutor_warmup")
    module.__file__ = str(ROOT / "test_tutor_warmup.py")
    exec(_compile("test_tutor_warmup.py", WARM_TESTS), module.__dict__)  # noqa: S102
    job = GradingJob(source="", limits={"time_s": 1, "memory_mb": 64, "output_kb": 1})
    session = Session(_no_child, {}, "tutor_warmup", lambda s: (s, None), str)
    _pytest(job, _WarmReporter([module], session, job, Budget()))


def _no_child() -> Any:
    raise RuntimeError("warming up has no learner child")
