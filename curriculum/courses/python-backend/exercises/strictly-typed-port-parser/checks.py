import ast
import re

from exercises.sandbox.submission import LearnerError


def _functions(source):
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _expect_value_error(submission, *args):
    try:
        submission.call("parse_port", *args)
    except LearnerError as exc:
        assert "ValueError" in exc.types, f"parse_port{args} should raise ValueError, not {exc.type}"
    else:
        raise AssertionError(f"parse_port{args} should raise ValueError")


def test_unset_variable_gives_default(submission):
    assert submission.call("parse_port", None) == 8000, "parse_port(None) must return 8000"
    assert submission.call("parse_port", None, 9000) == 9000, "the default is a parameter"


def test_parses_and_strips_whitespace(submission):
    assert submission.call("parse_port", " 8080 ") == 8080


def test_rejects_text(submission):
    _expect_value_error(submission, "http")


def test_rejects_out_of_range_ports(submission):
    _expect_value_error(submission, "0")
    _expect_value_error(submission, "65536")
    assert submission.call("parse_port", "65535") == 65535, "65535 is a valid port"


def test_every_function_is_fully_annotated(submission):
    for fn in _functions(submission.source):
        args = fn.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        params += [a for a in (args.vararg, args.kwarg) if a is not None]
        missing = [a.arg for a in params if a.annotation is None and a.arg not in ("self", "cls")]
        assert not missing, f"{fn.name}(): annotate parameter(s) {', '.join(missing)}"
        assert fn.returns is not None, f"{fn.name}(): add a return annotation (-> int)"


def test_optional_parameter_is_marked_optional(submission):
    fn = next((f for f in _functions(submission.source) if f.name == "parse_port"), None)
    assert fn is not None, "define a function parse_port"
    first = fn.args.args[0] if fn.args.args else None
    assert first is not None and first.annotation is not None, "annotate parse_port's first parameter"
    text = ast.unparse(first.annotation)
    assert "None" in text or "Optional" in text, (
        f"`{first.arg}: {text}` does not allow None, but parse_port(None) is a valid call: "
        "mypy --strict rejects implicit Optional; write `str | None`"
    )


def test_no_escape_hatches(submission):
    assert not re.search(r"#\s*type:\s*ignore", submission.source), (
        "remove `# type: ignore`: fix the type instead of silencing mypy"
    )
    names = {n.id for n in ast.walk(ast.parse(submission.source)) if isinstance(n, ast.Name)}
    assert "Any" not in names, "avoid `Any`: it switches type checking off for that value"
