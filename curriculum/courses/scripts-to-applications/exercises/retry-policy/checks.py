from exercises.sandbox.submission import LearnerError


def _delay(submission, method, status, failures, retry_after=None):
    try:
        return submission.call("retry_delay", method, status, failures, retry_after)
    except LearnerError as err:
        raise AssertionError(
            f"retry_delay({method!r}, {status!r}, {failures}, {retry_after!r}) raised {err}"
        ) from None


def test_retries_temporary_server_errors_with_backoff(submission):
    got = [_delay(submission, "GET", 503, n) for n in (1, 2, 3)]
    assert got == [0.5, 1.0, 2.0], (
        f"a 503 is temporary: wait 0.5 s, then 1 s, then 2 s (doubling); got {got}"
    )
    for status in (429, 502, 504):
        assert _delay(submission, "GET", status, 1) == 0.5, f"{status} is worth retrying"


def test_retries_when_no_response_arrived(submission):
    got = _delay(submission, "GET", None, 2)
    assert got == 1.0, (
        f"status None means a timeout or refused connection: retry after 1.0 s, got {got}"
    )


def test_does_not_retry_client_errors(submission):
    for status in (400, 401, 403, 404, 409, 422):
        got = _delay(submission, "GET", status, 1)
        assert got is None, (
            f"a {status} is the client's problem: sending the same request again cannot "
            f"help, so return None (got {got})"
        )
    assert _delay(submission, "GET", 500, 1) is None, "500 is a bug, not a temporary state"


def test_never_retries_non_idempotent_methods(submission):
    for method in ("POST", "PATCH", "post"):
        got = _delay(submission, method, 503, 1)
        assert got is None, (
            f"{method} is not idempotent: retrying may create a second order; got {got}"
        )
    assert _delay(submission, "put", 503, 1) == 0.5, "PUT is idempotent (any letter case)"
    assert _delay(submission, "DELETE", None, 1) == 0.5, "DELETE is idempotent"


def test_honours_retry_after_with_a_cap(submission):
    got = _delay(submission, "GET", 429, 1, "7")
    assert got == 7.0, f"Retry-After: 7 means wait 7 seconds, got {got}"
    got = _delay(submission, "GET", 503, 2, "3600")
    assert got == 30.0, f"never wait longer than 30 s, even if the server asks; got {got}"
    got = _delay(submission, "GET", 503, 1, "Wed, 21 Oct 2026 07:28:00 GMT")
    assert got == 0.5, f"a Retry-After date falls back to the backoff; got {got}"


def test_gives_up_after_four_failures(submission):
    assert _delay(submission, "GET", 503, 4) is None, "after 4 failures, stop retrying"
    assert _delay(submission, "GET", 429, 5, "1") is None, "the limit applies with Retry-After too"
    assert _delay(submission, "GET", 503, 20) is None
