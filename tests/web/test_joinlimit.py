"""The in-memory sliding window behind the wrong-join-code limit."""

from __future__ import annotations

from web.joinlimit import JoinGuesses, RateWindow


def test_admits_up_to_the_limit_per_key_then_says_when() -> None:
    window = RateWindow(limit=2, window_s=60)
    assert window.take(1, now=0.0) is None
    assert window.take(1, now=10.0) is None
    assert window.take(1, now=20.0) == 40  # the first leaves the window at 60
    assert window.take(2, now=20.0) is None  # per key
    assert window.take(1, now=60.5) is None  # the first has left


def test_the_number_of_keys_kept_is_bounded() -> None:
    window = RateWindow(limit=1, window_s=60, max_keys=3)
    for key in range(10):
        assert window.take(key, now=float(key)) is None
        assert len(window._events) <= 3


def test_a_right_code_gives_both_places_back() -> None:
    guesses = JoinGuesses.per_hour(account=1, address=5)
    assert guesses.take(7, "198.51.100.1") is None
    guesses.give_back(7, "198.51.100.1")  # the code was right: it does not count
    assert guesses.take(7, "198.51.100.1") is None
    assert guesses.take(7, "198.51.100.1") is not None  # one wrong try kept: limit 1


def test_an_address_over_its_limit_does_not_use_up_the_account() -> None:
    guesses = JoinGuesses.per_hour(account=5, address=1)
    assert guesses.take(1, "203.0.113.9") is None
    assert guesses.take(2, "203.0.113.9") is not None  # the address is used up
    assert guesses.take(2, "198.51.100.2") is None  # account 2 lost nothing
