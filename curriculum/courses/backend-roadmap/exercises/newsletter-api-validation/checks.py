def _subscribe(submission, email="ada@example.com", name="Ada", topics=None):
    body = {"email": email, "name": name}
    if topics is not None:
        body["topics"] = topics
    return submission.http("POST", "/subscribers", json=body)


def test_subscribe_returns_201_with_public_fields(submission):
    r = _subscribe(submission, topics=["python"])
    assert r.status_code == 201, f"a new subscriber must get 201 Created, got {r.status_code}"
    assert r.json() == {"id": 1, "name": "Ada", "topics": ["python"]}, (
        f"the response must hold exactly id, name and topics, got {r.json()}"
    )


def test_email_never_leaks(submission):
    _subscribe(submission)
    for r in (
        _subscribe(submission, email="bob@example.com", name="Bob"),
        submission.http("GET", "/subscribers"),
    ):
        assert "example.com" not in r.text, f"an email address leaked in a response: {r.text}"


def test_name_is_stripped_and_bounded(submission):
    r = _subscribe(submission, name="  Grace  ")
    assert r.status_code == 201 and r.json()["name"] == "Grace", (
        f"the name must be stripped, got {r.text}"
    )
    assert _subscribe(submission, email="x@example.com", name="   ").status_code == 422, (
        "a name that is empty after stripping must be rejected with 422"
    )
    long_name = "n" * 51
    assert _subscribe(submission, email="y@example.com", name=long_name).status_code == 422


def test_invalid_email_is_422(submission):
    for email in ("not-an-email", "a@b", "two@@example.com", ""):
        r = _subscribe(submission, email=email)
        assert r.status_code == 422, f"the email {email!r} must be rejected with 422"


def test_duplicate_email_is_409_after_normalising(submission):
    assert _subscribe(submission).status_code == 201
    r = _subscribe(submission, email="  ADA@Example.COM ", name="Ada again")
    assert r.status_code == 409, (
        f"the same email with other case and spaces must be a duplicate (409), got {r.status_code}"
    )
    assert r.json() == {"detail": "already subscribed"}


def test_topics_are_validated_and_deduplicated(submission):
    r = _subscribe(submission, topics=["data", "python", "data"])
    assert r.status_code == 201 and r.json()["topics"] == ["data", "python"], (
        f"duplicate topics must be removed, keeping the first occurrence, got {r.text}"
    )
    r = _subscribe(submission, email="b@example.com", topics=["cooking"])
    assert r.status_code == 422, "an unknown topic must be rejected with 422"
    r = _subscribe(submission, email="c@example.com", topics=["data", "python", "devops", "data"])
    assert r.status_code == 422, "more than 3 topics must be rejected with 422"


def test_list_filters_by_topic(submission):
    _subscribe(submission, topics=["python"])
    _subscribe(submission, email="bob@example.com", name="Bob", topics=["devops"])
    everyone = submission.http("GET", "/subscribers")
    assert everyone.status_code == 200 and [s["name"] for s in everyone.json()] == ["Ada", "Bob"]
    devops = submission.http("GET", "/subscribers", params={"topic": "devops"})
    assert [s["name"] for s in devops.json()] == ["Bob"], f"topic filter failed: {devops.text}"
    bad = submission.http("GET", "/subscribers", params={"topic": "cooking"})
    assert bad.status_code == 422, "an unknown topic filter must be rejected with 422"
