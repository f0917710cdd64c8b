import ast

SERVICES = ("fetch_weather", "fetch_news", "fetch_traffic")


def functions(source):
    tree = ast.parse(source)
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def test_dashboard_combines_the_three_services(submission):
    r = submission.http("GET", "/dashboard/Lyon")
    assert r.status_code == 200, f"GET /dashboard/Lyon must answer 200, got {r.status_code}"
    assert r.json() == {
        "city": "Lyon",
        "weather": {"summary": "sunny", "celsius": 21},
        "news": ["Lyon opens a new bike lane"],
        "traffic": "light",
    }, "the dashboard must combine the weather, news and traffic of the city"


def test_services_are_called_concurrently(submission):
    submission.http("GET", "/dashboard/Lyon")  # warm-up: startup costs are not measured
    r = submission.http("GET", "/dashboard/Oslo")
    assert r.status_code == 200
    assert submission.elapsed >= 0.2, (
        "the dashboard answered too fast: keep the three services unchanged and await them"
    )
    assert submission.elapsed < 0.7, (
        f"the dashboard took {submission.elapsed:.2f} s; three 0.25 s services awaited one "
        "after another take 0.75 s. Run them concurrently (about 0.25 s)."
    )


def test_services_are_unchanged(submission):
    found = functions(submission.source)
    for name in SERVICES:
        node = found.get(name)
        assert isinstance(node, ast.AsyncFunctionDef), f"keep the service `async def {name}`"
        assert "asyncio.sleep(0.25)" in ast.unparse(node), (
            f"keep `await asyncio.sleep(0.25)` in {name}: it stands for the real service latency"
        )


def test_endpoint_is_async_and_non_blocking(submission):
    found = functions(submission.source)
    endpoint = found.get("dashboard")
    assert endpoint is not None, "keep the endpoint function named `dashboard`"
    assert isinstance(endpoint, ast.AsyncFunctionDef), (
        "the dashboard endpoint must be `async def` and await the services"
    )
    calls = {
        ast.unparse(node.func)
        for node in ast.walk(ast.parse(submission.source))
        if isinstance(node, ast.Call)
    }
    assert "time.sleep" not in calls, "never call time.sleep in async code"
    assert "asyncio.run" not in calls, (
        "FastAPI already runs an event loop: await inside the endpoint, don't start another loop"
    )
