"""One-time password reset links an instructor hands to a learner (no mail server).

The link holds a random token; the table keeps only its SHA-256, who it is for, who
made it and when it expires. Using it sets the new password, ends every session of the
account, and spends this link and any other open link for the account. Steps in the
caller's session (no commit).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete, update

from web.accounts import MAX_PASSWORD, MIN_PASSWORD, AccountError
from web.models import AuthSession, PasswordReset, User, aware, utcnow

LINK_LIFETIME = timedelta(hours=24)
MAX_TOKEN = 100


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db: Session, *, user: User, by: int) -> tuple[str, PasswordReset]:
    """A new link's token for a learner's account (earlier open links stay valid)."""
    if user.role != "learner":
        raise AccountError("Only a learner's password can be reset with a link.")
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        token_hash=_digest(token),
        user_id=user.id,
        created_by=by,
        expires_at=utcnow() + LINK_LIFETIME,
    )
    db.add(reset)
    db.flush()
    return token, reset


def open_link(db: Session, token: str) -> tuple[PasswordReset, User] | None:
    """The unused, unexpired link with this token and its account, else None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    reset = db.get(PasswordReset, _digest(token))
    if reset is None or reset.used_at is not None or aware(reset.expires_at) <= utcnow():
        return None
    user = db.get(User, reset.user_id)
    return (reset, user) if user is not None else None


def check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"Passwords need {MIN_PASSWORD} to {MAX_PASSWORD} characters.")


def redeem(db: Session, *, token: str, password_hash: str) -> User:
    """Set the account's password (already hashed) and spend its links; end its sessions.

    The link is spent by one conditional UPDATE, so of two uses at once only one counts.
    """
    now = utcnow()
    spent = db.exec(
        update(PasswordReset)
        .where(
            col(PasswordReset.token_hash) == _digest(token[:MAX_TOKEN]),
            col(PasswordReset.used_at).is_(None),
            col(PasswordReset.expires_at) > now,
        )
        .values(used_at=now)
    )
    reset = db.get(PasswordReset, _digest(token[:MAX_TOKEN])) if spent.rowcount == 1 else None
    user = db.get(User, reset.user_id) if reset is not None else None
    if user is None:
        raise AccountError("This link was used already or has expired: ask for a new one.")
    user.password_hash = password_hash
    db.add(user)
    db.exec(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    db.exec(delete(AuthSession).where(col(AuthSession.user_id) == user.id))
    db.flush()
    return user
