PEN = {"url": "https://example.com/pens", "title": "Pens"}


def _create(submission, n):
    ids = []
    for i in range(n):
        body = {"url": f"https://example.com/{i}", "title": f"Link {i}"}
        r = submission.http("POST", "/bookmarks", json=body)
        assert r.status_code == 201, f"POST /bookmarks must answer 201, got {r.status_code}"
        ids.append(r.json()["id"])
    return ids


def test_create_returns_201_location_and_body(submission):
    r = submission.http("POST", "/bookmarks", json=PEN)
    assert r.status_code == 201, f"creating a bookmark must answer 201 Created, got {r.status_code}"
    assert r.json() == {"id": 1, **PEN}, f"the response must be the stored bookmark, got {r.text}"
    assert r.headers.get("Location") == "/bookmarks/1", (
        f"the Location header must point at the new bookmark, got {r.headers.get('Location')!r}"
    )


def test_ids_increase(submission):
    assert _create(submission, 3) == [1, 2, 3], "ids must be 1, 2, 3 for the first three bookmarks"


def test_invalid_payload_is_422(submission):
    for body, why in [
        ({"url": "https://example.com"}, "a missing title"),
        ({"url": "https://example.com", "title": ""}, "an empty title"),
        ({"url": "https://example.com", "title": "x" * 201}, "a 201-character title"),
        ({"url": "ftp://example.com/file", "title": "FTP"}, "a URL that is not http(s)"),
        ({"url": "example.com", "title": "no scheme"}, "a URL without a scheme"),
    ]:
        r = submission.http("POST", "/bookmarks", json=body)
        assert r.status_code == 422, f"{why} must be rejected with 422, got {r.status_code}"


def test_read_existing_and_missing(submission):
    submission.http("POST", "/bookmarks", json=PEN)
    r = submission.http("GET", "/bookmarks/1")
    assert r.status_code == 200 and r.json() == {"id": 1, **PEN}, f"GET /bookmarks/1 gave {r.status_code} {r.text}"
    r = submission.http("GET", "/bookmarks/99")
    assert r.status_code == 404, f"an unknown id must answer 404, got {r.status_code}"
    assert r.json() == {"detail": "bookmark not found"}, f"unexpected 404 body {r.text}"


def test_delete_is_204_then_404(submission):
    submission.http("POST", "/bookmarks", json=PEN)
    r = submission.http("DELETE", "/bookmarks/1")
    assert r.status_code == 204, f"DELETE must answer 204 No Content, got {r.status_code}"
    assert r.text == "", f"a 204 response has no body, got {r.text!r}"
    assert submission.http("GET", "/bookmarks/1").status_code == 404, "the bookmark must be gone"
    r = submission.http("DELETE", "/bookmarks/1")
    assert r.status_code == 404, f"deleting it again must answer 404, got {r.status_code}"


def test_list_is_paginated(submission):
    _create(submission, 3)
    r = submission.http("GET", "/bookmarks", params={"limit": 2, "offset": 1})
    assert r.status_code == 200, f"GET /bookmarks gave {r.status_code}"
    body = r.json()
    assert [b["id"] for b in body["items"]] == [2, 3], f"limit=2&offset=1 must return ids 2 and 3, got {body}"
    assert body["total"] == 3, f"total must count every bookmark, got {body.get('total')}"
    r = submission.http("GET", "/bookmarks")
    assert [b["id"] for b in r.json()["items"]] == [1, 2, 3], "without parameters, the first 10 in id order"


def test_limit_is_bounded(submission):
    for params in ({"limit": 0}, {"limit": 51}, {"offset": -1}):
        r = submission.http("GET", "/bookmarks", params=params)
        assert r.status_code == 422, f"{params} must be rejected with 422, got {r.status_code}"


def test_ids_are_never_reused(submission):
    _create(submission, 2)
    r = submission.http("DELETE", "/bookmarks/1")
    assert r.status_code == 204, f"DELETE /bookmarks/1 must answer 204, got {r.status_code}"
    r = submission.http("POST", "/bookmarks", json=PEN)
    assert r.status_code == 201, f"POST /bookmarks must answer 201, got {r.status_code}"
    assert r.json()["id"] == 3, (
        f"after creating 2 bookmarks and deleting the first, the next id must be 3, got {r.json()['id']}: "
        "an id is never handed out twice"
    )
    r = submission.http("GET", "/bookmarks/2")
    assert r.status_code == 200 and r.json()["title"] == "Link 1", (
        f"bookmark 2 must be unchanged after another bookmark is created, got {r.status_code} {r.text}"
    )
