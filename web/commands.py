"""The web app's subcommands of ``tutor``: ``serve``, ``db upgrade``, ``user create``.

Registered through the ``tutor.commands`` entry point (see ``tutor.cli``). Every
command reads and validates the web settings first, so a bad value is a clear exit-2
error before anything starts. The app itself is imported lazily, inside each command.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
from typing import Annotated

import typer

from tutor.cli.common import fail, read_settings
from web.settings import WebSettings

db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)
user_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)


def _metrics_dir(settings: WebSettings, workers: int) -> None:
    """Several workers share Prometheus metrics through a directory in the data dir."""
    if workers <= 1 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    path = settings.data_dir / "metrics"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    proxy_headers: Annotated[
        bool, typer.Option(help="Trust X-Forwarded-Proto/For from --forwarded-allow-ips.")
    ] = False,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="Proxies trusted for forwarded headers.")
    ] = "127.0.0.1",
) -> None:
    """Start the web app on the bundled courses (SQLite in the data directory; no model needed)."""
    import uvicorn

    from web.app import create_app
    from web.context import context_of
    from web.observe import configure_logging
    from web.protocol import PROTOCOL
    from web.setup import SetupError, first_instructor_notice

    settings = read_settings(WebSettings)
    configure_logging()
    try:
        app = create_app(settings)  # one-time set-up before workers start: dir, secret, schema
    except SetupError as exc:
        fail(str(exc), 1)
    url = f"http://{host}:{port}"
    context = context_of(app)
    notice = first_instructor_notice(context.db_engine, context.secret, url)
    context.db_engine.dispose()
    del app, context  # the served app is built again by the factory: free this one now,
    gc.collect()  # before the served app's start-up objects are frozen with its garbage
    os.environ.setdefault("TUTOR_DATA_DIR", str(settings.data_dir))
    _metrics_dir(settings, workers)
    typer.echo(f"Tutor on {url}  (data: {settings.data_dir})", err=True)
    if notice:
        typer.echo(notice, err=True)
    uvicorn.run(
        "web.app:app_from_env",
        factory=True,
        # The standard asyncio loop, not uvloop: under full CPU load uvloop keeps reading
        # new requests before flushing finished responses, which multiplied p99 latency
        # by 10 (docs/operating.md, "Tail latency").
        loop="asyncio",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        log_config=None,
        access_log=False,
        http=PROTOCOL,  # uvicorn's httptools protocol with a header deadline and size cap
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.max_connections,
    )


def db_upgrade() -> None:
    """Apply pending database migrations."""
    from web import migrate
    from web.db import make_engine
    from web.setup import ensure_data_dir

    settings = read_settings(WebSettings)
    ensure_data_dir(settings)
    db_engine = make_engine(settings.effective_database_url)
    before = migrate.current_revision(db_engine)
    migrate.upgrade(db_engine)
    after = migrate.current_revision(db_engine)
    db_engine.dispose()
    typer.echo(f"database at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


def user_create(
    email: Annotated[str, typer.Argument(help="The account's email.")],
    instructor: Annotated[bool, typer.Option(help="Give the account the instructor role.")] = False,
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account (prompts for the password unless --password-stdin)."""
    from sqlmodel import Session

    from web.accounts import AccountError, create_user
    from web.db import make_engine
    from web.setup import SetupError, ensure_data_dir, prepare_schema

    settings = read_settings(WebSettings)
    ensure_data_dir(settings)
    db_engine = make_engine(settings.effective_database_url)
    try:
        prepare_schema(settings, db_engine)
    except SetupError as exc:
        fail(str(exc), 1)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Session(db_engine) as db:
        try:
            account = create_user(db, email, password, instructor=instructor)
        except AccountError as exc:
            fail(str(exc), 1)
            return
    typer.echo(f"created {account.user.email} as {account.user.role}")


def register(app: typer.Typer) -> None:
    """Add this area's subcommands to ``app``."""
    app.command("serve")(serve)
    db_app.command("upgrade")(db_upgrade)
    user_app.command("create")(user_create)
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
