"""Whole pages that are the same for every viewer of one role, rendered once.

A lesson page depends on the course version, the point, whether someone is logged in
(and their role), and a few per-request values: the viewer's email, the CSRF token and
the viewer's own fragments (their conversation with the tutor). The page is rendered
once with marker strings in place of those and kept, split at the markers into encoded
pieces; each request joins the pieces with its own values (the email and token escaped,
fragments as the caller rendered them) instead of rendering a template. The markers are
private-use characters that no escaping changes.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from threading import Lock
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import escape

from web.context import context_of
from web.deps import csrf_token
from web.security import Viewer

CSRF_MARK = "\ue000csrf\ue000"
EMAIL_MARK = "\ue000email\ue000"
CONVERSATION_MARK = "\ue000conversation\ue000"
MAX_PAGES = 256  # about 25 kB each: a few MB at most
_MARK = re.compile("(\ue000[a-z]+\ue000)")


@dataclass(frozen=True, slots=True)
class _Page:
    """A rendered page cut at its markers: ``pieces[i]``, then ``marks[i]``'s value, and
    so on, ending with the last piece (UTF-8, so a request encodes only its values)."""

    pieces: tuple[bytes, ...]
    marks: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> _Page:
        parts = _MARK.split(html)  # text, mark, text, mark, ..., text
        return cls(tuple(p.encode() for p in parts[::2]), tuple(parts[1::2]))

    def filled(self, values: Mapping[str, str]) -> bytes:
        """The page with each marker replaced by its value (one without a value stays)."""
        out = [self.pieces[0]]
        for mark, piece in zip(self.marks, self.pieces[1:], strict=True):
            out += (values.get(mark, mark).encode(), piece)
        return b"".join(out)


_pages: OrderedDict[Hashable, _Page] = OrderedDict()
_lock = Lock()


def _render(request: Request, template: str, user: Viewer | None, context: dict[str, Any]) -> str:
    templates = context_of(request.app).templates
    stand_in = Viewer(0, EMAIL_MARK, user.role) if user is not None else None
    values = context | {"request": request, "user": stand_in, "csrf_token": CSRF_MARK}
    return templates.get_template(template).render(values)


def shared_page(
    request: Request,
    key: Hashable,
    template: str,
    user: Viewer | None,
    context: Callable[[], dict[str, Any]],
    fills: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """``template`` rendered for this viewer, from the cache when ``key`` was seen.

    ``key`` must name everything the page shows except the viewer's email and the
    CSRF token (the role is added here); ``context`` is only called on a miss.
    ``fills`` maps markers the context put in the page to this viewer's HTML (trusted:
    rendered by the caller's templates).
    """
    full_key = (key, template, user.role if user is not None else None)
    with _lock:
        page = _pages.get(full_key)
        if page is not None:
            _pages.move_to_end(full_key)
    if page is None:
        page = _Page.of(_render(request, template, user, context()))
        with _lock:
            _pages[full_key] = page
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
    values = {CSRF_MARK: str(escape(csrf_token(request)))}
    if user is not None:
        values[EMAIL_MARK] = str(escape(user.email))
    return HTMLResponse(page.filled(values | dict(fills or {})))
