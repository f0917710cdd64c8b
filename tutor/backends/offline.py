"""The default backend when no model is configured: the course itself, nothing invented.

Everything it says is in a learner's words: no prompt text, no setting names. The exact
prompt of a point without a lesson is sent as a ``prompt`` event, for the people who run
the course (the web app shows it to instructors only; ``tutor prompt`` prints it).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from curriculum.model import Course, QuizExercise
from tutor import navigation as nav
from tutor.backends.base import ExerciseHelp, ModelRequest
from tutor.events import BackendEvent, Delta, Passages, PromptCopy, QuizLink, Quizzes
from tutor.flow import Answer, Teach
from tutor.prompt import render_text
from tutor.retrieve import find_passages

NO_TUTOR = "The AI tutor is not switched on for this course"

_NEEDS_MODEL = {
    "shorter": "a shorter version of this lesson",
    "another_example": "another example",
    "deeper": "a deeper version of this lesson",
}


def quizzes_for(course: Course, task: Teach) -> list[QuizLink]:
    """The course's quizzes for the task's topic, else for its section."""
    ref = nav.ref_at(course, task.position)
    outline = course.outline
    for found in (
        outline.topic_exercises(ref.topic.id),
        outline.section_exercises(ref.section_index),
    ):
        links = [
            QuizLink(exercise_id=e.exercise.id, title=e.exercise.title)
            for e in found
            if isinstance(e.exercise, QuizExercise)
        ]
        if links:
            return links
    return []


class OfflineBackend:
    """Points without a lesson get the exact prompt; questions get matching passages."""

    model = "offline"
    generates = False

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        course, task = request.course, request.task
        if isinstance(task, ExerciseHelp):
            yield Delta(text=f"{NO_TUTOR}, so I can't write a new hint for this exercise.\n")
            return
        if isinstance(task, Answer):
            for event in self._answer(course, task):
                yield event
            return
        if task.variant == "quiz_me":
            for event in self._quiz(course, task):
                yield event
            return
        if task.variant in _NEEDS_MODEL:
            text = (
                f"{_NEEDS_MODEL[task.variant].capitalize()} needs the AI tutor, which is not "
                "switched on for this course. Read the lesson again, try its example yourself, "
                "or ask your instructor.\n"
            )
        else:
            text = (
                f"This point has no written lesson yet, and {NO_TUTOR[0].lower()}{NO_TUTOR[1:]} "
                "to write one. Ask your instructor, or go on to the next point.\n"
            )
        yield Delta(text=text)
        yield PromptCopy(text=render_text(request.messages), messages=request.messages)

    def _quiz(self, course: Course, task: Teach) -> list[BackendEvent]:
        links = quizzes_for(course, task)
        if not links:
            return [
                Delta(
                    text="The course has no quiz for this topic, and a made-up quiz needs the "
                    "AI tutor, which is not switched on. Try the exercise at the end of the "
                    "topic instead.\n"
                )
            ]
        return [
            Delta(text="Test yourself with the course's quiz on this topic:\n"),
            Quizzes(items=links),
        ]

    def _answer(self, course: Course, task: Answer) -> list[BackendEvent]:
        passages = find_passages(course, task.question, at=task.position)
        if not passages:
            return [
                Delta(
                    text=f"{NO_TUTOR}, so I can't answer questions in my own words, and no "
                    "part of the course matches your question. Try other words, or ask your "
                    "instructor.\n"
                )
            ]
        text = (
            f"{NO_TUTOR}, so I can't answer in my own words. These parts of the course "
            "look most relevant to your question:\n"
        )
        return [Delta(text=text), Passages(items=passages)]
