"""References to objects of the other process, for ``mode: testfile``.

A :class:`Proxy` stands for an object that lives on the other side of the pipe (a
learner object in the runner, a test's callable in the learner child).  Every use of
it (an attribute, a call, an operator) is one request through its ``_link``;
:data:`OPS` says how the owner of the object carries each operator out.
"""

from __future__ import annotations

import asyncio
import contextlib
import operator
from collections.abc import Callable, Generator
from typing import Any, Protocol

_BINARY = (
    "add sub mul truediv floordiv mod pow lshift rshift and_ or_ xor matmul".split()  # noqa: SIM905
)


class Link(Protocol):
    """How a proxy reaches the object it stands for."""

    def act(self, proxy: Proxy, do: str, *args: Any, **kwargs: Any) -> Any: ...

    def drop(self, proxy: Proxy) -> None: ...


def _reflected(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda a, b: fn(b, a)


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _await(target: Any) -> Any:
    """Run an awaitable to completion in this process (``await`` on a reference)."""
    return asyncio.run(_awaited(target))


def _enter(target: Any) -> Any:
    return type(target).__enter__(target)


def _exit(target: Any, *args: Any) -> Any:
    return type(target).__exit__(target, *args)


OPS: dict[str, Callable[..., Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "hash": hash,
    "str": str,
    "repr": repr,
    "len": len,
    "bool": bool,
    "iter": iter,
    "next": next,
    "contains": lambda a, b: b in a,
    "getitem": operator.getitem,
    "setitem": operator.setitem,
    "delitem": operator.delitem,
    "format": format,
    "index": operator.index,
    "int": int,
    "float": float,
    "complex": complex,
    "round": round,
    "abs": abs,
    "neg": operator.neg,
    "pos": operator.pos,
    "invert": operator.invert,
    "reversed": reversed,
    "enter": _enter,
    "await": _await,
    "exit": _exit,
    "instancecheck": lambda cls, obj: isinstance(obj, cls),
    "subclasscheck": lambda cls, sub: issubclass(sub, cls),
}
for _name in _BINARY:
    _fn = getattr(operator, _name)
    OPS[_name] = _fn
    OPS["r" + _name] = _reflected(_fn)
    OPS["i" + _name] = getattr(operator, "i" + _name.rstrip("_"))


def _unary(op: str) -> Callable[[Proxy], Any]:
    def method(self: Proxy) -> Any:
        return self._link.act(self, op)

    method.__name__ = f"__{op}__"
    return method


def _binary(op: str) -> Callable[[Proxy, Any], Any]:
    def method(self: Proxy, other: Any) -> Any:
        return self._link.act(self, op, other)

    method.__name__ = f"__{op}__"
    return method


class Proxy:
    """An object of the other process; everything done to it is done over there.

    The base class has what every object has (attributes, comparisons, hashing,
    ``str``/``repr``/``format``, arithmetic that the object may refuse); the optional
    protocols (``len``, iteration, calling, indexing, ``with``, ``await``...) are added
    by :func:`proxy_class` only for objects whose type has them, so ``callable(x)``,
    ``hasattr(x, "__len__")`` and ``unittest.mock``'s checks see the truth, and
    ``list(x)`` does not ask an object without ``__len__`` for its length.
    """

    __slots__ = ("__weakref__", "_link", "_ref")
    _link: Link
    _ref: int

    def __init__(self, link: Link, ref: int) -> None:
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_ref", ref)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # never raise from a finaliser
            self._link.drop(self)

    def __getattr__(self, name: str) -> Any:
        if name in ("_link", "_ref", "_gen", "_path") or name.startswith("_tutor_"):
            raise AttributeError(name)
        return self._link.act(self, "getattr", name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._link.act(self, "setattr", name, value)

    def __delattr__(self, name: str) -> None:
        self._link.act(self, "delattr", name)

    def __hash__(self) -> int:
        value = self._link.act(self, "hash")
        if type(value) is not int:
            raise TypeError("__hash__ did not return an int")
        return value

    def __format__(self, spec: str) -> str:
        return str(self._link.act(self, "format", spec))

    def __instancecheck__(self, obj: Any) -> bool:
        return bool(self._link.act(self, "instancecheck", obj))

    def __subclasscheck__(self, sub: Any) -> bool:
        return bool(self._link.act(self, "subclasscheck", sub))


for _op in ["str", "repr"]:
    setattr(Proxy, f"__{_op}__", _unary(_op))
for _op in ["eq", "ne", "lt", "le", "gt", "ge"]:
    setattr(Proxy, f"__{_op}__", _binary(_op))
for _name in _BINARY:
    _dunder = _name.rstrip("_")
    for _prefix in ("", "r", "i"):
        setattr(Proxy, f"__{_prefix}{_dunder}__", _binary(_prefix + _name))


def _call(self: Proxy, *args: Any, **kwargs: Any) -> Any:
    return self._link.act(self, "call", *args, **kwargs)


def _setitem(self: Proxy, key: Any, value: Any) -> None:
    self._link.act(self, "setitem", key, value)


def _exit_method(self: Proxy, *args: Any) -> Any:
    return self._link.act(self, "exit", *args)


def _round(self: Proxy, *args: Any) -> Any:
    return self._link.act(self, "round", *args)


def _await_method(self: Proxy) -> Generator[Any, None, Any]:
    # The awaitable runs to completion where it lives; nothing is suspended here.
    return self._link.act(self, "await")
    yield  # pragma: no cover - makes this a generator


GATED: dict[str, Callable[..., Any]] = {
    "call": _call,
    "setitem": _setitem,
    "exit": _exit_method,
    "round": _round,
    "await": _await_method,
}
for _op in [
    "len",
    "bool",
    "iter",
    "next",
    "index",
    "int",
    "float",
    "complex",
    "abs",
    "neg",
    "pos",
    "invert",
    "reversed",
    "enter",
]:
    GATED[_op] = _unary(_op)
for _op in ("contains", "getitem", "delitem"):
    GATED[_op] = _binary(_op)
_classes: dict[tuple[type[Proxy], frozenset[str]], type[Proxy]] = {}


def capabilities(obj: Any) -> list[str]:
    """The optional protocols ``obj``'s type has (what :func:`proxy_class` adds)."""
    mro = type(obj).__mro__  # the type's own classes: not its metaclass (a class's __call__)
    return [op for op in GATED if _defined(mro, f"__{op}__")]


def _defined(mro: tuple[type, ...], name: str) -> bool:
    for klass in mro:
        if name in klass.__dict__:
            return klass.__dict__[name] is not None
    return False


def proxy_class(base: type[Proxy], caps: Any) -> type[Proxy]:
    """``base`` with the optional protocols in ``caps`` (names from :data:`GATED`)."""
    wanted = frozenset(c for c in caps if c in GATED) if isinstance(caps, list) else frozenset()
    key = (base, wanted)
    cls = _classes.get(key)
    if cls is None:
        methods = {f"__{op}__": GATED[op] for op in sorted(wanted)}
        cls = _classes[key] = type(base.__name__, (base,), {"__slots__": (), **methods})
    return cls


class FullProxy(Proxy):
    """A proxy with every protocol (for objects whose type is not described)."""

    __slots__ = ()


for _op, _method in GATED.items():
    setattr(FullProxy, f"__{_op}__", _method)


def run_op(target: Any, do: str, args: list[Any]) -> Any:
    """Carry out operator ``do`` on ``target`` (in the process that owns it)."""
    fn = OPS.get(do)
    if fn is None:
        raise TypeError(f"unsupported operation {do!r}")
    return fn(target, *args)
