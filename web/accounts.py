"""Accounts: sign up (first account of a fresh install is an instructor), log in, rate limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select

from web.models import LoginAttempt, SignupAttempt, User, utcnow
from web.security import hash_password, user_by_email, verify_password

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 30
SIGNUP_WINDOW = timedelta(hours=1)
MAX_SIGNUPS_PER_IP = 40  # a class behind one NAT address can still sign up at once
ATTEMPTS_KEPT = timedelta(days=1)
"""Login and sign-up tries are kept this long (longer than either window), then deleted."""


class AccountError(Exception):
    """A message to show the person filling the form."""


@dataclass(frozen=True)
class NewAccount:
    user: User
    first: bool  # the first account of the install: made instructor


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_credentials(email: str, password: str) -> str:
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise AccountError("Please enter a valid email address.")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"Passwords need {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
    return email


def create_user(db: Session, email: str, password: str, *, instructor: bool = False) -> NewAccount:
    """Create an account; the first one of a fresh install becomes an instructor."""
    email = validate_credentials(email, password)
    first = db.exec(select(func.count()).select_from(User)).one() == 0
    role = "instructor" if instructor or first else "learner"
    user = User(email=email, role=role, password_hash=hash_password(password))
    db.add(user)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise AccountError("An account with this email already exists.") from None
    db.refresh(user)
    return NewAccount(user=user, first=first and not instructor)


def _recent_failures(db: Session, column: object, value: str) -> int:
    since = utcnow() - RATE_WINDOW
    query = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, col(LoginAttempt.success).is_(False))
        .where(col(LoginAttempt.created_at) >= since)
    )
    return int(db.exec(query).one())


def rate_limited(db: Session, email: str, ip: str) -> bool:
    email = normalise_email(email)[:254]
    return (
        _recent_failures(db, LoginAttempt.email, email) >= MAX_FAILURES_PER_EMAIL
        or _recent_failures(db, LoginAttempt.ip, ip) >= MAX_FAILURES_PER_IP
    )


def authenticate(db: Session, email: str, password: str, ip: str) -> User | None:
    """The user for these credentials, or None; every try is recorded for the rate limit."""
    email = normalise_email(email)[:254]
    user = user_by_email(db, email)
    ok = user is not None and verify_password(user.password_hash, password[:MAX_PASSWORD])
    db.add(LoginAttempt(email=email, ip=ip[:64], success=ok))
    _forget_old(db, LoginAttempt)
    db.commit()
    return user if ok else None


def signup_limited(db: Session, ip: str) -> bool:
    """Whether this client IP has used up its sign-up tries for the window."""
    since = utcnow() - SIGNUP_WINDOW
    query = (
        select(func.count())
        .select_from(SignupAttempt)
        .where(SignupAttempt.ip == ip[:64], col(SignupAttempt.created_at) >= since)
    )
    return int(db.exec(query).one()) >= MAX_SIGNUPS_PER_IP


def note_signup(db: Session, ip: str) -> None:
    """Record a sign-up try (successful or not) for the per-IP limit."""
    db.add(SignupAttempt(ip=ip[:64]))
    _forget_old(db, SignupAttempt)
    db.commit()


def _forget_old(db: Session, table: type[LoginAttempt] | type[SignupAttempt]) -> None:
    """Delete the tries older than :data:`ATTEMPTS_KEPT` (by the indexed ``created_at``)."""
    db.exec(delete(table).where(col(table.created_at) < utcnow() - ATTEMPTS_KEPT))
