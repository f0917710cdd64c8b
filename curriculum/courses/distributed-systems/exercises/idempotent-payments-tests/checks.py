import ast


def test_uses_a_fixture(submission):
    for node in ast.walk(ast.parse(submission.source)):
        if isinstance(node, ast.FunctionDef):
            if any("fixture" in ast.unparse(d) for d in node.decorator_list):
                return
    raise AssertionError("build the app and its fake gateway in a @pytest.fixture")


def test_overrides_the_gateway(submission):
    assert "dependency_overrides" in submission.source, (
        "replace the real gateway with app.dependency_overrides[get_gateway] = lambda: fake"
    )
