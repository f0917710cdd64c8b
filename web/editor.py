"""The in-browser course editor: validate an edited file with the whole course, then save."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from curriculum import Course, CourseInvalid, Problem, load_course
from web.courses import EDITABLE_SUFFIXES

MAX_FILE_BYTES = 512 * 1024
# The code editor's highlighting for a file, by extension (frontend/editor.mjs knows these
# names); any other editable file is plain text.
LANGUAGES = {".yaml": "yaml", ".yml": "yaml", ".py": "python", ".md": "markdown"}


class EditError(Exception):
    """The requested file cannot be edited (outside the course, wrong type, too large)."""


def editable_files(course_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(course_dir))
        for p in course_dir.rglob("*")
        if p.is_file() and p.suffix in EDITABLE_SUFFIXES and "__pycache__" not in p.parts
    )


def language_of(name: str) -> str:
    """The code editor's language for file ``name``: yaml, python, markdown or text."""
    return LANGUAGES.get(Path(name).suffix.lower(), "text")


@dataclass
class Folder:
    """A folder of the file tree: its name, its sub-folders and its files (relative paths)."""

    name: str
    path: str
    folders: list[Folder] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def file_tree(course_dir: Path) -> Folder:
    """The course's editable files as a tree of folders (folders first, by name)."""
    root = Folder("", "")
    for name in editable_files(course_dir):
        parts = name.split("/")
        folder = root
        for i, part in enumerate(parts[:-1]):
            nxt = next((f for f in folder.folders if f.name == part), None)
            if nxt is None:
                nxt = Folder(part, "/".join(parts[: i + 1]))
                folder.folders.append(nxt)
            folder = nxt
        folder.files.append(name)
    return root


def resolve_file(course_dir: Path, name: str) -> Path:
    """``name`` as an existing editable file inside ``course_dir``; anything else is refused."""
    if name not in editable_files(course_dir):
        raise EditError(f"{name!r} is not an editable file of this course.")
    path = (course_dir / name).resolve()
    if not path.is_relative_to(course_dir.resolve()):
        raise EditError("That file is outside the course.")
    return path


def relative_problem(problem: Problem, root: Path) -> Problem:
    """``problem`` naming its file relative to the course folder ``root``, never a server
    path (a file outside the course is named by its file name only)."""
    try:
        rel = Path(problem.file).resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(Path(problem.file).name)
    message = problem.message.replace(str(root.resolve()) + "/", "").replace(str(root) + "/", "")
    return Problem(rel, problem.line, problem.column, message, problem.source_line)


def load_edited(course_dir: Path, name: str, content: str) -> Course | list[Problem]:
    """The course as it would be with ``content`` in file ``name`` (nothing written), or
    its problems, each naming its file relative to the course."""
    if len(content.encode("utf-8")) > MAX_FILE_BYTES:
        raise EditError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB.")
    resolve_file(course_dir, name)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / course_dir.name
        shutil.copytree(course_dir, tmp, ignore=shutil.ignore_patterns("__pycache__"))
        (tmp / name).write_text(content, encoding="utf-8")
        try:
            return load_course(tmp)
        except CourseInvalid as exc:
            return [relative_problem(p, tmp) for p in exc.problems]
        except (OSError, ValueError) as exc:
            return [Problem(Path(name), 0, 0, f"cannot load: {exc}")]


def validate_edit(course_dir: Path, name: str, content: str) -> list[Problem]:
    """Problems the course would have with ``content`` in file ``name`` (nothing written)."""
    loaded = load_edited(course_dir, name, content)
    return loaded if isinstance(loaded, list) else []


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
