def _run(submission, script, **kwargs):
    result = submission.call("run", script, **kwargs)
    return [tuple(o) for o in result["outcomes"]], result["dependency_calls"]


def test_closed_breaker_passes_calls_through(submission):
    outcomes, calls = _run(submission, ["ok", "ok", "fail", "ok"])
    assert outcomes == [("ok", "closed"), ("ok", "closed"), ("ConnectionError", "closed"),
                        ("ok", "closed")], outcomes
    assert calls == 4


def test_opens_after_consecutive_failures_and_fails_fast(submission):
    outcomes, calls = _run(submission, ["fail", "fail", "fail", "ok", "ok"])
    assert [o[1] for o in outcomes[:3]] == ["closed", "closed", "open"], (
        f"the third consecutive failure must open the breaker: {outcomes[:3]}"
    )
    assert outcomes[3:] == [("CircuitOpenError", "open")] * 2, (
        f"while open, calls must raise CircuitOpenError: {outcomes[3:]}"
    )
    assert calls == 3, f"an open breaker must not call the dependency ({calls} calls made)"


def test_a_success_resets_the_failure_count(submission):
    outcomes, _ = _run(submission, ["fail", "fail", "ok", "fail", "fail", "ok"])
    assert all(state == "closed" for _, state in outcomes), (
        f"only *consecutive* failures count: a success in between resets the count {outcomes}"
    )


def test_threshold_is_configurable(submission):
    outcomes, _ = _run(submission, ["fail", "fail"], failure_threshold=2)
    assert outcomes[-1] == ("ConnectionError", "open"), outcomes


def test_stays_open_until_the_timeout(submission):
    outcomes, calls = _run(submission, ["fail", "fail", "fail", 29.5, "ok"])
    assert outcomes[-1] == ("CircuitOpenError", "open"), (
        f"29.5 s after opening (timeout 30 s) the breaker is still open: {outcomes[-1]}"
    )
    assert calls == 3


def test_half_open_trial_success_closes(submission):
    outcomes, calls = _run(submission, ["fail", "fail", "fail", 30, "ok", "fail", "ok"])
    assert outcomes[3] == ("ok", "closed"), (
        f"after the timeout one trial call goes through, and success closes: {outcomes[3]}"
    )
    assert outcomes[4:] == [("ConnectionError", "closed"), ("ok", "closed")], outcomes[4:]
    assert calls == 6


def test_half_open_trial_failure_reopens(submission):
    outcomes, calls = _run(submission, ["fail", "fail", "fail", 31, "fail", "ok", 31, "ok"])
    assert outcomes[3] == ("ConnectionError", "open"), (
        f"a failed trial call must open the breaker again at once: {outcomes[3]}"
    )
    assert outcomes[4] == ("CircuitOpenError", "open"), (
        f"after a failed trial the breaker waits a full timeout again: {outcomes[4]}"
    )
    assert outcomes[5] == ("ok", "closed"), outcomes[5]
    assert calls == 5
