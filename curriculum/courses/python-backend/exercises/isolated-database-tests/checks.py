import ast


def _fixtures(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            "fixture" in ast.unparse(d) for d in node.decorator_list
        ):
            yield node


def test_engine_is_created_per_test_in_a_fixture(submission):
    tree = ast.parse(submission.source)
    for fixture in _fixtures(tree):
        calls = [n for n in ast.walk(fixture) if isinstance(n, ast.Call)]
        if any(ast.unparse(c.func).endswith("create_engine") for c in calls):
            return
    raise AssertionError(
        "create the test engine inside a @pytest.fixture (function scope), so every test "
        "starts from an empty database"
    )


def test_uses_an_in_memory_database(submission):
    src = submission.source
    assert '"sqlite://"' in src or "'sqlite://'" in src or "sqlite:///:memory:" in src, (
        'use an in-memory SQLite database: create_engine("sqlite://", ...)'
    )
    assert "StaticPool" in src, (
        "an in-memory SQLite database lives in one connection: use poolclass=StaticPool so "
        "the app's sessions and the tables you created share it"
    )


def test_overrides_the_session_dependency(submission):
    assert "dependency_overrides" in submission.source and "get_session" in submission.source, (
        "make the app use your engine: app.dependency_overrides[get_session] = ..."
    )
