"""Numbers in words, as a person writes them in a sentence ("two more hints")."""

from __future__ import annotations

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """``2`` -> "two"; numbers past ten stay digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``counted(2, "hint")`` -> "two hints"; ``counted(1, "try")`` -> "one try"."""
    return f"{number_word(n)} {noun if n == 1 else plural or noun + 's'}"
