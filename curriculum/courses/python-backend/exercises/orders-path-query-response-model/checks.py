PATH = "/users/{user_id}/orders"


def test_lists_the_orders_of_one_user(submission):
    r = submission.http("GET", "/users/1/orders")
    assert r.status_code == 200, f"GET /users/1/orders must answer 200, got {r.status_code}"
    ids = [order["id"] for order in r.json()]
    assert ids == [1, 2, 4, 5], f"user 1 owns orders [1, 2, 4, 5] (in that order), got {ids}"


def test_unknown_user_gets_an_empty_list(submission):
    r = submission.http("GET", "/users/99/orders")
    assert r.status_code == 200, "a user without orders gets 200 and an empty list"
    assert r.json() == [], "a user without orders gets an empty list"


def test_internal_fields_are_hidden(submission):
    r = submission.http("GET", "/users/1/orders")
    first = r.json()[0]
    assert set(first) == {"id", "status", "total"}, (
        f"each order must expose exactly id, status and total; got {sorted(first)}"
    )


def test_user_id_is_a_positive_integer(submission):
    r = submission.http("GET", "/users/abc/orders")
    assert r.status_code == 422, "a non-integer user_id must be rejected with 422"
    r = submission.http("GET", "/users/0/orders")
    assert r.status_code == 422, "user_id 0 must be rejected with 422 (ids start at 1)"


def test_status_query_parameter_filters(submission):
    r = submission.http("GET", "/users/1/orders", params={"status": "paid"})
    assert r.status_code == 200, f"?status=paid must answer 200, got {r.status_code}"
    assert [o["id"] for o in r.json()] == [1, 5], "?status=paid must keep only orders 1 and 5"
    r = submission.http("GET", "/users/1/orders", params={"status": "lost"})
    assert r.status_code == 422, "an unknown status must be rejected with 422"


def test_limit_has_a_default_and_bounds(submission):
    r = submission.http("GET", "/users/1/orders", params={"limit": 2})
    assert [o["id"] for o in r.json()] == [1, 2], "?limit=2 must return the first two orders"
    r = submission.http("GET", "/users/1/orders", params={"limit": 0})
    assert r.status_code == 422, "?limit=0 must be rejected with 422 (at least 1)"
    r = submission.http("GET", "/users/1/orders", params={"limit": 51})
    assert r.status_code == 422, "?limit=51 must be rejected with 422 (at most 50)"
    r = submission.http("GET", "/users/1/orders", params={"limit": 50})
    assert r.status_code == 200, "?limit=50 is allowed"


def test_openapi_documents_the_response_model(submission):
    schema = submission.http("GET", "/openapi.json").json()
    operation = schema["paths"][PATH]["get"]
    names = {p["name"]: p["in"] for p in operation.get("parameters", [])}
    assert names.get("user_id") == "path", "user_id must be a path parameter"
    assert names.get("status") == "query", "status must be a query parameter"
    assert names.get("limit") == "query", "limit must be a query parameter"
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body.get("type") == "array" and "$ref" in body.get("items", {}), (
        "declare a response model, a list of an order model, so clients see the shape"
    )
    model = body["items"]["$ref"].rsplit("/", 1)[-1]
    fields = set(schema["components"]["schemas"][model]["properties"])
    assert fields == {"id", "status", "total"}, (
        f"the response model must have exactly id, status and total; it has {sorted(fields)}"
    )
