def _create(submission, title="write docs"):
    return submission.http("POST", "/tasks", json={"title": title})


def test_post_creates_with_201_and_location(submission):
    r = _create(submission)
    assert r.status_code == 201, f"POST /tasks must answer 201 Created, got {r.status_code}"
    assert r.json() == {"id": 1, "title": "write docs", "done": False}, r.text
    assert r.headers.get("Location") == "/tasks/1", (
        f"the Location header must name the new task, got {r.headers.get('Location')!r}"
    )
    second = _create(submission, "review PR")
    assert second.status_code == 201 and second.json()["id"] == 2, "the second task gets id 2"
    assert second.headers.get("Location") == "/tasks/2"


def test_empty_or_missing_title_is_422(submission):
    assert _create(submission, "").status_code == 422, "an empty title must be rejected with 422"
    r = submission.http("POST", "/tasks", json={"done": True})
    assert r.status_code == 422, "a missing title must be rejected with 422"


def test_get_returns_the_task(submission):
    _create(submission)
    r = submission.http("GET", "/tasks/1")
    assert r.status_code == 200
    assert r.json() == {"id": 1, "title": "write docs", "done": False}


def test_unknown_ids_are_404(submission):
    _create(submission)
    for method, kwargs in (("GET", {}), ("PUT", {"json": {"title": "x"}}), ("DELETE", {})):
        r = submission.http(method, "/tasks/99", **kwargs)
        assert r.status_code == 404, f"{method} /tasks/99 must answer 404, got {r.status_code}"
        assert r.json() == {"detail": "task not found"}, f"{method}: unexpected body {r.text}"


def test_put_replaces_the_task(submission):
    _create(submission)
    r = submission.http("PUT", "/tasks/1", json={"title": "write better docs", "done": True})
    assert r.status_code == 200, f"PUT must answer 200, got {r.status_code}"
    assert r.json() == {"id": 1, "title": "write better docs", "done": True}
    assert submission.http("GET", "/tasks/1").json()["done"] is True, "PUT must store the task"


def test_delete_is_204_with_empty_body(submission):
    _create(submission)
    r = submission.http("DELETE", "/tasks/1")
    assert r.status_code == 204, f"DELETE must answer 204 No Content, got {r.status_code}"
    assert r.text == "", f"a 204 response has no body, got {r.text!r}"
    assert submission.http("GET", "/tasks/1").status_code == 404, "the task must be gone"


def test_ids_are_not_reused_after_delete(submission):
    _create(submission, "a")
    _create(submission, "b")
    submission.http("DELETE", "/tasks/1")
    r = _create(submission, "c")
    assert r.json()["id"] == 3, (
        "after deleting task 1 of 2, the next task must get id 3 (len(tasks) + 1 reuses id 2)"
    )
