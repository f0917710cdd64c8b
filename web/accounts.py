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
from web.ratelimit import serialise
from web.security import hash_password, user_by_email, verify_password

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
    role = "instructor" if instructor else "learner"
    user = User(email=email, role=role, password_hash=hash_password(password))
    db.add(user)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise AccountError("An account with this email already exists.") from None
    db.refresh(user)
    return NewAccount(user=user)


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


def authenticate(
    db: Session, email: str, password: str, *, ip: str, device: str | None = None
) -> User | None:
    """The user for these credentials, or None; raises :class:`LoginLimited` past the limit.

    ``device`` is the nonce of a valid device cookie for this email (else the IP counts).
    The try is recorded as a failure, and counted, before the password is checked.
    """
    email = normalise_email(email)[:254]
    client = (f"{DEVICE_PREFIX}{device}" if device else ip)[:64]
    attempt, over = _record_try(db, email, client)
    if over:
        raise LoginLimited
    user = user_by_email(db, email)
    checked = user.password_hash if user is not None else dummy_hash()
    db.commit()  # nothing to write: gives the connection back while the password is hashed
    ok = verify_password(checked, password[:MAX_PASSWORD]) and user is not None
    if ok:
        attempt.success = True
        db.commit()
    return user if ok else None


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
