from exercises.sandbox.submission import LearnerError

FAST = {"AAPL": 189.5, "MSFT": 411.2, "GOOG": 152.8}


def test_returns_every_price(submission):
    result = submission.call("fetch_prices", ["AAPL", "MSFT", "GOOG"], 1.0)
    assert result == FAST, f"expected every quote {FAST}, got {result}"


def test_fetches_concurrently(submission):
    submission.call("fetch_prices", ["AAPL"], 1.0)  # warm-up: import costs are not measured
    submission.call("fetch_prices", ["AAPL", "MSFT", "GOOG"], 1.0)
    assert submission.elapsed >= 0.15, (
        "that was too fast: keep fetch_price unchanged and await it for every symbol"
    )
    assert submission.elapsed < 0.55, (
        f"three 0.2 s quotes took {submission.elapsed:.2f} s; fetched one after another they "
        "take 0.6 s. Run them concurrently with asyncio.gather (about 0.2 s)."
    )


def test_slow_quote_becomes_none(submission):
    result = submission.call("fetch_prices", ["AAPL", "SLOW"], 0.4)
    assert result == {"AAPL": 189.5, "SLOW": None}, (
        f"SLOW answers after 1.5 s, beyond the 0.4 s timeout, so it must be None; got {result}"
    )
    assert submission.elapsed < 1.0, (
        f"took {submission.elapsed:.2f} s: stop waiting for SLOW after the 0.4 s timeout"
    )


def test_timeout_is_per_quote(submission):
    try:
        result = submission.call("fetch_prices", ["SLOW", "AAPL", "MSFT"], 0.3)
    except LearnerError as error:
        raise AssertionError(
            f"fetch_prices raised {error.type}: one slow quote must not fail the whole page. "
            "Apply the timeout to each quote and turn a timeout into None."
        ) from None
    assert result == {"SLOW": None, "AAPL": 189.5, "MSFT": 411.2}, (
        f"the fast quotes must survive a slow one; got {result}"
    )


def test_empty_portfolio(submission):
    assert submission.call("fetch_prices", [], 0.5) == {}, "no symbols, no prices: {}"
