from exercises.sandbox.submission import LearnerError

BIG = 200_000


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as exc:
        raise AssertionError(f"{name} raised {exc.type}: {exc.message}") from None


def test_first_duplicate_results(submission):
    cases = [
        (["a", "b", "b", "a"], "b"),
        (["a", "b", "c", "a", "b"], "a"),
        (["x", "y", "z"], None),
        ([], None),
        (["same", "same"], "same"),
    ]
    for ids, expected in cases:
        got = _call(submission, "first_duplicate", ids)
        assert got == expected, f"first_duplicate({ids}) must be {expected!r}, got {got!r}"


def test_pair_with_sum_results(submission):
    cases = [
        ([2, 7, 11, 15], 9, [0, 1]),
        ([3, 1, 4, 2], 5, [1, 2]),
        ([1, 4, 4, 3], 8, [1, 2]),
        ([5, 5, 5], 10, [0, 1]),
        ([1, 2, 3], 100, None),
        ([], 0, None),
        ([-3, 10, 3], 0, [0, 2]),
        ([4, 4, 6], 10, [0, 2]),
    ]
    for amounts, target, expected in cases:
        got = _call(submission, "pair_with_sum", amounts, target)
        assert got == expected, f"pair_with_sum({amounts}, {target}) must be {expected}, got {got}"


def test_first_duplicate_is_linear(submission):
    ids = [f"req-{i}" for i in range(BIG)] + ["req-123"]
    got = _call(submission, "first_duplicate", ids)
    assert got == "req-123", f"got {got!r}"
    assert submission.elapsed < 3.0, (
        f"{BIG:,} ids took {submission.elapsed:.1f} s: remember seen ids in a set, so each "
        "lookup is O(1) instead of scanning the list"
    )


def test_pair_with_sum_is_linear(submission):
    amounts = list(range(1, BIG + 1))
    got = _call(submission, "pair_with_sum", amounts, 2 * BIG - 1)
    assert got == [BIG - 2, BIG - 1], f"got {got}"
    assert submission.elapsed < 3.0, (
        f"{BIG:,} amounts took {submission.elapsed:.1f} s: keep a dict from amount to its "
        "first index and look up target - amount"
    )
