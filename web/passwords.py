"""Passwords (argon2): hashed and checked on a few low-priority threads of their own.

argon2 is meant to be costly (about 0.2 s of CPU and 64 MiB per hash), so a class
logging in at once could take every core and every thread. Three rules keep pages
answering through a login rush:

* Hashing runs on ``PASSWORD_THREADS`` threads per process, never on the worker threads
  that serve pages: the login and sign-up routes are ``async`` and await the hash
  (:func:`ahash_password`, :func:`averify_password`), so a login waiting for its hash
  holds no thread and no database connection.
* Those threads run at nice ``PASSWORD_NICE``: pages (nice 0) win the CPU.
* At most ``PASSWORD_THREADS`` logins and sign-ups are at work per process, and
  ``TUTOR_LOGIN_QUEUE`` more wait for their turn, each for at most ``WAIT_S``
  (:class:`PasswordGate`). One more, or one that waited that long, is answered 503 with
  ``Retry-After`` (:class:`~web.services.refusals.PasswordsBusy`) before any database
  work, so it counts as no failed try.

The blocking :func:`hash_password` and :func:`verify_password` (same threads) are for
the command line and other synchronous callers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import TypeVar

from anyio import CancelScope, CapacityLimiter, move_on_after
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from web.services.refusals import PasswordsBusy

T = TypeVar("T")

_hasher = PasswordHasher()
PASSWORD_THREADS = 2
"""Passwords hashed or checked at once per process. Few: a hash keeps a core busy, so
more threads would only share the same cores (and take 64 MiB each); waiting logins
hold nothing but their place in line."""
PASSWORD_NICE = 10
"""The hashing threads' nice value: pages (nice 0) win the CPU during a login rush."""
RETRY_AFTER_S = 5
WAIT_S = 10.0
"""The longest a login or sign-up waits for its turn at the password threads."""


def _lower_priority() -> None:
    """Lower this thread's CPU priority (on Linux, ``setpriority`` on a thread id affects
    that thread alone, and the threads argon2 starts for its lanes inherit it)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PASSWORD_NICE)


_hashing = ThreadPoolExecutor(
    PASSWORD_THREADS, thread_name_prefix="tutor-password", initializer=_lower_priority
)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    """An argon2 hash, computed on a password thread (blocks the caller)."""
    return _hashing.submit(_hasher.hash, password).result()


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches, checked on a password thread (blocks the caller)."""
    return _hashing.submit(_verify, password_hash, password).result()


async def _on_password_thread(work: Callable[[], T]) -> T:
    """``work()`` on a password thread, awaited. Shielded: a request cancelled meanwhile
    still waits for its hash, so :class:`PasswordGate` counts what the threads do."""
    done = asyncio.wrap_future(_hashing.submit(work))
    with CancelScope(shield=True):
        await done
    return done.result()


async def ahash_password(password: str) -> str:
    """:func:`hash_password` for an event loop: no worker thread waits for it."""
    return await _on_password_thread(lambda: _hasher.hash(password))


async def averify_password(password_hash: str, password: str) -> bool:
    """:func:`verify_password` for an event loop: no worker thread waits for it."""
    return await _on_password_thread(lambda: _verify(password_hash, password))


class PasswordGate:
    """Admits logins and sign-ups: ``PASSWORD_THREADS`` at work, ``queue`` more waiting
    (per process), each for at most ``wait_s``; beyond either, :class:`PasswordsBusy`.

    A login holds its turn from its first database work to the end of its hash, so the
    wait comes before anything is recorded: a busy answer counts as no try.
    """

    def __init__(self, *, queue: int, wait_s: float = WAIT_S) -> None:
        self.capacity = PASSWORD_THREADS + queue
        self.wait_s = wait_s
        self._inside = 0
        self._turns = CapacityLimiter(PASSWORD_THREADS)

    @property
    def inside(self) -> int:
        """Logins and sign-ups at work or waiting now."""
        return self._inside

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """One login's or sign-up's turn at the password threads; PasswordsBusy if the
        line is full, or after ``wait_s`` in it."""
        if self._inside >= self.capacity:
            raise PasswordsBusy(retry_after=RETRY_AFTER_S)
        self._inside += 1
        try:
            with move_on_after(self.wait_s) as waiting:
                await self._turns.acquire()
            if waiting.cancelled_caught:
                raise PasswordsBusy(retry_after=RETRY_AFTER_S)
            try:
                yield
            finally:
                self._turns.release()
        finally:
            self._inside -= 1
