import ast

from exercises.sandbox.submission import LearnerError

VALID = {
    "username": "ada_l",
    "email": "ada@example.com",
    "password": "correct-horse",
    "password_confirm": "correct-horse",
}


def rejected(submission, **changes):
    """Call register() with VALID plus changes; return the LearnerError, or None if accepted."""
    try:
        submission.call("register", {**VALID, **changes})
    except LearnerError as error:
        return error
    return None


def test_valid_signup_returns_public_fields(submission):
    result = submission.call("register", VALID)
    assert result == {"username": "ada_l", "email": "ada@example.com"}, (
        "a valid sign-up must return only the public fields username and email"
    )


def test_username_is_stripped_and_lowercased(submission):
    result = submission.call("register", {**VALID, "username": "  Ada_L  "})
    assert result["username"] == "ada_l", (
        "username '  Ada_L  ' must be stored as 'ada_l' (stripped, lower-case)"
    )


def test_username_with_symbols_is_rejected(submission):
    error = rejected(submission, username="ada!")
    assert error is not None, "username 'ada!' must be rejected: only letters, digits and _"
    assert "ValueError" in error.types, f"expected a validation error, got {error.type}"


def test_username_length_is_checked(submission):
    assert rejected(submission, username="ab") is not None, "a 2-character username is too short"
    assert rejected(submission, username="a" * 21) is not None, (
        "a 21-character username is too long (3-20 allowed)"
    )
    assert rejected(submission, username=" Abc ") is None, (
        "' Abc ' becomes 'abc' after stripping, a valid 3-character username"
    )


def test_password_mismatch_is_rejected(submission):
    error = rejected(submission, password_confirm="correct-horse!")
    assert error is not None, "a password_confirm that differs from password must be rejected"
    assert "do not match" in error.message, (
        "the error should say 'passwords do not match' so the user knows what to fix"
    )


def test_short_password_is_still_rejected(submission):
    error = rejected(submission, password="short", password_confirm="short")
    assert error is not None, "passwords shorter than 8 characters must stay rejected"


def test_uses_pydantic_v2_validators(submission):
    names = set()
    for node in ast.walk(ast.parse(submission.source)):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name):
                    names.add(target.id)
                elif isinstance(target, ast.Attribute):
                    names.add(target.attr)
    assert "field_validator" in names, "use @field_validator for the username rules"
    assert "model_validator" in names, "use @model_validator to compare the two passwords"
