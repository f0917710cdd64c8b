def test_second_read_is_a_cache_hit(submission):
    first = submission.call("get_product", 1, 0.0)
    assert first == {"id": 1, "name": "Desk lamp", "price": 35.0}, f"unexpected product {first}"
    again = [submission.call("get_product", 1, t) for t in (1.0, 30.0, 59.0)]
    assert all(p == first for p in again), "cached reads must return the same product"
    reads = submission.call("db_reads")
    assert reads == 1, f"four reads within the TTL must query the database once, got {reads}"


def test_key_scheme(submission):
    submission.call("get_product", 2, 0.0)
    keys = submission.call("cached_keys")
    assert keys == ["product:2"], f"cache the product under the key 'product:2', got {keys}"


def test_entry_expires_after_ttl(submission):
    submission.call("get_product", 1, 0.0)
    submission.call("get_product", 1, 60.0)
    assert submission.call("db_reads") == 2, "at t=60 the 60 s entry has expired: read again"
    submission.call("get_product", 1, 100.0)
    assert submission.call("db_reads") == 2, "the entry stored at t=60 is valid until t=120"


def test_missing_products_are_cached_briefly(submission):
    assert submission.call("get_product", 99, 0.0) is None
    assert submission.call("get_product", 99, 9.0) is None
    assert submission.call("db_reads") == 1, (
        "a missing product must be cached (as JSON null) so repeated lookups skip the database"
    )
    submission.call("get_product", 99, 10.0)
    assert submission.call("db_reads") == 2, "the 'missing' entry lives only 10 s"


def test_update_invalidates(submission):
    submission.call("get_product", 1, 0.0)
    updated = submission.call("update_price", 1, 29.0, 5.0)
    assert updated == {"id": 1, "name": "Desk lamp", "price": 29.0}, f"unexpected {updated}"
    fresh = submission.call("get_product", 1, 6.0)
    assert fresh["price"] == 29.0, (
        f"after update_price the next read must see the new price, got {fresh['price']}"
    )


def test_update_unknown_product_raises_key_error(submission):
    from exercises.sandbox.submission import LearnerError

    try:
        submission.call("update_price", 99, 1.0, 0.0)
    except LearnerError as exc:
        assert "KeyError" in exc.types, f"expected KeyError, got {exc.type}"
    else:
        raise AssertionError("updating an unknown product must raise KeyError")


def test_cache_outage_falls_back_to_database(submission):
    submission.call("simulate_cache_outage")
    product = submission.call("get_product", 2, 0.0)
    assert product == {"id": 2, "name": "Notebook", "price": 6.5}, (
        "while the cache is down, get_product must still answer from the database"
    )
