from exercises.sandbox.submission import LearnerError


def _price(sku):
    return sum(map(ord, sku))


def _report(submission, n, limit):
    try:
        return submission.call("report", n, limit)
    except LearnerError as exc:
        raise AssertionError(f"fetch_all raised {exc.type}: {exc.message}") from None


def test_prices_in_order(submission):
    result = _report(submission, 7, 3)
    expected = [_price(f"sku-{i}") for i in range(7)]
    assert result["prices"] == expected, "prices must be returned in the order of the SKUs"


def test_runs_concurrently(submission):
    result = _report(submission, 10, 5)
    assert submission.elapsed < 0.6, (
        f"10 calls of 0.1 s with limit 5 took {submission.elapsed:.2f} s; they should take "
        "about 0.2 s: start them as tasks instead of awaiting one after the other"
    )
    assert result["max_in_flight"] == 5, (
        f"with 10 SKUs and limit 5, 5 calls should run at once; at most {result['max_in_flight']} did"
    )


def test_respects_the_limit(submission):
    result = _report(submission, 12, 3)
    assert result["max_in_flight"] <= 3, (
        f"at most 3 calls may be in flight, {result['max_in_flight']} were: "
        "guard each call with an asyncio.Semaphore(limit)"
    )
    assert submission.elapsed < 0.9, f"12 calls with limit 3 should take about 0.4 s, took {submission.elapsed:.2f} s"


def test_empty_list(submission):
    assert _report(submission, 0, 4) == {"prices": [], "max_in_flight": 0}


def test_bad_limit(submission):
    try:
        result = submission.call("report", 3, 0)
    except LearnerError as exc:
        assert "ValueError" in exc.types, f"limit 0 must raise ValueError, got {exc.type}"
        return
    raise AssertionError(f"limit 0 must raise ValueError, got {result!r}")
