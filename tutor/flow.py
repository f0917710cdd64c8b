"""The lesson flow: a pure state machine, ``step(course, state, event) -> (state, outputs)``.

The engine holds the plan and makes every transition; the model only writes content.

* **Kickoff** on a new learner starts teaching at once with the first point of Section 1
  (seed 004's kickoff); for a returning learner it offers to resume where they left off.
* **One point per step.** A section is taught as its points in sequence; after each
  lesson the caller sends :class:`Continue` (a web app that wants "the whole section"
  in one go sends it automatically after each lesson; ``tutor learn`` waits for Enter).
  No question is asked between the points of a section.
* At a section's **end** the engine emits the course's continue prompt (from
  ``course.continue_prompt``). A yes-word advances, a no-word pauses.
* **Anything else is a question**: it is answered, the position does not move, and the
  engine offers to resume at that exact place (``course.resume_prompt``, or the continue
  prompt again at a section boundary).
* **Shortcuts** (shorter, another example, go deeper, quiz me) re-teach the current point
  in another way; the position does not move.
* After the last point of the last section the course is finished.

Nothing here does I/O: the caller generates/streams what the outputs ask for
(see :mod:`tutor.engine`) and persists the returned state.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from curriculum.model import Course
from curriculum.outline import Position
from tutor import navigation as nav
from tutor.state import (
    ExerciseResult,
    Frozen,
    LearnerState,
    SectionSummary,
    add_turn,
)

ShortcutName = Literal["shorter", "another_example", "deeper", "quiz_me"]
Variant = Literal["lesson", "shorter", "another_example", "deeper", "quiz_me"]
Purpose = Literal["continue_prompt", "resume_offer", "practice_offer", "paused", "finished"]


# --- events -------------------------------------------------------------------------------


class Kickoff(Frozen):
    """Start (or come back to) the course."""

    kind: Literal["kickoff"] = "kickoff"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class Reply(Frozen):
    """Free text from the learner: classified as yes, no, a shortcut, or a question.

    Lone surrogates (undecodable input bytes, or ``\\udcxx`` escapes in JSON) become
    U+FFFD, so the text can always be stored and sent as UTF-8.
    """

    kind: Literal["reply"] = "reply"
    text: str

    @field_validator("text")
    @classmethod
    def _valid_unicode(cls, text: str) -> str:
        return _LONE_SURROGATE.sub("\ufffd", text)


class Continue(Frozen):
    """Go on: the next point, the next section, or resume after a question or a pause."""

    kind: Literal["continue"] = "continue"


class Pause(Frozen):
    """Stop for now; the position is kept."""

    kind: Literal["pause"] = "pause"


class Shortcut(Frozen):
    """Re-teach the current point in another way."""

    kind: Literal["shortcut"] = "shortcut"
    name: ShortcutName


class ExerciseDone(Frozen):
    """The grader's verdict on an exercise, for the learner-state layer of the prompt."""

    kind: Literal["exercise"] = "exercise"
    result: ExerciseResult
    topic_id: str | None = None


Event = Annotated[
    Kickoff | Reply | Continue | Pause | Shortcut | ExerciseDone, Field(discriminator="kind")
]


# --- outputs ------------------------------------------------------------------------------


class Teach(Frozen):
    """Show the lesson for a point (authored, cached or generated)."""

    kind: Literal["teach"] = "teach"
    position: Position
    variant: Variant = "lesson"
    number: int = Field(description="1-based number of the point in its section.")
    total: int = Field(description="Number of points in the section.")


class Answer(Frozen):
    """Answer the learner's question at ``position`` without advancing."""

    kind: Literal["answer"] = "answer"
    position: Position
    question: str


class Say(Frozen):
    """A fixed text produced by the engine from the course, shown as is."""

    kind: Literal["say"] = "say"
    purpose: Purpose
    text: str


Output = Annotated[Teach | Answer | Say, Field(discriminator="kind")]
Step = tuple[LearnerState, list[Teach | Answer | Say]]


# --- classifying replies --------------------------------------------------------------------

YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "k",
        "continue",
        "next",
        "go",
        "ready",
        "proceed",
        "please",
        "absolutely",
        "alright",
        "resume",
    }
) | {
    "",
    "yes please",
    "sure thing",
    "go on",
    "go ahead",
    "carry on",
    "lets go",
    "let's go",
    "sounds good",
    "of course",
    "all right",
    "keep going",
    "next point",
    "next section",
}
NO_WORDS = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "not now",
        "stop",
        "later",
        "pause",
        "maybe later",
        "not yet",
        "no thanks",
        "no thank you",
        "enough",
        "that's enough",
        "thats enough",
        "wait",
    }
)
SHORTCUT_WORDS: dict[str, ShortcutName] = {
    "shorter": "shorter",
    "make it shorter": "shorter",
    "tldr": "shorter",
    "another example": "another_example",
    "example": "another_example",
    "one more example": "another_example",
    "deeper": "deeper",
    "go deeper": "deeper",
    "more detail": "deeper",
    "quiz me": "quiz_me",
    "quiz": "quiz_me",
}

_STRIP = re.compile(r"[\s!.,?…👍🙂😊]+")


def normalise(text: str) -> str:
    """Lowercase, collapse whitespace, drop trailing/leading punctuation."""
    words = _STRIP.sub(" ", text.lower().replace("’", "'")).strip()
    return " ".join(words.split())


Intent = Literal["yes", "no", "shortcut", "question"]


def classify(text: str) -> tuple[Intent, ShortcutName | None]:
    """Deterministic: exact yes/no/shortcut phrases after normalisation, else a question."""
    norm = normalise(text)
    if norm in YES_WORDS:
        return "yes", None
    if norm in NO_WORDS:
        return "no", None
    if norm in SHORTCUT_WORDS:
        return "shortcut", SHORTCUT_WORDS[norm]
    return "question", None


# --- texts the engine produces ---------------------------------------------------------------


def resume_text(course: Course, pos: Position) -> str:
    """The course's resume prompt naming the point at ``pos``."""
    ref = nav.ref_at(course, pos)
    point = ref.point.title.rstrip(".")
    return course.resume_prompt.format(number=pos.section + 1, title=ref.section.title, point=point)


def finished_text(course: Course) -> str:
    n = len(course.outline.sections)
    return (
        f"That's the end of {course.title}: all {n} sections are done. Well done! "
        "Ask me anything about the course, or revisit any point."
    )


def practice_text(course: Course, pos: Position) -> str | None:
    """What the learner's path practises after the point at ``pos``, if anything:
    "Next: practise <title> (exercise `id`)", the same order as the web app's Next."""
    exercises = nav.practice_after(course, pos)
    if not exercises:
        return None
    named = ", then ".join(f"{e.exercise.title} (`{e.exercise.id}`)" for e in exercises)
    return f"Next: practise {named}."


def upcoming(course: Course, state: LearnerState) -> Position | None:
    """The point the plan teaches next (None at the course's end)."""
    if not state.taught:
        return state.position
    return nav.next_position(course, state.position)


def offer(course: Course, state: LearnerState) -> Say:
    """What the engine asks to get going again: continue prompt or resume prompt."""
    nxt = upcoming(course, state)
    if nxt is None:
        return Say(purpose="finished", text=finished_text(course))
    if state.taught and nxt.section != state.position.section:
        return Say(purpose="continue_prompt", text=course.outline.continue_text(nxt.section))
    return Say(purpose="resume_offer", text=resume_text(course, nxt))


# --- the state machine ------------------------------------------------------------------------


def new_state(course: Course, level: str = "beginner") -> LearnerState:
    """A learner who has not started: positioned at the first point of Section 1."""
    return LearnerState.model_validate(
        {"course_id": course.id, "position": nav.first_position(course), "level": level}
    )


def step(course: Course, state: LearnerState, event: Event) -> Step:
    """Apply one event; return the new state and what to show, in order."""
    state = state.model_copy(update={"position": nav.resolve(course, state.position)})
    if isinstance(event, Kickoff):
        return _kickoff(course, state)
    if isinstance(event, Continue):
        return _advance(course, state)
    if isinstance(event, Pause):
        return _pause(course, state)
    if isinstance(event, Shortcut):
        return _teach(course, state, state.position, event.name)
    if isinstance(event, ExerciseDone):
        return _exercise(state, event), []
    return _reply(course, state, event.text)


def _say(state: LearnerState, say: Say) -> Step:
    """Emit a fixed text (the caller records it in the conversation when it shows it)."""
    return state, [say]


def _kickoff(course: Course, state: LearnerState) -> Step:
    if state.phase == "new":
        return _teach(course, state, state.position, "lesson")
    if state.phase == "finished":
        return _say(state, Say(purpose="finished", text=finished_text(course)))
    say = offer(course, state)
    return _say(state.model_copy(update={"phase": "awaiting_continue"}), say)


def _advance(course: Course, state: LearnerState) -> Step:
    if state.phase == "finished":
        return _say(state, Say(purpose="finished", text=finished_text(course)))
    nxt = upcoming(course, state)
    if nxt is None:
        return _say(state.model_copy(update={"phase": "finished"}), offer(course, state))
    return _teach(course, state, nxt, "lesson")


def _pause(course: Course, state: LearnerState) -> Step:
    if state.phase == "finished":
        return _say(state, Say(purpose="finished", text=finished_text(course)))
    again = offer(course, state).text
    text = f"Alright, let's stop here. When you're ready, say “continue”. {again}"
    return _say(state.model_copy(update={"phase": "paused"}), Say(purpose="paused", text=text))


def _reply(course: Course, state: LearnerState, text: str) -> Step:
    intent, shortcut = classify(text)
    if intent in ("question", "shortcut"):
        state = add_turn(state, "learner", text)
    if intent == "yes":
        return _advance(course, state)
    if intent == "no":
        return _pause(course, state)
    if intent == "shortcut" and shortcut is not None:
        return _teach(course, state, state.position, shortcut)
    answer = Answer(position=state.position, question=text)
    if state.phase == "finished":
        return state, [answer]
    state = state.model_copy(update={"phase": "answering"})
    new, outputs = _say(state, offer(course, state))
    return new, [answer, *outputs]


def _teach(course: Course, state: LearnerState, pos: Position, variant: Variant) -> Step:
    if pos.section != state.position.section:
        state = _summarise_section(course, state)
    number, total = nav.point_number(course, pos)
    teach = Teach(position=pos, variant=variant, number=number, total=total)
    state = state.model_copy(update={"position": pos, "taught": True, "phase": "teaching"})
    practice = practice_text(course, pos)
    taught: list[Teach | Answer | Say] = [teach]
    if practice is not None:
        taught.append(Say(purpose="practice_offer", text=practice))
    if not nav.at_section_end(course, pos):
        return state, taught
    section_id = nav.ref_at(course, pos).section.id
    if section_id not in state.completed_sections:
        done = (*state.completed_sections, section_id)
        state = state.model_copy(update={"completed_sections": done})
    after = offer(course, state)
    phase = "finished" if after.purpose == "finished" else "awaiting_continue"
    new, outputs = _say(state.model_copy(update={"phase": phase}), after)
    return new, [*taught, *outputs]


def _summarise_section(course: Course, state: LearnerState) -> LearnerState:
    """Fold the turns of the section being left into a summary."""
    index = state.position.section
    questions = tuple(
        t.text
        for t in state.turns
        if t.section == index and t.role == "learner" and classify(t.text)[0] == "question"
    )
    summary = SectionSummary(
        section=index,
        title=course.outline.sections[index].section.title,
        points_taught=nav.point_number(course, state.position)[0] if state.taught else 0,
        questions=questions,
    )
    kept = tuple(t for t in state.turns if t.section != index)
    summaries = (*(s for s in state.summaries if s.section != index), summary)
    return state.model_copy(update={"summaries": summaries, "turns": kept})


def _exercise(state: LearnerState, event: ExerciseDone) -> LearnerState:
    update: dict[str, object] = {"latest_exercise": event.result}
    topic = event.topic_id or state.position.topic_id
    if not event.result.passed and topic not in state.struggled_topics:
        update["struggled_topics"] = (*state.struggled_topics, topic)
    return state.model_copy(update=update)


def state_at(course: Course, pos: Position, level: str = "beginner") -> LearnerState:
    """A learner who followed the plan up to ``pos`` (earlier sections done, nothing asked)."""
    earlier = course.outline.sections[: pos.section]
    summaries = tuple(
        SectionSummary(section=sec.index, title=sec.section.title, points_taught=len(sec.points))
        for sec in earlier
    )
    return new_state(course, level).model_copy(
        update={
            "position": pos,
            "phase": "teaching" if pos != nav.first_position(course) else "new",
            "completed_sections": tuple(sec.section.id for sec in earlier),
            "summaries": summaries,
        }
    )
