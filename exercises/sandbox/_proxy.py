"""References to objects of the other process, for ``mode: testfile``.

A :class:`Proxy` stands for an object that lives on the other side of the pipe (a
learner object in the runner, a test's callable in the learner child).  Every use of
it (an attribute, a call, an operator) is one request through its ``_link``;
:data:`OPS` says how the owner of the object carries each operator out.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable
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
    """An object of the other process; everything done to it is done over there."""

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

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._link.act(self, "call", *args, **kwargs)

    def __hash__(self) -> int:
        value = self._link.act(self, "hash")
        if type(value) is not int:
            raise TypeError("__hash__ did not return an int")
        return value

    def __exit__(self, *args: Any) -> Any:
        return self._link.act(self, "exit", *args)

    def __format__(self, spec: str) -> str:
        return str(self._link.act(self, "format", spec))

    def __round__(self, *args: Any) -> Any:
        return self._link.act(self, "round", *args)

    def __instancecheck__(self, obj: Any) -> bool:
        return bool(self._link.act(self, "instancecheck", obj))

    def __subclasscheck__(self, sub: Any) -> bool:
        return bool(self._link.act(self, "subclasscheck", sub))


for _op in [
    "str",
    "repr",
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
    setattr(Proxy, f"__{_op}__", _unary(_op))
for _op in ["eq", "ne", "lt", "le", "gt", "ge", "contains", "getitem", "delitem"]:
    setattr(Proxy, f"__{_op}__", _binary(_op))
for _name in _BINARY:
    _dunder = _name.rstrip("_")
    for _prefix in ("", "r", "i"):
        setattr(Proxy, f"__{_prefix}{_dunder}__", _binary(_prefix + _name))


def _setitem(self: Proxy, key: Any, value: Any) -> None:
    self._link.act(self, "setitem", key, value)


Proxy.__setitem__ = _setitem  # type: ignore[index]


def run_op(target: Any, do: str, args: list[Any]) -> Any:
    """Carry out operator ``do`` on ``target`` (in the process that owns it)."""
    fn = OPS.get(do)
    if fn is None:
        raise TypeError(f"unsupported operation {do!r}")
    return fn(target, *args)
