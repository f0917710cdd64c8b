"""``mode: tests`` implementations, compiled so that their text cannot be recognised.

The reference implementation is public (it is in the section's notebook), so a learner
test that recognised its text could pass on it and fail on every broken one without
testing anything.  The runner therefore never sends source to the child: it compiles
each implementation itself and sends the marshalled code, which the child imports
from memory (no file, no ``inspect.getsource``, no line cache).  Before compiling it
strips docstrings, puts every statement on line 1 and salts every function and the
module with randomly placed, randomly valued local assignments, fresh for each child,
so that neither the code objects' bytes nor their constants match a copy compiled
from the public text.  Behaviour is unchanged.
"""

from __future__ import annotations

import ast
import base64
import marshal
import random

FILENAME = "<app_under_test>"


def compiled(source: str, rng: random.Random | None = None) -> str:
    """The disguised implementation as base64 of its marshalled module code object."""
    rng = rng or random.SystemRandom()
    tree = ast.parse(source, FILENAME)
    _strip_docstrings(tree)
    _salt_module(tree, rng)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _salt_function(node, rng)
    _flatten_lines(tree)
    code = compile(tree, FILENAME, "exec", dont_inherit=True)
    return base64.b64encode(marshal.dumps(code)).decode("ascii")


def load(data: str) -> object:
    """The code object sent by :func:`compiled` (in the child)."""
    return marshal.loads(base64.b64decode(data))  # noqa: S302 - from the runner, trusted


def _strip_docstrings(tree: ast.Module) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body = node.body
        first = body[0] if body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]


def _salt_name(rng: random.Random) -> str:
    return f"_salt_{rng.getrandbits(48):012x}"


def _salt_value(rng: random.Random) -> ast.expr:
    return ast.Constant(rng.getrandbits(62))


def _insert(
    body: list[ast.stmt], start: int, statements: list[ast.stmt], rng: random.Random
) -> None:
    position = rng.randint(start, len(body))
    body[position:position] = statements


def _salt_function(node: ast.FunctionDef | ast.AsyncFunctionDef, rng: random.Random) -> None:
    """One to three assignments to unused locals, at random places in the body."""
    for _ in range(rng.randint(1, 3)):
        target = ast.Name(_salt_name(rng), ast.Store())
        _insert(node.body, 0, [ast.Assign([target], _salt_value(rng))], rng)


def _salt_module(tree: ast.Module, rng: random.Random) -> None:
    """Assigned then deleted, at random places after ``from __future__`` imports."""
    start = 0
    while (
        start < len(tree.body)
        and isinstance(tree.body[start], ast.ImportFrom)
        and getattr(tree.body[start], "module", None) == "__future__"
    ):
        start += 1
    for _ in range(rng.randint(1, 3)):
        name = _salt_name(rng)
        pair: list[ast.stmt] = [
            ast.Assign([ast.Name(name, ast.Store())], _salt_value(rng)),
            ast.Delete([ast.Name(name, ast.Del())]),
        ]
        _insert(tree.body, start, pair, rng)


def _flatten_lines(tree: ast.Module) -> None:
    """Every node on line 1, column 0: the line table tells nothing about the text."""
    for node in ast.walk(tree):
        for attr in ("lineno", "end_lineno"):
            if attr in node._attributes:
                setattr(node, attr, 1)
        for attr in ("col_offset", "end_col_offset"):
            if attr in node._attributes:
                setattr(node, attr, 0)
