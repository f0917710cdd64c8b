import ast

MUTABLE_CALLS = {"list", "dict", "set"}


def _tree(submission):
    return ast.parse(submission.source)


def test_add_tag_does_not_leak_between_calls(submission):
    first = submission.call("add_tag", "python")
    second = submission.call("add_tag", "fastapi")
    assert first == ["python"]
    assert second == ["fastapi"], (
        f"the second call returned {second}: the default list is shared between calls "
        "(ruff B006, mutable default argument)"
    )


def test_add_tag_extends_a_given_list(submission):
    assert submission.call("add_tag", "b", ["a"]) == ["a", "b"]


def test_parse_limit(submission):
    assert submission.call("parse_limit", "25") == 25
    assert submission.call("parse_limit", "lots") == 10


def test_describe(submission):
    assert submission.call("describe", None) == "anonymous"
    assert submission.call("describe", "ada") == '{"owner": "ada"}'


def test_no_mutable_default_arguments(submission):
    for fn in ast.walk(_tree(submission)):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for default in [*fn.args.defaults, *fn.args.kw_defaults]:
                mutable = isinstance(default, ast.List | ast.Dict | ast.Set) or (
                    isinstance(default, ast.Call)
                    and isinstance(default.func, ast.Name)
                    and default.func.id in MUTABLE_CALLS
                )
                assert not mutable, f"{fn.name}(): a mutable default argument (B006); use None"


def test_no_bare_or_blanket_except(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.ExceptHandler):
            assert node.type is not None, "a bare `except:` also catches KeyboardInterrupt (E722)"
            caught = ast.unparse(node.type)
            assert caught not in ("Exception", "BaseException"), (
                f"`except {caught}` hides real bugs: catch the error int() raises (ValueError)"
            )


def test_none_compared_with_is(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators):
                if isinstance(right, ast.Constant) and right.value is None:
                    assert isinstance(op, ast.Is | ast.IsNot), "compare with None using `is` (E711)"


def test_no_unused_imports(submission):
    tree = _tree(submission)
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                imported[(alias.asname or alias.name).split(".")[0]] = alias.name
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    unused = sorted(name for name in imported if name not in used)
    assert not unused, f"unused import(s): {', '.join(unused)} (F401)"
