SKUS = [f"sku-{i:02d}" for i in range(20)]


def test_returns_every_level(submission):
    result = submission.call("run", SKUS[:6])
    assert result["levels"] == {sku: len(sku) for sku in SKUS[:6]}, result["levels"]


def test_runs_concurrently(submission):
    result = submission.call("run", SKUS, 5)
    assert result["peak"] > 1, (
        "the lookups ran one after another (never more than 1 in flight): start them all, "
        "e.g. with asyncio.gather or a TaskGroup"
    )


def test_respects_the_concurrency_limit(submission):
    for limit in (3, 5):
        result = submission.call("run", SKUS, limit)
        assert result["peak"] <= limit, (
            f"with max_concurrent={limit}, {result['peak']} lookups were in flight at once: "
            "guard each call with an asyncio.Semaphore"
        )
        assert result["peak"] == limit, f"use the whole limit of {limit}, peak was {result['peak']}"


def test_failures_give_none_and_the_rest_still_count(submission):
    skus = ["sku-a", "down-1", "sku-bb"]
    result = submission.call("run", skus)
    assert result["levels"] == {"sku-a": 5, "down-1": None, "sku-bb": 6}, (
        f"a ConnectionError gives None for that SKU only: {result['levels']}"
    )


def test_each_call_has_a_deadline(submission):
    skus = ["sku-a", "slow-1", "sku-bb"]
    result = submission.call("run", skus, 5, 0.1)
    assert result["levels"] == {"sku-a": 5, "slow-1": None, "sku-bb": 6}, (
        f"a call slower than `timeout` gives None, the others keep their values: {result['levels']}"
    )
    assert submission.elapsed < 2.5, (
        f"the slow lookup (3 s) must be cut off after timeout=0.1 s; the call took "
        f"{submission.elapsed:.1f} s"
    )
