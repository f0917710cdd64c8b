import ast


def test_normal_operation(submission):
    r = submission.http("POST", "/orders")
    assert r.status_code == 201, (
        f"with maintenance off, POST /orders must work, got {r.status_code}"
    )
    assert "X-Maintenance" not in r.headers, "no X-Maintenance header when maintenance is off"
    assert submission.http("GET", "/orders").json() == [{"id": "1"}]


def test_lifespan_still_runs(submission):
    r = submission.http("GET", "/health")
    assert r.status_code == 200, f"GET /health failed with {r.status_code}"
    assert r.json() == {"status": "ok", "started": True}, (
        "the lifespan did not run: pass non-HTTP scopes (lifespan) to the app untouched"
    )


def test_writes_blocked_during_maintenance(submission):
    submission.call("set_maintenance", True)
    r = submission.http("POST", "/orders")
    assert r.status_code == 503, f"writes during maintenance must get 503, got {r.status_code}"
    assert r.json() == {"detail": "read-only maintenance"}, f"unexpected body {r.text}"
    assert r.headers.get("Retry-After") == "300", "the 503 needs Retry-After: 300"
    assert r.headers.get("X-Maintenance") == "on", "the 503 needs X-Maintenance: on"
    submission.call("set_maintenance", False)
    assert submission.http("GET", "/orders").json() == [], "a blocked write must not reach the app"


def test_other_write_methods_blocked(submission):
    submission.call("set_maintenance", True)
    for method in ("PUT", "PATCH", "DELETE"):
        r = submission.http(method, "/orders")
        assert r.status_code == 503, (
            f"{method} during maintenance must get 503, got {r.status_code}"
        )


def test_reads_flagged_during_maintenance(submission):
    submission.call("set_maintenance", True)
    r = submission.http("GET", "/orders")
    assert r.status_code == 200, f"reads must keep working during maintenance, got {r.status_code}"
    assert r.headers.get("X-Maintenance") == "on", (
        "responses to reads during maintenance need X-Maintenance: on (wrap `send` and edit "
        "the http.response.start message)"
    )


def test_maintenance_can_be_switched_off(submission):
    submission.call("set_maintenance", True)
    submission.http("POST", "/orders")
    submission.call("set_maintenance", False)
    r = submission.http("POST", "/orders")
    assert r.status_code == 201, "after maintenance, writes must work again"
    assert "X-Maintenance" not in r.headers


def test_pure_asgi_middleware(submission):
    tree = ast.parse(submission.source)
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    middleware = next((c for c in classes if c.name == "MaintenanceMiddleware"), None)
    assert middleware is not None, "keep the MaintenanceMiddleware class"
    assert not middleware.bases, (
        "write MaintenanceMiddleware as a plain ASGI class (no BaseHTTPMiddleware base class)"
    )
    methods = {f.name for f in middleware.body if isinstance(f, ast.AsyncFunctionDef)}
    assert "__call__" in methods, "a pure ASGI middleware implements async __call__"
