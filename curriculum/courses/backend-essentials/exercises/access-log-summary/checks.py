from exercises.sandbox.submission import LearnerError

LOG = [
    "10.0.0.3 GET /api/report 200 900",
    "10.0.0.1 GET /api/items 200 35",
    "10.0.0.2 GET /api/items 200 41",
    "10.0.0.1 POST /api/cart 201 120",
    "garbage line",
    "10.0.0.2 GET /api/cart 404 12",
    "10.0.0.4 GET /api/report 500 1500",
    "10.0.0.1 GET /api/items 200 abc",
    "10.0.0.5 DELETE /api/cart 204 18",
    "",
    "10.0.0.1 GET /api/search 200 700",
]


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as exc:
        raise AssertionError(f"{name} raised {exc.type}: {exc.message}") from None


def test_parse_line(submission):
    got = _call(submission, "parse_line", "10.0.0.7 GET /api/items 200 35")
    assert got == {"ip": "10.0.0.7", "method": "GET", "path": "/api/items", "status": 200, "ms": 35}, got
    for bad in ["", "garbage line", "10.0.0.1 GET /x 200", "10.0.0.1 GET /x OK 5", "a b c 200 5 extra"]:
        assert _call(submission, "parse_line", bad) is None, f"{bad!r} is malformed: expected None"


def test_counts_and_status_classes(submission):
    got = _call(submission, "summarise", LOG)
    assert got["requests"] == 8, f"8 well-formed lines, got {got['requests']}"
    assert got["by_status"] == {"2xx": 6, "4xx": 1, "5xx": 1}, f"by_status: {got['by_status']}"
    assert list(got["by_status"]) == ["2xx", "4xx", "5xx"], "status classes must be sorted"


def test_unique_ips(submission):
    got = _call(submission, "summarise", LOG)
    assert got["unique_ips"] == 5, f"5 distinct IPs in the well-formed lines, got {got['unique_ips']}"


def test_top_paths_break_ties_by_path(submission):
    got = _call(submission, "summarise", LOG)
    assert got["top_paths"] == [["/api/cart", 3], ["/api/items", 2], ["/api/report", 2]], (
        f"top 3 by count, ties alphabetical: {got['top_paths']}"
    )


def test_slow_paths_once_in_order(submission):
    got = _call(submission, "summarise", LOG + ["10.0.0.9 GET /api/report 200 800"])
    assert got["slow_paths"] == ["/api/report", "/api/search"], (
        f"paths slower than 500 ms, each once, in first-seen order: {got['slow_paths']}"
    )


def test_empty_log(submission):
    got = _call(submission, "summarise", [])
    assert got == {"requests": 0, "by_status": {}, "unique_ips": 0, "top_paths": [], "slow_paths": []}, got
