"""Errors rendered in one place: ``{status}.html`` for pages, JSON under ``/api/``."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from web.deps import LoginRequired, current_user, render

log = logging.getLogger("web.errors")

PAGES_WITH_TEMPLATE = frozenset({400, 403, 404, 405, 422, 429, 500})
TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Something went wrong",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, detail: object) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status)
    template = f"{status}.html" if status in PAGES_WITH_TEMPLATE else "error.html"
    message = detail if isinstance(detail, str) else TITLES.get(status, "Error")
    return render(
        request,
        template,
        status,
        status=status,
        title=TITLES.get(status, "Error"),
        message=message,
    )


async def _with_user(request: Request) -> None:
    """Error pages show the account menu too (the user is unknown for unmatched routes)."""
    if hasattr(request.state, "user") or _is_api(request):
        return
    try:
        await current_user(request)
    except Exception:  # an error page must render even if the DB is down
        request.state.user = None


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    await _with_user(request)
    response = error_response(request, exc.status_code, exc.detail)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
    return error_response(request, 422, "Some of the input was not valid.")


async def _login_required(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "Log in first."}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


UNSTORABLE = "Some of the input cannot be stored (a NUL character, or a number out of range)."


async def _unstorable(request: Request, exc: Exception) -> Response:
    """The database refused a value the request brought: PostgreSQL stores no NUL
    character in text (a learner can type one anywhere, even in a login form), nor an
    integer past its column's range. The request's input is at fault, so it is a 400,
    whichever field it was and whether or not the route foresaw it."""
    assert isinstance(exc, DataError)
    log.warning("input the database refused", extra={"path": request.url.path})
    await _with_user(request)
    return error_response(request, 400, UNSTORABLE)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"path": request.url.path})
    return error_response(request, 500, "Something went wrong on our side.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(Exception, _unexpected)
