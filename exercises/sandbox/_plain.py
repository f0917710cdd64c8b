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


def to_plain(value: Any, depth: int = 0) -> Any:
    """Copy ``value`` into exact builtin JSON-like types, or raise NotPlainData.

    Subclasses of ``int``/``float``/``str`` (enums included) become their base value,
    so no learner-defined method (an always-true ``__eq__``...) survives the copy.
    """
    if depth > MAX_DEPTH:
        raise NotPlainData("the value is nested too deeply")
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
        return [to_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return _dict(value, depth)
    raise NotPlainData(f"a {type(value).__name__} is not plain data")


def _int(value: int) -> int | dict[str, str]:
    number = int.__index__(value)
    if abs(number) >= 2**63:
        try:
            return {"$int": str(number)}
        except ValueError:
            raise NotPlainData("the integer is too large to send back") from None
    return number


def _dict(value: dict[Any, Any], depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in dict.items(value):
        if not isinstance(key, str):
            raise NotPlainData(f"a dict key must be a str, not {type(key).__name__}")
        out[str.__str__(key)] = to_plain(item, depth + 1)
    return out


def from_plain(value: Any) -> Any:
    """Undo the ``$int``/``$float`` escapes of :func:`to_plain` (runner side)."""
    if isinstance(value, list):
        return [from_plain(v) for v in value]
    if isinstance(value, dict):
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
    return {"type": types[0], "types": types, "message": bounded(message), "line": _line(exc)}


def _line(exc: BaseException) -> int | None:
    """The line of the submission (a file in the working directory) where it was raised."""
    if isinstance(exc, SyntaxError):
        return None  # its message already names the line
    here = str(Path.cwd())
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(here + os.sep):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
