from exercises.sandbox.submission import LearnerError


def msg(mid, **payload):
    return {"id": mid, "payload": payload}


def _run(submission, *batches):
    try:
        return submission.call("run", *batches)
    except LearnerError as err:
        raise AssertionError(
            f"consume raised {err.type} ({err.message}); a failing message must not stop "
            "the consumer: retry it or dead-letter it, then go on"
        ) from None


def test_applies_messages_in_order(submission):
    result = _run(submission, [msg("m1"), msg("m2"), msg("m3")])
    assert result["ledger"] == ["m1", "m2", "m3"]
    assert result["dead"] == []


def test_redelivered_messages_are_applied_once(submission):
    result = _run(submission, [msg("m1"), msg("m2"), msg("m1")], [msg("m2"), msg("m3")])
    assert result["ledger"] == ["m1", "m2", "m3"], (
        f"ledger {result['ledger']}: a message delivered again (same id) must be skipped"
    )
    assert result["attempts"] == {"m1": 1, "m2": 1, "m3": 1}, (
        "a duplicate must not even be tried again"
    )


def test_transient_errors_are_retried(submission):
    result = _run(submission, [msg("m1", fail=2), msg("m2")])
    assert result["ledger"] == ["m1", "m2"], f"m1 fails twice, then works: {result}"
    assert result["attempts"]["m1"] == 3
    assert result["dead"] == []


def test_exhausted_retries_go_to_the_dead_letter_queue(submission):
    result = _run(submission, [msg("m1", fail=10), msg("m2")])
    assert result["attempts"]["m1"] == 3, (
        f"stop after MAX_ATTEMPTS = 3 attempts, m1 was tried {result['attempts']['m1']} times"
    )
    dead = [d["id"] for d in result["dead"]]
    assert dead == ["m1"], f"m1 must be dead-lettered: {result['dead']}"
    assert "timed out" in result["dead"][0]["reason"], "keep the last error as the reason"
    assert result["ledger"] == ["m2"], "the consumer must go on with m2 after dead-lettering m1"


def test_invalid_messages_are_not_retried(submission):
    result = _run(submission, [msg("m1", invalid=True), msg("m2")])
    assert result["attempts"]["m1"] == 1, (
        f"an invalid message (ValueError) will never succeed: no retries, it was tried "
        f"{result['attempts']['m1']} times"
    )
    assert [d["id"] for d in result["dead"]] == ["m1"]
    assert result["ledger"] == ["m2"]


def test_dead_lettered_messages_are_not_retried_on_redelivery(submission):
    result = _run(submission, [msg("m1", invalid=True)], [msg("m1", invalid=True), msg("m2")])
    assert len(result["dead"]) == 1, f"m1 was dead-lettered twice: {result['dead']}"
    assert result["ledger"] == ["m2"]
