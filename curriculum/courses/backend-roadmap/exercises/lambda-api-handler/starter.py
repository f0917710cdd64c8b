"""A feedback API as an AWS Lambda function behind an HTTP API (payload format 2.0).

TODO: implement `handler(event, context)`:
- POST /feedback: the body is JSON, base64-encoded when `event["isBase64Encoded"]` is
  true. Invalid JSON -> 400 {"error": "body must be JSON"}. `rating` must be an integer
  from 1 to 5 and `comment` (optional) a string of at most 500 characters; otherwise
  422 {"error": "invalid field", "field": NAME}. Valid feedback is stored and answered
  with 201 {"id": N, "rating": R} (ids 1, 2, 3...).
- GET /feedback/summary -> 200 {"count": N, "average": A}, the average rounded to 2
  places, or None when there is no feedback yet.
- A known path with another method -> 405 {"error": "method not allowed"};
  any other path -> 404 {"error": "not found"}.
Every response is {"statusCode": int, "headers": {"Content-Type": "application/json"},
"body": a JSON *string*}.
"""

import base64
import json
from typing import Any

FEEDBACK: list[dict[str, Any]] = []


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": {}}
