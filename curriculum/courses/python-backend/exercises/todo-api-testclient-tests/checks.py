def test_uses_testclient(submission):
    assert "TestClient" in submission.source, "send the requests with fastapi.testclient.TestClient"


def test_builds_a_fresh_app_per_test(submission):
    assert "create_app()" in submission.source, (
        "build the app with create_app() inside a fixture, so each test starts with an empty store"
    )


def test_checks_status_codes(submission):
    assert "status_code" in submission.source, (
        "assert on r.status_code: 201, 204, 404 and 422 are part of the API's contract"
    )
