from exercises.sandbox.submission import LearnerError

ADA = {"name": "ada", "role": "admin"}
CY = {"name": "cy", "role": "analyst"}
BOB = {"name": "bob", "role": "member"}


def _refused(submission, why, name, *args, **kwargs):
    try:
        result = submission.call(name, *args, **kwargs)
    except LearnerError as exc:
        assert "PermissionError" in exc.types, (
            f"{why}: expected PermissionError, got {exc.type}: {exc.message}"
        )
        return
    raise AssertionError(f"{why}: the call must raise PermissionError, it returned {result!r}")


def test_allowed_role_gets_the_result(submission):
    result = submission.call("delete_project", ADA, "billing")
    assert result == "billing deleted by ada", f"an admin's call must go through, got {result!r}"


def test_other_roles_are_refused(submission):
    _refused(submission, "a member deleting a project", "delete_project", BOB, "billing")
    _refused(submission, "an analyst deleting a project", "delete_project", CY, "billing")


def test_any_listed_role_is_accepted(submission):
    assert submission.call("view_report", CY, 7) == "report 7 as html for cy", (
        'view_report is decorated with require_role("admin", "analyst"): an analyst may call it'
    )
    assert submission.call("view_report", ADA, 7) == "report 7 as html for ada"
    _refused(submission, "a member viewing a report", "view_report", BOB, 7)


def test_arguments_are_passed_through(submission):
    result = submission.call("view_report", CY, 9, fmt="pdf")
    assert result == "report 9 as pdf for cy", f"keyword arguments must reach the function: {result!r}"
    result = submission.call("delete_project", user=ADA, project="docs")
    assert result == "docs deleted by ada", f"the user may be passed as user=...: {result!r}"


def test_missing_role_is_refused(submission):
    _refused(submission, "a user without a role", "delete_project", {"name": "eve"}, "billing")
    _refused(submission, "no user at all", "delete_project", None, "billing")


def test_metadata_is_preserved(submission):
    name, doc, other = submission.call("metadata")
    assert (name, other) == ("delete_project", "view_report"), (
        f"decorated functions must keep their names (use functools.wraps), got {name!r}, {other!r}"
    )
    assert doc == "Delete a project and everything in it.", f"and their docstrings, got {doc!r}"
