STOCK = {"pen": 5, "mug": 1}


def _error(outcome):
    return outcome.get("error") if isinstance(outcome, dict) else None


def test_reserve_returns_what_is_left(submission):
    result = submission.call("run", STOCK, [["reserve", "pen", 2], ["reserve", "pen", 3]])
    assert result["outcomes"] == [3, 0], result["outcomes"]
    assert result["left"] == {"pen": 0, "mug": 1}


def test_out_of_stock_carries_the_numbers(submission):
    result = submission.call("run", STOCK, [["reserve", "mug", 2]])
    (outcome,) = result["outcomes"]
    assert isinstance(outcome, dict) and outcome["error"] == "OutOfStock", (
        f"reserving 2 mugs when 1 is left must raise OutOfStock, got {outcome}"
    )
    assert (outcome["sku"], outcome["wanted"], outcome["available"]) == ("mug", 2, 1), (
        f"OutOfStock must carry .sku, .wanted and .available: {outcome}"
    )
    assert result["left"] == STOCK, "a refused reservation changes nothing"


def test_unknown_product_is_an_inventory_error(submission):
    (outcome,) = submission.call("run", STOCK, [["reserve", "lamp", 1]])["outcomes"]
    assert isinstance(outcome, dict) and outcome["error"] == "UnknownProduct", (
        f"an unknown SKU must raise UnknownProduct, got {outcome}"
    )
    assert outcome["is_inventory_error"] and outcome["sku"] == "lamp", (
        f"UnknownProduct must subclass InventoryError and carry .sku: {outcome}"
    )


def test_rejects_quantities_below_one(submission):
    result = submission.call("run", STOCK, [["reserve", "pen", 0], ["reserve", "pen", -2]])
    assert [_error(o) for o in result["outcomes"]] == ["ValueError", "ValueError"], (
        f"quantities below 1 must raise ValueError: {result['outcomes']}"
    )
    assert result["left"] == STOCK


def test_reserve_many_is_all_or_nothing(submission):
    result = submission.call("run", STOCK, [["reserve_many", {"pen": 2, "mug": 3}]])
    assert _error(result["outcomes"][0]) == "OutOfStock", (
        f"3 mugs cannot be reserved: reserve_many must raise OutOfStock, got {result['outcomes']}"
    )
    assert result["left"] == STOCK, (
        f"mug failed, so the 2 pens must be put back: stock is {result['left']}, "
        f"expected {STOCK}"
    )
    ok = submission.call("run", STOCK, [["reserve_many", {"pen": 2, "mug": 1}]])
    assert ok["left"] == {"pen": 3, "mug": 0}, ok


def test_keeps_its_own_copy_of_the_stock(submission):
    result = submission.call("run", STOCK, [["reserve", "pen", 1]])
    assert result["caller_dict_unchanged"], (
        "Inventory changed the dict the caller passed in: copy it in __init__ (dict(stock))"
    )
