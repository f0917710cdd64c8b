"""An event log in JSON Lines: atomic writes, tolerant reads.

- `write_events(path, events)` writes one compact JSON object per line (UTF-8, non-ASCII
  characters kept as they are, not `\\u` escapes) and replaces the file **atomically**:
  if anything fails half-way, the old file is left untouched and no temporary file stays.
- `read_events(path)` returns `{"events": [...], "bad_lines": [...]}`: every line that
  holds a JSON object, in order; blank lines are skipped; the 1-based numbers of lines
  that are not valid JSON objects go to `bad_lines`.
"""

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_events(path: Path, events: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for event in events:
            f.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")


def read_events(path: Path) -> dict[str, list[Any]]:
    events: list[Any] = []
    bad: list[int] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                bad.append(number)
                continue
            if isinstance(value, dict):
                events.append(value)
            else:
                bad.append(number)
    return {"events": events, "bad_lines": bad}


# --- given: used by the grader ----------------------------------------------------
def round_trip(events: list[dict[str, Any]], appended: str = "") -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        write_events(path, events)
        raw = path.read_text(encoding="utf-8")
        if appended:
            with path.open("a", encoding="utf-8") as f:
                f.write(appended)
        return {**read_events(path), "raw": raw, "files": sorted(os.listdir(tmp))}


def failed_overwrite(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Write `events`, then try to overwrite them with data that cannot be serialised."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        write_events(path, events)
        try:
            write_events(path, [{"id": 99}, {"id": 100, "tags": {"not", "json"}}])
            error = None
        except TypeError as err:
            error = str(err)
        return {**read_events(path), "error": error, "files": sorted(os.listdir(tmp))}
