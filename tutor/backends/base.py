"""The backend protocol: a request in, an async stream of events out."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Protocol

from curriculum.model import Course
from tutor.events import BackendEvent
from tutor.flow import Answer, Teach
from tutor.prompt import ChatMessage


@dataclass(frozen=True)
class ExerciseHelp:
    """The task of a hint for a code exercise (see :mod:`tutor.help`)."""

    exercise_id: str


@dataclass(frozen=True)
class ModelRequest:
    """Everything a backend may use: the messages (a model backend sends only these)."""

    messages: list[ChatMessage]
    max_tokens: int
    task: Teach | Answer | ExerciseHelp
    course: Course


class Backend(Protocol):
    """Streams a completion.

    ``generates`` is True for a real model (its text is parsed, cached, rate-limited).
    ``stream`` must end (never hang): failures are yielded as one ``ErrorEvent``.
    Closing the iterator early (the learner left) must release the request.
    """

    @property
    def model(self) -> str: ...

    @property
    def generates(self) -> bool: ...

    def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]: ...
