"""Every model call, metered and recorded: one record per call, for instructors to read.

:class:`MeteredBackend` is the backend as one learner's operation sees it: before each
call the limits are checked and the call counted (:class:`tutor.limits.Limiter`), during
it the tokens are added to the learner's budget, and after it the call's figures (prompt
hash, tokens, latency, the model's text) are kept in ``calls``.  The engine
(:class:`tutor.engine.Tutor`) then writes one :class:`ModelCall` per call to its
:class:`CallLog`, with what the guard decided and the text the learner was shown.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Literal, Protocol

from tutor.backends.base import Backend, ModelRequest
from tutor.events import BackendEvent, Delta, ErrorEvent, Usage
from tutor.limits import Limiter
from tutor.prompt import ChatMessage

GuardOutcome = Literal["passed", "held_retried", "replaced", "not_applicable"]
"""``passed``: the guard let the reply through; ``held_retried``: held back, the model was
asked again; ``replaced``: held back and the learner got an authored hint instead;
``not_applicable``: not about an exercise (lessons, answers) or the call failed."""

TargetKind = Literal["point", "exercise"]


@dataclass(frozen=True)
class ModelCall:
    """One model call as recorded: who, where, what it cost, what the learner saw."""

    learner: str
    course_id: str
    target_kind: TargetKind
    target_id: str
    question: str
    model: str
    prompt_hash: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    guard: GuardOutcome
    reply: str


class CallLog(Protocol):
    """Where model calls are recorded (memory here; the web app uses its database)."""

    async def record(self, call: ModelCall) -> None: ...


class MemoryCallLog:
    def __init__(self) -> None:
        self.calls: list[ModelCall] = []

    async def record(self, call: ModelCall) -> None:
        self.calls.append(call)


def prompt_hash(messages: Sequence[ChatMessage]) -> str:
    """SHA-256 of the messages exactly as sent (roles and contents), hex."""
    payload = json.dumps([[m.role, m.content] for m in messages], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class CallFigures:
    """What one call cost and said (filled in while it streams)."""

    prompt_hash: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    text: str = ""
    failed: bool = False
    parts: list[str] = field(default_factory=list)


class MeteredBackend:
    """``backend`` for one learner in one course: limits checked, figures kept per call."""

    def __init__(self, backend: Backend, limiter: Limiter, *, learner: str, course_id: str):
        self._backend = backend
        self._limiter = limiter
        self._learner = learner
        self._course_id = course_id
        self.calls: list[CallFigures] = []

    @property
    def model(self) -> str:
        return self._backend.model

    @property
    def generates(self) -> bool:
        return self._backend.generates

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        call: int | None = None
        if self.generates:
            refused = await self._limiter.check(self._learner)
            if refused:
                yield ErrorEvent(code="limit", message=refused)
                return
            call = await self._limiter.record_call(self._learner, course_id=self._course_id)
            figures = CallFigures(prompt_hash=prompt_hash(request.messages))
            self.calls.append(figures)
        else:
            figures = CallFigures(prompt_hash="")
        started = time.perf_counter()
        try:
            async with aclosing(self._backend.stream(request)) as events:
                async for ev in events:
                    if isinstance(ev, Delta):
                        figures.parts.append(ev.text)
                    elif isinstance(ev, Usage):
                        figures.prompt_tokens += ev.prompt_tokens
                        figures.completion_tokens += ev.completion_tokens
                        if call is not None:
                            await self._limiter.record_tokens(
                                self._learner,
                                call,
                                prompt=ev.prompt_tokens,
                                completion=ev.completion_tokens,
                            )
                    elif isinstance(ev, ErrorEvent):
                        figures.failed = True
                    yield ev
        finally:
            figures.latency_ms = round((time.perf_counter() - started) * 1000)
            figures.text = "".join(figures.parts)
