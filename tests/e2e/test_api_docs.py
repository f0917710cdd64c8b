"""/docs in Chromium with every other host cut off: Swagger UI comes from Tutor's own
/static and renders the API's operations (it loaded its script from a CDN before)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("apidocs") / "data"
    s = Server({"TUTOR_DATA_DIR": str(data), "DATABASE_URL": "", "TUTOR_COURSES_DIR": ""})
    yield s.start()
    s.stop()


def test_the_api_docs_render_with_other_hosts_blocked(
    browser: Any, server: Server, screenshots: Path
) -> None:
    context = browser.new_context()
    elsewhere: list[str] = []

    def only_tutor(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", only_tutor)
    page = context.new_page()
    page.goto(f"{server.url}/docs")
    page.locator(".opblock").first.wait_for(timeout=30_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/courses/{course_id}/progress" in [s.replace("\u200b", "") for s in summaries]
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Tutor")
    assert elsewhere == []
    page.screenshot(path=str(screenshots / "api-docs.png"))
    context.close()
