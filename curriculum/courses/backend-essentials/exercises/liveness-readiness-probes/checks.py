def test_healthy_app(submission):
    r = submission.http("GET", "/health/live")
    assert r.status_code == 200 and r.json() == {"status": "alive"}, f"/health/live: {r.status_code} {r.text}"
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 200 and r.json() == {"status": "ready"}, f"/health/ready: {r.status_code} {r.text}"


def test_ready_is_503_when_database_down(submission):
    submission.call("set_database", False)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503, (
        f"with the database down, readiness must answer 503 so the load balancer stops "
        f"sending traffic; got {r.status_code}"
    )
    assert r.json() == {"status": "not ready", "reason": "database"}, f"unexpected body {r.text}"
    submission.call("set_database", True)
    assert submission.http("GET", "/health/ready").status_code == 200, "ready again once the database is back"


def test_liveness_ignores_the_database(submission):
    submission.call("set_database", False)
    r = submission.http("GET", "/health/live")
    assert r.status_code == 200, (
        f"liveness must not depend on the database (got {r.status_code}): a failing liveness "
        "probe restarts the pod, which cannot fix the database"
    )


def test_not_ready_while_shutting_down(submission):
    submission.call("begin_shutdown")
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503 and r.json() == {"status": "not ready", "reason": "shutting down"}, (
        f"a draining pod must report not ready: {r.status_code} {r.text}"
    )
    submission.call("set_database", False)
    r = submission.http("GET", "/health/ready")
    assert r.json().get("reason") == "shutting down", "shutting down wins over a database problem"
    assert submission.http("GET", "/health/live").status_code == 200, "a draining pod is still alive"
