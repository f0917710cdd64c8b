"""Every response carries the security headers (pages, the lesson page, JSON, /static,
errors), and /docs loads Swagger UI from Tutor's own /static, never from another host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from tests.web.conftest import signup

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "same-origin",
}
ANONYMOUS = ("/", "/login", "/signup", "/courses/mini", "/docs", "/openapi.json")
SIGNED_IN = (
    "/courses/mini/learn/plus",  # the lesson page, the busiest route
    "/courses/mini",
    "/classes",
    "/api/me",
    "/api/courses/mini/progress",
    "/static/app.js",
    "/static/swagger-ui/swagger-ui.css",
    "/no/such/page",
    "/api/courses/nope",
)


def _assert_headers(client: TestClient, path: str) -> int:
    r = client.get(path)
    assert r.status_code < 500, path
    got = {name: r.headers.get(name) for name in EXPECTED}
    assert got == EXPECTED, path
    return r.status_code


def test_every_kind_of_response_has_the_security_headers(client: TestClient) -> None:
    for path in ANONYMOUS:
        _assert_headers(client, path)
    signup(client, "a@example.org")
    statuses = {path: _assert_headers(client, path) for path in SIGNED_IN}
    assert statuses["/courses/mini/learn/plus"] == 200
    assert statuses["/static/app.js"] == 200
    assert statuses["/no/such/page"] == 404
    assert statuses["/api/courses/nope"] == 404


def test_the_docs_page_loads_nothing_from_another_host(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:(]\s*['"]([^'"]+)['"]""", page.text)
    assert any("swagger-ui-bundle.js" in u for u in urls), urls
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        assert client.get(url).status_code == 200, url
    assert "cdn" not in page.text.lower()
