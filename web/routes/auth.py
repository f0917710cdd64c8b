"""Sign up, log in, log out."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.accounts import (
    RATE_WINDOW,
    AccountError,
    LoginLimited,
    SignupLimited,
    instructor_exists,
    normalise_email,
)
from web.context import context_of
from web.db import SessionDep
from web.deps import AppDep, MaybeUser, client_ip, render
from web.models import User
from web.security import (
    DEVICE_COOKIE,
    DEVICE_DAYS,
    SESSION_COOKIE,
    SESSION_DAYS,
    close_session,
    device_of,
    new_device_token,
    open_session,
)
from web.services.accounts import log_in, sign_up
from web.services.refusals import PasswordsBusy
from web.services.transaction import in_transaction, reading

router = APIRouter(include_in_schema=False)

EmailForm = Annotated[str, Form(max_length=254)]
PasswordForm = Annotated[str, Form(max_length=1000)]
NextForm = Annotated[str, Form(max_length=500)]
SetupForm = Annotated[str, Form(max_length=100)]
LOGIN_LIMITED = "Too many failed attempts. Wait a few minutes and try again."
SIGNUP_LIMITED = "Too many sign-ups from your network. Wait an hour and try again."


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc or "\\" in target else target


def _logged_in(request: Request, token: str, target: str, user: User) -> Response:
    """Redirect with the session cookie, and the device cookie that exempts this browser
    from other clients' login failures for this account."""
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    for name, value, days in (
        (SESSION_COOKIE, token, SESSION_DAYS),
        (DEVICE_COOKIE, new_device_token(context_of(request.app).secret, user.email), DEVICE_DAYS),
    ):
        response.set_cookie(
            name, value, max_age=days * 86400, httponly=True, samesite="lax", secure=secure
        )
    return response


async def _signup_form(
    request: Request, app: AppDep, status: int = 200, /, **context: str
) -> Response:
    context.setdefault("email", "")
    context["next"] = safe_next(context.get("next"))
    setup_open = not await reading(app.db_engine, instructor_exists)
    return render(request, "signup.html", status, title="Sign up", setup_open=setup_open, **context)


@router.get("/signup")
async def signup_page(request: Request, app: AppDep, user: MaybeUser, next: str = "/") -> Response:
    return await _signup_form(request, app, next=next)


@router.post("/signup")
async def signup(
    request: Request,
    app: AppDep,
    email: EmailForm,
    password: PasswordForm,
    setup_token: SetupForm = "",
    next: NextForm = "/",
) -> Response:
    """A new account, logged in, sent on to ``next`` (a local path: an invite link).

    Async: the password is hashed on the password threads (``web.passwords``) while
    this request holds no worker thread."""
    form = {"email": email, "next": next}
    try:
        account = await sign_up(
            app=app, email=email, password=password, ip=client_ip(request), setup_token=setup_token
        )
    except PasswordsBusy as exc:
        response = await _signup_form(request, app, exc.status_code, error=exc.message, **form)
        return _with_headers(response, exc)
    except SignupLimited:
        return await _signup_form(request, app, 429, error=SIGNUP_LIMITED, **form)
    except AccountError as exc:
        return await _signup_form(request, app, 400, error=str(exc), **form)
    token = await in_transaction(app.db_engine, partial(open_session, user=account.user))
    target = "/?welcome=instructor" if account.user.role == "instructor" else safe_next(next)
    return _logged_in(request, token, target, account.user)


def _login_form(request: Request, status: int, error: str, next: str, email: str) -> Response:
    return render(
        request, "login.html", status, title="Log in", error=error, next=next, email=email
    )


def _with_headers(response: Response, refused: PasswordsBusy) -> Response:
    response.headers.update(refused.headers or {})
    return response


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str = "/") -> Response:
    return render(request, "login.html", title="Log in", next=safe_next(next), email="")


@router.post("/login")
async def login(
    request: Request,
    app: AppDep,
    email: EmailForm,
    password: PasswordForm,
    next: NextForm = "/",
) -> Response:
    """Log in; async: the password is checked on the password threads
    (``web.passwords``) while this request holds no worker thread."""
    target = safe_next(next)
    device = device_of(app.secret, normalise_email(email), request.cookies.get(DEVICE_COOKIE))
    try:
        user = await log_in(
            app=app, email=email, password=password, ip=client_ip(request), device=device
        )
    except PasswordsBusy as exc:
        busy = _login_form(request, exc.status_code, exc.message, target, email)
        return _with_headers(busy, exc)
    except LoginLimited:
        response = _login_form(request, 429, LOGIN_LIMITED, target, email)
        response.headers["Retry-After"] = str(int(RATE_WINDOW.total_seconds()))
        return response
    if user is None:
        return _login_form(request, 400, "Wrong email or password.", target, email)
    token = await in_transaction(app.db_engine, partial(open_session, user=user))
    return _logged_in(request, token, target, user)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    close_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
