"""The password gate: a bounded line for logins and sign-ups, each waiting a bounded
time for its turn at the password threads (real argon2, real threads)."""

from __future__ import annotations

import asyncio

import pytest

from web.passwords import PASSWORD_THREADS, PasswordGate, averify_password, hash_password
from web.services.refusals import PasswordsBusy


async def _hold(gate: PasswordGate, release: asyncio.Event) -> None:
    async with gate.admit():
        await release.wait()


async def _try(gate: PasswordGate) -> str:
    try:
        async with gate.admit():
            return "admitted"
    except PasswordsBusy as exc:
        assert exc.status_code == 503 and exc.headers == {"Retry-After": "5"}
        return "busy"


def test_a_full_line_is_busy_at_once_and_a_long_wait_is_busy_too() -> None:
    async def scenario() -> list[str]:
        gate = PasswordGate(queue=1, wait_s=0.3)
        release = asyncio.Event()
        holders = [asyncio.create_task(_hold(gate, release)) for _ in range(PASSWORD_THREADS)]
        await asyncio.sleep(0.05)  # every turn taken
        waiting = asyncio.create_task(_try(gate))  # in line: busy after wait_s
        await asyncio.sleep(0.05)
        full = await _try(gate)  # the line is full: busy at once
        waited = await waiting
        release.set()
        await asyncio.gather(*holders)
        again = await _try(gate)  # turns free again
        assert gate.inside == 0
        return [full, waited, again]

    assert asyncio.run(scenario()) == ["busy", "busy", "admitted"]


def test_a_turn_freed_in_time_admits_the_next_in_line() -> None:
    async def scenario() -> str:
        gate = PasswordGate(queue=4, wait_s=30)
        release = asyncio.Event()
        holders = [asyncio.create_task(_hold(gate, release)) for _ in range(PASSWORD_THREADS)]
        await asyncio.sleep(0.05)
        waiting = asyncio.create_task(_try(gate))
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*holders)
        return await waiting

    assert asyncio.run(scenario()) == "admitted"


@pytest.mark.parametrize("password", ["a long enough password", "another password"])
def test_the_async_check_agrees_with_the_hash(password: str) -> None:
    stored = hash_password("a long enough password")
    expected = password == "a long enough password"
    assert asyncio.run(averify_password(stored, password)) is expected
    assert asyncio.run(averify_password("not a hash", password)) is False
