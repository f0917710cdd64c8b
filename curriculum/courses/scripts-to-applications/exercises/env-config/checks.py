from exercises.sandbox.submission import LearnerError

URL = "https://api.example.com"


def _check(submission, environ):
    try:
        return submission.call("check", environ)
    except LearnerError as err:
        raise AssertionError(
            f"load_config({environ}) raised {err}: expected problems must raise ConfigError"
        ) from None


def test_defaults(submission):
    got = _check(submission, {"API_URL": URL})
    assert got == ["ok", {"api_url": URL, "timeout_s": 10.0, "retries": 3, "debug": False}], got


def test_values_are_converted(submission):
    got = _check(submission, {"API_URL": URL, "TIMEOUT_S": "2.5", "RETRIES": "0", "DEBUG": "Yes"})
    assert got == ["ok", {"api_url": URL, "timeout_s": 2.5, "retries": 0, "debug": True}], got


def test_debug_false_strings(submission):
    for text in ("false", "0", "NO", "off"):
        got = _check(submission, {"API_URL": URL, "DEBUG": text})
        assert got[0] == "ok" and got[1]["debug"] is False, (
            f"DEBUG={text!r} means False; careful, bool('false') is True. Got {got}"
        )
    got = _check(submission, {"API_URL": URL, "DEBUG": "maybe"})
    assert got[0] == "error" and got[2][0].startswith("DEBUG"), (
        f"DEBUG='maybe' is neither true nor false: a ConfigError line starting with DEBUG; got {got}"
    )


def test_single_problems(submission):
    cases = [
        ({}, "API_URL"),
        ({"API_URL": "http://api.example.com"}, "API_URL"),
        ({"API_URL": URL, "TIMEOUT_S": "soon"}, "TIMEOUT_S"),
        ({"API_URL": URL, "TIMEOUT_S": "0"}, "TIMEOUT_S"),
        ({"API_URL": URL, "RETRIES": "11"}, "RETRIES"),
        ({"API_URL": URL, "RETRIES": "2.5"}, "RETRIES"),
    ]
    for environ, name in cases:
        got = _check(submission, environ)
        assert got[0] == "error" and got[1] == "ConfigError", (
            f"{environ} must raise ConfigError, got {got}"
        )
        assert len(got[2]) == 1 and got[2][0].startswith(name), (
            f"{environ}: one line starting with {name}, got {got[2]}"
        )


def test_lists_every_problem(submission):
    got = _check(submission, {"TIMEOUT_S": "-1", "RETRIES": "many", "DEBUG": "perhaps"})
    assert got[0] == "error", got
    starts = sorted(line.split()[0] for line in got[2])
    assert starts == ["API_URL", "DEBUG", "RETRIES", "TIMEOUT_S"], (
        f"report every problem at once, one line each, so one deploy fixes them all; got {got[2]}"
    )
