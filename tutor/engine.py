"""The engine driver: runs the flow's outputs through a backend and streams events.

``Tutor.turn(course, state, event)`` is the whole API for a caller: it steps the flow,
shows each output (authored lesson, cached lesson, model stream, or a fixed text),
records what was shown in the conversation, and ends with ``StateChanged(state)``.
The engine does no I/O of its own beyond the backend's model call and the cache
protocol given to it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field

from curriculum.model import Course
from tutor import flow
from tutor import navigation as nav
from tutor.backends.base import Backend, ModelRequest
from tutor.cache import LessonCache, lesson_key
from tutor.calls import (
    CallFigures,
    CallLog,
    GuardOutcome,
    MeteredBackend,
    ModelCall,
    TargetKind,
)
from tutor.events import (
    Delta,
    EngineEvent,
    ErrorEvent,
    LessonReady,
    Notice,
    OutputDone,
    Said,
    StateChanged,
)
from tutor.flow import Answer, Say, Teach
from tutor.grounding import grounding
from tutor.guard import Grade
from tutor.help import HelpReply, HelpRequest, call_outcomes, help_with
from tutor.lesson_parse import lesson_markdown, parse_lesson
from tutor.limits import Limiter, LimitSettings, question_too_long
from tutor.prompt import PromptOptions, build_messages
from tutor.state import LearnerState, record_reply


@dataclass(frozen=True)
class EngineOptions:
    limits: LimitSettings = field(default_factory=LimitSettings)
    context_tokens: int = 3000

    @property
    def prompt(self) -> PromptOptions:
        return PromptOptions(
            context_tokens=self.context_tokens,
            max_question_chars=self.limits.max_question_chars,
        )


class Tutor:
    """Drives conversations: one instance can serve every learner and course."""

    def __init__(
        self,
        backend: Backend,
        cache: LessonCache | None = None,
        options: EngineOptions | None = None,
        limiter: Limiter | None = None,
        calls: CallLog | None = None,
    ) -> None:
        self.backend = backend
        self.calls = calls
        self.cache = cache
        self.options = options or EngineOptions()
        self.limiter = limiter or Limiter(self.options.limits)

    async def turn(
        self, course: Course, state: LearnerState, event: flow.Event, learner: str = "local"
    ) -> AsyncGenerator[EngineEvent, None]:
        """Step the flow with ``event`` and stream everything to show; ends with StateChanged.

        If an output fails (an ``error`` event: model failure or a limit), the outputs
        after it are not shown and the state is the one before the event, so sending the
        same event again retries.
        """
        if isinstance(event, flow.Reply) and flow.classify(event.text)[0] == "question":
            problem = question_too_long(event.text, self.options.limits)
            if problem:
                yield ErrorEvent(code="too_long", message=problem)
                yield StateChanged(state=state)
                return
        before = state
        state, outputs = flow.step(course, state, event)
        for output in outputs:
            shown, failed = "", False
            async with aclosing(self.show(course, state, output, learner)) as events:
                async for ev in events:
                    if isinstance(ev, OutputDone) and ev.recorded:
                        shown = ev.text
                    failed = failed or isinstance(ev, ErrorEvent)
                    yield ev
            if failed:
                # Nothing moves on a failure: the learner can send the same event again.
                yield StateChanged(state=before)
                return
            state = record_reply(state, shown)
        yield StateChanged(state=state)

    async def show(
        self, course: Course, state: LearnerState, output: Teach | Answer | Say, learner: str
    ) -> AsyncGenerator[EngineEvent, None]:
        """Stream one output; always ends with OutputDone."""
        if isinstance(output, Say):
            yield Said(purpose=output.purpose, text=output.text)
            yield OutputDone(output="say", text=output.text)
            return
        if isinstance(output, Teach) and output.variant == "lesson":
            ready = await self._prepared(course, state, output)
            if ready is not None:
                markdown, source = ready
                yield Delta(text=markdown)
                parsed = parse_lesson(markdown)
                lesson = nav.ref_at(course, output.position).lesson or parsed.lesson
                yield LessonReady(
                    position=output.position,
                    lesson=lesson,
                    source=source,
                    complete=True,
                )
                yield OutputDone(output="teach", text=markdown)
                return
        async with aclosing(self._generate(course, state, output, learner)) as events:
            async for ev in events:
                yield ev

    def _key(self, course: Course, state: LearnerState, task: Teach) -> str:
        return lesson_key(
            course,
            task.position,
            model=self.backend.model,
            level=state.level,
            max_tokens=self.options.limits.max_reply_tokens,
        )

    async def _prepared(
        self, course: Course, state: LearnerState, task: Teach
    ) -> tuple[str, str] | None:
        """An authored or cached lesson for ``task``, as markdown and its source."""
        authored = nav.ref_at(course, task.position).lesson
        if authored is not None:
            return lesson_markdown(authored), "authored"
        if self.cache is not None and self.backend.generates:
            cached = await self.cache.get(self._key(course, state, task))
            if cached is not None:
                return cached, "cached"
        return None

    def request(
        self, course: Course, state: LearnerState, task: Teach | Answer, *, reading: str = ""
    ) -> ModelRequest:
        """The request the backend gets for ``task`` (messages exactly as sent).

        An answer is grounded in the point's lesson (authored, else ``reading``: a cached
        lesson) and the most relevant course passages (:mod:`tutor.grounding`).
        """
        extra = ""
        if isinstance(task, Answer):
            extra = grounding(course, task.position, task.question, reading=reading)
        messages = build_messages(course, state, task, self.options.prompt, grounding=extra)
        return ModelRequest(
            messages=messages,
            max_tokens=self.options.limits.max_reply_tokens,
            task=task,
            course=course,
        )

    def metered(self, learner: str, course_id: str) -> MeteredBackend:
        """The backend for one operation of ``learner``: limits checked, figures kept."""
        return MeteredBackend(self.backend, self.limiter, learner=learner, course_id=course_id)

    async def _generate(
        self, course: Course, state: LearnerState, task: Teach | Answer, learner: str
    ) -> AsyncGenerator[EngineEvent, None]:
        kind = "teach" if isinstance(task, Teach) else "answer"
        backend = self.metered(learner, course.id)
        parts: list[str] = []
        failed = False
        reading = await self._reading(course, state, task)
        request = self.request(course, state, task, reading=reading)
        try:
            async with aclosing(backend.stream(request)) as stream:
                async for item in stream:
                    ev: EngineEvent = item
                    if isinstance(ev, Delta):
                        parts.append(ev.text)
                    elif isinstance(ev, ErrorEvent):
                        failed = True
                    yield ev
        finally:
            await self._record_lesson_calls(backend, course, task, learner, "".join(parts))
        text = "".join(parts)
        if isinstance(task, Teach) and self.backend.generates and not failed:
            for ev in await self._finish_lesson(course, state, task, text):
                yield ev
        yield OutputDone(output=kind, text=text, recorded=self.backend.generates)

    async def _reading(self, course: Course, state: LearnerState, task: Teach | Answer) -> str:
        """For an answer at a point without an authored lesson: its cached lesson, if any."""
        if not isinstance(task, Answer) or self.cache is None or not self.backend.generates:
            return ""
        if nav.ref_at(course, task.position).lesson is not None:
            return ""
        number, total = nav.point_number(course, task.position)
        teach = Teach(position=task.position, variant="lesson", number=number, total=total)
        return await self.cache.get(self._key(course, state, teach)) or ""

    async def _record_lesson_calls(
        self,
        backend: MeteredBackend,
        course: Course,
        task: Teach | Answer,
        learner: str,
        shown: str,
    ) -> None:
        question = task.question if isinstance(task, Answer) else f"({task.variant})"
        for figures in backend.calls:
            await self._record(
                figures,
                learner=learner,
                course_id=course.id,
                target=("point", task.position.point_id),
                question=question,
                guard="not_applicable",
                reply=shown,
            )

    async def _record(
        self,
        figures: CallFigures,
        *,
        learner: str,
        course_id: str,
        target: tuple[TargetKind, str],
        question: str,
        guard: GuardOutcome,
        reply: str,
    ) -> None:
        if self.calls is None:
            return
        await self.calls.record(
            ModelCall(
                learner=learner,
                course_id=course_id,
                target_kind=target[0],
                target_id=target[1],
                question=question,
                model=self.backend.model,
                prompt_hash=figures.prompt_hash,
                prompt_tokens=figures.prompt_tokens,
                completion_tokens=figures.completion_tokens,
                latency_ms=figures.latency_ms,
                guard=guard,
                reply=reply,
            )
        )

    async def help(
        self,
        req: HelpRequest,
        *,
        grade: Grade,
        learner: str,
        tap: Callable[[Backend], Backend] | None = None,
    ) -> HelpReply:
        """Help on a code exercise (:func:`tutor.help.help_with`) with this engine's model,
        limits and call log: every model call it makes is recorded with the guard's outcome
        and the text the learner was shown. ``tap`` wraps the metered backend (the web app
        streams a reply's prose while the guard holds its code)."""
        backend = self.metered(learner, req.course.id)
        reply = await help_with(
            req,
            grade=grade,
            backend=tap(backend) if tap is not None else backend,
            max_tokens=self.options.limits.max_reply_tokens,
        )
        for figures, (guard, shown) in zip(backend.calls, call_outcomes(reply), strict=False):
            await self._record(
                figures,
                learner=learner,
                course_id=req.course.id,
                target=("exercise", req.exercise.id),
                question=req.question,
                guard=guard,
                reply=shown,
            )
        return reply

    async def _finish_lesson(
        self, course: Course, state: LearnerState, task: Teach, text: str
    ) -> list[EngineEvent]:
        if task.variant == "quiz_me":
            return []
        parsed = parse_lesson(text)
        events: list[EngineEvent] = [
            LessonReady(
                position=task.position,
                lesson=parsed.lesson,
                source="generated",
                complete=parsed.complete,
                notices=parsed.notices,
            )
        ]
        events += [Notice(text=n) for n in parsed.notices]
        if task.variant == "lesson" and parsed.complete and self.cache is not None:
            await self.cache.put(
                self._key(course, state, task),
                text,
                course_id=course.id,
                point_id=task.position.point_id,
                model=self.backend.model,
            )
        return events
