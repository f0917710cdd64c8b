"""The learner's state for one course: pydantic models that serialise to JSON.

The engine never stores anything: it takes a :class:`LearnerState`, returns a new
one (see :mod:`tutor.flow`), and the caller persists ``state.model_dump_json()``
wherever it likes (the web app in its database, ``tutor learn`` in a JSON file).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from curriculum.outline import Position

Phase = Literal["new", "teaching", "awaiting_continue", "answering", "paused", "finished"]
Level = Literal["beginner", "intermediate", "advanced"]
Role = Literal["learner", "tutor"]

MAX_RECENT_TURNS = 24
MAX_TURN_CHARS = 2000


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Turn(Frozen):
    """One message of the conversation, tagged with the section it happened in."""

    role: Role
    text: str
    section: int


class ExerciseResult(Frozen):
    """The learner's latest exercise result, as the grader reported it (no learner text)."""

    exercise_id: str
    passed: bool
    detail: str = ""


class SectionSummary(Frozen):
    """What happened in an earlier section, kept instead of its turns."""

    section: int
    title: str
    points_taught: int
    questions: tuple[str, ...] = Field(default=(), description="The learner's own words.")


class LearnerState(Frozen):
    """Where a learner is in a course and what the tutor knows about them."""

    course_id: str
    position: Position = Field(default_factory=Position)
    taught: bool = Field(
        default=False, description="Whether the lesson at `position` has been shown."
    )
    phase: Phase = "new"
    level: Level = "beginner"
    completed_sections: tuple[str, ...] = ()
    struggled_topics: tuple[str, ...] = ()
    latest_exercise: ExerciseResult | None = None
    summaries: tuple[SectionSummary, ...] = Field(
        default=(), description="One summary per earlier section, in order."
    )
    turns: tuple[Turn, ...] = Field(
        default=(), description="Recent turns of the current section, oldest first."
    )


def add_turn(state: LearnerState, role: Role, text: str) -> LearnerState:
    """Return ``state`` with one more turn (capped in length and count)."""
    if len(text) > MAX_TURN_CHARS:
        text = text[:MAX_TURN_CHARS] + " […]"
    turn = Turn(role=role, text=text, section=state.position.section)
    turns = (*state.turns, turn)[-MAX_RECENT_TURNS:]
    return state.model_copy(update={"turns": turns})


def record_reply(state: LearnerState, text: str) -> LearnerState:
    """Record what the tutor showed (a streamed lesson or answer) in the conversation."""
    return add_turn(state, "tutor", text) if text.strip() else state
