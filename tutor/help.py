"""Help on a code exercise: grade the learner's code, then the next rung of the hint ladder.

``help_with`` is the whole operation, for the terminal (``tutor hint``) and the web app:

1. the learner's code is graded first, so the hint speaks to what the checks say now;
2. authored hints come first, one per request, and need no model;
3. then the model is asked for a hint at the next depth (:mod:`tutor.hints`), and its reply
   goes through the solution guard (:mod:`tutor.guard`) before anyone sees it; a reply that
   would solve the exercise is asked for once more with a stricter instruction, and if that
   one fails too the learner gets an authored hint (or the failing checks) and a plain note.

The caller keeps the learner's level (how many times they asked) and the code blocks shown
so far for the exercise, and stores ``level + 1`` after a hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from curriculum.model import CodeExercise, Course
from exercises.verdict import Verdict
from tutor.backends.base import Backend, ExerciseHelp, ModelRequest
from tutor.calls import GuardOutcome
from tutor.events import Delta, ErrorEvent, Usage
from tutor.guard import Grade, GuardResult, SolutionGuard, code_blocks
from tutor.hints import AuthoredHint, failing_in_words, help_messages, rung

HelpKind = Literal["passed", "authored", "model", "withheld", "no_model", "error"]

WITHHELD_NOTE = (
    "_The tutor's answer contained code that would solve the exercise, so it was held "
    "back: working it out yourself is the point of the exercise._"
)


@dataclass(frozen=True)
class HelpReply:
    """One answer to "help": what to show and what happened on the way."""

    kind: HelpKind
    text: str
    level: int
    verdict: Verdict
    guard: tuple[GuardResult, ...] = ()
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    shown_blocks: tuple[str, ...] = ()


@dataclass(frozen=True)
class HelpRequest:
    course: Course
    exercise: CodeExercise
    source: str
    level: int = 0
    question: str = ""
    given: Sequence[str] = ()
    earlier_blocks: Sequence[str] = ()


def _checks_text(verdict: Verdict) -> str:
    lines = failing_in_words(verdict.checks)
    return "What the checks say now:\n" + "\n".join(lines) if lines else ""


def _no_model(req: HelpRequest, verdict: Verdict) -> str:
    count = len(req.exercise.hints)
    seen = f"You have seen all {count} hints for this exercise. " if count else ""
    return (
        f"{seen}More hints come from the AI tutor, which is not switched on here: ask your "
        f"instructor, or look again at what the checks say.\n\n{_checks_text(verdict)}"
    ).strip()


def _fallback(req: HelpRequest, verdict: Verdict) -> str:
    hints = req.exercise.hints
    hint = f"Hint: {hints[min(req.level, len(hints) - 1)]}" if hints else _checks_text(verdict)
    return f"{hint}\n\n{WITHHELD_NOTE}"


@dataclass
class _Call:
    text: str = ""
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


async def _complete(backend: Backend, request: ModelRequest) -> _Call:
    call = _Call()
    parts: list[str] = []
    async for event in backend.stream(request):
        if isinstance(event, Delta):
            parts.append(event.text)
        elif isinstance(event, Usage):
            call.prompt_tokens += event.prompt_tokens
            call.completion_tokens += event.completion_tokens
        elif isinstance(event, ErrorEvent):
            call.error = event.message
    call.text = "".join(parts).strip()
    return call


async def help_with(
    req: HelpRequest, *, grade: Grade, backend: Backend, max_tokens: int
) -> HelpReply:
    """Grade ``req.source``, then give the next rung of help (see the module's docstring)."""
    verdict = await grade(req.exercise, req.source)
    if verdict.passed:
        text = "Every check passes already: there is nothing to fix. Well done!"
        return HelpReply(kind="passed", text=text, level=req.level, verdict=verdict)
    step = rung(req.exercise, req.level)
    if isinstance(step, AuthoredHint):
        text = f"Hint {step.number} of {step.of}: {step.text}"
        return HelpReply(kind="authored", text=text, level=req.level, verdict=verdict)
    if not backend.generates:
        return HelpReply(
            kind="no_model", text=_no_model(req, verdict), level=req.level, verdict=verdict
        )
    return await _ask_model(
        req, verdict, step.depth, grade=grade, backend=backend, max_tokens=max_tokens
    )


async def _ask_model(
    req: HelpRequest,
    verdict: Verdict,
    depth: Literal["nudge", "where", "change"],
    *,
    grade: Grade,
    backend: Backend,
    max_tokens: int,
) -> HelpReply:
    guard = SolutionGuard(grade)
    results: list[GuardResult] = []
    calls: list[_Call] = []
    for strict in (False, True):
        messages = help_messages(
            course=req.course,
            exercise=req.exercise,
            learner_source=req.source,
            checks=verdict.checks,
            given=req.given,
            depth=depth,
            question=req.question,
            strict=strict,
        )
        task = ExerciseHelp(exercise_id=req.exercise.id)
        call = await _complete(backend, ModelRequest(messages, max_tokens, task, req.course))
        calls.append(call)
        if call.error is not None:
            return _reply(req, verdict, "error", call.error, results, calls)
        result = await guard.check(
            call.text,
            exercise=req.exercise,
            learner_source=req.source,
            earlier_blocks=req.earlier_blocks,
        )
        results.append(result)
        if result.allowed:
            blocks = tuple(code_blocks(call.text))
            return _reply(req, verdict, "model", call.text, results, calls, blocks)
    return _reply(req, verdict, "withheld", _fallback(req, verdict), results, calls)


def _reply(
    req: HelpRequest,
    verdict: Verdict,
    kind: HelpKind,
    text: str,
    results: list[GuardResult],
    calls: list[_Call],
    blocks: tuple[str, ...] = (),
) -> HelpReply:
    return HelpReply(
        kind=kind,
        text=text,
        level=req.level,
        verdict=verdict,
        guard=tuple(results),
        model_calls=len(calls),
        prompt_tokens=sum(c.prompt_tokens for c in calls),
        completion_tokens=sum(c.completion_tokens for c in calls),
        shown_blocks=blocks,
    )


def call_outcomes(reply: HelpReply) -> list[tuple[GuardOutcome, str]]:
    """For each model call ``reply`` took, in order: what the guard made of it and the text
    the learner was shown for it ("" for a reply held back and asked for again)."""
    outcomes: list[tuple[GuardOutcome, str]] = []
    for index in range(reply.model_calls):
        last = index == reply.model_calls - 1
        result = reply.guard[index] if index < len(reply.guard) else None
        if result is None:  # the call failed: the learner saw the error message
            outcomes.append(("not_applicable", reply.text))
        elif result.allowed:
            outcomes.append(("passed", reply.text))
        elif last and reply.kind == "withheld":
            outcomes.append(("replaced", reply.text))
        else:
            outcomes.append(("held_retried", ""))
    return outcomes
