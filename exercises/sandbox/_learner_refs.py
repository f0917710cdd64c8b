"""The learner side of ``mode: testfile``: answers requests about the learner's objects.

Runs in the sandboxed child (untrusted, like everything there).  Learner objects are
kept in a :class:`~exercises.sandbox._values.Table` and sent as references; the
runner's objects (a test's lambda, a mock) arrive as :class:`RunnerRef` proxies whose
use is a *callback*: a message on the reply pipe, answered by the runner on the
request pipe, with any requests the runner makes meanwhile served in between.
"""

from __future__ import annotations

import builtins
import weakref
from collections.abc import Callable
from typing import Any

from exercises.sandbox import _values, _wire
from exercises.sandbox._proxy import FullProxy, Proxy, capabilities, run_op

Handle = Callable[[dict[str, Any]], dict[str, Any]]


class CallbackFailed(Exception):
    """The runner's object raised an exception that has no builtin class."""


# Builtin functions that may cross by name (the receiver uses its own): pure ones only.
# The runner must never hold the real ``exec``, ``eval``, ``open``, ``getattr``... on
# the learner's say-so: a test calling what the learner's code returned, with what the
# learner's code returned, would run the learner's code in the runner.  Other builtins
# cross as references (and run where they live).  Builtin classes are all inert.
PURE_BUILTINS = frozenset(
    [
        "abs",
        "all",
        "any",
        "ascii",
        "bin",
        "callable",
        "chr",
        "divmod",
        "format",
        "hash",
        "hex",
        "id",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "max",
        "min",
        "next",
        "oct",
        "ord",
        "pow",
        "repr",
        "round",
        "sorted",
        "sum",
        "aiter",
        "anext",
    ]
)


def builtin_name(obj: Any) -> str | None:
    """The name of ``obj`` in :mod:`builtins` if it is that object (``int``, ``len``...)
    and may cross by name: a builtin class, or one of :data:`PURE_BUILTINS`."""
    if isinstance(obj, type):
        name = getattr(obj, "__name__", None)
    elif isinstance(obj, type(len)):
        name = getattr(obj, "__name__", None)
        if name not in PURE_BUILTINS:
            return None
    else:
        return None
    if isinstance(name, str) and getattr(builtins, name, None) is obj:
        return name
    return None


def _exception_class(cls: type[BaseException], table: _values.Table) -> dict[str, Any]:
    """A learner exception class: its chain of classes down to the first builtin one."""
    chain: list[list[Any]] = []
    current: type = cls
    while builtin_name(current) is None:
        chain.append([table.export(current), current.__module__, current.__qualname__])
        current = current.__base__ or BaseException
    return {"$t": "exc", "chain": chain, "base": current.__name__}


class LearnerSide:
    """The child's table of exported objects and its channel for callbacks."""

    def __init__(self, request_fd: int, reply_fd: int) -> None:
        self.table = _values.Table()
        self.request_fd = request_fd
        self.reply_fd = reply_fd
        self.handle: Handle | None = None
        self.module: Any = None
        self._proxies: weakref.WeakValueDictionary[int, RunnerRef] = weakref.WeakValueDictionary()

    # values -------------------------------------------------------------------------
    def export(self, obj: Any) -> dict[str, Any]:
        if isinstance(obj, RunnerRef):
            return {"$t": "R", "id": obj._ref}
        name = builtin_name(obj)
        if name is not None:
            return {"$t": "builtin", "name": name}
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return _exception_class(obj, self.table)
        return {"$t": "L", "id": self.table.export(obj), "c": _capabilities(obj)}

    def encode(self, value: Any) -> Any:
        return _values.encode(value, self.export)

    def resolve(self, data: dict[str, Any]) -> Any:
        tag = data.get("$t")
        if tag == "L":
            return self.table.get(data.get("id"))
        if tag == "P":
            return self._by_path(data.get("path"))
        if tag == "builtin":
            return _builtin(data.get("name"))
        if tag == "R" and type(data.get("id")) is int:
            ref = int(data["id"])
            proxy = self._proxies.get(ref)
            if proxy is None:
                proxy = self._proxies[ref] = RunnerRef(self, ref)
            return proxy
        raise _values.BadValue(f"unknown reference {tag!r}")

    def _by_path(self, path: Any) -> Any:
        obj = self.module
        for name in path if isinstance(path, list) else []:
            obj = getattr(obj, str(name))
        return obj

    def decode(self, data: Any) -> Any:
        return _values.decode(data, self.resolve)

    # requests from the runner ---------------------------------------------------------
    def answer(self, msg: dict[str, Any]) -> dict[str, Any]:
        """One ``ref`` request: do it to the learner's object, reply with the result."""
        self.table.release(msg.get("release"))
        do = str(msg.get("do"))
        target = self.decode(msg.get("target"))
        args = self.decode(msg.get("args", []))
        kwargs = self.decode(msg.get("kwargs", {"$t": "dict", "v": []}))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise _values.BadValue("malformed arguments")
        return {"ok": True, "value": self.encode(_act(target, do, args, kwargs))}

    def describe(self, exc: BaseException) -> dict[str, Any]:
        """A learner exception, for the runner to raise as the same class."""
        try:
            args = self.encode(list(exc.args))
        except Exception:
            args = None
        try:
            text = _values_text(str(exc))
        except Exception:
            text = "(the exception's message could not be read)"
        return {"class": self.encode(type(exc)), "args": args, "str": text, "ref": self.encode(exc)}

    # callbacks to the runner --------------------------------------------------------------
    def act(self, proxy: Proxy, do: str, *args: Any, **kwargs: Any) -> Any:
        assert isinstance(proxy, RunnerRef)
        return self.callback(proxy, do, list(args), kwargs)

    def drop(self, proxy: Proxy) -> None:
        return None

    def callback(self, proxy: RunnerRef, do: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if self.handle is None:
            raise RuntimeError("no runner to call back")
        request = {
            "target": {"$t": "R", "id": proxy._ref},
            "do": do,
            "args": self.encode(args),
            "kwargs": self.encode(kwargs),
        }
        _wire.write_all(self.reply_fd, _wire.encode({"callback": request}))
        while True:
            msg = _wire.recv(self.request_fd)
            if not isinstance(msg, dict):
                continue
            if msg.get("op") == "cbreply":
                return self._callback_result(msg)
            _wire.write_all(self.reply_fd, _wire.encode(self.handle(msg)))

    def _callback_result(self, msg: dict[str, Any]) -> Any:
        if msg.get("ok"):
            return self.decode(msg.get("value"))
        error: dict[str, Any] = msg["error"] if isinstance(msg.get("error"), dict) else {}
        cls = self.decode(error.get("class")) if error.get("class") is not None else None
        args = self.decode(error.get("args")) if error.get("args") is not None else []
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                raise cls(*args)
            except TypeError:
                pass
        raise CallbackFailed(str(error.get("str", "the test's callable raised")))


def _values_text(text: str) -> str:
    return text if len(text) <= 4000 else text[:4000] + "…"


def _builtin(name: Any) -> Any:
    found = getattr(builtins, str(name), None)
    if found is None:
        raise _values.BadValue(f"no builtin {name!r}")
    return found


def _act(target: Any, do: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if do == "getattr":
        return getattr(target, str(args[0]))
    if do == "setattr":
        setattr(target, str(args[0]), args[1])
        return None
    if do == "delattr":
        delattr(target, str(args[0]))
        return None
    if do == "call":
        return target(*args, **kwargs)
    return run_op(target, do, args)


_known: dict[type, list[str]] = {}


def _capabilities(obj: Any) -> list[str]:
    kind = type(obj)
    found = _known.get(kind)
    if found is None:
        found = _known[kind] = capabilities(obj)
    return found


class RunnerRef(FullProxy):
    """An object of the runner (a test's callable, a mock) seen by the learner's code."""

    __slots__ = ()
