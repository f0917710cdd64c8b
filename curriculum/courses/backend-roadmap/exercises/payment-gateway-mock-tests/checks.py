import ast


def test_uses_a_mock_gateway(submission):
    tree = ast.parse(submission.source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert names & {"Mock", "MagicMock", "create_autospec", "AsyncMock"}, (
        "replace the payment gateway with a unittest.mock Mock (or create_autospec)"
    )


def test_asserts_on_the_calls(submission):
    assert any(
        s in submission.source
        for s in ("assert_called", "call_args", "call_count", "assert_not_called", "mock_calls")
    ), "check how the gateway was called (assert_called_once_with, call_args_list, call_count...)"
