import base64
import json

from exercises.sandbox.submission import LearnerError


def _event(method, path, body=None, b64=False):
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
    if b64 and body is not None:
        body = base64.b64encode(body.encode()).decode()
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": method, "path": path}},
        "body": body,
        "isBase64Encoded": b64,
    }


def _invoke(submission, *args, **kwargs):
    try:
        response = submission.call("handler", _event(*args, **kwargs), None)
    except LearnerError as exc:
        raise AssertionError(
            f"the handler raised {exc.type} ({exc.message}); a Lambda that raises makes API "
            "Gateway answer 500: return an error response instead"
        ) from None
    assert isinstance(response, dict) and "statusCode" in response, (
        f"the handler must return a dict with statusCode, headers and body, got {response!r}"
    )
    return response


def _body(response):
    assert isinstance(response.get("body"), str), (
        f"'body' must be a JSON string (json.dumps), got {type(response.get('body')).__name__}"
    )
    return json.loads(response["body"])


def test_body_is_a_json_string_with_content_type(submission):
    response = _invoke(submission, "GET", "/feedback/summary")
    assert response["statusCode"] == 200
    assert _body(response) == {"count": 0, "average": None}
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    assert headers.get("content-type") == "application/json", "set Content-Type: application/json"


def test_post_creates_feedback(submission):
    first = _invoke(submission, "POST", "/feedback", {"rating": 5, "comment": "great"})
    assert first["statusCode"] == 201, f"valid feedback must get 201, got {first['statusCode']}"
    assert _body(first) == {"id": 1, "rating": 5}
    second = _invoke(submission, "POST", "/feedback", {"rating": 2})
    assert _body(second) == {"id": 2, "rating": 2}, "comment is optional; ids count up"


def test_base64_body(submission):
    response = _invoke(submission, "POST", "/feedback", {"rating": 4}, b64=True)
    assert response["statusCode"] == 201, (
        "when isBase64Encoded is true, decode the body with base64 before parsing the JSON"
    )


def test_invalid_json_is_400(submission):
    for raw in ("not json", "", "{"):
        response = _invoke(submission, "POST", "/feedback", raw)
        assert response["statusCode"] == 400, f"body {raw!r}: expected 400"
        assert _body(response) == {"error": "body must be JSON"}


def test_invalid_fields_are_422(submission):
    cases = [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "5"}, "rating"),
        ({"rating": True}, "rating"),
        ({}, "rating"),
        ({"rating": 3, "comment": "x" * 501}, "comment"),
        ({"rating": 3, "comment": 7}, "comment"),
    ]
    for payload, field in cases:
        response = _invoke(submission, "POST", "/feedback", payload)
        assert response["statusCode"] == 422, (
            f"{payload}: expected 422, got {response['statusCode']}"
        )
        assert _body(response) == {"error": "invalid field", "field": field}, f"{payload}"


def test_summary_averages(submission):
    for rating in (5, 4, 4):
        _invoke(submission, "POST", "/feedback", {"rating": rating})
    _invoke(submission, "POST", "/feedback", {"rating": 9})
    summary = _body(_invoke(submission, "GET", "/feedback/summary"))
    assert summary == {"count": 3, "average": 4.33}, f"unexpected summary {summary}"


def test_unknown_routes(submission):
    assert _invoke(submission, "GET", "/feedback")["statusCode"] == 405
    assert _invoke(submission, "DELETE", "/feedback/summary")["statusCode"] == 405
    response = _invoke(submission, "GET", "/nowhere")
    assert response["statusCode"] == 404 and _body(response) == {"error": "not found"}
