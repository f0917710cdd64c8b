import re

_SAMPLE = re.compile(r"^([a-z_]+)\{(.*)\} ([0-9.e+-]+)$")


def _samples(text):
    found = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            labels = dict(re.findall(r'([a-z_]+)="([^"]*)"', match.group(2)))
            found[(match.group(1), tuple(sorted(labels.items())))] = float(match.group(3))
    return found


def _requests(samples, **labels):
    key = ("http_requests_total", tuple(sorted(labels.items())))
    return samples.get(key, 0.0)


def _traffic(submission):
    for path in ("/orders/1", "/orders/2", "/orders/999", "/health", "/nowhere"):
        submission.http("GET", path)
    r = submission.http("GET", "/metrics")
    assert r.status_code == 200, f"/metrics must answer 200, got {r.status_code}"
    return r.text, _samples(r.text)


def test_counter_by_route_template_and_status(submission):
    text, samples = _traffic(submission)
    assert "http_requests_total" in text, "define a Counter named http_requests_total in registry"
    ok = _requests(samples, method="GET", route="/orders/{order_id}", status="200")
    missing = _requests(samples, method="GET", route="/orders/{order_id}", status="404")
    assert ok == 2, f"expected 2 requests with status 200 on /orders/{{order_id}}, got {ok}"
    assert missing == 1, (
        f"expected 1 request with status 404 on /orders/{{order_id}}, got {missing}"
    )
    assert _requests(samples, method="GET", route="/health", status="200") == 1


def test_route_template_label(submission):
    text, _ = _traffic(submission)
    assert 'route="/orders/1"' not in text and 'route="/orders/999"' not in text, (
        "label requests with the route template (/orders/{order_id}), not the raw path: every "
        "distinct id would create a new time series"
    )


def test_unmatched_paths(submission):
    _, samples = _traffic(submission)
    assert _requests(samples, method="GET", route="unmatched", status="404") == 1, (
        'a path that matches no route must be counted with route="unmatched"'
    )


def test_duration_histogram(submission):
    text, samples = _traffic(submission)
    count = samples.get(("http_request_duration_seconds_count", (("route", "/orders/{order_id}"),)))
    assert count == 3, (
        "define a Histogram http_request_duration_seconds with the label route and observe "
        f"every request: expected 3 observations for /orders/{{order_id}}, got {count}"
    )
    assert 'http_request_duration_seconds_bucket{le="0.005",route="/orders/{order_id}"}' in text


def test_metrics_endpoint_is_not_counted(submission):
    submission.http("GET", "/metrics")
    text = submission.http("GET", "/metrics").text
    assert 'route="/metrics"' not in text, "do not record the scrapes of /metrics themselves"
