"""A feedback API as an AWS Lambda function behind an HTTP API (payload format 2.0)."""

import base64
import binascii
import json
from typing import Any

FEEDBACK: list[dict[str, Any]] = []  # lives as long as this warm instance


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": body,
    }


def _parse_body(event: dict[str, Any]) -> Any:
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    return json.loads(raw)


def _invalid_field(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "body"
    rating = data.get("rating")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        return "rating"
    comment = data.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 500:
        return "comment"
    return None


def _create(event: dict[str, Any]) -> dict[str, Any]:
    try:
        data = _parse_body(event)
    except (ValueError, binascii.Error):  # JSONDecodeError and UnicodeDecodeError too
        return _response(400, {"error": "body must be JSON"})
    field = _invalid_field(data)
    if field is not None:
        return _response(422, {"error": "invalid field", "field": field})
    item = {"id": len(FEEDBACK) + 1, "rating": data["rating"], "comment": data.get("comment", "")}
    FEEDBACK.append(item)
    return _response(201, {"id": item["id"], "rating": item["rating"]})


def _summary() -> dict[str, Any]:
    ratings = [item["rating"] for item in FEEDBACK]
    average = round(sum(ratings) / len(ratings), 2) if ratings else None
    return _response(200, {"count": len(ratings), "average": average})


ROUTES = {("POST", "/feedback"): _create, ("GET", "/feedback/summary"): lambda event: _summary()}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event.get("requestContext", {}).get("http", {}).get("method", "")
    path = event.get("rawPath", "")
    route = ROUTES.get((method, path))
    if route is not None:
        return route(event)
    if any(known_path == path for _, known_path in ROUTES):
        return _response(405, {"error": "method not allowed"})
    return _response(404, {"error": "not found"})
