"""Lazy iteration over a paginated API, and fixed-size batches.

`fetch_page(cursor)` stands in for an HTTP call to a paginated API: it returns
{"items": [...], "next": <cursor of the next page, or None on the last page>}. The first
page has the cursor None.

TODO:
1. `iter_items()`: a generator that yields every item of every page in order, fetching a
   page only when the previous page's items have been consumed (so taking the first 3
   items fetches only 2 pages).
2. `batched(items, size)`: a generator that yields lists of `size` items from any iterable,
   the last list possibly shorter; `size` below 1 raises ValueError.

`first_items` and `batches_of` are used by the checks; keep them.
"""

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
    raise NotImplementedError


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    raise NotImplementedError


def first_items(n: int) -> dict[str, object]:
    """Used by the checks: take n items and report how many pages were fetched."""
    global calls
    calls = 0
    return {"items": list(islice(iter_items(), n)), "fetches": calls}


def batches_of(n: int, size: int) -> list[list[int]]:
    """Used by the checks."""
    return list(batched(range(n), size))
