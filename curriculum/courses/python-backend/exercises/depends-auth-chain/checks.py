def _get(submission, path, token=None, scheme="Bearer"):
    headers = {"Authorization": f"{scheme} {token}"} if token is not None else None
    return submission.http("GET", path, headers=headers)


def _assert_401(r, why):
    assert r.status_code == 401, f"{why} must give 401, got {r.status_code}"
    assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), (
        "a 401 must tell the client how to authenticate: WWW-Authenticate: Bearer"
    )


def test_me_returns_current_user(submission):
    r = _get(submission, "/me", "t-bob")
    assert r.status_code == 200, f"a valid token must be accepted, got {r.status_code}"
    assert r.json() == {"name": "bob", "role": "member"}


def test_missing_token_is_401(submission):
    _assert_401(_get(submission, "/me"), "a request without Authorization")


def test_unknown_token_is_401(submission):
    _assert_401(_get(submission, "/me", "t-eve"), "an unknown token")


def test_other_scheme_is_401(submission):
    _assert_401(_get(submission, "/me", "t-ann", scheme="Basic"), "a non-Bearer scheme")


def test_admin_can_read_stats(submission):
    r = _get(submission, "/admin/stats", "t-ann")
    assert r.status_code == 200, f"an admin must reach /admin/stats, got {r.status_code}"
    assert r.json() == {"users": 2}


def test_member_is_403(submission):
    r = _get(submission, "/admin/stats", "t-bob")
    assert r.status_code == 403, f"an authenticated non-admin must get 403, got {r.status_code}"


def test_admin_route_without_token_is_401(submission):
    _assert_401(
        _get(submission, "/admin/stats"),
        "/admin/stats without a token (require_admin must build on get_current_user)",
    )


def test_uses_dependencies(submission):
    source = submission.source
    assert "Depends(" in source, (
        "inject users with Depends(...) instead of parsing headers in routes"
    )
    assert "def require_admin" in source, "write a require_admin dependency"
