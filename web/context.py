"""The application context: everything a request may need, built once per app.

``create_app`` builds one :class:`AppContext` and keeps it on the app; requests reach
it through the one dependency ``deps.AppDep`` (or :func:`context_of` outside a route).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from tutor.engine import Tutor
from web.courses import CourseStore
from web.grading import GradingGate
from web.joinlimit import JoinGuesses
from web.passwords import PasswordGate
from web.ratelimit import Quota
from web.settings import WebSettings


@dataclass(frozen=True, slots=True)
class AppContext:
    settings: WebSettings
    db_engine: Engine
    secret: str
    courses: CourseStore
    templates: Jinja2Templates
    tutor: Tutor
    grading: GradingGate  # the grader, and how checks and Runs reach it
    passwords: PasswordGate  # how logins and sign-ups reach the password threads
    drafts: Quota  # draft saves per learner per minute
    join_guesses: JoinGuesses  # wrong class codes per account and per address per hour


def context_of(app: FastAPI) -> AppContext:
    """The context ``create_app`` stored on ``app``."""
    context = app.state.context
    assert isinstance(context, AppContext)
    return context
