def test_local_events_tick_the_own_counter(submission):
    assert submission.call("send", {}, "a") == {"a": 1}
    assert submission.call("send", {"a": 1, "b": 3}, "a") == {"a": 2, "b": 3}


def test_receive_takes_the_maximum_then_ticks(submission):
    got = submission.call("receive", {"a": 2, "b": 1}, "b", {"a": 1, "b": 0, "c": 4})
    assert got == {"a": 2, "b": 2, "c": 4}, (
        f"merge keeps the larger counter per node (a: max(2, 1) = 2), then the receive "
        f"ticks b: expected {{'a': 2, 'b': 2, 'c': 4}}, got {got}"
    )


def test_before_after_equal(submission):
    assert submission.call("order", {"a": 1}, {"a": 2, "b": 1}) == "before"
    assert submission.call("order", {"a": 3, "b": 1}, {"a": 2, "b": 1}) == "after"
    assert submission.call("order", {"a": 1, "b": 2}, {"b": 2, "a": 1}) == "equal"
    assert submission.call("order", {"a": 1}, {"a": 1, "b": 0}) == "equal", (
        "a missing node counts as 0"
    )


def test_detects_concurrent_events(submission):
    cases = [({"a": 1}, {"b": 1}), ({"a": 2, "b": 1}, {"a": 1, "b": 2}),
             ({"a": 5}, {"a": 1, "c": 1})]
    for a, b in cases:
        got = submission.call("order", a, b)
        assert got == "concurrent", (
            f"{a} vs {b}: each has a counter larger than the other's, so neither happened "
            f"before the other: 'concurrent', got {got!r}"
        )


def test_a_message_exchange(submission):
    a1 = submission.call("send", {}, "a")  # a sends m1
    b1 = submission.call("send", {}, "b")  # b does something locally
    b2 = submission.call("receive", b1, "b", a1)  # b receives m1
    c1 = submission.call("send", {}, "c")
    assert submission.call("order", a1, b2) == "before", "sending m1 happened before receiving it"
    assert submission.call("order", b1, a1) == "concurrent"
    assert submission.call("order", c1, b2) == "concurrent", "c never talked to anyone"
