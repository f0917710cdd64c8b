"""Schema migrations (Alembic, shipped in ``web/migrations``): apply, or check current."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db_engine: Engine) -> str | None:
    with db_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(db_engine: Engine) -> bool:
    return current_revision(db_engine) == head_revision()


def upgrade(db_engine: Engine) -> None:
    """Apply every pending migration."""
    cfg = _config()
    with db_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def autogenerate(db_engine: Engine, message: str) -> None:
    """Developer helper: write a new migration from the models' difference to the DB."""
    cfg = _config()
    with db_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
