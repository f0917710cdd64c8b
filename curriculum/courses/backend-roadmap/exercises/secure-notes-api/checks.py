ADA = {"Authorization": "Bearer token-ada"}
BOB = {"Authorization": "Bearer token-bob"}


def test_owner_reads_own_note(submission):
    r = submission.http("GET", "/notes/1", headers=ADA)
    assert r.status_code == 200, f"Ada must read her own note 1, got {r.status_code}"
    assert r.json() == {"id": 1, "owner": "ada", "title": "Shopping", "body": "milk, eggs"}


def test_other_users_notes_are_hidden(submission):
    r = submission.http("GET", "/notes/1", headers=BOB)
    assert r.status_code == 404, (
        f"Bob must not read Ada's note 1: expected 404, got {r.status_code} {r.text}"
    )
    assert r.json() == {"detail": "note not found"}, (
        "another user's note must look exactly like a missing one"
    )
    r = submission.http("PATCH", "/notes/1", json={"title": "hacked"}, headers=BOB)
    assert r.status_code == 404, (
        f"Bob must not change Ada's note: expected 404, got {r.status_code}"
    )
    r = submission.http("GET", "/notes/1", headers=ADA)
    assert r.json()["title"] == "Shopping", "Ada's note was changed by Bob"


def test_anonymous_is_401(submission):
    assert submission.http("GET", "/notes/1").status_code == 401


def test_search_finds_own_notes(submission):
    r = submission.http("GET", "/notes", params={"q": "milk"}, headers=ADA)
    assert r.status_code == 200
    assert [n["id"] for n in r.json()] == [1], (
        f"Ada's search for 'milk' must find note 1 only: {r.text}"
    )


def test_search_is_not_injectable(submission):
    for payload in (
        "' OR '1'='1",
        "%' OR owner = 'ada' OR '",
        "x' UNION SELECT 1, 'a', 'b', 'c' --",
    ):
        r = submission.http("GET", "/notes", params={"q": payload}, headers=BOB)
        assert r.status_code == 200, (
            f"the search must treat {payload!r} as text, got {r.status_code}"
        )
        owners = {n["owner"] for n in r.json()}
        assert owners <= {"bob"}, (
            f"SQL injection with {payload!r} leaked notes of {owners - {'bob'}}"
        )
        assert r.json() == [], (
            f"{payload!r} is just text that matches none of Bob's notes: {r.text}"
        )
    r = submission.http("GET", "/notes", params={"q": "it's"}, headers=ADA)
    assert r.status_code == 200, "a quote in the search text must not break the query"


def test_patch_updates_allowed_fields(submission):
    r = submission.http("PATCH", "/notes/2", json={"body": "rotated"}, headers=ADA)
    assert r.status_code == 200, f"Ada must be able to patch her note, got {r.status_code} {r.text}"
    assert r.json() == {"id": 2, "owner": "ada", "title": "Passwords", "body": "rotated"}


def test_patch_rejects_unknown_fields(submission):
    r = submission.http(
        "PATCH", "/notes/3", json={"title": "Mine now", "owner": "ada"}, headers=BOB
    )
    assert r.status_code == 422, (
        f"a PATCH that tries to set 'owner' must be rejected with 422, got {r.status_code}"
    )
    r = submission.http("GET", "/notes/3", headers=BOB)
    assert r.status_code == 200 and r.json()["owner"] == "bob", "the owner must not change"
    assert r.json()["title"] == "Ideas", "a rejected PATCH must not change anything"
