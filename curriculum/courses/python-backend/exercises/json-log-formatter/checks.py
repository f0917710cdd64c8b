import json

from exercises.sandbox.submission import LearnerError


def _json(text):
    assert isinstance(text, str), f"format() must return a str, got {type(text).__name__}"
    assert "\n" not in text, "one record must be ONE line (no pretty-printing, no newlines)"
    try:
        data = json.loads(text)
    except ValueError:
        raise AssertionError(f"the output is not JSON: {text[:120]!r}") from None
    assert isinstance(data, dict), "each line must be a JSON object"
    return data


def test_basic_fields(submission):
    data = _json(submission.call("render", "INFO", "payment captured"))
    assert data.get("level") == "info", f'"level" must be the lower-case level name, got {data}'
    assert data.get("logger") == "payments", f'"logger" must be the logger name, got {data}'
    assert data.get("event") == "payment captured", f'"event" must be the message, got {data}'


def test_extra_fields_are_included(submission):
    data = _json(
        submission.call("render", "WARNING", "slow capture", {"order_id": 42, "ms": 812.5})
    )
    assert data.get("order_id") == 42 and data.get("ms") == 812.5, (
        f"fields passed with extra= must appear with their JSON types, got {data}"
    )
    assert data.get("level") == "warning"


def test_standard_attributes_are_left_out(submission):
    data = _json(submission.call("render", "INFO", "payment captured"))
    noise = sorted(k for k in ("lineno", "pathname", "msecs", "thread", "args") if k in data)
    assert not noise, f"leave out LogRecord's own attributes, found {noise}"


def test_secrets_are_redacted(submission):
    text = submission.call(
        "render", "INFO", "login", {"user": "ann", "password": "hunter2", "token": "abc123"}
    )
    data = _json(text)
    assert "hunter2" not in text and "abc123" not in text, "a secret value leaked into the log"
    assert data.get("password") == "***" and data.get("token") == "***", (
        f'secret fields must be written as "***", got {data}'
    )
    assert data.get("user") == "ann", "non-secret fields stay as they are"


def test_exception_traceback(submission):
    data = _json(submission.call("render_exception"))
    exc = data.get("exc", "")
    assert "ValueError: card declined" in exc and "Traceback" in exc, (
        f'"exc" must hold the formatted traceback, got {exc!r}'
    )
    plain = _json(submission.call("render", "INFO", "ok"))
    assert "exc" not in plain, '"exc" only appears when the record has exception info'


def test_non_json_values_use_str(submission):
    try:
        text = submission.call("render_with_date")
    except LearnerError as exc:
        raise AssertionError(
            f"a date in extra= crashed the formatter ({exc.type}): pass default=str to json.dumps"
        ) from None
    due = _json(text).get("due")
    assert due == "2026-11-30", f"values JSON cannot encode must be written with str(), got {due!r}"
