"""The learner side: runs inside the sandboxed child and answers the runner's requests.

Everything here is reachable by the learner's code (it shares the process), so nothing
here is trusted: the runner only ever reads plain data back, and verdicts are decided
by the checks in the runner.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import io
import logging
import os
import resource
import signal
import sys
import tempfile
import threading
import traceback
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from exercises.sandbox import _disguise, _plain, _wire
from exercises.sandbox._learner_refs import LearnerSide

REQUEST_FD = 3
REPLY_FD = 4
EXIT_CHANNEL_LOST = 75
EXIT_SANDBOX_FAILED = 70
EXIT_SERVE_FAILED = 71
CHILD_ENV = {
    "HOME": "/tmp",  # noqa: S108 - the child's private tmpfs
    "TMPDIR": "/tmp",  # noqa: S108
    "LANG": "C.UTF-8",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
}
_STD_RECORD_ATTRS = frozenset(
    [*logging.LogRecord("", 0, "", 0, "", None, None).__dict__, "message", "asctime", "taskName"]
)
MAX_LOG_RECORDS = 200


class LoadFailed(Exception):
    """Importing the submission raised ``error``."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class LogCapture(logging.Handler):
    """Collects log records of the current request as plain dicts."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[dict[str, Any]] = []

    def install(self) -> None:
        """See every record a logger hands to its handlers, without being a handler.

        The root logger keeps no handler of ours, so ``logging.basicConfig`` in the
        submission still configures logging as usual; the root level is DEBUG so that
        records of every level reach the checks unless the submission says otherwise.
        """
        original = logging.Logger.callHandlers
        capture = self

        def call_handlers(logger: logging.Logger, record: logging.LogRecord) -> None:
            with contextlib.suppress(Exception):
                capture.emit(record)
            original(logger, record)

        logging.Logger.callHandlers = call_handlers  # type: ignore[method-assign,assignment]
        logging.getLogger().setLevel(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) >= MAX_LOG_RECORDS:
            return
        extra: dict[str, Any] = {}
        for key, value in record.__dict__.items():
            if key in _STD_RECORD_ATTRS or key.startswith("_"):
                continue
            with contextlib.suppress(_plain.NotPlainData, ValueError, TypeError):
                extra[key] = _plain.to_plain(value)
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        entry = {
            "logger": record.name,
            "level": record.levelname,
            "message": _plain.bounded(message),
            "extra": extra,
        }
        self.records.append({**extra, **entry})


class CompiledModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports modules the runner sent compiled (``mode: tests`` implementations): no
    file, no source, nothing for ``inspect.getsource`` or a hash of the text to find."""

    def __init__(self, codes: dict[str, Any]) -> None:
        self.codes = codes

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.codes:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=_disguise.FILENAME)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        exec(self.codes[module.__name__], module.__dict__)  # noqa: S102 - trusted, compiled


class CappedText(io.StringIO):
    """A text stream keeping at most ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.truncated = False

    def write(self, s: str) -> int:
        room = self.limit - self.tell()
        if len(s) > room:
            self.truncated = True
            s = s[: max(room, 0)]
        return super().write(s)


def apply_limits(time_s: float, memory_mb: int) -> None:
    """Rlimits for the rest of this child's life, relative to what it already uses."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime + time_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (_vm_bytes() + memory_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 2**20, 16 * 2**20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _vm_bytes() -> int:
    with Path("/proc/self/status").open() as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class Child:
    """State of one learner child: the submission's module and its ASGI client."""

    def __init__(self) -> None:
        self.source = ""
        self.module_name = "submission"
        self.module: types.ModuleType | None = None
        self.client: Any = None
        self.output_cap = 65536
        self.refs: LearnerSide | None = None
        self.logs = LogCapture()
        self.logs.install()

    def handle(self, msg: dict[str, Any]) -> dict[str, Any]:
        op = msg.get("op")
        handler: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(self, f"op_{op}", None)
        if handler is None:
            return {"ok": False, "error": {"type": "ProtocolError", "types": [], "message": op}}
        self.logs.records = []
        if isinstance(msg.get("setup"), dict):
            try:
                self.op_setup(msg["setup"])
            except BaseException as exc:
                return {"ok": False, "setup_failed": True, "error": _plain.describe_exception(exc)}
        try:
            reply = handler(msg)
        except LoadFailed as exc:
            reply = {
                "ok": False,
                "load_failed": True,
                "error": _plain.describe_exception(exc.error),
            }
        except BaseException as exc:  # the learner's code raised: report it as data
            reply = {"ok": False, "error": _plain.describe_exception(exc)}
            if op == "ref" and self.refs is not None:
                with contextlib.suppress(BaseException):
                    reply["error"]["raised"] = self.refs.describe(exc)
        _flush()
        reply["logs"] = self.logs.records
        return reply

    def _path(self, name: str) -> str:
        return str(Path.cwd() / f"{name}.py")

    def op_setup(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.source = str(msg["source"])
        self.module_name = str(msg.get("module_name", "submission"))
        self.output_cap = int(msg["output_kb"]) * 1024
        Path(self._path(self.module_name)).write_text(
            self.source, encoding="utf-8", errors="backslashreplace"
        )
        for name, text in dict(msg.get("files", {})).items():
            placed = Path.cwd() / Path(str(name)).name
            placed.write_text(str(text), encoding="utf-8", errors="backslashreplace")
            placed.chmod(0o444)
        modules = {str(k): _disguise.load(str(v)) for k, v in dict(msg.get("modules", {})).items()}
        if modules:
            sys.meta_path.insert(0, CompiledModules(modules))
        sys.path.insert(0, str(Path.cwd()))
        # module mode: CPU for the import (its own budget of time_s, see Submission._load)
        # and the check; mode testfile says its own
        cpu_s = msg.get("cpu_s", 2 * float(msg["time_s"]))
        apply_limits(float(cpu_s), int(msg["memory_mb"]))
        return {"ok": True}

    def op_load(self, msg: dict[str, Any]) -> dict[str, Any]:
        path = self._path(self.module_name)
        # dont_inherit: the code's own __future__ imports, not this module's
        code = compile(self.source, path, "exec", dont_inherit=True)
        module = types.ModuleType(self.module_name)
        module.__file__ = path
        sys.modules[self.module_name] = module
        exec(code, module.__dict__)  # noqa: S102 - learner code, inside the sandbox
        self.module = module
        return {"ok": True}

    def _module(self) -> types.ModuleType:
        """The submission's module, imported on first use; import errors are marked."""
        if self.module is None:
            try:
                self.op_load({})
            except BaseException as exc:
                raise LoadFailed(exc) from exc
        assert self.module is not None
        return self.module

    def op_call(self, msg: dict[str, Any]) -> dict[str, Any]:
        name = str(msg["name"])
        function = getattr(self._module(), name, None)
        if function is None:
            return {"ok": False, "missing": True}
        if not callable(function):
            return {"ok": False, "not_callable": True}
        args = _plain.from_plain(msg.get("args", []))
        kwargs = _plain.from_plain(msg.get("kwargs", {}))
        result = function(*args, **kwargs)
        if inspect.isawaitable(result):
            result = asyncio.run(_await(result))
        try:
            value = _plain.to_plain(result, tuples=True)
        except _plain.NotPlainData as exc:
            return {"ok": False, "returned": _plain.bounded(str(exc), 200)}
        return {"ok": True, "value": value}

    def op_ref(self, msg: dict[str, Any]) -> dict[str, Any]:
        """mode=testfile: one operation on a learner object (or the module itself)."""
        if self.refs is None:
            self.refs = LearnerSide(REQUEST_FD, REPLY_FD)
            self.refs.handle = self.handle
        if msg.get("do") == "module":
            self.refs.module = self._module()
            return {"ok": True, "value": self.refs.encode(self.refs.module)}
        return self.refs.answer(msg)

    def op_http(self, msg: dict[str, Any]) -> dict[str, Any]:
        from exercises.sandbox._asgi import AsgiSession

        app_name = str(msg.get("app_name", "app"))
        if self.client is None:
            app = getattr(self._module(), app_name, None)
            if app is None:
                return {"ok": False, "missing": True}
            self.client = AsgiSession(app)
        response = self.client.request(
            str(msg["method"]),
            str(msg["path"]),
            params=msg.get("params"),
            json=msg.get("json"),
            data=msg.get("data"),
            headers=msg.get("headers"),
        )
        return {
            "ok": True,
            "status_code": response.status_code,
            "headers": [[k, v] for k, v in response.headers.multi_items()],
            "text": response.text[: self.output_cap],
        }

    def op_finish(self, msg: dict[str, Any]) -> dict[str, Any]:
        if self.client is not None:
            client, self.client = self.client, None
            client.close()
        return {"ok": True}

    def op_run(self, msg: dict[str, Any]) -> dict[str, Any]:
        path = self._path(self.module_name)
        # dont_inherit: the code's own __future__ imports, not this module's
        code = compile(self.source, path, "exec", dont_inherit=True)
        out, err = CappedText(self.output_cap), CappedText(self.output_cap)
        saved = sys.stdin, sys.argv, sys.modules["__main__"]
        sys.stdin = io.StringIO(str(msg.get("stdin", "")))
        sys.argv = [path, *[str(a) for a in msg.get("argv", [])]]
        main = types.ModuleType("__main__")
        main.__file__ = path
        main.__dict__["__builtins__"] = builtins
        sys.modules["__main__"] = main
        returncode = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    exec(code, main.__dict__)  # noqa: S102
                except SystemExit as exc:
                    returncode = _exit_code(exc, err)
                except BaseException as exc:
                    tb = exc.__traceback__
                    traceback.print_exception(type(exc), exc, tb and tb.tb_next, file=err)
                    returncode = 1
        finally:
            sys.stdin, sys.argv, sys.modules["__main__"] = saved
        return {
            "ok": True,
            "stdout": out.getvalue(),
            "stderr": err.getvalue(),
            "returncode": returncode,
            "truncated": out.truncated or err.truncated,
        }

    def op_pytest(self, msg: dict[str, Any]) -> dict[str, Any]:
        import pytest

        collector = _Outcomes()
        args = ["-q", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(Path.cwd())]
        args += ["-W", "ignore::pytest.PytestAssertRewriteWarning", "-p", "anyio.pytest_plugin"]
        args.append("--tb=line")  # full tracebacks through a framework cost seconds
        args.append(f"{self.module_name}.py")
        exitcode = pytest.main(args, plugins=[collector])
        return {"ok": True, "exitcode": int(exitcode), "tests": collector.tests}


class _Outcomes:
    """A pytest plugin recording each test's outcome."""

    def __init__(self) -> None:
        self.tests: list[dict[str, str]] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or (report.when != "call" and report.outcome != "passed"):
            message = str(report.longreprtext) if report.failed else ""
            self.tests.append(
                {
                    "name": str(report.nodeid),
                    "outcome": str(report.outcome),
                    "message": _plain.bounded(message, 2000),
                }
            )


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _exit_code(exc: SystemExit, err: io.StringIO) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=err)
    return 1


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


_prepared: list[Child] = []
_streams: list[io.TextIOWrapper] = []


def _open_streams() -> list[io.TextIOWrapper]:
    """Text streams over the child's fds 0 (``/dev/null``), 1 and 2 (its output pipe)."""
    opts: dict[str, Any] = {"buffering": 1, "closefd": False, "errors": "backslashreplace"}
    return [open(0, closefd=False), open(1, "w", **opts), open(2, "w", **opts)]


def _scrub_environment() -> None:
    os.environ.clear()
    os.environ.update(CHILD_ENV)


def prepare() -> None:
    """Do once, in the zygote, what every child would repeat: its request handler (with
    its log capture), its standard streams, its scrubbed environment.  Each forked child
    starts with a copy of these (they hold nothing of any submission); the zygote never
    writes to the streams."""
    if not _prepared:
        _scrub_environment()
        _streams.extend(_open_streams())
        _prepared.append(Child())


def serve() -> None:
    """Answer requests until the runner closes the pipe."""
    child = _prepared[0] if _prepared else Child()
    while True:
        try:
            msg = _wire.recv(REQUEST_FD)
        except (_wire.WireError, OSError):
            os._exit(EXIT_CHANNEL_LOST)
        reply = child.handle(msg if isinstance(msg, dict) else {})
        try:
            data = _wire.encode(reply)
        except (ValueError, TypeError, RecursionError) as exc:
            data = _wire.encode({"ok": False, "error": _plain.describe_exception(exc)})
        try:
            _wire.write_all(REPLY_FD, data)
        except (_wire.WireError, OSError):
            os._exit(EXIT_CHANNEL_LOST)


def start(confine: Callable[[], None]) -> None:
    """Entry point right after fork: confine, scrub, then serve; never returns."""
    code = 0
    try:
        confine()
        if not _prepared:
            _scrub_environment()
        os.environ["HOME"] = os.environ["TMPDIR"] = str(Path.cwd())
        tempfile.tempdir = None
        signal.signal(signal.SIGINT, signal.default_int_handler)
        threading.stack_size(2**20)
        sys.stdin, sys.stdout, sys.stderr = _streams or _open_streams()
    except BaseException as exc:
        with contextlib.suppress(Exception):
            os.write(2, f"the sandbox could not be set up: {exc!r}\n".encode())
        os._exit(EXIT_SANDBOX_FAILED)
    try:
        serve()
    except BaseException:
        code = EXIT_SERVE_FAILED
    os._exit(code)
