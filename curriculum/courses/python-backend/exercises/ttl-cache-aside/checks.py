def test_second_read_is_a_hit(submission):
    first = submission.call("get_product", "mug")
    second = submission.call("get_product", "mug")
    assert first == second == {"sku": "mug", "price_cents": 300}, f"got {first} then {second}"
    loads = submission.call("load_count")
    assert loads == 1, (
        f"the second read within the TTL must come from the cache; loader ran {loads}x"
    )


def test_keys_are_cached_separately(submission):
    submission.call("get_product", "mug")
    lamp = submission.call("get_product", "lamp")
    assert lamp == {"sku": "lamp", "price_cents": 400}, f"each key has its own value, got {lamp}"
    assert submission.call("load_count") == 2, "two different keys need two loads"


def test_fresh_just_before_ttl(submission):
    submission.call("get_product", "mug")
    submission.call("advance_clock", 29.9)
    submission.call("get_product", "mug")
    loads = submission.call("load_count")
    assert loads == 1, f"29.9 s after storing, a 30 s entry is still fresh; loader ran {loads}x"


def test_reloads_at_ttl(submission):
    submission.call("get_product", "mug")
    submission.call("advance_clock", 30.0)
    submission.call("get_product", "mug")
    loads = submission.call("load_count")
    assert loads == 2, (
        f"30 s after storing, the entry has expired and must be reloaded; loader ran {loads}x "
        "(read the time from the injected clock, not from the time module)"
    )


def test_ttl_restarts_after_reload(submission):
    submission.call("get_product", "mug")
    submission.call("advance_clock", 31.0)
    submission.call("get_product", "mug")  # reloaded at t=31
    submission.call("advance_clock", 29.0)  # t=60: fresh until t=61
    submission.call("get_product", "mug")
    loads = submission.call("load_count")
    assert loads == 2, f"the reloaded entry is fresh for another 30 s; loader ran {loads}x"


def test_get_respects_expiry(submission):
    assert submission.call("peek", "mug") is None, "get() on a missing key must return None"
    submission.call("get_product", "mug")
    assert submission.call("peek", "mug") == {"sku": "mug", "price_cents": 300}, (
        "get() must return a fresh cached value"
    )
    submission.call("advance_clock", 45.0)
    assert submission.call("peek", "mug") is None, "get() must return None for an expired entry"


def test_invalidate_forces_reload(submission):
    submission.call("get_product", "mug")
    submission.call("invalidate", "mug")
    submission.call("invalidate", "never-cached")  # must not raise
    submission.call("get_product", "mug")
    loads = submission.call("load_count")
    assert loads == 2, f"after invalidate() the next read must load again; loader ran {loads}x"


def test_http_miss_then_hit(submission):
    first = submission.http("GET", "/products/mug")
    second = submission.http("GET", "/products/mug")
    assert first.status_code == second.status_code == 200, "GET /products/mug must return 200"
    assert first.headers.get("X-Cache") == "MISS", "the first request must be a cache miss"
    assert second.headers.get("X-Cache") == "HIT", "the second request must be a cache hit"
