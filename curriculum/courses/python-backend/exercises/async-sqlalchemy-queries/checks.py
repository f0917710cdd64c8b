from exercises.sandbox.submission import LearnerError


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as exc:
        hint = ""
        if "query" in exc.message:
            hint = " (AsyncSession has no .query(): build a select() and await session.scalars)"
        raise AssertionError(f"{name} raised {exc.type}: {exc.message}{hint}") from None


def test_add_returns_new_ids(submission):
    ids = _call(submission, "demo_ids")
    assert ids == [1, 2, 3], f"add_product must commit and return each new id, got {ids}"


def test_products_under_filters_and_sorts(submission):
    rows = _call(submission, "demo_query", 1000)
    assert rows == [
        {"name": "pen", "price_cents": 250},
        {"name": "mug", "price_cents": 900},
    ], f"expected the products under 1000 cents, cheapest first; got {rows}"


def test_products_under_is_strict(submission):
    rows = _call(submission, "demo_query", 900)
    assert rows == [{"name": "pen", "price_cents": 250}], (
        f"'under 900' means price_cents < 900; got {rows}"
    )


def test_update_price_persists(submission):
    result = _call(submission, "demo_update", 1, 100)
    assert result["updated"] is True, "updating an existing product must return True"
    assert result["products"][0] == {"name": "lamp", "price_cents": 100}, (
        "the new price must be committed: a new session must see lamp at 100 cents, "
        f"got {result['products']}"
    )


def test_update_missing_product(submission):
    result = _call(submission, "demo_update", 99, 100)
    assert result["updated"] is False, "updating a product that doesn't exist must return False"
    assert [p["price_cents"] for p in result["products"]] == [250, 900, 4500], (
        "nothing may change when the product doesn't exist"
    )
