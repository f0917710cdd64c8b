from exercises.sandbox.submission import LearnerError

GOOD = {
    "title": "  PyCon sprint  ",
    "starts_at": "2026-05-01T09:00:00",
    "ends_at": "2026-05-01T17:00:00",
    "seats": 40,
    "tags": ["Python", "sprint", "python"],
}


def _post(submission, **changes):
    payload = {**GOOD, **changes}
    payload = {k: v for k, v in payload.items() if v is not ...}
    try:
        return submission.call("post", payload)
    except LearnerError as err:
        raise AssertionError(f"posting {payload} raised {err}") from None


def test_valid_event_is_created_and_normalised(submission):
    status, body = _post(submission)
    assert status == 201, f"a valid event must be accepted with 201, got {status}: {body}"
    assert body["title"] == "PyCon sprint", f"strip the title's whitespace, got {body['title']!r}"
    assert body["tags"] == ["python", "sprint"], (
        f"tags are lower-cased and de-duplicated in order, got {body['tags']}"
    )
    assert _post(submission, tags=...)[1]["tags"] == [], "tags default to an empty list"


def test_field_rules(submission):
    cases = [
        ({"title": "   "}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"seats": 0}, "seats"),
        ({"seats": 501}, "seats"),
        ({"seats": "many"}, "seats"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
        ({"starts_at": "next week"}, "starts_at"),
        ({"ends_at": ...}, "ends_at"),
    ]
    for change, field in cases:
        status, body = _post(submission, **change)
        assert status == 422 and field in body, (
            f"{change} must be rejected with 422 naming {field!r}; got {status} {body}"
        )


def test_end_after_start(submission):
    status, body = _post(submission, ends_at="2026-05-01T08:00:00")
    assert status == 422, f"an event ending before it starts must be a 422, got {status}"
    status, _ = _post(submission, ends_at=GOOD["starts_at"])
    assert status == 422, "an event ending when it starts is invalid too"


def test_unknown_fields_rejected(submission):
    status, body = _post(submission, vip=True)
    assert status == 422 and "vip" in body, (
        f"unknown fields such as 'vip' must be rejected (extra='forbid'), got {status} {body}"
    )
