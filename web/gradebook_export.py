"""A gradebook as CSV (cells that could start a spreadsheet formula are neutralised)
and as JSON, written a chunk of learners at a time (the downloads stream)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from web.classdata import safe_cell
from web.gradebook import Cell, Column, Row


def _time(moment: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` (UTC), or empty."""
    return moment.replace(tzinfo=None).isoformat(" ", "minutes") if moment is not None else ""


def csv_header(columns: list[Column]) -> list[str]:
    """Email, totals, then five cells per exercise."""
    header = ["email", "exercises passed", "attempts", "last attempt"]
    for c in columns:
        key = safe_cell(c.key)
        header += [
            f"{key} status",
            f"{key} best %",
            f"{key} attempts",
            f"{key} last",
            f"{key} late",
        ]
    return header


def csv_lines(rows: Iterable[Row], header: list[str] | None = None) -> str:
    """CSV text: ``header`` (if given), then one line per learner."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        line: list[object] = [safe_cell(row.email), row.passed, row.attempts, _time(row.last)]
        for cell in row.cells:
            best = "" if cell.best is None else cell.best
            line += [
                cell.status,
                best,
                cell.attempts,
                _time(cell.last),
                "late" if cell.late else "",
            ]
        writer.writerow(line)
    return out.getvalue()


def _cell_json(cell: Cell) -> dict[str, Any]:
    return {
        "status": cell.status,
        "best": cell.best,
        "attempts": cell.attempts,
        "last_attempt": cell.last.isoformat() if cell.last else None,
        "late": cell.late,
    }


def json_head(class_id: int, name: str, columns: list[Column]) -> str:
    """The JSON document up to the opening of its ``learners`` list."""
    head = {
        "class_id": class_id,
        "name": name,
        "exercises": [
            {
                "key": c.key,
                "course_id": c.course_id,
                "exercise_id": c.exercise_id,
                "title": c.title,
                "kind": c.kind,
                "due_at": c.due_at.isoformat() if c.due_at else None,
            }
            for c in columns
        ],
    }
    return json.dumps(head)[:-1] + ', "learners": ['


JSON_TAIL = "]}"


def json_rows(columns: list[Column], rows: Iterable[Row], *, first: bool) -> str:
    """The ``learners`` entries of these rows, comma-separated (a leading comma unless
    they are the ``first``)."""
    items = [
        json.dumps(
            {
                "user_id": r.user_id,
                "email": r.email,
                "exercises_passed": r.passed,
                "attempts": r.attempts,
                "last_attempt": r.last.isoformat() if r.last else None,
                "cells": {
                    c.key: _cell_json(cell) for c, cell in zip(columns, r.cells, strict=True)
                },
            }
        )
        for r in rows
    ]
    text = ", ".join(items)
    return text if first or not text else ", " + text
