import ast
import re

USERS = [
    {"name": "ada", "active": True},
    {"name": "", "active": True},
    {"name": "bob", "active": False},
    {"name": "x" * 40, "active": True},
    {"active": True},
    {"name": "cy", "active": "yes"},
]


def _tree(submission):
    return ast.parse(submission.source)


def test_same_results(submission):
    got = submission.call("active_user_names", USERS)
    assert got == ["ada", "x" * 30], f"active users with a name, cut to 30 characters: {got}"
    assert submission.call("numbered", ["a", "b", "c"]) == ["1. a", "2. b", "3. c"]
    assert submission.call("numbered", ["a", "b"], 0) == ["0. a", "1. b"]
    assert submission.call("numbered", []) == []


def test_no_shared_default_list(submission):
    first = submission.call("active_user_names", USERS)
    second = submission.call("active_user_names", USERS)
    assert first == second == ["ada", "x" * 30], (
        f"a second call returned {second}: a mutable default argument is shared between calls"
    )


def test_names_are_snake_case(submission):
    bad = []
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.FunctionDef):
            names = [node.name] + [a.arg for a in node.args.args + node.args.kwonlyargs]
            bad += [n for n in names if not re.fullmatch(r"_?[a-z][a-z0-9_]*", n)]
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if not re.fullmatch(r"_?[a-z][a-z0-9_]*|[A-Z][A-Z0-9_]*", node.id):
                bad.append(node.id)
    assert not bad, f"use snake_case for functions, parameters and variables: {sorted(set(bad))}"


def test_iterates_directly(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "range":
            inner = node.args[-1] if node.args else None
            if isinstance(inner, ast.Call) and getattr(inner.func, "id", "") == "len":
                raise AssertionError(
                    f"line {node.lineno}: iterate directly (or with enumerate) instead of "
                    "range(len(...))"
                )


def test_no_comparisons_to_singletons(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, ast.Eq | ast.NotEq) and isinstance(right, ast.Constant):
                    if right.value is None or isinstance(right.value, bool):
                        raise AssertionError(
                            f"line {node.lineno}: compare with `is`/`is not` or use truthiness, "
                            f"not `== {right.value!r}`"
                        )


def test_no_mutable_defaults(submission):
    for node in ast.walk(_tree(submission)):
        if isinstance(node, ast.FunctionDef):
            for default in node.args.defaults + node.args.kw_defaults:
                if isinstance(default, ast.List | ast.Dict | ast.Set):
                    raise AssertionError(f"{node.name}: a mutable default argument is created once and shared")
