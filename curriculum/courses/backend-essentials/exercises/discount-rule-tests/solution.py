"""Tests for the checkout's discount rule in app_under_test."""

import pytest

from app_under_test import discount_cents


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (10_000, 1_000),  # 10 %
        (1_005, 100),  # rounded down, not up
        (9, 0),  # less than a cent of discount
        (0, 0),
        (50_000, 5_000),  # exactly at the cap
        (90_000, 5_000),  # above the cap
    ],
)
def test_save10(total: int, expected: int) -> None:
    assert discount_cents(total, "SAVE10") == expected


@pytest.mark.parametrize("code", ["save10", "Save10", "  SAVE10 ", "SAVE10\n"])
def test_code_is_case_and_space_insensitive(code: str) -> None:
    assert discount_cents(10_000, code) == 1_000


@pytest.mark.parametrize("code", ["", "SAVE20", "SAVE 10", "FREE"])
def test_other_codes_give_nothing(code: str) -> None:
    assert discount_cents(10_000, code) == 0


def test_negative_total_is_refused() -> None:
    with pytest.raises(ValueError):
        discount_cents(-1, "SAVE10")
