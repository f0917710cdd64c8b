from exercises.sandbox.submission import LearnerError


def test_delivers_on_first_success(submission):
    result = submission.call("run_delivery", [])
    assert result["delivered"] is True, "a 200 on the first attempt means delivered"
    assert result["attempts"] == 1 and result["posts"] == 1, f"one attempt expected, got {result}"
    assert result["sleeps"] == [], "no waiting when the first attempt succeeds"


def test_retries_server_errors(submission):
    result = submission.call("run_delivery", [503, 500])
    assert result["delivered"] is True, "two 5xx then 200 must end up delivered"
    assert result["attempts"] == 3 and result["posts"] == 3, f"3 attempts expected, got {result}"


def test_retries_connection_errors_and_429(submission):
    try:
        result = submission.call("run_delivery", [None, 429])
    except LearnerError as exc:
        raise AssertionError(f"a ConnectionError must be retried, not raised ({exc})") from None
    assert result["delivered"] is True, "a connection error and a 429 are both worth retrying"
    assert result["posts"] == 3, f"3 posts expected, got {result['posts']}"


def test_no_retry_on_client_error(submission):
    result = submission.call("run_delivery", [400])
    assert result["delivered"] is False, "a 400 means the request is wrong: not delivered"
    assert result["posts"] == 1, (
        f"a 4xx other than 429 must not be retried, the receiver got {result['posts']} posts"
    )
    assert result["sleeps"] == [], "no waiting after a client error"


def test_gives_up_after_max_attempts(submission):
    result = submission.call("run_delivery", [503] * 10, 4)
    assert result["delivered"] is False, "after max_attempts failures: not delivered"
    assert result["posts"] == 4, f"exactly max_attempts=4 posts expected, got {result['posts']}"
    assert len(result["sleeps"]) == 3, (
        f"wait between attempts only (3 waits for 4 attempts), got {len(result['sleeps'])}"
    )


def test_exponential_backoff_with_jitter(submission):
    sleeps = submission.call("run_delivery", [503] * 10, 5)["sleeps"]
    assert len(sleeps) == 4, f"4 waits expected for 5 attempts, got {sleeps}"
    for k, delay in enumerate(sleeps):
        low, high = 0.5 * 2**k, 1.5 * 2**k
        assert low <= delay <= high, (
            f"wait {k + 1} must be base_delay * 2**{k} times a factor in [0.5, 1.5], "
            f"i.e. between {low} and {high}; got {delay}"
        )
    assert any(delay != 2**k for k, delay in enumerate(sleeps)), (
        "the waits are exact powers of two: multiply them by a random jitter factor"
    )
