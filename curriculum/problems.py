"""Problems found in a course: what instructors see from ``tutor validate``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, located at ``file:line:column`` (1-based; 0 when unknown)."""

    file: Path
    line: int
    column: int
    message: str
    source_line: str = ""

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else str(self.file)
        head = f"{where}: {self.message}"
        return f"{head}\n    {self.source_line}" if self.source_line else head


class CourseInvalid(Exception):
    """Raised by the loader with every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in course")
