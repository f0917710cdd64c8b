"""Values crossing between the grading runner and a learner child, for ``mode: testfile``.

What can be copied faithfully crosses as a value: ``None``, ``bool``, ``int``, ``float``,
``str``, ``bytes``, ``complex``, ``Decimal``, ``Fraction``, ``date``, ``datetime``
(naive or with a fixed offset), ``time``, ``timedelta`` and lists, tuples, sets,
frozensets and dicts (any hashable keys) of those, nested.  Only *exact* types are
copied (``type(x) is int``, not a subclass), so no method of the sender survives the
copy.  Anything else crosses as a reference: ``{"$t": "ref", "id": N}`` names an
object of the sender's table, ``{"$t": "own", "id": N}`` one of the receiver's (an
object the receiver sent earlier, coming back).  Exception classes of the sender
cross as ``{"$t": "exc", ...}`` so the receiver can mirror them.

Both sides use :func:`encode` and :func:`decode` with their own :class:`Table`.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

MAX_DEPTH = 60
Data = Any  # JSON-like data as it travels


class BadValue(Exception):
    """Data that no :func:`encode` produces (the sender is misbehaving)."""


class Table:
    """The objects one side has sent by reference, by id (kept alive until released)."""

    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self._ids: dict[int, int] = {}
        self._next = 1

    def export(self, obj: Any) -> int:
        """The id of ``obj`` in this table (the same id each time it is sent)."""
        key = id(obj)
        found = self._ids.get(key)
        if found is not None and self.objects.get(found) is obj:
            return found
        ref = self._next
        self._next += 1
        self.objects[ref] = obj
        self._ids[key] = ref
        return ref

    def get(self, ref: Any) -> Any:
        if type(ref) is not int or ref not in self.objects:
            raise BadValue(f"no object {ref!r} was sent")
        return self.objects[ref]

    def release(self, refs: Any) -> None:
        if not isinstance(refs, list):
            return
        for ref in refs:
            obj = self.objects.pop(ref, None) if type(ref) is int else None
            if obj is not None:
                self._ids.pop(id(obj), None)


def _float(value: float) -> Data:
    return value if math.isfinite(value) else {"$t": "float", "v": repr(value)}


def _int(value: int) -> Data:
    return value if -(2**63) < value < 2**63 else {"$t": "int", "v": str(value)}


def _offset(value: dt.datetime | dt.time) -> float | None:
    offset = value.utcoffset()
    return None if offset is None else offset.total_seconds()


def _fixed_zone(value: dt.datetime | dt.time) -> bool:
    return value.tzinfo is None or type(value.tzinfo) is dt.timezone


Encoder = Callable[[Any], Data]


def _scalar(value: Any) -> Data:
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        return _int(value)
    if kind is float:
        return _float(value)
    if kind is bytes:
        return {"$t": "bytes", "v": base64.b64encode(value).decode()}
    if kind is complex:
        return {"$t": "complex", "v": [repr(value.real), repr(value.imag)]}
    if kind is Decimal:
        return {"$t": "decimal", "v": str(value)}
    if kind is Fraction:
        return {"$t": "fraction", "v": [str(value.numerator), str(value.denominator)]}
    if kind is dt.timedelta:
        return {"$t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if kind is dt.date:
        return {"$t": "date", "v": value.toordinal()}
    if kind is dt.datetime and _fixed_zone(value):
        parts = [*value.timetuple()[:6], value.microsecond, value.fold, _offset(value)]
        return {"$t": "datetime", "v": parts}
    if kind is dt.time and _fixed_zone(value):
        parts = [value.hour, value.minute, value.second, value.microsecond, value.fold]
        return {"$t": "time", "v": [*parts, _offset(value)]}
    return _NOT_SCALAR


_NOT_SCALAR: Any = object()
_CONTAINERS = {tuple: "tuple", set: "set", frozenset: "frozenset"}


def encode(value: Any, export: Encoder, depth: int = 0) -> Data:
    """``value`` as data: a copy where the type allows it, else ``export(value)``."""
    data = _scalar(value)
    if data is not _NOT_SCALAR:
        return data
    kind = type(value)
    if depth >= MAX_DEPTH:
        return export(value)
    if kind is list:
        return [encode(item, export, depth + 1) for item in list.__iter__(value)]
    tag = _CONTAINERS.get(kind)  # type: ignore[call-overload]
    if tag is not None:
        return {"$t": tag, "v": [encode(item, export, depth + 1) for item in value]}
    if kind is dict:
        pairs = dict.items(value)
        return {
            "$t": "dict",
            "v": [[encode(k, export, depth + 1), encode(v, export, depth + 1)] for k, v in pairs],
        }
    return export(value)


Resolver = Callable[[dict[str, Any]], Any]


def _number(text: Any) -> str:
    if not isinstance(text, str) or len(text) > 5000:
        raise BadValue("a number that is not one")
    return text


def _zone(offset: Any) -> dt.timezone | None:
    if offset is None:
        return None
    return dt.timezone(dt.timedelta(seconds=float(offset)))


def _tagged(data: dict[str, Any], resolve: Resolver, depth: int) -> Any:
    tag = data.get("$t")
    value: Any = data.get("v")
    if tag == "int":
        return int(_number(value))
    if tag == "float":
        return float(_number(value))
    if tag == "bytes":
        return base64.b64decode(_number(value), validate=True)
    if tag == "complex":
        return complex(float(_number(value[0])), float(_number(value[1])))
    if tag == "decimal":
        return Decimal(_number(value))
    if tag == "fraction":
        return Fraction(int(_number(value[0])), int(_number(value[1])))
    if tag == "timedelta":
        return dt.timedelta(days=value[0], seconds=value[1], microseconds=value[2])
    if tag == "date":
        return dt.date.fromordinal(value)
    if tag == "datetime":
        year, month, day, hour, minute, second, micro, fold, offset = value
        return dt.datetime(
            year, month, day, hour, minute, second, micro, fold=fold, tzinfo=_zone(offset)
        )
    if tag == "time":
        hour, minute, second, micro, fold, offset = value
        return dt.time(hour, minute, second, micro, fold=fold, tzinfo=_zone(offset))
    if tag in ("list", "tuple", "set", "frozenset"):
        items = [decode(item, resolve, depth + 1) for item in _items(value)]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
    if tag == "dict":
        return {
            decode(k, resolve, depth + 1): decode(v, resolve, depth + 1)
            for k, v in (_pair(p) for p in _items(value))
        }
    return resolve(data)


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise BadValue("a collection that is not a list")
    return value


def _pair(pair: Any) -> tuple[Any, Any]:
    if not isinstance(pair, list) or len(pair) != 2:
        raise BadValue("a dict entry that is not a pair")
    return pair[0], pair[1]


def decode(data: Data, resolve: Resolver, depth: int = 0) -> Any:
    """The value ``data`` encodes; references become what ``resolve`` makes of them.

    Every value built here is of an exact builtin type: nothing of the sender's code.
    """
    if depth > MAX_DEPTH + 2:
        raise BadValue("nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item, resolve, depth + 1) for item in data]
    if type(data) is dict:
        try:
            return _tagged(data, resolve, depth)
        except BadValue:
            raise
        except (TypeError, ValueError, IndexError, OverflowError, ArithmeticError) as exc:
            raise BadValue(f"malformed value: {type(exc).__name__}") from None
    raise BadValue("not a value")
