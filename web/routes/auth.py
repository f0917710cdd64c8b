"""Sign up, log in, log out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.accounts import (
    AccountError,
    authenticate,
    create_user,
    note_signup,
    rate_limited,
    signup_limited,
)
from web.db import SessionDep
from web.deps import MaybeUser, render
from web.security import SESSION_COOKIE, SESSION_DAYS, close_session, open_session

router = APIRouter(include_in_schema=False)

EmailForm = Annotated[str, Form(max_length=254)]
PasswordForm = Annotated[str, Form(max_length=1000)]
NextForm = Annotated[str, Form(max_length=500)]


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc or "\\" in target else target


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _logged_in(request: Request, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.get("/signup")
def signup_page(request: Request, user: MaybeUser) -> Response:
    return render(request, "signup.html", title="Sign up", email="")


@router.post("/signup")
def signup(request: Request, db: SessionDep, email: EmailForm, password: PasswordForm) -> Response:
    ip = client_ip(request)
    if signup_limited(db, ip):
        message = "Too many sign-ups from your network. Wait an hour and try again."
        return render(request, "signup.html", 429, title="Sign up", error=message, email=email)
    note_signup(db, ip)
    try:
        account = create_user(db, email, password)
    except AccountError as exc:
        return render(request, "signup.html", 400, title="Sign up", error=str(exc), email=email)
    token = open_session(db, account.user)
    return _logged_in(request, token, "/?welcome=instructor" if account.first else "/")


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
    ip = client_ip(request)
    if rate_limited(db, email, ip):
        message = "Too many failed attempts. Wait a few minutes and try again."
        return render(
            request, "login.html", 429, title="Log in", error=message, next=target, email=email
        )
    user = authenticate(db, email, password, ip)
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
    return _logged_in(request, open_session(db, user), target)


@router.post("/logout")
def logout(request: Request, db: SessionDep) -> Response:
    close_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
