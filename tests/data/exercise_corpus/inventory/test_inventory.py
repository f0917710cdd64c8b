from inventory import create_inventory, list_inventory, remove_item


def test_create_inventory():
    assert create_inventory(["wood", "iron", "wood"]) == {"wood": 2, "iron": 1}


def test_remove_item_returns_a_new_inventory():
    original = {"wood": 2, "iron": 1}
    assert remove_item(original, "wood") == {"iron": 1}
    assert original == {"wood": 2, "iron": 1}


def test_list_inventory_gives_tuples():
    assert list_inventory({"coal": 7, "wood": 0, "iron": 3}) == [("coal", 7), ("iron", 3)]
    assert all(isinstance(pair, tuple) for pair in list_inventory({"coal": 1}))
