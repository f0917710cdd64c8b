"""The per-learner sliding window behind Runs and draft saves."""

from __future__ import annotations

from web.ratelimit import RateWindow


def test_admits_up_to_the_limit_per_learner_then_says_when() -> None:
    window = RateWindow(limit=2, window_s=60)
    assert window.take(1, now=0.0) is None
    assert window.take(1, now=10.0) is None
    assert window.take(1, now=20.0) == 40  # the first leaves the window at 60
    assert window.take(2, now=20.0) is None  # per learner
    assert window.take(1, now=60.5) is None  # the first has left


def test_the_number_of_learners_kept_is_bounded() -> None:
    window = RateWindow(limit=1, window_s=60, max_learners=3)
    for learner in range(10):
        assert window.take(learner, now=float(learner)) is None
        assert len(window._events) <= 3
