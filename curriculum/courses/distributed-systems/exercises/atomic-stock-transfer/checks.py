from exercises.sandbox.submission import LearnerError

START = {"berlin/pen": 10, "paris/pen": 2, "berlin/mug": 1}


def _move(submission, *args):
    try:
        submission.call("move_stock", *args)
    except LearnerError as err:
        return err
    return None


def test_moves_stock(submission):
    error = _move(submission, "berlin", "paris", "pen", 3)
    assert error is None, f"a valid move must succeed, it raised {error}"
    assert submission.call("stock") == {"berlin/pen": 7, "paris/pen": 5, "berlin/mug": 1}


def test_moving_everything_is_allowed(submission):
    assert _move(submission, "paris", "berlin", "pen", 2) is None, "moving all 2 pens is fine"
    assert submission.call("stock") == {"berlin/pen": 12, "paris/pen": 0, "berlin/mug": 1}


def test_insufficient_stock_changes_nothing(submission):
    error = _move(submission, "paris", "berlin", "pen", 5)
    assert error is not None and error.type == "InsufficientStock", (
        f"moving 5 pens out of paris (2 left) must raise InsufficientStock, got {error}"
    )
    assert submission.call("stock") == START, "after a refused move no row may change"


def test_unknown_target_changes_nothing(submission):
    error = _move(submission, "berlin", "paris", "mug", 1)
    assert error is not None and "LookupError" in error.types, (
        f"paris has no mug row: raise LookupError, got {error}"
    )
    assert submission.call("stock") == START, (
        "the move failed half-way and berlin's mug was still taken: "
        "do both updates in one transaction"
    )


def test_unknown_source_raises_lookup_error(submission):
    error = _move(submission, "rome", "paris", "pen", 1)
    assert error is not None and "LookupError" in error.types, (
        f"rome has no pen row: raise LookupError, got {error}"
    )
    assert submission.call("stock") == START


def test_rejects_non_positive_quantity(submission):
    for quantity in (0, -4):
        error = _move(submission, "berlin", "paris", "pen", quantity)
        assert error is not None and error.type == "ValueError", (
            f"quantity {quantity} must raise ValueError, got {error}"
        )
    assert submission.call("stock") == START
