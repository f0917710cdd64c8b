from collections import Counter

from exercises.sandbox.submission import LearnerError


def _picks(submission, n):
    return [submission.call("pick") for _ in range(n)]


def test_equal_weights_is_round_robin(submission):
    submission.call("setup", {"a": 1, "b": 1, "c": 1})
    picks = _picks(submission, 6)
    assert sorted(picks[:3]) == ["a", "b", "c"], f"each backend once per cycle, got {picks[:3]}"
    assert picks[3:] == picks[:3], f"the cycle must repeat in the same order, got {picks}"


def test_weights_are_respected_per_cycle(submission):
    submission.call("setup", {"big": 3, "small": 1})
    picks = _picks(submission, 40)
    for start in range(0, 40, 4):
        cycle = Counter(picks[start : start + 4])
        assert cycle == Counter({"big": 3, "small": 1}), (
            f"every cycle of 4 picks must hold 'big' 3 times and 'small' once, got {dict(cycle)}"
        )


def test_unhealthy_backend_is_skipped(submission):
    submission.call("setup", {"a": 1, "b": 1, "c": 1})
    submission.call("mark", "b", False)
    picks = _picks(submission, 6)
    assert "b" not in picks, f"a backend marked unhealthy must not be picked, got {picks}"
    assert Counter(picks) == Counter({"a": 3, "c": 3}), f"the others share the load: {picks}"


def test_recovered_backend_rejoins(submission):
    submission.call("setup", {"a": 2, "b": 1})
    submission.call("mark", "a", False)
    assert _picks(submission, 3) == ["b", "b", "b"]
    submission.call("mark", "a", True)
    picks = _picks(submission, 30)
    assert Counter(picks) == Counter({"a": 20, "b": 10}), (
        f"after recovering, 'a' must get its full weight again, got {dict(Counter(picks))}"
    )


def test_no_healthy_backend_raises(submission):
    submission.call("setup", {"a": 1})
    submission.call("mark", "a", False)
    try:
        submission.call("pick")
    except LearnerError as exc:
        assert "NoHealthyBackend" in exc.types, (
            f"with every backend down, pick() must raise NoHealthyBackend, not {exc.type}"
        )
    else:
        raise AssertionError("with every backend down, pick() must raise NoHealthyBackend")


def test_unknown_backend_raises_key_error(submission):
    submission.call("setup", {"a": 1})
    try:
        submission.call("mark", "zzz", False)
    except LearnerError as exc:
        assert "KeyError" in exc.types, f"expected KeyError, got {exc.type}"
    else:
        raise AssertionError("marking an unknown backend must raise KeyError")
