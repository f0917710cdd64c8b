"""What the engine streams to the caller while it shows an output.

Every event has a ``kind`` so it serialises to JSON for a web client
(``event.model_dump_json()``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from curriculum.model import Lesson
from curriculum.outline import Position
from tutor.prompt import ChatMessage
from tutor.state import Frozen, LearnerState

ErrorCode = Literal[
    "timeout",
    "connection",
    "rate_limited",
    "server_error",
    "bad_request",
    "stream_error",
    "malformed",
    "empty",
    "limit",
    "too_long",
]


class Delta(Frozen):
    """A piece of text to append to what is shown (streamed as it arrives)."""

    kind: Literal["delta"] = "delta"
    text: str


class Usage(Frozen):
    """Tokens used by one model call (from the final usage chunk)."""

    kind: Literal["usage"] = "usage"
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ErrorEvent(Frozen):
    """The call failed: ``message`` is for the learner; the stream ends after it."""

    kind: Literal["error"] = "error"
    code: ErrorCode
    message: str


class PromptCopy(Frozen):
    """The exact prompt (offline mode) so the UI can offer a copy button."""

    kind: Literal["prompt"] = "prompt"
    text: str
    messages: list[ChatMessage]


class Passage(Frozen):
    position: Position
    title: str
    text: str
    score: float


class Passages(Frozen):
    """The course passages most relevant to a question (offline mode), best first."""

    kind: Literal["passages"] = "passages"
    items: list[Passage]


class QuizLink(Frozen):
    exercise_id: str
    title: str


class Quizzes(Frozen):
    """The course's own quizzes for the current topic (offline "quiz me")."""

    kind: Literal["quizzes"] = "quizzes"
    items: list[QuizLink]


class LessonReady(Frozen):
    """A lesson in the six parts, parsed; ``complete`` False means show ``notices``."""

    kind: Literal["lesson"] = "lesson"
    position: Position
    lesson: Lesson
    source: Literal["authored", "cached", "generated"]
    complete: bool
    notices: list[str] = Field(default_factory=list)


class Notice(Frozen):
    """A short engine note shown beside the text (incomplete lesson, unverified code)."""

    kind: Literal["notice"] = "notice"
    text: str


class Said(Frozen):
    """A fixed engine text (continue prompt, resume offer, pause, end of course)."""

    kind: Literal["say"] = "say"
    purpose: str
    text: str


class OutputDone(Frozen):
    """One output has been shown in full; ``text`` is what was shown."""

    kind: Literal["done"] = "done"
    output: Literal["teach", "answer", "say"]
    text: str
    recorded: bool = Field(
        default=True,
        description="Whether the text joins the conversation (offline placeholders do not).",
    )


class StateChanged(Frozen):
    """The last event of a turn: the learner's new state, to persist."""

    kind: Literal["state"] = "state"
    state: LearnerState


BackendEvent = Delta | Usage | ErrorEvent | PromptCopy | Passages | Quizzes | Notice
EngineEvent = Annotated[
    Delta
    | Usage
    | ErrorEvent
    | PromptCopy
    | Passages
    | Quizzes
    | LessonReady
    | Notice
    | Said
    | OutputDone
    | StateChanged,
    Field(discriminator="kind"),
]
