from exercises.sandbox.submission import LearnerError


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as exc:
        raise AssertionError(f"{name}{args} raised {exc.type}: {exc.message}") from None


def _raises_value_error(submission, why, name, *args):
    try:
        result = submission.call(name, *args)
    except LearnerError as exc:
        assert "ValueError" in exc.types, (
            f"{why}: {name} must raise ValueError, it raised {exc.type}: {exc.message}"
        )
        return
    raise AssertionError(f"{why}: {name} must raise ValueError, it returned {result!r}")


def test_create_and_get(submission):
    first = _call(submission, "create_item", "bolts", 120)
    second = _call(submission, "create_item", "nuts", 80)
    assert isinstance(first, int) and isinstance(second, int) and first != second, (
        f"create_item must return each new item's id, got {first!r} and {second!r}"
    )
    item = _call(submission, "get_item", second)
    assert item == {"id": second, "name": "nuts", "quantity": 80}, f"get_item gave {item!r}"


def test_get_missing_is_none(submission):
    assert _call(submission, "get_item", 12345) is None, "a missing item must give None"


def test_names_with_quotes_are_stored_verbatim(submission):
    name = "O'Brien's \"deluxe\" washers'); DROP TABLE items; --"
    item_id = _call(submission, "create_item", name, 5)
    item = _call(submission, "get_item", item_id)
    assert item is not None and item["name"] == name, (
        f"the name must be stored exactly as given, got {item!r}; pass values as parameters"
    )
    assert len(_call(submission, "list_items")) == 1, "the table must still be there"


def test_duplicate_name_is_value_error(submission):
    _call(submission, "create_item", "bolts", 1)
    _raises_value_error(submission, "a duplicate name", "create_item", "bolts", 2)


def test_negative_quantity_is_value_error(submission):
    _raises_value_error(submission, "a negative quantity", "create_item", "screws", -1)
    item_id = _call(submission, "create_item", "screws", 3)
    _raises_value_error(submission, "updating to a negative quantity", "update_quantity", item_id, -5)
    assert _call(submission, "get_item", item_id)["quantity"] == 3, "a refused update changes nothing"


def test_list_filters_and_sorts(submission):
    for name, qty in [("washers", 0), ("bolts", 120), ("anchors", 7), ("nuts", 80)]:
        _call(submission, "create_item", name, qty)
    names = [i["name"] for i in _call(submission, "list_items")]
    assert names == ["anchors", "bolts", "nuts", "washers"], f"every item sorted by name, got {names}"
    low = _call(submission, "list_items", 10)
    assert [(i["name"], i["quantity"]) for i in low] == [("bolts", 120), ("nuts", 80)], (
        f"list_items(10) must return items with quantity >= 10, got {low}"
    )
    assert set(low[0]) == {"id", "name", "quantity"}, f"items are dicts with id, name, quantity: {low[0]}"


def test_update_and_delete_report_missing(submission):
    item_id = _call(submission, "create_item", "bolts", 1)
    assert _call(submission, "update_quantity", item_id, 50) is True, "updating an item returns True"
    assert _call(submission, "get_item", item_id)["quantity"] == 50, "the new quantity must be stored"
    assert _call(submission, "update_quantity", 999, 5) is False, "updating a missing item returns False"
    assert _call(submission, "delete_item", item_id) is True, "deleting an item returns True"
    assert _call(submission, "get_item", item_id) is None, "a deleted item is gone"
    assert _call(submission, "delete_item", item_id) is False, "deleting it again returns False"
