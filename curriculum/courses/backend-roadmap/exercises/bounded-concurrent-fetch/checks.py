def test_all_results_in_order(submission):
    urls = [f"https://feeds.example/fast-{i}" for i in range(3)] + [
        "https://feeds.example/medium-1"
    ]
    result = submission.call("fetch_all", urls, 5, 1.0)
    assert list(result) == urls, f"return one entry per url, in the order given: {list(result)}"
    assert result["https://feeds.example/fast-0"] == "feed https://feeds.example/fast-0"


def test_runs_concurrently_up_to_the_limit(submission):
    urls = [f"https://feeds.example/medium-{i}" for i in range(8)]
    submission.call("fetch_all", urls, 3, 1.0)
    peak = submission.call("max_in_flight")
    assert peak > 1, "the fetches ran one after the other: start them concurrently (a TaskGroup)"
    assert peak == 3, f"at most `limit` = 3 fetches may run at once (a Semaphore), saw {peak}"


def test_slow_fetch_times_out(submission):
    urls = ["https://feeds.example/fast-1", "https://feeds.example/slow-1"]
    result = submission.call("fetch_all", urls, 2, 0.2)
    assert result == {urls[0]: "feed https://feeds.example/fast-1", urls[1]: None}, (
        f"a fetch slower than timeout_s must give None, got {result}"
    )


def test_errors_do_not_cancel_the_others(submission):
    urls = [
        "https://feeds.example/down-1",
        "https://feeds.example/fast-1",
        "https://feeds.example/medium-1",
    ]
    result = submission.call("fetch_all", urls, 2, 1.0)
    assert result == {
        urls[0]: "error",
        urls[1]: "feed https://feeds.example/fast-1",
        urls[2]: "feed https://feeds.example/medium-1",
    }, f"a ConnectionError gives 'error' and the other fetches still complete: {result}"
