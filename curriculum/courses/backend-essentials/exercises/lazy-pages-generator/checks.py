import ast

from exercises.sandbox.submission import LearnerError


def _call(submission, name, *args):
    try:
        return submission.call(name, *args)
    except LearnerError as exc:
        raise AssertionError(f"{name}{args} raised {exc.type}: {exc.message}") from None


def _function(source, name):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"no function named {name}")


def test_iter_items_yields_every_item(submission):
    result = _call(submission, "first_items", 100)
    assert result["items"] == list("abcdefg"), f"every item of every page, in order: {result}"
    assert result["fetches"] == 4, f"each page must be fetched exactly once, got {result['fetches']}"


def test_iter_items_is_lazy(submission):
    result = _call(submission, "first_items", 3)
    assert result["items"] == ["a", "b", "c"], f"the first three items: {result['items']}"
    assert result["fetches"] == 2, (
        f"taking 3 items (page size 2) must fetch only 2 pages, not {result['fetches']}: "
        "fetch the next page only when the current one is used up"
    )
    assert _call(submission, "first_items", 0)["fetches"] == 0, "taking nothing fetches nothing"


def test_iter_items_is_a_generator(submission):
    node = _function(submission.source, "iter_items")
    assert any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(node)), (
        "iter_items must be a generator function (use yield or yield from)"
    )


def test_batched_groups_items(submission):
    assert _call(submission, "batches_of", 6, 3) == [[0, 1, 2], [3, 4, 5]]
    assert _call(submission, "batches_of", 1, 5) == [[0]]
    assert _call(submission, "batches_of", 0, 2) == [], "an empty input gives no batches"


def test_batched_keeps_the_last_partial_batch(submission):
    result = _call(submission, "batches_of", 7, 3)
    assert result == [[0, 1, 2], [3, 4, 5], [6]], f"the last, shorter batch must be kept: {result}"


def test_batched_rejects_bad_sizes(submission):
    for size in (0, -2):
        try:
            result = submission.call("batches_of", 5, size)
        except LearnerError as exc:
            assert "ValueError" in exc.types, f"size {size}: expected ValueError, got {exc.type}"
            continue
        raise AssertionError(f"size {size} must raise ValueError, got {result!r}")
