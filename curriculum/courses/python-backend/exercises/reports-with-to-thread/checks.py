import ast


def report(report_id):
    return {"id": report_id, "content": f"report {report_id}: {report_id * 10} rows"}


def test_single_report(submission):
    r = submission.http("GET", "/reports/7")
    assert r.status_code == 200, f"GET /reports/7 must answer 200, got {r.status_code}"
    assert r.json() == report(7), f"expected {report(7)}, got {r.json()}"


def test_batch_keeps_the_requested_order(submission):
    r = submission.http("GET", "/reports?ids=3&ids=1&ids=2")
    assert r.status_code == 200, (
        f"GET /reports?ids=3&ids=1&ids=2 must answer 200, got {r.status_code}"
    )
    assert r.json() == [report(3), report(1), report(2)], (
        "the reports must come back in the order of the ids in the query string"
    )


def test_batch_renders_concurrently(submission):
    submission.http("GET", "/reports/1")  # warm-up: startup costs are not measured
    r = submission.http("GET", "/reports?ids=1&ids=2&ids=3")
    assert r.status_code == 200
    assert submission.elapsed >= 0.2, "keep render_report unchanged and call it for every id"
    assert submission.elapsed < 0.7, (
        f"three reports took {submission.elapsed:.2f} s; one after another they take 0.75 s. "
        "Run the asyncio.to_thread calls concurrently with asyncio.gather (about 0.25 s)."
    )


def test_endpoints_offload_the_blocking_call(submission):
    tree = ast.parse(submission.source)
    endpoints = {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name in ("read_report", "read_reports")
    }
    assert set(endpoints) == {"read_report", "read_reports"}, (
        "keep the endpoint functions read_report and read_reports"
    )
    for name, node in endpoints.items():
        assert isinstance(node, ast.AsyncFunctionDef), f"keep {name} an `async def` endpoint"
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                assert call.func.id != "render_report", (
                    f"{name} calls render_report(...) directly: inside async def that blocks "
                    "the event loop. Use `await asyncio.to_thread(render_report, report_id)`."
                )
    assert "time.sleep(0.25)" in submission.source, "keep render_report as it is"
