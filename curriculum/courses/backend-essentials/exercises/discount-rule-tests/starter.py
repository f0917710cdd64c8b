"""Tests for the checkout's discount rule in app_under_test.

The contract of `discount_cents(total_cents, code)`:
- the code "SAVE10" gives 10 % of the total, rounded down to a whole cent, at most 5000
  cents (50.00); the code is case-insensitive and surrounding spaces are ignored;
- any other code, or an empty one, gives 0;
- a negative total raises ValueError.
"""

from app_under_test import discount_cents


def test_save10_gives_ten_percent() -> None:
    assert discount_cents(10_000, "SAVE10") == 1_000
    # TODO: the cap, rounding, case and spaces, other codes, negative totals
