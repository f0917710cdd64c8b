"""Failing checks in plain words: what was expected, what the learner's code did.

A check's assertion message, as pytest's rewritten ``assert`` makes it, mixes the
author's words ("a 2-character username is too short") with the assertion's internals
(``assert None is not None``, ``+ where None = rejected(...)``).  :func:`explain`
splits the two; the plain part says what was expected (the author's words, or, for a
bare comparison, its two values) and what the code did: the last thing a check asked of
the submission (:class:`Action`, recorded by ``Submission``) and its answer.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_SHOWN = reprlib.Repr()
_SHOWN.maxstring = 120
_SHOWN.maxother = 120
_SHOWN.maxlist = 6
_SHOWN.maxdict = 6
_SHOWN.maxlevel = 3
_SHOWN.fillvalue = "…"
ACTION_LIMIT = 400


def shown(value: Any) -> str:
    """A value as a learner reads it: its repr, shortened."""
    return _SHOWN.repr(value)


def baselines(namespace: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks module's constant dicts (``VALID = {...}``): the usual arguments that a
    check changes a field or two of."""
    return [
        value
        for key, value in namespace.items()
        if key.isupper() and isinstance(value, dict) and len(value) >= 3
    ]


def _argument(value: Any, usual: Sequence[dict[str, Any]]) -> str:
    """A dict that is one of ``usual`` with a field or two changed shows only those:
    ``{… 'username': 'ab'}``."""
    if isinstance(value, dict):
        for base in usual:
            if all(k in value for k in base):
                changed = {k: v for k, v in value.items() if k not in base or base[k] != v}
                if 0 < len(changed) <= len(base) // 2:
                    inner = ", ".join(f"{shown(k)}: {shown(v)}" for k, v in changed.items())
                    return "{… " + inner + "}"
    return shown(value)


def call_text(
    name: str, args: Sequence[Any], kwargs: dict[str, Any], usual: Sequence[dict[str, Any]] = ()
) -> str:
    """``register({… 'username': 'ab'})``: a call as it would be written, a usual
    argument shortened to the fields the check changed."""
    parts = [_argument(a, usual) for a in args]
    parts += [f"{k}={_argument(v, usual)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class Action:
    """What a check asked of the submission, and the submission's answer."""

    asked: str  # `register({...})`, `GET /items/3`, "running your program"
    answer: str = ""  # "returned {...}", "raised ValueError: ...", "answered 404 ..."

    def sentence(self) -> str:
        text = f"`{self.asked}` {self.answer}".strip()
        return text if len(text) <= ACTION_LIMIT else text[:ACTION_LIMIT] + "…"


def returned(value: Any) -> str:
    return "returned None" if value is None else f"returned `{shown(value)}`"


def raised(type_name: str, message: str) -> str:
    return f"raised `{type_name}: {shown(message)[1:-1]}`" if message else f"raised `{type_name}`"


def answered(status: int, text: str) -> str:
    body = f": `{shown(text)[1:-1]}`" if text.strip() else ""
    return f"answered {status}{body}"


def exited(returncode: int, stdout: str) -> str:
    printed = f" after printing `{shown(stdout)[1:-1]}`" if stdout.strip() else ""
    return f"ended with exit status {returncode}{printed}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The failing comparison of an ``assert``, as pytest's rewrite reports it."""

    op: str
    left: Any
    right: Any

    def expectation(self) -> str:
        left, right = shown(self.left), shown(self.right)
        if self.op == "==":
            return f"expected `{right}`, got `{left}`"
        if self.op == "!=":
            return f"expected something other than `{right}`"
        if self.op == "in":
            return f"expected `{left}` in `{right}`"
        if self.op == "not in":
            return f"expected `{left}` not to be in `{right}`"
        if self.op == "is" and self.right is None:
            return f"expected None, got `{left}`"
        if self.op == "is not" and self.right is None:
            return "expected a value, got None"
        return f"expected `{left} {self.op} {right}`"


@dataclass(frozen=True, slots=True)
class Explained:
    message: str  # plain words: expected, and what the code did
    details: str  # the assertion's internals


def _split(message: str) -> tuple[str, str]:
    """The author's words and pytest's ``assert ...`` explanation below them."""
    lines = message.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("assert ") or line == "assert":
            return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
    return message.strip(), ""


def explain(message: str, comparison: Comparison | None, action: Action | None) -> Explained:
    """A failed assertion in plain words, its internals kept apart."""
    words, details = _split(message)
    if not words:
        words = comparison.expectation() if comparison is not None else "the check failed"
    if action is not None:
        words = f"{words.rstrip('.')}. Your code: {action.sentence()}."
    return Explained(words, details)
