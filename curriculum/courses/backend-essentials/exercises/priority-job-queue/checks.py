def _submit(*jobs):
    return [["submit", name, priority] for name, priority in jobs]


def test_lowest_number_first(submission):
    commands = _submit(("newsletter", 5), ("charge card", 1), ("reset email", 2))
    out = submission.call("run", commands + [["next"], ["next"], ["next"]])
    assert out == ["charge card", "reset email", "newsletter"], (
        f"jobs must come out most urgent (lowest number) first, got {out}"
    )


def test_equal_priorities_run_in_submission_order(submission):
    commands = _submit(("zeta", 3), ("alpha", 3), ("mid", 3), ("urgent", 1))
    out = submission.call("run", commands + [["next"]] * 4)
    assert out == ["urgent", "zeta", "alpha", "mid"], (
        f"equal priorities must come out in submission order (not by name), got {out}"
    )


def test_empty_queue(submission):
    assert submission.call("run", [["next"], ["peek"], ["len"]]) == [None, None, 0]


def test_peek_does_not_remove(submission):
    commands = _submit(("b", 2), ("a", 1))
    out = submission.call("run", commands + [["peek"], ["peek"], ["len"], ["next"], ["len"]])
    assert out == ["a", "a", 2, "a", 1], f"peek shows the next job without removing it: {out}"


def test_interleaved_operations(submission):
    commands = [
        ["submit", "j1", 4], ["submit", "j2", 2], ["next"],
        ["submit", "j3", 1], ["submit", "j4", 4], ["next"], ["next"], ["next"], ["next"],
    ]
    out = submission.call("run", commands)
    assert out == ["j2", "j3", "j1", "j4", None], f"got {out}"


def test_uses_heapq(submission):
    assert "heapq" in submission.source, (
        "use heapq (heappush/heappop) so submit and next_job are O(log n)"
    )


def test_many_jobs(submission):
    n = 20_000
    commands = [["submit", f"job{i}", (i * 7919) % 100] for i in range(n)]
    out = submission.call("run", commands + [["len"], ["next"], ["next"]])
    assert out[0] == n, f"len must count {n} jobs, got {out[0]}"
    assert out[1:] == ["job0", "job100"], f"priority 0 jobs in submission order first, got {out[1:]}"
