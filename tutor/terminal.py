"""``tutor learn``: the lesson flow in a terminal, streamed, scriptable through stdin."""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from curriculum.model import Course
from tutor import flow
from tutor import navigation as nav
from tutor.engine import Tutor
from tutor.events import EngineEvent
from tutor.state import LearnerState

HINTS = {
    "teaching": "[Enter] next point · ask a question · shorter · another example · deeper · "
    "quiz me · stop",
    "awaiting_continue": "yes / no, or ask a question",
    "answering": "yes / no, or ask another question",
    "paused": "continue, or ask a question",
    "finished": "ask a question, or press Ctrl-D to leave",
    "new": "[Enter] to start",
}


def state_file(data_dir: Path, course: Course) -> Path:
    return data_dir / "learn" / f"{course.id}.json"


def load_state(path: Path, course: Course, out: TextIO) -> LearnerState:
    if path.is_file():
        try:
            state = LearnerState.model_validate_json(path.read_text(encoding="utf-8"))
            if state.course_id == course.id:
                return state
        except ValidationError:
            out.write(f"(could not read {path}; starting the course afresh)\n")
    return flow.new_state(course)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once; concurrent runs never share a temp file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as tmp:
        tmp.write(text)
    Path(tmp.name).replace(path)


def save_state(path: Path, state: LearnerState) -> None:
    """Write the learner's place atomically."""
    write_atomic(path, state.model_dump_json(indent=2))


def heading(course: Course, output: flow.Teach | flow.Answer | flow.Say) -> str:
    """A line naming the section and point a new lesson teaches ("" for other outputs)."""
    if not isinstance(output, flow.Teach) or output.variant != "lesson":
        return ""
    ref = nav.ref_at(course, output.position)
    return (
        f"=== Section {ref.section_index + 1} of {len(course.outline.sections)}: "
        f"{ref.section.title} · point {output.number} of {output.total}: {ref.point.title} ===\n\n"
    )


def _show(ev: EngineEvent, out: TextIO) -> None:
    if ev.kind == "delta":
        out.write(ev.text)
    elif ev.kind == "say":
        out.write(f"\n{ev.text}\n")
    elif ev.kind == "notice":
        out.write(f"\n[note] {ev.text}\n")
    elif ev.kind == "error":
        out.write(f"\n[error] {ev.message}\n")
    elif ev.kind == "passages":
        for p in ev.items:
            out.write(f"\n* {p.title} (Section {p.position.section + 1}):\n{p.text}\n")
    elif ev.kind == "quizzes":
        out.write("".join(f"* {q.title} (exercise {q.exercise_id})\n" for q in ev.items))
    elif ev.kind == "prompt":
        out.write(f"\n----- prompt (copy from here) -----\n{ev.text}----- end of prompt -----\n")
    elif ev.kind == "done" and ev.output != "say":
        out.write("\n")
    out.flush()


async def learn(
    tutor: Tutor,
    course: Course,
    path: Path,
    stdin: TextIO,
    out: TextIO,
    whole_section: bool = False,
) -> LearnerState:
    """Run the flow until EOF on ``stdin``; the state is saved after every turn.

    ``whole_section`` teaches a section's points one after the other without waiting
    for Enter (the learner is asked only at the section's end).
    """
    state = load_state(path, course, out)
    event: flow.Event = flow.Kickoff()
    while True:
        failed = False
        _, outputs = flow.step(course, state, event)  # pure: only to title the lessons
        index, started = 0, False
        async for ev in tutor.turn(course, state, event):
            if ev.kind == "state":
                state = ev.state
                save_state(path, state)
                continue
            if not started and index < len(outputs):
                out.write(heading(course, outputs[index]))
            started = ev.kind != "done"
            index += ev.kind == "done"
            failed = failed or ev.kind == "error"
            _show(ev, out)
        if whole_section and state.phase == "teaching" and not failed:
            event = flow.Continue()
            out.write("\n")
            continue
        out.write(f"\n({HINTS[state.phase]})\n> ")
        out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            out.write("\nBye: your place is saved.\n")
            return state
        event = flow.Reply(text=line.rstrip("\n"))


def _lenient(stream: TextIO) -> TextIO:
    """``stream`` with undecodable bytes read as U+FFFD instead of raising."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return stream
    return io.TextIOWrapper(buffer, encoding=stream.encoding or "utf-8", errors="replace")


def run_learn(
    tutor: Tutor, course: Course, path: Path, whole_section: bool = False
) -> LearnerState:
    async def main() -> LearnerState:
        try:
            return await learn(tutor, course, path, _lenient(sys.stdin), sys.stdout, whole_section)
        finally:
            close = getattr(tutor.backend, "aclose", None)
            if close is not None:
                await close()

    return asyncio.run(main())
