def _line(target, status, size=120, method="GET"):
    return (
        f'203.0.113.9 - - [06/Dec/2026:10:15:32 +0000] "{method} {target} HTTP/1.1" '
        f'{status} {size} "-" "curl/8.5"'
    )


def test_counts_only_5xx(submission):
    lines = [
        _line("/orders/7", 503),
        _line("/orders/7", 200),
        _line("/health", 500),
        _line("/orders/7", 502),
        _line("/login", 404),
    ]
    result = submission.call("top_failing_paths", lines, 10)
    assert result == [["/orders/7", 2], ["/health", 1]], f"unexpected {result}"


def test_query_strings_are_ignored(submission):
    lines = [_line("/search?q=a", 500), _line("/search?q=b", 500), _line("/search", 504)]
    assert submission.call("top_failing_paths", lines, 5) == [["/search", 3]], (
        "the path excludes the query string: /search?q=a counts as /search"
    )


def test_status_field_not_substrings(submission):
    lines = [
        _line("/api/5xx-report", 200, size=512),
        _line("/items", 200, size=5000),
        _line("/items", 201),
        _line("/pay", 599),
    ]
    result = submission.call("top_failing_paths", lines, 5)
    assert result == [["/pay", 1]], (
        f"only the status field decides (a size of 5000 or a path with '5' is not a failure): {result}"
    )


def test_ties_sorted_by_path_and_limited(submission):
    lines = [_line(p, 500) for p in ("/b", "/a", "/c", "/b", "/a", "/d")]
    assert submission.call("top_failing_paths", lines, 3) == [["/a", 2], ["/b", 2], ["/c", 1]]
    assert submission.call("top_failing_paths", lines, 0) == []


def test_malformed_lines_are_skipped(submission):
    lines = ["", "garbage", '1.2.3.4 - - [bad "GET / HTTP/1.1" 500', _line("/ok", 500)]
    assert submission.call("top_failing_paths", lines, 5) == [["/ok", 1]]
