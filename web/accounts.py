"""Accounts: sign up, log in, and the login and sign-up limits.

The login limit is counted per (email, client), where the client is the browser's
device cookie when it once logged in to that email (see ``web.security.device_of``),
else its IP address; plus a limit per IP address for clients without one.  So a
stranger's wrong passwords never lock the owner out of their own browser, and one
address cannot try many passwords on many accounts.

The limit is exact under concurrency, across workers and hosts: each try is recorded
and the failures counted (its own included) in one transaction, serialised per client,
before its password is checked; so of any burst only ``MAX_FAILURES_PER_CLIENT`` tries
are checked.  On SQLite the insert takes the database's write lock until the commit;
on PostgreSQL a transaction-level advisory lock on the client does the same.  Refused
tries count as failures too.

An unknown email costs the same time as a known one: its password is checked against
a dummy argon2 hash.

A login is three steps (the web app awaits the password check in between, holding no
thread and no connection; see ``web.services.accounts``): :func:`begin_login` records
and counts the try and finds the hash to check, the password is checked against it,
and :func:`login_succeeded` marks the try a success.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select

from web.models import LoginAttempt, SignupAttempt, User, utcnow
from web.passwords import hash_password
from web.ratelimit import serialise
from web.security import user_by_email

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,60}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 5  # per (email, client) in the window
MAX_FAILURES_PER_IP = 100  # per IP address without a device cookie, every email together
SIGNUP_WINDOW = timedelta(hours=1)
MAX_SIGNUPS_PER_IP = 40  # a class behind one NAT address can still sign up at once
ATTEMPTS_KEPT = timedelta(days=1)
"""Login and sign-up tries are kept this long (longer than either window), then deleted."""
DEVICE_PREFIX = "device:"
"""A login try's ``ip`` column holds the client: ``device:<nonce>`` or an IP address."""


class AccountError(Exception):
    """A message to show the person filling the form."""


class LoginLimited(Exception):
    """Too many failed tries for this email from this client (or from this address)."""


class SignupLimited(Exception):
    """Too many sign-ups from this address in the window."""


SETUP_REFUSED = (
    "This setup token is not valid, or the first instructor already exists. "
    "Leave the field empty to sign up as a learner."
)


@dataclass(frozen=True)
class NewAccount:
    user: User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_credentials(email: str, password: str) -> str:
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise AccountError("Please enter a valid email address.")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"Passwords need {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
    return email


def instructor_exists(db: Session) -> bool:
    return db.exec(select(User.id).where(User.role == "instructor").limit(1)).first() is not None


def create_user(db: Session, email: str, password: str, *, instructor: bool = False) -> NewAccount:
    """Create a learner account, or an instructor one when ``instructor`` is given."""
    email = validate_credentials(email, password)
    return add_user(db, email, hash_password(password), instructor=instructor)


def _insert(db: Session, email: str, password_hash: str, role: str) -> User:
    """Add an account to the session and flush it; AccountError if the email is taken."""
    user = User(email=email, role=role, password_hash=password_hash)
    db.add(user)
    try:
        db.flush()  # SQLite: the write lock is taken here and held until the commit
    except IntegrityError:
        db.rollback()
        raise AccountError("An account with this email already exists.") from None
    return user


def _stored(db: Session, user: User) -> NewAccount:
    db.commit()
    db.refresh(user)
    return NewAccount(user=user)


def add_user(
    db: Session, email: str, password_hash: str, *, instructor: bool = False
) -> NewAccount:
    """Store an account whose email is valid (:func:`validate_credentials`) and password
    hashed; AccountError if the email is taken."""
    role = "instructor" if instructor else "learner"
    return _stored(db, _insert(db, email, password_hash, role))


def add_first_instructor(db: Session, email: str, password_hash: str) -> NewAccount:
    """Store the first instructor (the setup token's sign-up): one transaction, serialised,
    that refuses with :data:`SETUP_REFUSED` when another instructor exists, even one
    whose sign-up raced this one."""
    serialise(db, "first-instructor")
    user = _insert(db, email, password_hash, "instructor")
    instructors = select(func.count()).select_from(User).where(User.role == "instructor")
    if int(db.exec(instructors).one()) > 1:
        db.rollback()
        raise AccountError(SETUP_REFUSED)
    return _stored(db, user)


@cache
def dummy_hash() -> str:
    """An argon2 hash of a random password: checked for unknown emails, to take as long."""
    return hash_password(secrets.token_urlsafe(24))


def _failures(db: Session, *conditions: ColumnElement[bool]) -> int:
    query = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(col(LoginAttempt.success).is_(False), *conditions)
        .where(col(LoginAttempt.created_at) >= utcnow() - RATE_WINDOW)
    )
    return int(db.exec(query).one())


def _over_limit(db: Session, email: str, client: str) -> bool:
    email_is, client_is = col(LoginAttempt.email) == email, col(LoginAttempt.ip) == client
    if _failures(db, email_is, client_is) > MAX_FAILURES_PER_CLIENT:
        return True
    return not client.startswith(DEVICE_PREFIX) and _failures(db, client_is) > MAX_FAILURES_PER_IP


def _record_try(db: Session, email: str, client: str) -> tuple[LoginAttempt, bool]:
    """Record a try as a failure and say whether it is over the limit: one transaction,
    serialised per client (see the module docstring)."""
    serialise(db, f"login:{client}")
    attempt = LoginAttempt(email=email, ip=client, success=False)
    db.add(attempt)
    db.flush()
    over = _over_limit(db, email, client)
    _forget_old(db, LoginAttempt)
    db.commit()
    return attempt, over


@dataclass(frozen=True)
class LoginTry:
    """A login try, recorded (as a failure until :func:`login_succeeded`) and within the
    limit: the account (None for an unknown email) and the hash to check the password
    against (the account's, or the dummy one)."""

    attempt_id: int
    user: User | None
    password_hash: str


def begin_login(db: Session, email: str, *, ip: str, device: str | None = None) -> LoginTry:
    """Record a login try and find what to check; :class:`LoginLimited` past the limit.

    ``device`` is the nonce of a valid device cookie for this email (else the IP counts).
    The try is recorded as a failure, and counted, before any password is checked.
    """
    email = normalise_email(email)[:254]
    client = (f"{DEVICE_PREFIX}{device}" if device else ip)[:64]
    attempt, over = _record_try(db, email, client)
    if over:
        raise LoginLimited
    assert attempt.id is not None
    user = user_by_email(db, email)
    checked = user.password_hash if user is not None else dummy_hash()
    return LoginTry(attempt.id, user, checked)


def login_succeeded(db: Session, attempt_id: int) -> None:
    """The try's password matched its account: it no longer counts as a failure (in the
    caller's transaction)."""
    attempt = db.get(LoginAttempt, attempt_id)
    if attempt is not None:
        attempt.success = True
        db.add(attempt)


def record_signup(db: Session, ip: str) -> bool:
    """Record a sign-up try (successful or not); False if it is over the per-IP limit.

    Recorded and counted in one transaction serialised per address, like login tries.
    """
    ip = ip[:64]
    serialise(db, f"signup:{ip}")
    db.add(SignupAttempt(ip=ip))
    db.flush()
    since = utcnow() - SIGNUP_WINDOW
    query = (
        select(func.count())
        .select_from(SignupAttempt)
        .where(SignupAttempt.ip == ip, col(SignupAttempt.created_at) >= since)
    )
    over = int(db.exec(query).one()) > MAX_SIGNUPS_PER_IP
    _forget_old(db, SignupAttempt)
    db.commit()
    return not over


def _forget_old(db: Session, table: type[LoginAttempt] | type[SignupAttempt]) -> None:
    """Delete the tries older than :data:`ATTEMPTS_KEPT` (by the indexed ``created_at``)."""
    db.exec(delete(table).where(col(table.created_at) < utcnow() - ATTEMPTS_KEPT))
