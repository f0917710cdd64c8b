def _process_time(response):
    value = response.headers.get("X-Process-Time-Ms")
    assert value is not None, "every response needs an X-Process-Time-Ms header"
    try:
        ms = float(value)
    except ValueError:
        raise AssertionError(
            f"X-Process-Time-Ms must be a number of milliseconds, got {value!r}"
        ) from None
    assert ms >= 0, "the processing time cannot be negative"
    return ms


def test_health_is_public(submission):
    r = submission.http("GET", "/health")
    assert r.status_code == 200, f"/health must not need a key, got {r.status_code}"


def test_valid_key_reaches_route(submission):
    r = submission.http("GET", "/api/whoami", headers={"X-API-Key": "k-globex-456"})
    assert r.status_code == 200, f"a valid key must be accepted, got {r.status_code}"
    assert r.json() == {"client": "globex"}, (
        "the middleware must put the client name on request.state.client"
    )


def test_missing_key_is_401(submission):
    r = submission.http("GET", "/api/whoami")
    assert r.status_code == 401, f"a request without X-API-Key must get 401, got {r.status_code}"
    assert r.json() == {"detail": "invalid or missing API key"}


def test_wrong_key_is_401(submission):
    r = submission.http("GET", "/api/whoami", headers={"X-API-Key": "k-acme-124"})
    assert r.status_code == 401, f"an unknown key must get 401, got {r.status_code}"


def test_rejected_requests_never_reach_the_route(submission):
    submission.http("GET", "/api/whoami")
    submission.http("GET", "/api/whoami", headers={"X-API-Key": "nope"})
    assert submission.call("calls") == 0, "the route must not run for rejected requests"


def test_timing_header_on_success(submission):
    _process_time(submission.http("GET", "/health"))
    _process_time(submission.http("GET", "/api/whoami", headers={"X-API-Key": "k-acme-123"}))


def test_timing_header_on_rejections(submission):
    r = submission.http("GET", "/api/whoami")
    assert r.status_code == 401, f"expected 401 without a key, got {r.status_code}"
    _process_time(r)
