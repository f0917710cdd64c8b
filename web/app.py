"""The composition root: ``create_app(settings)`` builds the FastAPI app.

Set-up happens here, once per process: the data directory, the session secret,
the schema check (SQLite is migrated automatically, other databases must be current),
the courses, the templates, the tutor and the grader, all kept in one
:class:`~web.context.AppContext`.  ``tutor serve`` does the same set-up once before its
workers start, so workers only find everything ready.  The app's lifespan starts and
stops what runs in the background: the course watcher, the grading runners (started
with the served app; at the first check otherwise) and the renewal of their checks'
leases, the model client's connections and the database pool.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from pathlib import Path

from anyio import create_task_group, to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from web import errors, setup
from web.accounts import dummy_hash
from web.context import AppContext, context_of
from web.courses import CourseStore, course_dirs
from web.db import make_engine
from web.deps import csrf_protect
from web.gradebook import query_string
from web.grading import GradingGate
from web.joinlimit import JoinGuesses
from web.limits import BodyLimits, RequestLimits
from web.observe import RequestMiddleware
from web.passwords import PasswordGate
from web.render import check_label, guard_label, inline, markdown, markdown_cached, plain
from web.routes import (
    api,
    auth,
    authoring,
    classes,
    classes_api,
    course_tools,
    exercise_help,
    exercises,
    instructor,
    learn,
    learner_admin,
    learner_data_api,
    notebooks,
    ops,
    reset,
    sections,
    tutor,
)
from web.services.drafts import draft_quota
from web.settings import WebSettings
from web.tutoring import SHORTCUTS, make_tutor
from web.wording import counted

HERE = Path(__file__).parent
WORKER_THREADS = 8

API_DESCRIPTION = """The Tutor JSON API: courses, your progress and attempts, and class data
for instructors. It uses the browser session cookie; state-changing calls need the
`X-CSRF-Token` header (the value is in the `csrf-token` meta tag of every page)."""


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.auto_reload = False  # templates ship with the package: no stat per render
    templates.env.globals["markdown"] = markdown_cached
    templates.env.filters["check_label"] = check_label
    templates.env.filters["combine_query"] = query_string
    templates.env.filters["inline"] = inline
    templates.env.filters["plain"] = plain
    templates.env.filters["counted"] = counted
    templates.env.filters["guard_label"] = guard_label
    templates.env.filters["markdown_once"] = markdown  # rarely seen text: not cached
    templates.env.globals["shortcuts"] = SHORTCUTS
    return templates


def _keep_start_up_objects() -> None:
    """Move every object alive after set-up (courses, templates, modules: about 200,000)
    out of the garbage collector's sight, until the app stops (:func:`gc.freeze`).

    Requests in flight when a young collection runs push their short-lived objects into
    the oldest generation, so under load a full collection came about once a second and
    walked every start-up object each time (measured: 8 in 10 s at 50 clients, 0.1-0.7 s
    each: the lesson page's p99). These objects live as long as the app anyway.
    """
    gc.freeze()


def _lifespan(*, start_grader: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A few worker threads beat anyio's default 40: the page work is short and
        # CPU-bound, and 40 threads contending for the GIL slow every request down.
        # (Grading has threads of its own: see web.grading.)
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        context = context_of(app)
        context.courses.start_watching()
        _keep_start_up_objects()
        async with create_task_group() as tasks:
            # the runners start beside the first requests: lessons need no grader
            tasks.start_soon(partial(context.grading.start, warm=start_grader))
            # so the first unknown email's login takes as long as the others
            tasks.start_soon(partial(to_thread.run_sync, dummy_hash))
            tasks.start_soon(context.grading.renew_leases)
            yield
            tasks.cancel_scope.cancel()
        gc.unfreeze()  # collectable again (another app may start in this process: tests)
        await context.grading.stop()
        context.courses.stop_watching()
        close = getattr(context.tutor.backend, "aclose", None)
        if close is not None:  # the model client's connections belong to this event loop
            await close()
        context.db_engine.dispose()

    return lifespan


def _context(settings: WebSettings, db_engine: Engine) -> AppContext:
    grading = GradingGate(
        sandbox=settings.sandbox,
        db_engine=db_engine,
        runners=settings.grading_runners,
        queue=settings.grading_queue,
        per_learner=settings.checks_per_learner,
        runs_per_minute=settings.runs_per_minute,
        max_wait_s=settings.grading_wait_s,
    )
    return AppContext(
        settings=settings,
        db_engine=db_engine,
        secret=setup.session_secret(settings),
        courses=CourseStore(
            course_dirs(settings),
            discover=lambda: course_dirs(settings),
            root=settings.courses_dir,
        ),
        templates=_templates(),
        tutor=make_tutor(settings, db_engine),
        grading=grading,
        passwords=PasswordGate(queue=settings.login_queue),
        drafts=draft_quota(settings.drafts_per_minute),
        join_guesses=JoinGuesses.per_hour(
            account=settings.join_failures_per_hour,
            address=settings.join_failures_per_address_per_hour,
        ),
    )


def create_app(settings: WebSettings | None = None, *, start_grader: bool = False) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment, validated now).

    The grader is closed when the app stops. ``start_grader`` starts its runners when
    the app starts (as ``tutor serve`` does); otherwise they start at the first check.
    """
    settings = settings or WebSettings()
    setup.ensure_data_dir(settings)
    db_engine = make_engine(settings.effective_database_url)
    try:
        setup.prepare_schema(settings, db_engine)
        context = _context(settings, db_engine)
    except BaseException:
        db_engine.dispose()
        raise
    app = FastAPI(
        title="Tutor",
        description=API_DESCRIPTION,
        version="0.1.0",
        docs_url=None,  # /docs is web.routes.ops.api_docs: Swagger UI from /static
        redoc_url=None,
        lifespan=_lifespan(start_grader=start_grader),
    )
    app.state.context = context  # the one thing kept on the app: see web.context
    errors.install(app)
    app.add_middleware(
        RequestLimits, limits=BodyLimits.from_settings(settings), engine=context.db_engine
    )
    app.add_middleware(RequestMiddleware, secret=context.secret)
    app.router.routes.extend(learn.plain_routes)  # the lesson page, the busiest, first
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # the learner pages next (no two routers share a path)
    routers = (
        learn,
        ops,
        auth,
        tutor,
        exercises,
        exercise_help,
        notebooks,
        sections,
        instructor,
        course_tools,
        authoring,
        learner_admin,
    )
    for module in (*routers, classes, api, classes_api, learner_data_api, reset):
        app.include_router(module.router, dependencies=[Depends(csrf_protect)])
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from the environment, JSON logs."""
    from web.observe import configure_logging

    configure_logging()
    return create_app(WebSettings(), start_grader=True)
