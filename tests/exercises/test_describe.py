"""Failing checks in plain words: the author's words or the compared values, what the
learner's code did, and the assertion's internals kept apart."""

from __future__ import annotations

from exercises.sandbox._describe import (
    Action,
    Comparison,
    baselines,
    call_text,
    explain,
    raised,
    returned,
)


def test_the_authors_words_come_first_and_the_internals_go_to_details() -> None:
    message = (
        "a 2-character username is too short\n"
        "assert None is not None\n"
        " +  where None = rejected(submission, username='ab')"
    )
    asked = call_text("register", [{"username": "ab", "email": "a@b.c"}], {})
    explained = explain(message, Comparison("is not", None, None), Action(asked, returned({})))
    assert explained.message == (
        "a 2-character username is too short. Your code: "
        "`register({'email': 'a@b.c', 'username': 'ab'})` returned `{}`."
    )
    assert explained.details.startswith("assert None is not None")
    assert "+  where" not in explained.message


def test_a_bare_comparison_says_what_was_expected_and_what_came() -> None:
    message = "assert 4 == 5\n +  where 4 = <bound method ...>('add', 2, 2)"
    explained = explain(message, Comparison("==", 4, 5), Action("add(2, 2)", returned(4)))
    assert explained.message == "expected `5`, got `4`. Your code: `add(2, 2)` returned `4`."
    assert explained.details == message
    assert explain("assert 'x' in []", Comparison("in", "x", []), None).message == (
        "expected `'x'` in `[]`"
    )
    assert explain("assert x", None, None).message == "the check failed"


def test_errors_and_long_values_read_plainly() -> None:
    action = Action("parse('x')", raised("ValueError", "bad input"))
    assert action.sentence() == "`parse('x')` raised `ValueError: bad input`"
    long = Action("f()", returned("y" * 5000)).sentence()
    assert len(long) < 450 and "…" in long
    assert explain("no assert line here", None, None).details == ""


def test_a_usual_argument_shows_only_the_fields_the_check_changed() -> None:
    valid = {"username": "ada", "email": "a@b.c", "password": "pw", "password_confirm": "pw"}
    usual = baselines({"VALID": valid, "small": {"a": 1, "b": 2, "c": 3}, "N": 3})
    assert usual == [valid]  # upper-case dict constants of the checks module only
    assert call_text("register", [{**valid, "username": "ab"}], {}, usual) == (
        "register({… 'username': 'ab'})"
    )
    assert call_text("register", [valid], {}, usual).startswith("register({'email'")
    other = {"x": 1}
    assert call_text("f", [other], {"data": other}, usual) == "f({'x': 1}, data={'x': 1})"
