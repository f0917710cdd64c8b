"""A JSON log formatter that never leaks secrets.

TODO: implement `JsonFormatter.format(record)` so that it returns ONE line of JSON with
- "level": the level name in lower case ("info", "error"...),
- "logger": the logger name,
- "event": the formatted message (`record.getMessage()`),
- every field passed with `extra=` (attributes a plain LogRecord doesn't have), except
  that the value of any field named in SECRET_FIELDS becomes "***",
- "exc": the formatted traceback, only when the record carries exception info.
Values that JSON cannot represent (dates, objects...) are written with `str()`.
"""

import logging
import sys
from datetime import date
from typing import Any

SECRET_FIELDS = {"password", "token", "authorization", "card_number"}
STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record)


# --- used by the grader -------------------------------------------------------------
def _record(
    level: int, message: str, extra: dict[str, Any] | None, exc_info: Any = None
) -> logging.LogRecord:
    return logging.getLogger("payments").makeRecord(
        "payments", level, __file__, 1, message, (), exc_info, extra=extra
    )


def render(level: str, message: str, extra: dict[str, Any] | None = None) -> str:
    """Format one record (level name such as "INFO") with JsonFormatter."""
    return JsonFormatter().format(_record(getattr(logging, level), message, extra))


def render_exception() -> str:
    """Format an ERROR record that carries a ValueError traceback."""
    try:
        raise ValueError("card declined")
    except ValueError:
        record = _record(logging.ERROR, "charge failed", None, sys.exc_info())
    return JsonFormatter().format(record)


def render_with_date() -> str:
    """Format a record whose extra field is a date (not JSON-serialisable)."""
    return JsonFormatter().format(_record(logging.INFO, "invoice due", {"due": date(2026, 11, 30)}))
