"""What a check sees: the ``submission`` fixture, ``LearnerError`` and plain responses.

Checks run in the grading runner; every member of :class:`Submission` is a round
trip to the sandboxed child holding the learner's module, and only plain data comes
back.  See ``docs/writing-checks.md``.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from exercises.sandbox import _describe, _plain
from exercises.sandbox._child_pool import ChildGone, ChildProcess


class LearnerError(Exception):
    """The learner's code raised: ``type``, ``types`` (MRO names) and ``message``."""

    def __init__(
        self,
        type: str,
        types: Sequence[str],
        message: str,
        line: int | None = None,
        *,
        explained: str = "",
    ) -> None:
        super().__init__(f"{type}: {message}" if message else type)
        self.type = type
        self.types = list(types)
        self.message = message
        self.line = line
        self.explained = explained  # the learner's sentence, when it did not raise


def _unusable(reply: dict[str, Any], what: str, name: str) -> LearnerError | None:
    """The child answered without raising, but with nothing a check can use."""
    if reply.get("missing"):
        text = f"there is no {what} named `{name}` in your code"
        return LearnerError("AttributeError", ["AttributeError"], text, explained=text)
    if reply.get("not_callable"):
        text = f"`{name}` in your code is not a function"
        return LearnerError("TypeError", ["TypeError"], text, explained=text)
    returned = reply.get("returned")
    if isinstance(returned, str):
        value = _plain.bounded(returned, 200)
        text = (
            f"your function `{name}` returned {value}, which cannot be compared here: "
            f"return plain data (None, bool, int, float, str, list, tuple, or dict with str "
            f"keys){_conversion_hint(value)}"
        )
        return LearnerError("NotPlainData", ["NotPlainData"], value, explained=text)
    return None


def _conversion_hint(value: str) -> str:
    if value.split(" ")[-1] in ("date", "datetime", "time"):
        return ", e.g. `value.isoformat()`"
    if value.startswith("a dict with"):
        return ", e.g. with str keys"
    return ""


class SubmissionBroken(Exception):
    """The submission could not be imported (syntax error, exception at import...)."""

    def __init__(self, error: LearnerError) -> None:
        super().__init__(str(error))
        self.error = error


class Response:
    """An HTTP response from the learner's app, as plain data."""

    def __init__(self, status_code: int, headers: list[tuple[str, str]], text: str) -> None:
        self.status_code = status_code
        self.headers = httpx.Headers(headers)
        self.text = text

    def json(self) -> Any:
        return jsonlib.loads(self.text)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


class RunResult:
    """The outcome of running the submission as ``__main__``."""

    def __init__(self, stdout: str, stderr: str, returncode: int) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode

    def __repr__(self) -> str:
        return f"<RunResult returncode={self.returncode}>"


def _plain_argument(value: Any, *, tuples: bool = False) -> Any:
    try:
        return jsonlib.loads(jsonlib.dumps(_plain.to_plain(value, tuples=tuples)))
    except _plain.NotPlainData as exc:
        raise TypeError(f"checks may only pass plain data to the submission: {exc}") from None


def _learner_error(reply: dict[str, Any]) -> LearnerError:
    error = reply.get("error")
    if not isinstance(error, dict):
        return LearnerError("ProtocolError", [], "the submission sent a malformed reply")
    types = error.get("types")
    return LearnerError(
        _plain.bounded(str(error.get("type", "Exception")), 200),
        [str(t) for t in types] if isinstance(types, list) else [],
        _plain.bounded(str(error.get("message", ""))),
        error["line"] if type(error.get("line")) is int else None,
    )


class Submission:
    """The ``submission`` fixture of a check."""

    def __init__(
        self,
        source: str,
        take: Callable[[], ChildProcess],
        setup: dict[str, Any],
        time_s: float,
    ) -> None:
        self.source = source
        self.elapsed = 0.0
        self.logs: list[dict[str, Any]] = []
        self.proc: ChildProcess | None = None
        self._take = take
        self._setup = setup
        self._time_s = time_s
        self._deadline = 0.0
        self._loaded = False
        self._import_logs: list[dict[str, Any]] = []
        self._http_used = False
        self.action: _describe.Action | None = None  # the last request and its answer
        self.usual: list[dict[str, Any]] = []  # the checks' usual arguments (see _describe)

    def __repr__(self) -> str:
        return "submission"

    def _request(self, msg: dict[str, Any]) -> dict[str, Any]:
        if self.proc is None:
            self.proc = self._take()  # waiting for a child is not the learner's time
            msg = {**msg, "setup": self._setup}
            self._deadline = time.monotonic() + self._time_s
        start = time.monotonic()
        try:
            reply = self.proc.request(msg, self._deadline)
        finally:
            self.elapsed = time.monotonic() - start
        if reply.get("setup_failed"):
            raise ChildGone("could not be set up")
        logs = reply.get("logs")
        self.logs = [r for r in logs if isinstance(r, dict)] if isinstance(logs, list) else []
        if self._import_logs:
            self.logs, self._import_logs = self._import_logs + self.logs, []
        return reply

    def _load(self) -> None:
        """Import the learner's module with its own time budget (``time_s``): the check's
        budget starts once the import is done, so a slow import never eats into it."""
        if self._loaded:
            return
        reply = self._request({"op": "load"})
        self._loaded = True
        if not reply.get("ok"):
            raise SubmissionBroken(_learner_error(reply))
        self._import_logs = self.logs
        self._deadline = time.monotonic() + self._time_s

    def _answer(self, msg: dict[str, Any], what: str, name: str, asked: str) -> dict[str, Any]:
        """One request whose failure is the learner's: an import error or an exception.
        ``asked`` is the request in plain words, kept with its answer in ``action``."""
        self.action = _describe.Action(asked)
        self._load()
        reply = self._request(msg)
        if reply.get("load_failed"):
            raise SubmissionBroken(_learner_error(reply))
        unusable = None if reply.get("ok") else _unusable(reply, what, name)
        if unusable is not None:
            raise unusable
        if not reply.get("ok"):
            error = _learner_error(reply)
            self.action = _describe.Action(asked, _describe.raised(error.type, error.message))
            raise error
        return reply

    def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """Call the learner's function ``name``; returns its result as plain data."""
        msg = {
            "op": "call",
            "name": name,
            "args": _plain_argument(list(args), tuples=True),
            "kwargs": _plain_argument(kwargs, tuples=True),
        }
        asked = _describe.call_text(name, args, kwargs, self.usual)
        value = _plain.from_plain(self._answer(msg, "function", name, asked).get("value"))
        self.action = _describe.Action(asked, _describe.returned(value))
        return value

    def http(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        app_name: str = "app",
    ) -> Response:
        """Send one request to the learner's ASGI app."""
        msg = {
            "op": "http",
            "method": method,
            "path": path,
            "params": _plain_argument(params),
            "json": _plain_argument(json),
            "data": _plain_argument(data),
            "headers": _plain_argument(headers),
            "app_name": app_name,
        }
        self._http_used = True
        asked = f"{method.upper()} {path}"
        reply = self._answer(msg, "ASGI app", app_name, asked)
        raw_headers = reply.get("headers")
        pairs = [
            (str(p[0]), str(p[1]))
            for p in (raw_headers if isinstance(raw_headers, list) else [])
            if isinstance(p, list) and len(p) == 2
        ]
        response = Response(_int(reply.get("status_code")), pairs, str(reply.get("text", "")))
        self.action = _describe.Action(
            asked, _describe.answered(response.status_code, response.text)
        )
        return response

    def run(self, stdin: str = "", argv: Sequence[str] = ()) -> RunResult:
        """Run the submission as ``__main__`` with that standard input."""
        asked = "python submission.py" + "".join(f" {_describe.shown(a)}" for a in argv)
        if stdin:
            asked += f" < {_describe.shown(str(stdin))}"
        self.action = _describe.Action(asked)
        reply = self._request({"op": "run", "stdin": str(stdin), "argv": [str(a) for a in argv]})
        if not reply.get("ok"):
            error = _learner_error(reply)
            self.action = _describe.Action(asked, _describe.raised(error.type, error.message))
            raise error
        result = RunResult(
            str(reply.get("stdout", "")),
            str(reply.get("stderr", "")),
            _int(reply.get("returncode")),
        )
        self.action = _describe.Action(asked, _describe.exited(result.returncode, result.stdout))
        return result

    def pytest(self) -> dict[str, Any]:
        """mode=tests: run the submission's tests (used by the runner, not by checks)."""
        reply = self._request({"op": "pytest"})
        if not reply.get("ok"):
            raise _learner_error(reply)
        return reply

    def finish(self) -> None:
        """End of the check: shut the app's lifespan down (best effort)."""
        if self._http_used:
            self._request({"op": "finish"})


def _int(value: Any) -> int:
    return value if type(value) is int else -1
