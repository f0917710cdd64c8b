"""The solution guard: a model's reply about an exercise is checked before a learner sees it.

The model is told never to write the solution; the guard makes sure, outside the model.
Every piece of code in a reply is checked two ways:

- **run against the exercise's own checks** in the sandbox: the reply's code alone, all the
  code the tutor has shown for this exercise so far joined together (a solution spread
  over several blocks or turns), and the learner's code with the reply's definitions
  put in place of theirs (the "fix my almost-complete code" leak).  Code that passes is a
  solution, whatever it looks like.
- **compared with the reference solution** after names and layout are normalised
  (:mod:`tutor.codesim`): a non-trivial function or class of the reference, renamed or
  reformatted, is a near-copy even when it would not pass on its own.
- **compared with the lines the learner is missing** (the reference less the starter and
  the learner's code, :mod:`tutor.missing`), in any notation: pseudocode or prose that
  spells out most of them is the answer in other words.

What it does not catch is written in docs/tutor-engine.md ("The solution guard").
"""

from __future__ import annotations

import ast
import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from curriculum.model import CodeExercise, source_text
from exercises.verdict import Verdict
from tutor.codesim import reproduces, transcribes
from tutor.missing import gives_missing_lines, is_quote, without_quotes

Grade = Callable[[CodeExercise, str], Awaitable[Verdict]]
"""Grades a source against an exercise's checks in the sandbox."""

FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
CODE_LINE = re.compile(
    r"^(\s+\S|(async\s+)?def\s|class\s|import\s|from\s\S+\simport|return\b|if\s|elif\s|else:|"
    r"for\s|while\s|try:|except\b|with\s|raise\b|@\w|[\w.\[\]]+\s*[+\-*/]?=[^=]|\w[\w.]*\()"
)
MAX_CANDIDATES = 6

Reason = Literal["passes_checks", "near_reference", "missing_lines"]


@dataclass(frozen=True)
class GuardResult:
    """What the guard decided about one reply."""

    allowed: bool
    reason: Reason | None = None
    detail: str = ""
    blocks: int = 0
    seconds: float = 0.0


def code_like(line: str) -> bool:
    return bool(CODE_LINE.match(line)) or line.lstrip().startswith(('"', "'", "#"))


def code_blocks(text: str) -> list[str]:
    """Every fenced block, plus runs of two or more code-like lines outside the fences.

    A run goes on across blank lines while the next line is code-like again, so code
    pasted without fences (blank lines between functions, docstrings) is one block."""
    blocks = [m.group(2) for m in FENCE.finditer(text)]
    run: list[str] = []
    for line in [*FENCE.sub("\n", text).splitlines(), "."]:
        if code_like(line) or (run and not line.strip()):
            run.append(line)
            continue
        if sum(1 for ln in run if ln.strip()) >= 2:
            blocks.append("\n".join(run).strip("\n") + "\n")
        run = []
    return [b for b in blocks if b.strip()]


def _definitions(source: str) -> dict[str, ast.stmt] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def merge_into(learner: str, code: str) -> str | None:
    """The learner's code with each definition of ``code`` in place of theirs (or added)."""
    theirs = _definitions(code)
    try:
        tree = ast.parse(learner)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    if not theirs:
        return None
    body: list[ast.stmt] = []
    for node in tree.body:
        name = getattr(node, "name", None)
        body.append(theirs.pop(name) if isinstance(name, str) and name in theirs else node)
    body.extend(theirs.values())
    return ast.unparse(ast.Module(body=body, type_ignores=[]))


def _compiles(source: str) -> bool:
    try:
        compile(source, "<reply>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def candidates(blocks: Sequence[str], earlier: Sequence[str], learner: str) -> list[str]:
    """The programs worth running: the reply's code, all code so far, merged with the learner's."""
    joined = "\n\n".join(blocks)
    everything = "\n\n".join([*earlier, *blocks])
    found: list[str] = []
    for source in (
        joined,
        everything,
        merge_into(learner, joined),
        merge_into(learner, everything),
        *blocks,
    ):
        if source and source not in found and _compiles(source):
            found.append(source)
    return found[:MAX_CANDIDATES]


class SolutionGuard:
    """Decides whether a reply about ``exercise`` may reach the learner."""

    def __init__(self, grade: Grade) -> None:
        self._grade = grade

    async def check(
        self,
        reply: str,
        *,
        exercise: CodeExercise,
        learner_source: str,
        earlier_blocks: Sequence[str] = (),
    ) -> GuardResult:
        started = time.perf_counter()
        blocks = code_blocks(reply)
        reference = source_text(exercise.solution)
        starter = source_text(exercise.starter)
        baseline = f"{starter}\n\n{learner_source}"
        name = _near_copy(reply, blocks, earlier_blocks, reference, (starter, learner_source))
        if name is not None:
            return self._held(
                "near_reference", f"reproduces the reference's {name}", blocks, started
            )
        spelled = gives_missing_lines(reply, reference, baseline)
        if spelled is not None:
            detail = f"spells out {spelled.lines} of the lines the learner is missing"
            return self._held("missing_lines", detail, blocks, started)
        if not blocks:
            return GuardResult(allowed=True, seconds=_since(started))
        runs = candidates(blocks, earlier_blocks, learner_source)
        verdicts = await asyncio.gather(*(self._grade(exercise, src) for src in runs))
        if any(v.passed for v in verdicts):
            return self._held("passes_checks", "passes every check", blocks, started)
        return GuardResult(allowed=True, blocks=len(blocks), seconds=_since(started))

    @staticmethod
    def _held(reason: Reason, detail: str, blocks: list[str], started: float) -> GuardResult:
        return GuardResult(
            allowed=False,
            reason=reason,
            detail=detail,
            blocks=len(blocks),
            seconds=_since(started),
        )


def _near_copy(
    reply: str,
    blocks: list[str],
    earlier: Sequence[str],
    reference: str,
    has: tuple[str, str],
) -> str | None:
    """A reference definition the reply reproduces: in its code, or transcribed in prose.

    ``has`` is what the learner has: the starter and their code.  All the code shown so
    far is compared joined (its imports tell the names apart), and each block on its own
    except those quoting a run of the learner's own lines: quoting the learner's code
    back reveals nothing."""
    baseline = "\n\n".join(has)
    shown = [b for b in blocks if not is_quote(b, baseline)]
    for code in ("\n\n".join([*earlier, *blocks]), *shown):
        name = reproduces(code, reference, baseline=has)
        if name is not None:
            return name
    return transcribes(without_quotes(reply, blocks, baseline), reference, baseline=baseline)


def _since(started: float) -> float:
    return time.perf_counter() - started
