"""The tutor's call log in the database: one ``tutor_call`` row per model call.

The engine (:class:`tutor.engine.Tutor`) records every call it makes through this log,
for lessons, answers and exercise help alike; the write runs in a worker thread with a
short session of its own, never on the event loop."""

from __future__ import annotations

from anyio import CancelScope, to_thread
from sqlalchemy import Engine
from sqlmodel import Session

from tutor.calls import ModelCall
from web.models import TutorCall

MAX_RECORDED_CHARS = 50_000
"""Longer questions or replies are kept up to this many characters."""


def call_row(call: ModelCall) -> TutorCall:
    return TutorCall(
        user_id=int(call.learner),
        course_id=call.course_id[:80],
        target_kind=call.target_kind,
        target_id=call.target_id[:80],
        model=call.model[:200],
        prompt_tokens=call.prompt_tokens,
        completion_tokens=call.completion_tokens,
        latency_ms=call.latency_ms,
        guard=call.guard,
        prompt_hash=call.prompt_hash,
        question=call.question[:MAX_RECORDED_CHARS],
        reply=call.reply[:MAX_RECORDED_CHARS],
    )


class DbCallLog:
    """Writes each :class:`tutor.calls.ModelCall` as a ``tutor_call`` row."""

    def __init__(self, db_engine: Engine) -> None:
        self.db_engine = db_engine

    def _write(self, call: ModelCall) -> None:
        with Session(self.db_engine) as db:
            db.add(call_row(call))
            db.commit()

    async def record(self, call: ModelCall) -> None:
        """Write the row even when the request is being cancelled (the learner left
        mid-reply: the call was made and is recorded with what was shown)."""
        with CancelScope(shield=True):
            await to_thread.run_sync(self._write, call)
