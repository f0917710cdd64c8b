def test_health_still_works(submission):
    r = submission.http("GET", "/health")
    assert r.status_code == 200, "GET /health must keep answering 200"
    assert r.json() == {"status": "ok"}


def test_create_note_returns_201_and_the_note(submission):
    r = submission.http("POST", "/notes", json={"title": "Deploy checklist", "body": "tag, push"})
    assert r.status_code == 201, f"POST /notes must answer 201 Created, got {r.status_code}"
    assert r.json() == {"id": 1, "title": "Deploy checklist", "body": "tag, push"}, (
        "the response must be the created note with id 1, title and body"
    )


def test_body_is_optional(submission):
    r = submission.http("POST", "/notes", json={"title": "Only a title"})
    assert r.status_code == 201, f"a note without body is valid, got {r.status_code}"
    assert r.json().get("body") == "", "a missing body defaults to an empty string"


def test_list_returns_created_notes_in_order(submission):
    submission.http("POST", "/notes", json={"title": "first"})
    submission.http("POST", "/notes", json={"title": "second", "body": "b"})
    r = submission.http("GET", "/notes")
    assert r.status_code == 200, f"GET /notes must answer 200, got {r.status_code}"
    assert r.json() == [
        {"id": 1, "title": "first", "body": ""},
        {"id": 2, "title": "second", "body": "b"},
    ], "GET /notes must list every created note, oldest first, with ids 1 and 2"


def test_missing_title_is_rejected_with_422(submission):
    r = submission.http("POST", "/notes", json={"body": "no title"})
    assert r.status_code == 422, "a note without title must be rejected with 422"


def test_empty_or_long_title_is_rejected_with_422(submission):
    r = submission.http("POST", "/notes", json={"title": ""})
    assert r.status_code == 422, "an empty title must be rejected with 422"
    r = submission.http("POST", "/notes", json={"title": "x" * 101})
    assert r.status_code == 422, "a title longer than 100 characters must be rejected with 422"


def test_openapi_documents_the_notes_routes(submission):
    r = submission.http("GET", "/openapi.json")
    assert r.status_code == 200, "the OpenAPI schema must stay available at /openapi.json"
    paths = r.json()["paths"]
    assert "/notes" in paths, "/notes is missing from the OpenAPI schema"
    assert {"get", "post"} <= set(paths["/notes"]), "/notes must document both GET and POST"
    post = paths["/notes"]["post"]
    assert "requestBody" in post, "POST /notes must declare its JSON body with a Pydantic model"
