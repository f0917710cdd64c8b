def test_liveness_ok(submission):
    r = submission.http("GET", "/health/live")
    assert r.status_code == 200, f"GET /health/live must return 200, got {r.status_code}"
    assert r.json() == {"status": "ok"}, f'liveness must answer {{"status": "ok"}}, got {r.text}'


def test_liveness_ignores_dependencies(submission):
    submission.call("set_dependency", "database", False)
    r = submission.http("GET", "/health/live")
    assert r.status_code == 200, (
        "liveness must stay 200 when the database is down: restarting the app would not "
        "fix the database"
    )
    assert submission.call("calls") == {"database": 0, "cache": 0}, (
        "/health/live must not call the dependency checks"
    )


def test_ready_when_all_up(submission):
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 200, (
        f"with every dependency up, readiness must be 200, got {r.status_code}"
    )
    assert r.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_not_ready_when_database_down(submission):
    submission.call("set_dependency", "database", False)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503, f"a failing database must make readiness 503, got {r.status_code}"
    assert r.json() == {"status": "unavailable", "checks": {"database": "down", "cache": "ok"}}


def test_not_ready_when_cache_down(submission):
    submission.call("set_dependency", "cache", False)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503, f"a failing cache must make readiness 503, got {r.status_code}"
    assert r.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "down"}}


def test_ready_runs_every_check(submission):
    submission.call("set_dependency", "database", False)
    submission.call("set_dependency", "cache", False)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503, (
        f"with both dependencies down readiness must be 503, got {r.status_code}"
    )
    assert r.json()["checks"] == {"database": "down", "cache": "down"}, (
        "report every check, even after the first failure"
    )
    assert submission.call("calls") == {"database": 1, "cache": 1}, (
        "each readiness request must run each check exactly once"
    )


def test_recovers_when_dependency_returns(submission):
    submission.call("set_dependency", "database", False)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 503, f"a failing database must make readiness 503, got {r.status_code}"
    submission.call("set_dependency", "database", True)
    r = submission.http("GET", "/health/ready")
    assert r.status_code == 200, "readiness must recover once the dependency is back"
