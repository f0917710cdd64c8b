"""Instructors' regular expressions matched against learner text, in linear time.

Common-mistake patterns (searched in a submission) and short-answer patterns (matched
against a quiz answer) run in the server's own process, so they run on RE2
(``google-re2``): matching takes time linear in the text whatever the pattern, and
no learner text can make it backtrack.  RE2 has no look-around and no
back-references, and its ``\\w``, ``\\d``, ``\\b`` are ASCII; :func:`pattern_problem`
says why a pattern is refused, and ``tutor check-course`` refuses the course.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

import re2

MAX_PATTERN_MEMORY = 8 << 20  # bytes of RE2 program per pattern


class _Compiled(Protocol):
    def search(self, text: str) -> object | None: ...

    def fullmatch(self, text: str) -> object | None: ...


class PatternRefused(ValueError):
    """RE2 cannot compile the pattern."""


def _options(*, ignore_case: bool) -> object:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PATTERN_MEMORY
    options.case_sensitive = not ignore_case
    return options


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str, *, ignore_case: bool = False) -> _Compiled:
    """``pattern`` for RE2, ``^`` and ``$`` matching at each line (as ``re.M``)."""
    try:
        compiled: _Compiled = re2.compile(f"(?m){pattern}", _options(ignore_case=ignore_case))
    except re2.error as exc:
        raise PatternRefused(_reason(exc)) from None
    return compiled


def _reason(exc: Exception) -> str:
    detail = exc.args[0] if exc.args else ""
    if isinstance(detail, bytes):
        return detail.decode("utf-8", errors="replace")
    return str(detail)


def pattern_problem(pattern: str) -> str:
    """Why a pattern cannot be used, or '' if it can."""
    try:
        re.compile(pattern)  # compiling only: Python's engine never matches learner text
    except (re.error, RecursionError, OverflowError) as exc:
        return f"the pattern {pattern!r} is not a valid regular expression: {exc}"
    try:
        re2.compile(pattern, _options(ignore_case=False))
    except re2.error as exc:
        return (
            f"the pattern {pattern!r} is not supported by RE2 ({_reason(exc)}): patterns run "
            "in linear time, so look-ahead, look-behind and back-references are not allowed"
        )
    return ""


def _encodable(text: str) -> str:
    """``text`` as RE2 can take it: a lone surrogate becomes '?' (RE2 matches UTF-8)."""
    if text.isascii():
        return text
    return text.encode("utf-8", errors="replace").decode("utf-8")


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` occurs in ``text``; a refused pattern never matches."""
    try:
        return compile_pattern(pattern).search(_encodable(text)) is not None
    except PatternRefused:
        return False


def fullmatch_ignoring_case(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches all of ``text``, case-insensitively."""
    try:
        found = compile_pattern(pattern, ignore_case=True).fullmatch(_encodable(text))
    except PatternRefused:
        return False
    return found is not None
