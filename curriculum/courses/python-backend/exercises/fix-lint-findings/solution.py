"""Helpers of an articles API, clean under `ruff check --select E,F,B`."""

import json


def add_tag(tag: str, tags: list[str] | None = None) -> list[str]:
    """Return a new list: `tags` plus `tag` (the caller's list is not modified)."""
    return [*(tags or []), tag]


def parse_limit(raw: str) -> int:
    """The page size in `raw`, or 10 when it is not a number."""
    try:
        return int(raw)
    except ValueError:
        return 10


def describe(owner: str | None) -> str:
    if owner is None:
        return "anonymous"
    return json.dumps({"owner": owner})
