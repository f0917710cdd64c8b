from exercises.sandbox.submission import LearnerError


def _expect_error(submission, sku, error_type):
    try:
        result = submission.call("get_stock", sku)
    except LearnerError as exc:
        assert error_type in exc.types, f"expected {error_type}, got {exc.type}: {exc.message}"
        return
    raise AssertionError(f"expected {error_type}, but get_stock returned {result!r}")


def _check_waits(waits):
    for retry, wait in enumerate(waits, start=1):
        full = min(0.1 * 2 ** (retry - 1), 1.0)
        assert 0.5 * full - 1e-9 <= wait <= full + 1e-9, (
            f"wait before retry {retry} must be between {0.5 * full:.3f} and {full:.3f} s "
            f"(exponential backoff with jitter), got {wait}"
        )


def test_success_first_time(submission):
    assert submission.call("get_stock", "pen") == {"sku": "pen", "available": 7}
    assert submission.call("upstream_calls") == 1
    assert submission.call("waits") == [], "no retry, so no wait"


def test_transient_errors_are_retried_with_backoff(submission):
    submission.call("set_upstream", [503, "timeout", 502])
    assert submission.call("get_stock", "pen") == {"sku": "pen", "available": 7}
    assert submission.call("upstream_calls") == 4, (
        "three failures, then the fourth attempt succeeds"
    )
    waits = submission.call("waits")
    assert len(waits) == 3, f"wait once before each retry (use pause(...)), got {waits}"
    _check_waits(waits)


def test_gives_up_after_max_attempts(submission):
    submission.call("set_upstream", [503] * 10)
    _expect_error(submission, "pen", "UpstreamUnavailable")
    calls = submission.call("upstream_calls")
    assert calls == 4, f"stop after MAX_ATTEMPTS = 4 attempts, made {calls}"
    assert len(submission.call("waits")) == 3, "no wait after the last attempt"


def test_404_is_not_retried(submission):
    submission.call("set_upstream", [404])
    _expect_error(submission, "ghost", "UnknownSku")
    assert submission.call("upstream_calls") == 1, "a 404 will not change on retry: call once"


def test_other_client_errors_are_not_retried(submission):
    submission.call("set_upstream", [400])
    _expect_error(submission, "pen", "HTTPStatusError")
    assert submission.call("upstream_calls") == 1, "a 400 will not change on retry: call once"

