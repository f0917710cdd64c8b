from exercises.sandbox.submission import LearnerError


def _run(submission, delays, limit, failing=None):
    try:
        return submission.call("run", delays, limit, failing)
    except LearnerError as err:
        raise AssertionError(f"fetch_all raised {err}") from None


def test_results_in_input_order(submission):
    got = _run(submission, [0.06, 0.01, 0.04, 0.02], 4)["results"]
    assert got == ["page 0", "page 1", "page 2", "page 3"], (
        f"results must follow the order of `urls`, not the order they finish in; got {got}"
    )


def test_never_exceeds_the_limit(submission):
    report = _run(submission, [0.03] * 12, 3)
    assert report["max_in_flight"] <= 3, (
        f"with limit=3, at most 3 fetches may run at once; saw {report['max_in_flight']}"
    )


def test_runs_concurrently(submission):
    report = _run(submission, [0.1] * 8, 4)
    assert report["max_in_flight"] == 4, (
        f"8 URLs with limit=4 should keep 4 fetches in flight; saw {report['max_in_flight']}"
    )
    assert report["elapsed"] < 0.6, (
        f"8 fetches of 0.1 s, 4 at a time, take about 0.2 s; took {report['elapsed']:.2f} s"
    )


def test_a_failure_does_not_stop_the_others(submission):
    got = _run(submission, [0.02, 0.01, 0.05, 0.02], 2, [1])["results"]
    assert got == ["page 0", "error: https://site.test/1 refused", "page 2", "page 3"], (
        f"a failing URL gives 'error: <message>' in its slot and the rest complete; got {got}"
    )
