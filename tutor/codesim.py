"""Is a piece of code the reference solution in disguise?  Names and layout normalised away.

Code is reduced to a token stream in which docstrings, comments, blank lines and layout
are gone and every name the code defines (functions, classes, parameters, variables) is
replaced by its order of first appearance (``v0``, ``v1`` ...); attributes, imported
modules and built-ins keep their names, since renaming those would make unrelated code
look alike.  Two pieces are compared definition by definition: a reply that reproduces
any non-trivial function or class of the reference is a near-copy, whatever it is called.
Text that is not valid Python (pseudocode, fragments) is compared by the same rule on a
plain tokenisation.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

TOKEN = re.compile(r"[A-Za-z_]\w*|\d+|\S")
BUILTINS = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | {"self", "cls"}
MIN_TOKENS = 24
"""A definition shorter than this is too small to give a solution away on its own."""
NEAR = 0.85
"""Token similarity from which two definitions count as the same code."""


@dataclass(frozen=True)
class Unit:
    """One top-level definition (or the module's loose statements) as normalised tokens."""

    name: str
    tokens: tuple[str, ...]


def strip_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        first = node.body[0] if node.body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            node.body = node.body[1:] or [ast.Pass()]


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


class _Renamer(ast.NodeTransformer):
    def __init__(self, keep: set[str]) -> None:
        self.keep = keep
        self.names: dict[str, str] = {}

    def _new(self, name: str) -> str:
        if name in self.keep or name in BUILTINS:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        node.id = self._new(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        node.arg = self._new(node.arg)
        node.annotation = None
        return node

    def _rename_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        node.name = self._new(node.name)
        self.generic_visit(node)
        return node

    visit_FunctionDef = _rename_def
    visit_AsyncFunctionDef = _rename_def
    visit_ClassDef = _rename_def


def _plain_tokens(text: str) -> tuple[str, ...]:
    names: dict[str, str] = {}
    out = []
    for tok in TOKEN.findall(re.sub(r"#[^\n]*", "", text)):
        if tok[0].isalpha() or tok[0] == "_":
            tok = tok if tok in BUILTINS else names.setdefault(tok, f"v{len(names)}")
        out.append(tok)
    return tuple(out)


@lru_cache(maxsize=256)
def units(source: str) -> tuple[Unit, ...]:
    """The code's top-level definitions (and its loose statements, as one unit).

    Cached: a reference solution and a starter are normalised once, not per reply."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return (Unit("<text>", _plain_tokens(source)),)
    strip_docstrings(tree)
    keep = _imported(tree)
    out: list[Unit] = []
    loose: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = node.name
            renamed = _Renamer(keep).visit(node)
            out.append(Unit(name, tuple(TOKEN.findall(ast.unparse(renamed)))))
        else:
            loose.append(node)
    if loose:
        module = _Renamer(keep).visit(ast.Module(body=loose, type_ignores=[]))
        out.append(Unit("<module>", tuple(TOKEN.findall(ast.unparse(module)))))
    return tuple(out)


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How alike two token streams are; a fragment of plain text counts by how much of
    ``a`` it contains (it may hold other words around the code)."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if len(b) > 2 * len(a):
        return sum(m.size for m in matcher.get_matching_blocks()) / len(a)
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return matcher.quick_ratio()  # an upper bound, already below what counts
    return matcher.ratio()


def _closest(ref: Unit, pool: tuple[Unit, ...]) -> float:
    return max((similarity(ref.tokens, unit.tokens) for unit in pool), default=0.0)


def reproduces(
    candidate: str, reference: str, *, baseline: str | tuple[str, ...] = ""
) -> str | None:
    """The name of a non-trivial reference definition that ``candidate`` reproduces, if any.

    ``baseline`` is what the learner already has (one source, or several: the starter and
    the learner's code, each normalised on its own): a candidate that is no closer to the
    reference than the learner's own code (quoting it back, say) reveals nothing.
    """
    sources = (baseline,) if isinstance(baseline, str) else baseline
    theirs = units(candidate)
    already = tuple(unit for source in sources if source for unit in units(source))
    for ref in units(reference):
        if len(ref.tokens) < MIN_TOKENS:
            continue
        near = _closest(ref, theirs)
        if near >= NEAR and near > _closest(ref, already) + 0.02:
            return ref.name
    return None


WORD = re.compile(r"[A-Za-z_]\w*|\d+")
TRANSCRIBED = 0.8
"""Share of a definition's words, in order, from which prose is a transcription of it."""


@lru_cache(maxsize=256)
def _definition_words(source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return ()
    strip_docstrings(tree)
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    found = [
        (n.name, tuple(WORD.findall(ast.unparse(n)))) for n in tree.body if isinstance(n, defs)
    ]
    loose = [n for n in tree.body if not isinstance(n, (*defs, ast.Import, ast.ImportFrom))]
    if loose:
        module = ast.Module(body=loose, type_ignores=[])
        found.append(("its module-level code", tuple(WORD.findall(ast.unparse(module)))))
    return tuple(found)


def _covered(words: tuple[str, ...], text: tuple[str, ...]) -> float:
    matcher = SequenceMatcher(None, words, text, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks()) / len(words)


def transcribes(text: str, reference: str, *, baseline: str = "") -> str | None:
    """A non-trivial reference definition whose words ``text`` repeats in order (pseudocode,
    a line-by-line "explanation"), unless the learner's code already holds as many."""
    said = tuple(WORD.findall(text))
    have = tuple(WORD.findall(baseline))
    for name, words in _definition_words(reference):
        if len(words) < MIN_TOKENS:
            continue
        share = _covered(words, said)
        if share >= TRANSCRIBED and share > _covered(words, have) + 0.02:
            return name
    return None
