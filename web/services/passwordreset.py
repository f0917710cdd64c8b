"""Password reset links: an instructor issues one for a learner; the learner uses it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from web import passwordreset
from web.accounts import AccountError
from web.context import AppContext
from web.models import User
from web.passwords import ahash_password
from web.services.refusals import BadInput, Refused
from web.services.transaction import in_transaction, reading


async def issue_link(*, app: AppContext, learner_id: int, by: int) -> tuple[str, datetime]:
    """A new one-time token for the learner's account, and when it expires."""

    def work(db: Session) -> tuple[str, datetime]:
        learner = db.get(User, learner_id)
        if learner is None:
            raise Refused(404, "No such learner.")
        try:
            token, reset = passwordreset.issue(db, user=learner, by=by)
        except AccountError as exc:
            raise BadInput(str(exc)) from None
        return token, reset.expires_at

    return await in_transaction(app.db_engine, work)


async def link_email(*, app: AppContext, token: str) -> str | None:
    """The email of the account an open link is for, else None."""

    def work(db: Session) -> str | None:
        found = passwordreset.open_link(db, token)
        return found[1].email if found is not None else None

    return await reading(app.db_engine, work)


async def reset_password(*, app: AppContext, token: str, password: str) -> User:
    """Set the new password through the link; the link is checked before the (costly)
    hash is computed, so guessing tokens costs the server one indexed read each."""
    if await link_email(app=app, token=token) is None:
        raise BadInput("This link was used already or has expired: ask for a new one.")
    try:
        passwordreset.check_password(password)
    except AccountError as exc:
        raise BadInput(str(exc)) from None
    async with app.passwords.admit():  # the hash waits in the logins' line, on their threads
        password_hash = await ahash_password(password)

    def work(db: Session) -> User:
        try:
            return passwordreset.redeem(db, token=token, password_hash=password_hash)
        except AccountError as exc:
            raise BadInput(str(exc)) from None

    return await in_transaction(app.db_engine, work)
