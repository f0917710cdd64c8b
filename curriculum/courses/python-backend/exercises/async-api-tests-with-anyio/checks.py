import ast


def test_has_async_tests(submission):
    tree = ast.parse(submission.source)
    names = [n.name for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)]
    assert any(n.startswith("test_") for n in names), "write the tests as `async def test_...`"


def test_marks_tests_for_anyio(submission):
    assert "mark.anyio" in submission.source, (
        "mark the async tests with @pytest.mark.anyio (or pytestmark = pytest.mark.anyio), "
        "otherwise pytest does not know how to run a coroutine"
    )


def test_uses_asgi_transport(submission):
    assert "ASGITransport" in submission.source, (
        "send requests through httpx.AsyncClient(transport=httpx.ASGITransport(app=app), ...)"
    )
