"""Learner values to JSON-like data, and learner exceptions to plain descriptions."""

from __future__ import annotations

import enum
import math
import os
from pathlib import Path
from typing import Any

MAX_DEPTH = 100
MAX_TEXT = 4000


class NotPlainData(Exception):
    """A value that cannot cross to the checks as JSON-like data."""


def to_plain(value: Any, depth: int = 0, *, tuples: bool = False) -> Any:
    """Copy ``value`` into exact builtin JSON-like types, or raise NotPlainData.

    Subclasses of ``int``/``float``/``str`` (enums included) become their base value,
    so no learner-defined method (an always-true ``__eq__``...) survives the copy.
    With ``tuples`` a tuple is kept a tuple (``{"$tuple": [...]}``, undone by
    :func:`from_plain`); without, it becomes a list.  NotPlainData's message names
    what the value is ("a date", "a dict with an int key").
    """
    if depth > MAX_DEPTH:
        raise NotPlainData("a value nested too deeply")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return bool.__bool__(value)
    if isinstance(value, int):
        return _int(value)
    if isinstance(value, float):
        number = float.__float__(value)
        if math.isnan(number) or math.isinf(number):
            return {"$float": repr(number)}
        return number
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, list | tuple):
        items = [to_plain(item, depth + 1, tuples=tuples) for item in value]
        return {"$tuple": items} if tuples and isinstance(value, tuple) else items
    if isinstance(value, dict):
        return _dict(value, depth, tuples)
    raise NotPlainData(_a(type(value).__name__))


def _a(name: str) -> str:
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _int(value: int) -> int | dict[str, str]:
    number = int.__index__(value)
    if abs(number) >= 2**63:
        try:
            return {"$int": str(number)}
        except ValueError:
            raise NotPlainData("an integer too large to send back") from None
    return number


def _dict(value: dict[Any, Any], depth: int, tuples: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in dict.items(value):
        if not isinstance(key, str):
            raise NotPlainData(f"a dict with {_a(type(key).__name__)} key")
        out[str.__str__(key)] = to_plain(item, depth + 1, tuples=tuples)
    return out


def from_plain(value: Any) -> Any:
    """Undo the ``$int``/``$float``/``$tuple`` escapes of :func:`to_plain`."""
    if isinstance(value, list):
        return [from_plain(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and "$tuple" in value and isinstance(value["$tuple"], list):
            return tuple(from_plain(v) for v in value["$tuple"])
        if len(value) == 1 and "$int" in value and isinstance(value["$int"], str):
            return int(value["$int"])
        if len(value) == 1 and "$float" in value and isinstance(value["$float"], str):
            return float(value["$float"])
        return {k: from_plain(v) for k, v in value.items()}
    return value


def bounded(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def describe_exception(exc: BaseException) -> dict[str, Any]:
    """Type name, MRO names and message of a learner exception, as plain strings."""
    cls = type(exc)
    try:
        message = str(exc)
    except Exception:
        message = "(the exception's message could not be read)"
    if not isinstance(message, str):
        message = "(no message)"
    types = [str(getattr(c, "__name__", "?")) for c in type.mro(cls)]
    line = _line(exc)
    if isinstance(exc, SyntaxError) and _in_submission(exc.filename) and exc.lineno:
        message, line = str(exc.msg), int(exc.lineno)  # the runner names the learner's file
    return {"type": types[0], "types": types, "message": bounded(message), "line": line}


def _in_submission(filename: object) -> bool:
    return isinstance(filename, str) and filename.startswith(str(Path.cwd()) + os.sep)


def _line(exc: BaseException) -> int | None:
    """The line of the submission (a file in the working directory) where it was raised."""
    if isinstance(exc, SyntaxError):
        return None  # its message names the line (of the submission: see describe_exception)
    here = str(Path.cwd())
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(here + os.sep):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
