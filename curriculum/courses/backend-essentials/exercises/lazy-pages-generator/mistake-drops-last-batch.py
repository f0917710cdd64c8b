"""Lazy iteration over a paginated API, and fixed-size batches."""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

PAGES = {
    None: {"items": ["a", "b"], "next": "p2"},
    "p2": {"items": ["c", "d"], "next": "p3"},
    "p3": {"items": ["e", "f"], "next": "p4"},
    "p4": {"items": ["g"], "next": None},
}
calls = 0


def fetch_page(cursor: str | None) -> dict[str, object]:
    """Stands in for an HTTP call: every call counts."""
    global calls
    calls += 1
    return PAGES[cursor]


def iter_items() -> Iterator[str]:
    cursor: str | None = None
    while True:
        page = fetch_page(cursor)
        yield from page["items"]  # type: ignore[misc]
        cursor = page["next"]  # type: ignore[assignment]
        if cursor is None:
            return


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError("size must be at least 1")
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []


def first_items(n: int) -> dict[str, object]:
    """Used by the checks: take n items and report how many pages were fetched."""
    global calls
    calls = 0
    return {"items": list(islice(iter_items(), n)), "fetches": calls}


def batches_of(n: int, size: int) -> list[list[int]]:
    """Used by the checks."""
    return list(batched(range(n), size))
