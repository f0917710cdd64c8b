"""Log in and sign up: the database work in worker threads, the password awaited on the
password threads (``web.passwords``), each behind the app's :class:`PasswordGate`.

Neither holds a thread or a database connection while its password is hashed, so a
class logging in at once leaves the pages their threads. The account rules themselves
(the login limit, the dummy hash for unknown emails, the sign-up limit) are
``web.accounts``'s, unchanged; a login or sign-up refused as busy did nothing at all.
"""

from __future__ import annotations

from functools import partial

from web.accounts import (
    MAX_PASSWORD,
    SETUP_REFUSED,
    AccountError,
    NewAccount,
    SignupLimited,
    add_first_instructor,
    add_user,
    begin_login,
    instructor_exists,
    login_succeeded,
    record_signup,
    validate_credentials,
)
from web.context import AppContext
from web.models import User
from web.passwords import ahash_password, averify_password
from web.services.transaction import in_transaction, reading
from web.setup import setup_token_ok


async def log_in(
    *, app: AppContext, email: str, password: str, ip: str, device: str | None
) -> User | None:
    """The account for these credentials, or None.

    Raises PasswordsBusy (nothing was done or counted) or LoginLimited (the try counted,
    no password checked). ``device``: see :func:`web.accounts.begin_login`.
    """
    async with app.passwords.admit():
        tried = await in_transaction(
            app.db_engine, partial(begin_login, email=email, ip=ip, device=device)
        )
        matches = await averify_password(tried.password_hash, password[:MAX_PASSWORD])
    if not matches or tried.user is None:
        return None
    await in_transaction(app.db_engine, partial(login_succeeded, attempt_id=tried.attempt_id))
    return tried.user


async def sign_up(
    *, app: AppContext, email: str, password: str, ip: str, setup_token: str = ""
) -> NewAccount:
    """A new learner account, or the first instructor's with a valid ``setup_token``.

    Raises PasswordsBusy (nothing was done or counted), SignupLimited (too many sign-ups
    from ``ip``; every try counts) or AccountError (its message is for the form).
    """
    instructor = bool(setup_token.strip())
    async with app.passwords.admit():
        if not await in_transaction(app.db_engine, partial(record_signup, ip=ip)):
            raise SignupLimited
        if instructor and not await _setup_allowed(app, setup_token):
            raise AccountError(SETUP_REFUSED)
        email = validate_credentials(email, password)
        password_hash = await ahash_password(password)
    if instructor:  # checked again inside the insert's transaction: sign-ups may race
        first = partial(add_first_instructor, email=email, password_hash=password_hash)
        return await in_transaction(app.db_engine, first)
    return await in_transaction(
        app.db_engine, partial(add_user, email=email, password_hash=password_hash)
    )


async def _setup_allowed(app: AppContext, setup_token: str) -> bool:
    """The setup token is this server's, and no instructor exists yet."""
    if not setup_token_ok(app.secret, setup_token):
        return False
    return not await reading(app.db_engine, instructor_exists)
