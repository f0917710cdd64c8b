"""The application factory: ``create_app(settings)`` builds the FastAPI app.

Set-up happens here, once per process: the data directory, the session secret,
the schema check (SQLite is migrated automatically, other databases must be current),
the courses, the templates.  ``tutor serve`` does the same set-up once before its
workers start, so workers only find everything ready.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from exercises.grade import Grader
from tutor.settings import Settings, get_settings
from web import errors, setup
from web.courses import CourseStore, course_dirs
from web.db import make_engine
from web.deps import csrf_protect
from web.limits import BodyLimits, RequestLimits
from web.observe import RequestMiddleware
from web.render import check_label, markdown_cached
from web.routes import api, auth, exercises, instructor, learn, notebooks, ops, tutor
from web.tutoring import SHORTCUTS, make_tutor

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
    templates.env.globals["shortcuts"] = SHORTCUTS
    return templates


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # A few worker threads beat anyio's default 40: the page work is short and
    # CPU-bound, and 40 threads contending for the GIL slow every request down.
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    app.state.courses.start_watching()
    yield
    app.state.courses.stop_watching()
    close = getattr(app.state.tutor.backend, "aclose", None)
    if close is not None:  # the model client's connections belong to this event loop
        await close()
    app.state.engine.dispose()
    await to_thread.run_sync(app.state.grader.close)  # waits for the runners to exit


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    grader = Grader(settings.sandbox)  # runners start on the first submission
    setup.ensure_data_dir(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        setup.prepare_schema(settings, engine)
    except BaseException:
        engine.dispose()
        raise
    app = FastAPI(
        title="Tutor",
        description=API_DESCRIPTION,
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.grader = grader
    app.state.secret = setup.session_secret(settings)
    app.state.courses = CourseStore(course_dirs(settings))
    app.state.templates = _templates()
    app.state.tutor = make_tutor(settings, engine)
    errors.install(app)
    app.add_middleware(RequestLimits, limits=BodyLimits.from_settings(settings), engine=engine)
    app.add_middleware(RequestMiddleware, secret=app.state.secret)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # the lesson page, the busiest, is matched first (no two routers share a path)
    for module in (learn, ops, auth, tutor, exercises, notebooks, instructor, api):
        app.include_router(module.router, dependencies=[Depends(csrf_protect)])
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory``: settings from the environment, JSON logs."""
    from web.observe import configure_logging

    configure_logging()
    return create_app(Settings())
