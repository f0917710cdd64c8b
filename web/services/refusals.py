"""Why an operation was refused before any work: HTTP errors the error pages render.

Each carries ``Retry-After`` where waiting helps, so clients (and the page) know when
to try again. Routes may catch them to show the message in place.
"""

from __future__ import annotations

from fastapi import HTTPException


class Refused(HTTPException):
    """An operation refused with a status, a message for the learner and maybe a delay."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        super().__init__(status, message, headers=headers)
        self.message = message
        self.retry_after = retry_after


class GradersBusy(Refused):
    """Every runner is busy and the waiting line is full: try again shortly (503)."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(
            503,
            f"The graders are busy right now. Your code was not checked: "
            f"try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class PasswordsBusy(Refused):
    """Too many logins and sign-ups are in progress: try again shortly (503)."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(
            503,
            f"Many people are logging in right now. Nothing was checked or counted: "
            f"try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class TooManyChecks(Refused):
    """This learner already has the most checks allowed running or waiting (429)."""

    def __init__(self, *, limit: int, retry_after: int) -> None:
        super().__init__(
            429,
            f"You already have {limit} checks running. Wait for their results, "
            f"then try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class TooManyAttempts(Refused):
    """This learner submitted more attempts in the last minute than allowed (429)."""

    def __init__(self, *, per_minute: int, retry_after: int) -> None:
        super().__init__(
            429,
            f"You are going a bit fast: at most {per_minute} attempts a minute. "
            f"Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class TooManyRuns(Refused):
    """This learner ran their code more often in the last minute than allowed (429)."""

    def __init__(self, *, per_minute: int, retry_after: int) -> None:
        super().__init__(
            429,
            f"You are running your code a bit fast: at most {per_minute} runs a minute. "
            f"Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class TooManyDraftSaves(Refused):
    """This learner saved drafts more often in the last minute than allowed (429)."""

    def __init__(self, *, per_minute: int, retry_after: int) -> None:
        super().__init__(
            429,
            f"Your draft was not saved: at most {per_minute} saves a minute. "
            f"Try again in {retry_after} seconds.",
            retry_after=retry_after,
        )


class TooManyJoinGuesses(Refused):
    """This account or address tried too many wrong class codes in the last hour (429)."""

    def __init__(self, *, retry_after: int) -> None:
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            429,
            f"Too many wrong class codes. Check the code with your instructor and try again "
            f"in {minutes} {'minute' if minutes == 1 else 'minutes'}.",
            retry_after=retry_after,
        )


class BadInput(Refused):
    """The request is well-formed HTTP but its content cannot be accepted (400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


class GradingFailed(Refused):
    """The grading runner could not run the checks (sandbox refused or broke) (503)."""

    def __init__(self, reason: str) -> None:
        super().__init__(503, f"The checks could not run: {reason}", retry_after=30)
