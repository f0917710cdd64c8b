"""Sign up, log in, log out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.accounts import (
    RATE_WINDOW,
    AccountError,
    LoginLimited,
    authenticate,
    create_user,
    instructor_exists,
    normalise_email,
    record_signup,
)
from web.context import context_of
from web.db import SessionDep
from web.deps import MaybeUser, client_ip, render
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
from web.setup import setup_token_ok

router = APIRouter(include_in_schema=False)

EmailForm = Annotated[str, Form(max_length=254)]
PasswordForm = Annotated[str, Form(max_length=1000)]
NextForm = Annotated[str, Form(max_length=500)]
SetupForm = Annotated[str, Form(max_length=100)]
SETUP_REFUSED = (
    "This setup token is not valid, or the first instructor already exists. "
    "Leave the field empty to sign up as a learner."
)


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


def _signup_form(
    request: Request, db: SessionDep, status: int = 200, /, **context: str
) -> Response:
    context.setdefault("email", "")
    context["next"] = safe_next(context.get("next"))
    setup_open = not instructor_exists(db)
    return render(request, "signup.html", status, title="Sign up", setup_open=setup_open, **context)


@router.get("/signup")
def signup_page(request: Request, db: SessionDep, user: MaybeUser, next: str = "/") -> Response:
    return _signup_form(request, db, next=next)


@router.post("/signup")
def signup(
    request: Request,
    db: SessionDep,
    email: EmailForm,
    password: PasswordForm,
    setup_token: SetupForm = "",
    next: NextForm = "/",
) -> Response:
    """A new account, logged in, sent on to ``next`` (a local path: an invite link)."""
    if not record_signup(db, client_ip(request)):
        message = "Too many sign-ups from your network. Wait an hour and try again."
        return _signup_form(request, db, 429, error=message, email=email, next=next)
    instructor = bool(setup_token.strip())
    if instructor and (
        not setup_token_ok(context_of(request.app).secret, setup_token) or instructor_exists(db)
    ):
        return _signup_form(request, db, 400, error=SETUP_REFUSED, email=email, next=next)
    try:
        account = create_user(db, email, password, instructor=instructor)
    except AccountError as exc:
        return _signup_form(request, db, 400, error=str(exc), email=email, next=next)
    token = open_session(db, account.user)
    target = "/?welcome=instructor" if instructor else safe_next(next)
    return _logged_in(request, token, target, account.user)


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str = "/") -> Response:
    return render(request, "login.html", title="Log in", next=safe_next(next), email="")


@router.post("/login")
def login(
    request: Request,
    db: SessionDep,
    email: EmailForm,
    password: PasswordForm,
    next: NextForm = "/",
) -> Response:
    target = safe_next(next)
    device = device_of(
        context_of(request.app).secret, normalise_email(email), request.cookies.get(DEVICE_COOKIE)
    )
    try:
        user = authenticate(db, email, password, ip=client_ip(request), device=device)
    except LoginLimited:
        message = "Too many failed attempts. Wait a few minutes and try again."
        response = render(
            request, "login.html", 429, title="Log in", error=message, next=target, email=email
        )
        response.headers["Retry-After"] = str(int(RATE_WINDOW.total_seconds()))
        return response
    if user is None:
        return render(
            request,
            "login.html",
            400,
            title="Log in",
            error="Wrong email or password.",
            next=target,
            email=email,
        )
    return _logged_in(request, open_session(db, user), target, user)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    close_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
