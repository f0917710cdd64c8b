"""The in-browser course editor: validate an edited file with the whole course, then save."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from curriculum import CourseInvalid, Problem, load_course
from web.courses import EDITABLE_SUFFIXES

MAX_FILE_BYTES = 512 * 1024


class EditError(Exception):
    """The requested file cannot be edited (outside the course, wrong type, too large)."""


def editable_files(course_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(course_dir))
        for p in course_dir.rglob("*")
        if p.is_file() and p.suffix in EDITABLE_SUFFIXES and "__pycache__" not in p.parts
    )


def resolve_file(course_dir: Path, name: str) -> Path:
    """``name`` as an existing editable file inside ``course_dir``; anything else is refused."""
    if name not in editable_files(course_dir):
        raise EditError(f"{name!r} is not an editable file of this course.")
    path = (course_dir / name).resolve()
    if not path.is_relative_to(course_dir.resolve()):
        raise EditError("That file is outside the course.")
    return path


def _relocate(problem: Problem, tmp: Path, course_dir: Path) -> Problem:
    try:
        rel = Path(problem.file).resolve().relative_to(tmp.resolve())
    except ValueError:
        return problem
    return Problem(
        course_dir / rel, problem.line, problem.column, problem.message, problem.source_line
    )


def validate_edit(course_dir: Path, name: str, content: str) -> list[Problem]:
    """Problems the course would have with ``content`` in file ``name`` (nothing written)."""
    if len(content.encode("utf-8")) > MAX_FILE_BYTES:
        raise EditError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB.")
    resolve_file(course_dir, name)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / course_dir.name
        shutil.copytree(course_dir, tmp, ignore=shutil.ignore_patterns("__pycache__"))
        (tmp / name).write_text(content, encoding="utf-8")
        try:
            load_course(tmp)
        except CourseInvalid as exc:
            return [_relocate(p, tmp, course_dir) for p in exc.problems]
        except (OSError, ValueError) as exc:
            return [Problem(course_dir / name, 0, 0, f"cannot load: {exc}")]
    return []


def save_file(course_dir: Path, name: str, content: str) -> None:
    """Write atomically (temp file + rename) so readers never see half a file.

    The new file keeps the old one's permission bits (``mkstemp`` would make it 0600).
    """
    path = resolve_file(course_dir, name)
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".edit-", suffix=path.suffix)
    os.fchmod(fd, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    Path(tmp).replace(path)
