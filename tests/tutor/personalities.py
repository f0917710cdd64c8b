"""Model personalities for the fake OpenAI server: how tutoring models behave when asked
for help on an exercise, from well-behaved to every way of leaking the solution.

Each personality is a function of the exercise (whose reference solution the fake model
"knows", as a real model may) and the request body; ``FakeOpenAI.respond`` serves it.
``leaks`` says whether a reply was meant to give the solution away, so an evaluation can
count leaks by ground truth rather than by the guard's own judgement.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from curriculum.model import CodeExercise, source_text

LEARNER_CODE = re.compile(r"<learner>\n```python\n(.*?)\n```\n</learner>", re.S)


def learner_code(body: dict[str, Any]) -> str:
    """The learner's code as the help prompt carries it ("" if absent)."""
    for message in body.get("messages", []):
        found = LEARNER_CODE.search(str(message.get("content", "")))
        if found:
            return found.group(1)
    return ""


def _definitions(source: str) -> list[str]:
    tree = ast.parse(source)
    defs = [
        n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    return [ast.get_source_segment(source, n) or "" for n in defs]


def _imports(source: str) -> str:
    tree = ast.parse(source)
    return "\n".join(
        ast.get_source_segment(source, n) or ""
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
    )


class _LocalRenamer(ast.NodeTransformer):
    """Renames parameters and local variables inside functions (public names stay)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        local = {a.arg for a in node.args.args if a.arg not in ("self", "cls")}
        local |= {
            n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        names = {name: f"{name[0]}_{i}" for i, name in enumerate(sorted(local))}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in names:
                sub.id = names[sub.id]
            elif isinstance(sub, ast.arg) and sub.arg in names:
                sub.arg = names[sub.arg]
        return node


def renamed(source: str) -> str:
    tree = _LocalRenamer().visit(ast.parse(source))
    return ast.unparse(tree)


def fence(code: str) -> str:
    return f"```python\n{code.strip()}\n```"


@dataclass
class Personality:
    """A fake model's behaviour; ``leaks`` counts the replies meant to give the answer."""

    name: str
    reply: Callable[[CodeExercise, dict[str, Any], int], str]
    leaky: bool
    turns: dict[str, int] = field(default_factory=dict)

    def respond(self, exercise: CodeExercise) -> Callable[[dict[str, Any]], str]:
        def serve(body: dict[str, Any]) -> str:
            turn = self.turns.get(exercise.id, 0)
            self.turns[exercise.id] = turn + 1
            return self.reply(exercise, body, turn)

        return serve


def _well_behaved(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    code = learner_code(body)
    first = next((ln for ln in code.splitlines() if ln.strip().startswith("def ")), "")
    quoted = f"\n\nYou wrote:\n\n{fence(first)}\n" if first else ""
    return (
        f"Look at what the failing check expects and compare it with what your code "
        f"returns for that input. Which branch of your code runs for it?{quoted}\n"
        "Here is the general idea with unrelated data:\n\n"
        + fence("ages = {'ann': 31}\nprint(ages.get('bob', 0))  # a default instead of a KeyError")
        + "\n\nTry printing the intermediate value first."
    )


def _missing_lines(exercise: CodeExercise, learner: str) -> list[str]:
    """The reference's lines the learner has yet to write (docstrings and comments aside)."""
    given = {ln.strip() for ln in f"{source_text(exercise.starter)}\n{learner}".splitlines()}
    lines = [ln.strip() for ln in source_text(exercise.solution).splitlines()]
    return [ln for ln in lines if ln and ln not in given and not ln.startswith(('"', "'", "#"))]


def _one_line_change(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    """A "what to change" hint as the ladder allows it: the learner's own code quoted back,
    and one line of the change, never more than a third of the lines still missing."""
    code = learner_code(body)
    lines = code.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("def ")), 0)
    quoted = "\n".join(lines[start : start + 4])
    missing = _missing_lines(exercise, code)
    change = (
        f"One change to start with:\n\n{fence(missing[len(missing) // 2])}\n\n"
        if len(missing) >= 3
        else ""
    )
    return (
        f"Look at this part of your code:\n\n{fence(quoted)}\n\n"
        "The failing check expects something else from it. "
        f"{change}Then run the checks again and read what they say next."
    )


def _verbatim(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    return "Sure, here is the complete solution:\n\n" + fence(source_text(exercise.solution))


def _renamed(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    return "Here's one way to write it:\n\n" + fence(renamed(source_text(exercise.solution)))


def _split_blocks(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    solution = source_text(exercise.solution)
    parts = [_imports(solution), *_definitions(solution)]
    return "Step by step:\n\n" + "\n\nthen\n\n".join(fence(p) for p in parts if p.strip())


def _split_turns(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    solution = source_text(exercise.solution)
    parts = [_imports(solution), *_definitions(solution)]
    half = max(1, len(parts) // 2)
    shown = parts[:half] if turn % 2 == 0 else parts[half:]
    return "Here is the next part:\n\n" + "\n\n".join(fence(p) for p in shown if p.strip())


def _unfenced(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    return "Just write this:\n\n" + source_text(exercise.solution)


def _fix_their_code(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    solution = source_text(exercise.solution)
    theirs = learner_code(body)
    differing = [d for d in _definitions(solution) if d not in theirs]
    if not differing:  # the mistake is outside any definition: hand back the whole program
        return "Here is your code, fixed:\n\n" + fence(solution)
    return "Only this part needs changing:\n\n" + "\n\n".join(fence(d) for d in differing)


def _pseudocode(exercise: CodeExercise, body: dict[str, Any], turn: int) -> str:
    """The lines the learner must write (the solution's, less the starter's) as steps."""
    given = {ln.strip() for ln in source_text(exercise.starter).splitlines()}
    given |= {ln.strip() for ln in learner_code(body).splitlines()}
    lines = [ln.strip() for ln in source_text(exercise.solution).splitlines()]
    lines = [ln for ln in lines if ln and ln not in given]
    steps = [
        f"{i}. {ln.replace('def ', 'define ').replace(':', '')}" for i, ln in enumerate(lines, 1)
    ]
    return "In plain steps:\n\n" + "\n".join(steps)


PERSONALITIES: dict[str, Personality] = {
    p.name: p
    for p in (
        Personality("well-behaved", _well_behaved, leaky=False),
        Personality("one-line-change", _one_line_change, leaky=False),
        Personality("leaky-verbatim", _verbatim, leaky=True),
        Personality("leaky-renamed", _renamed, leaky=True),
        Personality("leaky-split-blocks", _split_blocks, leaky=True),
        Personality("leaky-split-turns", _split_turns, leaky=True),
        Personality("leaky-unfenced", _unfenced, leaky=True),
        Personality("leaky-fix-their-code", _fix_their_code, leaky=True),
        Personality("pseudocode", _pseudocode, leaky=True),
    )
}
