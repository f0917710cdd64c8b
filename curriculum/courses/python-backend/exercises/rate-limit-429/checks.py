def test_allows_up_to_the_limit(submission):
    results = [submission.call("hit", "alice", float(t)) for t in range(5)]
    assert results == [0, 0, 0, 0, 0], f"the first 5 requests must be allowed (0), got {results}"


def test_refuses_over_the_limit(submission):
    for t in range(5):
        submission.call("hit", "alice", float(t))
    wait = submission.call("hit", "alice", 10.0)
    assert wait == 50, (
        f"the 6th request at t=10 in a window that started at t=0 must wait 50 s, got {wait}"
    )


def test_wait_is_rounded_up(submission):
    for _ in range(5):
        submission.call("hit", "alice", 0.0)
    wait = submission.call("hit", "alice", 59.5)
    assert wait == 1, (
        f"0.5 s before the window ends the client must wait 1 s (rounded up), got {wait}"
    )


def test_new_window_after_expiry(submission):
    for _ in range(6):
        submission.call("hit", "alice", 0.0)
    assert submission.call("hit", "alice", 60.0) == 0, "at t=60 a new window must start"
    results = [submission.call("hit", "alice", 61.0) for _ in range(4)]
    assert results == [0, 0, 0, 0], "the new window allows 5 requests in total"
    wait = submission.call("hit", "alice", 70.0)
    assert wait == 50, f"the new window started at t=60, so at t=70 the wait is 50 s, got {wait}"


def test_keys_are_independent(submission):
    for _ in range(6):
        submission.call("hit", "alice", 0.0)
    assert submission.call("hit", "bob", 1.0) == 0, "bob must not be limited by alice's requests"


def test_http_429_with_retry_after(submission):
    headers = {"X-API-Key": "k1"}
    for n in range(5):
        r = submission.http("GET", "/api/quote", headers=headers)
        assert r.status_code == 200, f"request {n + 1} of 5 must succeed, got {r.status_code}"
    r = submission.http("GET", "/api/quote", headers=headers)
    assert r.status_code == 429, f"the 6th request in the window must get 429, got {r.status_code}"
    assert r.json() == {"detail": "rate limit exceeded"}, f"unexpected 429 body {r.text}"
    retry = r.headers.get("Retry-After", "")
    assert retry.isdigit() and 1 <= int(retry) <= 60, (
        f"Retry-After must be the whole seconds to wait (1-60), got {retry!r}"
    )


def test_http_limits_per_key(submission):
    for _ in range(6):
        submission.http("GET", "/api/quote", headers={"X-API-Key": "k1"})
    r = submission.http("GET", "/api/quote", headers={"X-API-Key": "k2"})
    assert r.status_code == 200, "another API key has its own limit"
