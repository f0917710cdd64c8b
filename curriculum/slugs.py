"""Stable ids from titles: lowercase ASCII words joined by single hyphens."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_WORDS = 6
MAX_LENGTH = 60


def slugify(text: str, fallback: str = "item") -> str:
    """``"Type hints + OpenAPI out of the box."`` -> ``"type-hints-openapi-out-of-the"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in _NON_ALNUM.split(ascii_text.lower()) if w][:MAX_WORDS]
    slug = "-".join(words)[:MAX_LENGTH].strip("-")
    return slug or fallback


class IdRegistry:
    """Hands out ids unique within one course."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, title: str, fallback: str, parent: str | None = None) -> str:
        base = slugify(title, fallback)
        candidates = [base]
        if parent:
            candidates.append(f"{parent}-{base}"[:MAX_LENGTH].strip("-"))
        for candidate in candidates:
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        number = 2
        while f"{base}-{number}" in self.used:
            number += 1
        self.used.add(f"{base}-{number}")
        return f"{base}-{number}"
