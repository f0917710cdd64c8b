"""An outside reader of a running server's SQLite file (an operator's ``sqlite3
tutor.sqlite3 .backup ...``, a report script) must not make the server lose data.

Opening and closing the database file in the server process once dropped the POSIX
locks of its pooled connections; the outside connection, on closing, then believed it
was the last, checkpointed and deleted the WAL under the running server, and the
server's later commits were invisible to everyone else and lost at shutdown.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.web.server import Browser, Server

pytestmark = pytest.mark.slow


def _users(database: Path) -> int:
    outside = sqlite3.connect(database)
    try:
        return int(outside.execute("SELECT count(*) FROM user").fetchone()[0])
    finally:
        outside.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_commits_survive_an_outside_reader(tmp_path: Path, workers: int) -> None:
    data = tmp_path / "data"
    database = data / "tutor.sqlite3"
    server = Server({"TUTOR_DATA_DIR": str(data), "DATABASE_URL": ""}, workers=workers).start()
    browser = Browser(server.url)
    try:
        browser.signup("first@example.org")
        assert _users(database) == 1  # the outside reader opens and closes the file
        assert database.with_name("tutor.sqlite3-wal").exists(), "the WAL was deleted"
        second = Browser(server.url)
        second.signup("second@example.org")
        second.close()
        assert _users(database) == 2, "a commit after the outside read is invisible"
    finally:
        browser.close()
        server.stop()
    assert _users(database) == 2, "a commit was lost when the server stopped"
