"""What an instructor sees of one learner, read in one worker thread: progress per
section, attempts (a page at a time) with their results in plain words, each code attempt
diffed against the one before it, quiz answers as questions and chosen options, and the
learner's conversations with the tutor."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from curriculum.model import Course, QuizExercise
from web.context import AppContext
from web.models import Attempt, ProgressEvent, User
from web.progress import Done, SectionBar, events, section_bars
from web.services.conversations import Conversation, exchanges_of, group
from web.services.transaction import reading

ATTEMPTS_PAGE = 50
DIFF_LINES = 400  # a diff longer than this is cut (the code itself is shown whole)


@dataclass(frozen=True)
class CheckLine:
    name: str
    passed: bool
    message: str


@dataclass(frozen=True)
class QuizLine:
    """One question of a quiz attempt: its prompt, what the learner chose, and whether
    that was right."""

    prompt: str
    chosen: list[str]
    correct: bool


@dataclass(frozen=True)
class AttemptView:
    attempt: Attempt
    verdict: dict[str, Any]
    checks: list[CheckLine] = field(default_factory=list)
    diff: list[str] | None = None  # None: the first attempt at this exercise
    quiz: list[QuizLine] = field(default_factory=list)


@dataclass(frozen=True)
class CourseProgress:
    course_id: str
    title: str
    bars: list[SectionBar]


@dataclass(frozen=True)
class LearnerView:
    learner: User
    attempts: list[AttemptView]
    more: bool
    conversations: list[Conversation]
    progress: list[CourseProgress] = field(default_factory=list)
    newer_calls: int | None = None  # cursor of the page of newer tutor calls
    older_calls: int | None = None  # cursor of the page of older tutor calls


def _verdict(attempt: Attempt) -> dict[str, Any]:
    try:
        data = json.loads(attempt.verdict_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _checks(verdict: dict[str, Any]) -> list[CheckLine]:
    lines = []
    for check in verdict.get("checks") or []:
        if isinstance(check, dict):
            name = str(check.get("name", ""))
            lines.append(CheckLine(name, bool(check.get("passed")), str(check.get("message", ""))))
    return lines


def _diff(previous: str | None, current: str) -> list[str] | None:
    if previous is None:
        return None
    lines = list(
        difflib.unified_diff(
            previous.splitlines(),
            current.splitlines(),
            "previous",
            "this attempt",
            lineterm="",
            n=2,
        )
    )
    return lines[:DIFF_LINES]


def _question_prompts(course: Course | None, exercise_id: str) -> dict[str, str]:
    ref = course.outline.exercise(exercise_id) if course is not None else None
    if ref is None or not isinstance(ref.exercise, QuizExercise):
        return {}
    return {q.id: q.prompt for q in ref.exercise.questions}


def _chosen(option: object) -> bool:
    return isinstance(option, dict) and bool(option.get("chosen"))


def _quiz(verdict: dict[str, Any], prompts: dict[str, str]) -> list[QuizLine]:
    lines = []
    for question in verdict.get("questions") or []:
        if not isinstance(question, dict):
            continue
        qid = str(question.get("id", ""))
        options = question.get("options") or []
        chosen = [str(o.get("text", "")) for o in options if _chosen(o)]
        if question.get("given"):
            chosen.append(str(question["given"]))
        lines.append(QuizLine(prompts.get(qid, qid), chosen, bool(question.get("correct"))))
    return lines


def _view(attempt: Attempt, previous: str | None, course: Course | None) -> AttemptView:
    verdict = _verdict(attempt)
    if attempt.kind == "quiz":
        prompts = _question_prompts(course, attempt.exercise_id)
        return AttemptView(attempt, verdict, quiz=_quiz(verdict, prompts))
    diff = _diff(previous, attempt.submission) if attempt.kind == "code" else None
    return AttemptView(attempt, verdict, checks=_checks(verdict), diff=diff)


def _attempts_page(db: Session, user_id: int, page: int) -> list[tuple[Attempt, str | None]]:
    """A page of the learner's attempts, newest first, each with the submission of their
    attempt before it at the same exercise (one query: a window function)."""
    previous = (
        func.lag(Attempt.submission)
        .over(
            partition_by=(col(Attempt.course_id), col(Attempt.exercise_id)),
            order_by=col(Attempt.id),
        )
        .label("previous")
    )
    inner = (
        select(col(Attempt.id).label("aid"), previous).where(Attempt.user_id == user_id).subquery()
    )
    rows = db.exec(
        select(Attempt, inner.c.previous)
        .join(inner, inner.c.aid == Attempt.id)
        .order_by(col(Attempt.id).desc())
        .offset((page - 1) * ATTEMPTS_PAGE)
        .limit(ATTEMPTS_PAGE + 1)
    ).all()
    return [(attempt, prev) for attempt, prev in rows]


def _progress(db: Session, app: AppContext, user_id: int) -> list[CourseProgress]:
    started = db.exec(
        select(ProgressEvent.course_id).where(ProgressEvent.user_id == user_id).distinct()
    ).all()
    result = []
    for course_id in sorted(started):
        entry = app.courses.get(course_id)
        if entry is None or entry.course is None:
            continue
        bars = section_bars(entry.course, Done.of(events(db, user_id, course_id)))
        result.append(CourseProgress(course_id, entry.course.title, bars))
    return result


@dataclass(frozen=True)
class CallsAt:
    """Which page of the learner's tutor calls to show (cursors are call ids)."""

    before: int | None = None
    after: int | None = None


async def learner_view(
    *, app: AppContext, user_id: int, page: int, calls: CallsAt | None = None
) -> LearnerView | None:
    """Everything on the instructor's page of one learner: a page of attempts and a page
    of tutor calls; None if there is no such user."""
    at = calls or CallsAt()

    def work(db: Session) -> LearnerView | None:
        learner = db.get(User, user_id)
        if learner is None:
            return None
        rows = _attempts_page(db, user_id, page)
        views = []
        for attempt, previous in rows[:ATTEMPTS_PAGE]:
            entry = app.courses.get(attempt.course_id)
            views.append(_view(attempt, previous, entry.course if entry else None))
        tutor = exchanges_of(db, user_id, before=at.before, after=at.after)
        return LearnerView(
            learner=learner,
            attempts=views,
            more=len(rows) > ATTEMPTS_PAGE,
            conversations=group(tutor.exchanges),
            progress=_progress(db, app, user_id),
            newer_calls=tutor.newer,
            older_calls=tutor.older,
        )

    return await reading(app.db_engine, work)
