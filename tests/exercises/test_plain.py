"""Learner values become plain data before they reach the checks."""

from __future__ import annotations

import enum
import math

import pytest

from exercises.sandbox._plain import NotPlainData, describe_exception, from_plain, to_plain


class Colour(enum.Enum):
    RED = "red"


class Loud(str):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


def test_exact_builtin_types_survive_and_tuples_become_lists() -> None:
    value = {"a": [1, 2.5, "x", None, True], "b": (1, 2)}
    assert to_plain(value) == {"a": [1, 2.5, "x", None, True], "b": [1, 2]}


def test_subclasses_and_enums_lose_their_methods() -> None:
    result = to_plain([Loud("quiet"), Colour.RED])
    assert result == ["quiet", "red"]
    assert type(result[0]) is str


def test_big_integers_and_special_floats_round_trip() -> None:
    plain = to_plain([2**80, math.inf])
    assert from_plain(plain) == [2**80, math.inf]
    assert math.isnan(from_plain(to_plain(math.nan)))


@pytest.mark.parametrize(
    "value", [{1: "x"}, {"s": {1, 2}}, object(), 10**5000], ids=["key", "set", "object", "huge"]
)
def test_non_plain_values_are_refused(value: object) -> None:
    with pytest.raises(NotPlainData):
        to_plain(value)


def test_deep_nesting_is_refused() -> None:
    value: list[object] = []
    for _ in range(200):
        value = [value]
    with pytest.raises(NotPlainData, match="nested too deeply"):
        to_plain(value)


def test_exceptions_are_described_by_type_mro_and_message() -> None:
    described = describe_exception(KeyError("k"))
    assert described["type"] == "KeyError"
    assert described["types"][:3] == ["KeyError", "LookupError", "Exception"]
    assert described["message"] == "'k'"


def test_tuples_stay_tuples_when_asked() -> None:
    value = {"a": (1, [2, (3,)])}
    plain = to_plain(value, tuples=True)
    assert plain == {"a": {"$tuple": [1, [2, {"$tuple": [3]}]]}}
    back = from_plain(plain)
    assert back == value
    assert type(back["a"]) is tuple and type(back["a"][1][1]) is tuple


def test_refusals_name_what_the_value_is() -> None:
    import datetime

    with pytest.raises(NotPlainData, match=r"^a date$"):
        to_plain(datetime.date(2024, 1, 2))
    with pytest.raises(NotPlainData, match=r"^a dict with an int key$"):
        to_plain({1: "x"})
