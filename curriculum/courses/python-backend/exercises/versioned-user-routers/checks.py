import ast


def test_v1_returns_the_full_name(submission):
    r = submission.http("GET", "/v1/users/1")
    assert r.status_code == 200, f"GET /v1/users/1 must answer 200, got {r.status_code}"
    assert r.json() == {"id": 1, "name": "Ada Lovelace"}, "v1 returns id and name"


def test_v2_returns_first_and_last_name(submission):
    r = submission.http("GET", "/v2/users/2")
    assert r.status_code == 200, f"GET /v2/users/2 must answer 200, got {r.status_code}"
    assert r.json() == {"id": 2, "first_name": "Alan", "last_name": "Turing"}, (
        "v2 returns id, first_name and last_name"
    )


def test_unversioned_path_is_gone(submission):
    r = submission.http("GET", "/users/1")
    assert r.status_code == 404, "/users/1 without a version prefix must not exist any more"


def test_unknown_user_is_404_in_both_versions(submission):
    for version in ("v1", "v2"):
        r = submission.http("GET", f"/{version}/users/99")
        assert r.status_code == 404, f"GET /{version}/users/99 must answer 404, got {r.status_code}"


def test_openapi_tags_and_deprecation(submission):
    paths = submission.http("GET", "/openapi.json").json()["paths"]
    v1 = paths.get("/v1/users/{user_id}", {}).get("get")
    v2 = paths.get("/v2/users/{user_id}", {}).get("get")
    assert v1 is not None and v2 is not None, "both versioned routes must be in the schema"
    assert "v1" in v1.get("tags", []), 'tag the v1 operations "v1"'
    assert "v2" in v2.get("tags", []), 'tag the v2 operations "v2"'
    assert v1.get("deprecated") is True, "mark the v1 route deprecated=True"
    assert not v2.get("deprecated", False), "the v2 route is current, not deprecated"


def test_uses_api_routers(submission):
    tree = ast.parse(submission.source)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    routers = [
        c
        for c in calls
        if (isinstance(c.func, ast.Name) and c.func.id == "APIRouter")
        or (isinstance(c.func, ast.Attribute) and c.func.attr == "APIRouter")
    ]
    includes = [
        c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "include_router"
    ]
    assert len(routers) >= 2, "create one APIRouter per version (at least two APIRouter(...))"
    assert len(includes) >= 2, "mount each version's router with app.include_router(...)"
