import ast


def _tree(submission):
    return ast.parse(submission.source)


def test_uses_a_fixture(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.FunctionDef):
            if any("fixture" in ast.unparse(d) for d in node.decorator_list):
                return
    raise AssertionError("set the override up in a @pytest.fixture, so every test gets it")


def test_overrides_the_dependency(submission):
    assert "dependency_overrides" in submission.source, (
        "replace the weather client with app.dependency_overrides[get_weather_client]"
    )


def test_cleans_up_the_override(submission):
    src = submission.source
    cleaned = any(
        s in src
        for s in (
            "dependency_overrides.clear()",
            "dependency_overrides.pop(",
            "dependency_overrides = {}",
            "del app.dependency_overrides[",
            "monkeypatch.setitem(app.dependency_overrides",  # undone by monkeypatch itself
        )
    )
    assert cleaned, (
        "remove the override after the test (e.g. app.dependency_overrides.clear() after "
        "the fixture's yield), or it leaks into every later test"
    )
