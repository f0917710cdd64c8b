"""Bounded lists for instructors: every list page and list API answers one page of rows.

Two kinds of page:

- **Keyset, newest first** (:func:`newest_first`): rows that keep arriving while an
  instructor reads (tutor calls, flags) are paged by their id, ``before`` (older) and
  ``after`` (newer) a cursor id; a new row never shifts a page.
- **Numbered** (:class:`Slice`): aggregated lists sorted by a computed value (who needs
  help, model usage per learner) are paged by number, ``?page=N``, ``size`` a page.

JSON list endpoints keep their list bodies and say where the next and previous pages
are in a ``Link`` header (RFC 8288: ``<url>; rel="next"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request
from sqlmodel import Session

from web.models import MAX_ROW_ID

T = TypeVar("T")

PAGE_SIZE = 50
"""Rows per page when the request does not say."""
MAX_PAGE_SIZE = 200
"""The most rows any list API answers at once (``limit`` above it is a 422)."""
MAX_PAGE_NUMBER = 1_000_000

Cursor = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE_NUMBER)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


@dataclass(frozen=True)
class Window(Generic[T]):
    """One keyset page, newest first, and the cursors of its neighbours (None: none)."""

    items: list[T]
    newer: int | None  # ``after=newer`` gives the page before this one
    older: int | None  # ``before=older`` gives the page after this one


def newest_first(
    db: Session,
    stmt: Any,  # a SELECT (sqlmodel's or SQLAlchemy's)
    id_column: Any,
    key: Callable[[T], int],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Window[T]:
    """The page of ``stmt``'s rows (ordered by ``id_column``, newest first) just older than
    ``before``, or just newer than ``after`` (with ``after``, ``before`` is ignored), or the
    newest page; ``key`` gives a row's id.
    Reads ``size + 1`` rows and at most one more to know whether a neighbour exists."""
    if after is not None:
        found: list[T] = list(
            db.exec(stmt.where(id_column > after).order_by(id_column.asc()).limit(size + 1)).all()
        )
        items = list(reversed(found[:size]))
        if items:  # else nothing is newer than ``after`` now: the newest page
            newer = key(items[0]) if len(found) > size else None
            has_older = _neighbour(db, stmt, id_column < key(items[-1]))
            return Window(items, newer, key(items[-1]) if has_older else None)
    query = stmt if before is None or after is not None else stmt.where(id_column < before)
    found = list(db.exec(query.order_by(id_column.desc()).limit(size + 1)).all())
    items = found[:size]
    older_id = key(items[-1]) if len(found) > size else None
    has_newer = items and _neighbour(db, stmt, id_column > key(items[0]))
    return Window(items, key(items[0]) if has_newer else None, older_id)


def _neighbour(db: Session, stmt: Any, where: Any) -> bool:
    return db.exec(stmt.where(where).limit(1)).first() is not None


@dataclass(frozen=True)
class Slice(Generic[T]):
    """One numbered page: its rows and whether a next page exists."""

    items: list[T]
    number: int
    more: bool

    @classmethod
    def of(cls, rows: Sequence[T], number: int, size: int) -> Slice[T]:
        """From the ``size + 1`` rows read at offset ``(number - 1) * size``."""
        return cls(list(rows[:size]), number, len(rows) > size)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.more else None


def offset_of(number: int, size: int) -> int:
    return (number - 1) * size


def link_header(
    request: Request, *, next_page: dict[str, int] | None, prev_page: dict[str, int] | None
) -> str:
    """A ``Link`` header value naming the next and previous pages of this request's list:
    this URL with the paging parameters replaced (empty when there are neither)."""
    paging = ("page", "before", "after")
    base = request.url.remove_query_params(paging)
    links = []
    for rel, params in (("next", next_page), ("prev", prev_page)):
        if params is not None:
            links.append(f'<{base.include_query_params(**params)}>; rel="{rel}"')
    return ", ".join(links)


LINK_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "Link": {
                "description": 'The next and previous pages: `<url>; rel="next"`, '
                '`<url>; rel="prev"` (absent on the last / first page).',
                "schema": {"type": "string"},
            }
        }
    }
}
