from exercises.sandbox.submission import LearnerError

PYPROJECT = """
[project]
name = "orders-api"
version = "1.0.0"
dependencies = ["fastapi>=0.115", "sqlmodel>=0.0.22"]

[dependency-groups]
test = ["pytest>=8", "httpx>=0.27"]
lint = ["ruff>=0.6", "mypy>=1.11"]
dev = [{include-group = "test"}, {include-group = "lint"}, "pre-commit>=3"]
ci = [{include-group = "dev"}, "pytest>=8", "pytest-cov>=5"]
loop-a = [{include-group = "loop-b"}]
loop-b = [{include-group = "loop-a"}]
"""


def test_plain_group(submission):
    assert submission.call("group_requirements", PYPROJECT, "lint") == ["ruff>=0.6", "mypy>=1.11"]


def test_include_group_is_expanded_in_place(submission):
    got = submission.call("group_requirements", PYPROJECT, "dev")
    assert got == ["pytest>=8", "httpx>=0.27", "ruff>=0.6", "mypy>=1.11", "pre-commit>=3"], (
        "each {include-group = ...} entry must be replaced by that group's requirements, "
        f"in order; got {got}"
    )


def test_nested_includes_and_duplicates(submission):
    got = submission.call("group_requirements", PYPROJECT, "ci")
    assert got == [
        "pytest>=8", "httpx>=0.27", "ruff>=0.6", "mypy>=1.11", "pre-commit>=3", "pytest-cov>=5"
    ], f"includes nest, and a requirement already listed is kept once (first place); got {got}"


def test_project_dependencies_are_not_part_of_a_group(submission):
    got = submission.call("group_requirements", PYPROJECT, "test")
    assert "fastapi>=0.115" not in got, "[project].dependencies are not part of any group"


def test_unknown_group_raises_value_error(submission):
    try:
        submission.call("group_requirements", PYPROJECT, "docs")
    except LearnerError as exc:
        assert "ValueError" in exc.types, f"expected ValueError, got {exc.type}"
    else:
        raise AssertionError("an unknown group must raise ValueError")


def test_include_cycle_raises_value_error(submission):
    try:
        submission.call("group_requirements", PYPROJECT, "loop-a")
    except LearnerError as exc:
        assert "ValueError" in exc.types, f"a cycle must raise ValueError, got {exc.type}"
    else:
        raise AssertionError("an include cycle must raise ValueError")
