"""The runner side of ``mode: testfile``: the learner's module as references.

A :class:`Session` owns one learner child at a time.  The tests see a stand-in module
(:func:`Session.stand_in`) whose attributes are :class:`LearnerRef` proxies: every use
of one is a ``ref`` request to the child.  Exceptions the learner's code raises arrive
as their class (builtin, a class of an already imported library, or a runner-side
mirror of a class the learner defined) with their args.  Whatever goes wrong on the
grader's side (the child died, hit a limit, replied nonsense) is a :class:`Fault`,
which derives from ``BaseException`` so that no ``except Exception`` in a test can
mistake it for the learner's exception.
"""

from __future__ import annotations

import builtins
import sys
import time
import types
import weakref
from collections.abc import Callable
from typing import Any

from exercises.sandbox import _values
from exercises.sandbox._child_pool import ChildGone, ChildProcess, OutputLimit, TimeLimit
from exercises.sandbox._learner_refs import builtin_name
from exercises.sandbox._proxy import OPS, Proxy, proxy_class, run_op
from exercises.sandbox.protocol import LimitHit

MAX_CHAIN = 32
FRAMEWORKS = frozenset({"unittest", "_pytest", "pytest", "pluggy", "exercises", "doctest"})


class Fault(BaseException):
    """A problem of the grading, not an exception of the learner's code."""

    def __init__(self, message: str, limit: LimitHit | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.limit = limit


class MissingName(AttributeError):
    """The tests asked the learner's module for a name it does not define."""


class LearnerRef(Proxy):
    """An object living in the learner's child."""

    __slots__ = ("_gen", "_path")
    _gen: int
    _path: tuple[str, ...] | None

    def __repr__(self) -> str:
        return str(self._link.act(self, "repr"))


class _MirrorBase:
    """Mixed into the runner's mirror of an exception class the learner defined."""

    _tutor_text: str | None = None
    _tutor_remote: Any = None

    def __str__(self) -> str:
        if self._tutor_text is not None:
            return self._tutor_text
        return BaseException.__str__(self)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        remote = self.__dict__.get("_tutor_remote")
        if remote is None or name.startswith(("_tutor_", "__")):
            raise AttributeError(name)  # dunders are probed by tracebacks: answer here
        return getattr(remote, name)


Messages = Callable[[str], tuple[str, LimitHit | None]]


class Session:
    """The learner child of a testfile job, and the references into it."""

    def __init__(
        self,
        take: Callable[[], ChildProcess],
        setup: dict[str, Any],
        module_name: str,
        ended: Messages,
        limit_message: Callable[[LimitHit], str],
    ) -> None:
        self.proc: ChildProcess | None = None
        self.gen = 0
        self.deadline = 0.0
        self.fault: Fault | None = None
        self.callback_failures: list[str] = []
        self.module_name = module_name
        self.table = _values.Table()
        self._take = take
        self._setup = setup
        self._ended = ended
        self._limit_message = limit_message
        self._proxies: weakref.WeakValueDictionary[int, LearnerRef] = weakref.WeakValueDictionary()
        self._release: list[int] = []
        self._mirrors: dict[tuple[str, str], type[BaseException]] = {}
        self._module: LearnerRef | None = None
        self.output = ""

    # the child ------------------------------------------------------------------------------
    def begin(self, seconds: float) -> None:
        """A new test (or the import): a fresh deadline and no fault yet.

        Output printed since the last test (at import, say) is kept for the next one.
        """
        self.deadline = time.monotonic() + seconds
        self.fault = None
        self.callback_failures = []
        self._collect_output()

    def _collect_output(self) -> None:
        if self.proc is not None:
            self.output += self.proc.output_text()
            self.proc.output = bytearray()
            self.proc.output_total = 0

    def take_output(self) -> str:
        """What the learner's code printed since the last call."""
        self._collect_output()
        text, self.output = self.output, ""
        return text

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill(wait=False)
            self.proc = None

    def load(self) -> LearnerRef:
        """The learner's module (in a fresh child if needed); raises Fault if it won't load."""
        if self.fault is not None:
            raise self.fault
        if self.proc is None or self._module is None:
            self._start_child()
        assert self._module is not None
        return self._module

    def _start_child(self) -> None:
        self.close()
        self.proc = self._take()
        self.gen += 1
        self._release = []
        self._module = None
        reply = self._exchange({"op": "ref", "do": "module", "setup": self._setup})
        if reply.get("load_failed"):
            failure = _import_failure(reply.get("error"), f"{self.module_name}.py")
            raise self._fail(Fault(failure))
        module = self._value(reply) if reply.get("ok") else None
        if not isinstance(module, LearnerRef):
            raise self._fail(Fault("the sandbox sent something else than your module"))
        object.__setattr__(module, "_path", ())
        self._module = module

    def _fail(self, fault: Fault) -> Fault:
        """Give the child up (it is killed); the rest of this test sees ``fault``."""
        if self.proc is not None:
            self._collect_output()
            self.proc.kill(wait=False)
            self.proc = None
        self._module = None
        self.fault = fault
        return fault

    def request(self, msg: dict[str, Any]) -> dict[str, Any]:
        if self.fault is not None:
            raise self.fault
        if self.proc is None:
            self._start_child()
        if self._release:
            msg = {**msg, "release": self._release}
            self._release = []
        return self._exchange(msg)

    def _exchange(self, msg: dict[str, Any]) -> dict[str, Any]:
        """One request and its reply, serving the learner's callbacks in between."""
        proc = self.proc
        assert proc is not None
        try:
            reply = proc.request(msg, self.deadline)
            while isinstance(reply.get("callback"), dict):
                reply = proc.request(self._serve(reply["callback"]), self.deadline)
        except TimeLimit:
            raise self._fail(Fault(self._limit_message("time"), "time")) from None
        except OutputLimit:
            raise self._fail(Fault(self._limit_message("output"), "output")) from None
        except ChildGone as exc:
            if proc.ran_out_of_memory():
                raise self._fail(Fault(self._limit_message("memory"), "memory")) from None
            raise self._fail(Fault(*self._ended(exc.status))) from None
        if reply.get("setup_failed"):
            raise self._fail(Fault(*self._ended("could not be set up")))
        return reply

    def _value(self, reply: dict[str, Any]) -> Any:
        """The value of a reply, or the learner's exception raised as its class."""
        try:
            if reply.get("ok"):
                return self.decode(reply.get("value"))
            exc = self._learner_exception(reply.get("error"))
        except _values.BadValue as bad:
            message = f"your code sent a malformed reply to the grader ({bad})"
            raise self._fail(Fault(message)) from None
        raise exc

    # proxies ------------------------------------------------------------------------------
    def act(self, proxy: Proxy, do: str, *args: Any, **kwargs: Any) -> Any:
        """Do ``do`` to the learner object ``proxy`` stands for.

        Raises the learner's exception, a Fault, or what a test's callable raised
        through the frameworks (``pytest.fail``); any other exception would be a bug
        of the grader, and becomes a Fault rather than pass for the learner's.
        """
        assert isinstance(proxy, LearnerRef)
        try:
            return self._act(proxy, do, args, kwargs)
        except Exception as exc:
            if getattr(exc, "_tutor_learner", False):
                raise
            message = f"grader error: {type(exc).__name__}: {exc}"
            raise self._fail(Fault(message[:2000])) from None

    def _act(self, proxy: LearnerRef, do: str, args: tuple[Any, ...], kwargs: Any) -> Any:
        msg = {
            "op": "ref",
            "do": do,
            "target": self.export(proxy),
            "args": self.encode(list(args)),
            "kwargs": self.encode(kwargs),
        }
        value = self._value(self.request(msg))
        fresh = isinstance(value, LearnerRef) and value._path is None
        if do == "getattr" and fresh and proxy._path is not None:
            object.__setattr__(value, "_path", (*proxy._path, str(args[0])))
        return value

    def drop(self, proxy: Proxy) -> None:
        if isinstance(proxy, LearnerRef) and proxy._gen == self.gen:
            self._release.append(proxy._ref)

    def encode(self, value: Any) -> Any:
        return _values.encode(value, self.export)

    def decode(self, data: Any) -> Any:
        return _values.decode(data, self._resolve)

    def export(self, obj: Any) -> dict[str, Any]:
        if isinstance(obj, LearnerRef):
            if obj._gen == self.gen:
                return {"$t": "L", "id": obj._ref}
            if obj._path is not None:
                return {"$t": "P", "path": list(obj._path)}
            raise self._fail(
                Fault(
                    "the tests used an object of your code made before your code was "
                    "stopped (see the earlier failure)"
                )
            )
        if isinstance(obj, StandIn):
            return {"$t": "P", "path": []}
        name = builtin_name(obj)
        if name is not None:
            return {"$t": "builtin", "name": name}
        path = getattr(obj, "_tutor_path", None) if isinstance(obj, type) else None
        if isinstance(path, tuple) and obj.__dict__.get("_tutor_path") is path:
            return {"$t": "P", "path": list(path)}
        return {"$t": "R", "id": self.table.export(obj)}

    def _resolve(self, data: dict[str, Any]) -> Any:
        tag = data.get("$t")
        if tag == "L" and type(data.get("id")) is int:
            return self._proxy(int(data["id"]), data.get("c"))
        if tag == "R":
            return self.table.get(data.get("id"))
        if tag == "builtin":
            found = getattr(builtins, str(data.get("name")), None)
            if found is None or builtin_name(found) is None:
                raise _values.BadValue("not a builtin")
            return found
        if tag == "exc":
            return self._exception_class(data)
        raise _values.BadValue(f"unknown reference {tag!r}")

    def _proxy(self, ref: int, caps: Any = None) -> LearnerRef:
        proxy = self._proxies.get(ref)
        if proxy is None or proxy._gen != self.gen:
            if ref in self._release:
                self._release.remove(ref)
            made = proxy_class(LearnerRef, caps)(self, ref)
            assert isinstance(made, LearnerRef)
            object.__setattr__(made, "_gen", self.gen)
            object.__setattr__(made, "_path", None)
            self._proxies[ref] = made
            return made
        return proxy

    # exceptions -------------------------------------------------------------------------------
    def _exception_class(self, data: dict[str, Any]) -> type[BaseException]:
        base = getattr(builtins, str(data.get("base")), None)
        if not (isinstance(base, type) and issubclass(base, BaseException)):
            raise _values.BadValue("an exception class without a builtin base")
        cls: type[BaseException] = base if issubclass(base, Exception) else Exception
        chain = data.get("chain")
        if isinstance(chain, list) and len(chain) > MAX_CHAIN:
            raise _values.BadValue("an exception class with too many bases")
        for entry in reversed(chain if isinstance(chain, list) else []):
            if not (isinstance(entry, list) and len(entry) == 3):
                raise _values.BadValue("a malformed exception class")
            ref, module, qualname = entry[0], str(entry[1])[:200], str(entry[2])[:200]
            cls = self._mirror(cls, module, qualname, ref)
        if not issubclass(base, Exception) and not data.get("chain"):
            cls = self._mirror(Exception, "builtins", base.__name__, None)
        return cls

    def _mirror(
        self, base: type[BaseException], module: str, qualname: str, ref: Any
    ) -> type[BaseException]:
        known = self._known_class(module, qualname)
        if known is not None:
            return known
        key = (module, qualname)
        mirror = self._mirrors.get(key)
        if mirror is None:
            name = qualname.rsplit(".", 1)[-1]
            attrs: dict[str, Any] = {"__module__": module, "__qualname__": qualname}
            if module == self.module_name:
                attrs["_tutor_path"] = tuple(qualname.split("."))
            mirror = type(name, (_MirrorBase, base), attrs)
            self._mirrors[key] = mirror
        return mirror

    def _known_class(self, module: str, qualname: str) -> type[BaseException] | None:
        """A class of a library the runner has imported too (``json.JSONDecodeError``)."""
        top = module.split(".")[0]
        if top in FRAMEWORKS or module == self.module_name or top == "builtins":
            return None
        found: Any = sys.modules.get(module)
        if getattr(found, "__spec__", None) is None or isinstance(found, StandIn):
            return None
        for part in qualname.split("."):
            if not part.isidentifier() or part.startswith("_"):
                return None
            found = getattr(found, part, None)
        if isinstance(found, type) and issubclass(found, Exception):
            return found
        return None

    def _learner_exception(self, error: Any) -> BaseException:
        error = error if isinstance(error, dict) else {}
        raised = error.get("raised") if isinstance(error.get("raised"), dict) else {}
        cls: Any = self.decode(raised["class"]) if "class" in raised else None
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = _fallback_class(str(error.get("type", "Exception")))
        if not issubclass(cls, Exception):
            cls = self._mirror(Exception, "builtins", cls.__name__, None)
        args = self.decode(raised["args"]) if raised.get("args") is not None else None
        text = raised.get("str") if isinstance(raised.get("str"), str) else error.get("message")
        exc = _instantiate(cls, args if isinstance(args, list) else [str(text or "")])
        if isinstance(exc, _MirrorBase):
            exc._tutor_text = str(text) if text is not None else None
            if "ref" in raised:
                exc._tutor_remote = self.decode(raised["ref"])
        line = error.get("line")
        try:
            exc._tutor_learner = True  # type: ignore[attr-defined]
            exc._tutor_line = line if type(line) is int else None  # type: ignore[attr-defined]
        except AttributeError:
            pass
        return exc

    # callbacks from the learner's code -------------------------------------------------------
    def _serve(self, request: dict[str, Any]) -> dict[str, Any]:
        """The learner's code uses an object of the tests (a lambda, a mock): do it here."""
        try:
            target_data = request.get("target")
            if not (isinstance(target_data, dict) and target_data.get("$t") == "R"):
                raise _values.BadValue("a callback to something that is not the tests'")
            target = self.table.get(target_data.get("id"))
            do = str(request.get("do"))
            args = self.decode(request.get("args", []))
            kwargs = self.decode(request.get("kwargs", {"$t": "dict", "v": []}))
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise _values.BadValue("malformed arguments")
            value = self._callback(target, do, args, {str(k): v for k, v in kwargs.items()})
            return {"op": "cbreply", "ok": True, "value": self.encode(value)}
        except _values.BadValue as bad:
            message = f"your code sent a malformed request to the grader ({bad})"
            raise self._fail(Fault(message)) from None
        except AssertionError as exc:
            self.callback_failures.append(str(exc) or "assertion failed")
            return {"op": "cbreply", "ok": False, "error": self._describe(exc)}
        except Exception as exc:
            return {"op": "cbreply", "ok": False, "error": self._describe(exc)}
        except Fault:
            raise
        except BaseException:
            self._fail(Fault("the tests stopped while your code was calling them"))
            self.fault = None
            raise

    def _callback(self, target: Any, do: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if do == "getattr":
            name = str(args[0]) if args else ""
            if name.startswith("_"):
                raise AttributeError(f"{name}: the tests' objects show only public attributes")
            return getattr(target, name)
        if do == "call":
            return target(*args, **kwargs)
        if do in OPS:
            return run_op(target, do, args)
        raise TypeError(f"your code may not {do} the tests' objects")

    def _describe(self, exc: Exception) -> dict[str, Any]:
        try:
            args = self.encode(list(exc.args))
        except Exception:
            args = None
        return {"class": self.encode(type(exc)), "args": args, "str": str(exc)[:4000]}

    # the stand-in module ------------------------------------------------
    def stand_in(self) -> StandIn:
        cls = type("StandIn", (StandIn,), {"_tutor_session": self})
        module: StandIn = cls(self.module_name)
        module.__file__ = f"{self.module_name}.py"
        return module


def _import_failure(error: Any, filename: str) -> str:
    error = error if isinstance(error, dict) else {}
    kind = str(error.get("type", "Exception"))[:200]
    message = str(error.get("message", ""))[:2000]
    line = error.get("line")
    if kind in ("SyntaxError", "IndentationError", "TabError") and type(line) is int:
        return f"your code could not be imported: {kind} in {filename}, line {line}: {message}"
    where = f" (line {line})" if type(line) is int else ""
    return f"your code could not be imported: {kind}: {message}{where}"


def _fallback_class(name: str) -> type[BaseException]:
    found = getattr(builtins, name, None)
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    return Exception


def _instantiate(cls: type[BaseException], args: list[Any]) -> BaseException:
    try:
        return cls(*args)
    except Exception:
        exc = cls.__new__(cls)
        exc.args = tuple(args)
        return exc


class StandIn(types.ModuleType):
    """The learner's module as the tests import it: attributes live in the child."""

    _tutor_session: Session

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name != "__all__":
            raise AttributeError(name)
        session = type(self)._tutor_session
        module = session.load()
        try:
            return session.act(module, "getattr", name)
        except AttributeError:
            raise MissingName(
                f"there is no {name!r} in your code ({session.module_name}.py)"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("__") and name.endswith("__"):
            super().__setattr__(name, value)
            return
        session = type(self)._tutor_session
        session.act(session.load(), "setattr", name, value)

    def __delattr__(self, name: str) -> None:
        session = type(self)._tutor_session
        session.act(session.load(), "delattr", name)

    def __dir__(self) -> list[str]:
        session = type(self)._tutor_session
        names = session.act(session.load(), "getattr", "__dict__")
        return sorted(str(n) for n in names) if isinstance(names, dict) else []
