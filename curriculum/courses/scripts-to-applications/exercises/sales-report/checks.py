from exercises.sandbox.submission import LearnerError

CUSTOMERS = ["ada", "bob", "cy", "dee"]
ORDERS = [("ada", 1200), ("bob", 5000), ("ada", 800), ("dee", 2000), ("bob", 100)]


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as err:
        raise AssertionError(f"{name} raised {err}") from None


def test_totals_per_customer(submission):
    got = _call(submission, "report", CUSTOMERS, ORDERS)
    top = [row for row in got if row[0] != "cy"]
    assert top == [["bob", 2, 5100], ["ada", 2, 2000], ["dee", 1, 2000]], (
        "each customer's order count and total, biggest total first, ties by name: "
        f"expected bob (2, 5100), ada (2, 2000), dee (1, 2000); got {got}"
    )


def test_customers_without_orders_are_listed(submission):
    got = _call(submission, "report", CUSTOMERS, ORDERS)
    assert ["cy", 0, 0] in got, (
        f"cy has no orders but is a customer: the report needs ('cy', 0, 0); got {got}. "
        "An inner JOIN drops customers without a matching order."
    )
    assert got[-1] == ["cy", 0, 0], "with 0 cents, cy comes last"


def test_big_spenders_threshold(submission):
    assert _call(submission, "spenders", CUSTOMERS, ORDERS, 2000) == ["ada", "bob", "dee"]
    assert _call(submission, "spenders", CUSTOMERS, ORDERS, 2001) == ["bob"], (
        "the threshold is 'at least', compared with each customer's SUM of orders"
    )
    assert _call(submission, "spenders", CUSTOMERS, [], 0) == []


def test_empty_database(submission):
    assert _call(submission, "report", [], []) == []
