"""The roadmap importer: every seed imports into a valid course; seed 004 is the flagship."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import bundled_course_dirs, load_course
from curriculum.importer import (
    ImportFailed,
    clean_title,
    continue_prompt,
    import_file,
    import_roadmap,
)
from curriculum.model import Course
from curriculum.mojibake import repair
from curriculum.writer import write_course_folder
from tests.curriculum.conftest import seeds


def _import(text: str, out: Path) -> Course:
    result = import_roadmap(text, course_id="imported")
    write_course_folder(out, result.course, result.sections)
    return load_course(out)


@pytest.mark.parametrize("seed", seeds, ids=[s.name[:3] for s in seeds])
def test_every_seed_imports_into_a_valid_course(seed: Path, tmp_path: Path) -> None:
    course = _import(seed.read_text(encoding="utf-8"), tmp_path)
    assert course.sections
    titles = [p.title for s in course.sections for t in s.topics for p in t.points]
    assert titles
    mojibake = ("Ô∏", "‚Ä", "â€", "üë", "\uf8ff")
    assert not [t for t in titles if any(m in t for m in mojibake)]


def _titles(course: Course) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [
        (s.title, [(t.title, [p.title for p in t.points]) for t in s.topics])
        for s in course.sections
    ]


def test_seed_004_gives_the_flagship_course(tmp_path: Path) -> None:
    seed = next(s for s in seeds if s.name.startswith("004"))
    imported = _import(seed.read_text(encoding="utf-8"), tmp_path)
    bundled = load_course(bundled_course_dirs()["python-backend"])
    # the bundled points have tidy titles; the seed's own wording is kept as their brief
    seed_wording = [
        (s.title, [(t.title, [p.brief or p.title for p in t.points]) for t in s.topics])
        for s in bundled.sections
    ]
    assert _titles(imported) == seed_wording
    assert imported.guidelines == bundled.guidelines
    assert imported.kickoff == bundled.kickoff
    assert imported.continue_prompt == bundled.continue_prompt


def test_seed_000_mojibake_is_repaired(tmp_path: Path) -> None:
    seed = next(s for s in seeds if s.name.startswith("000"))
    course = _import(seed.read_text(encoding="utf-8"), tmp_path)
    assert course.sections[0].title == "Learn How Real Programs Are Structured"
    arrows = [
        p.title for s in course.sections for t in s.topics for p in t.points if "→" in p.title
    ]
    assert "**Backend engineer** → APIs, databases, scaling" in arrows


def test_repair_fixes_mojibake_and_keeps_good_text() -> None:
    assert repair("Use Pythonâ€™s `logging` module") == "Use Python’s `logging` module"
    assert repair("## 1Ô∏è‚É£ Learn") == "## 1️⃣ Learn"
    assert repair("Roadmap \uf8ffüêç") == "Roadmap 🐍"
    good = "Café naïve — “quoted” 1️⃣ Straße ½ © 👉 →"
    assert repair(good) == good


def test_clean_title_strips_numbering_and_decoration() -> None:
    assert clean_title("1️⃣ Learn How Real Programs Are Structured") == (
        "Learn How Real Programs Are Structured"
    )
    assert clean_title("2. Asynchronous Programming with asyncio") == (
        "Asynchronous Programming with asyncio"
    )
    assert clean_title("🐍 Python Learning Journey") == "Python Learning Journey"
    assert clean_title("Learn:") == "Learn"
    assert clean_title("Next 3 Projects") == "Next 3 Projects"


def test_continue_prompt_becomes_a_template() -> None:
    kickoff = "> **“Would you like me to continue to Section 2 (Async with asyncio)?”**"
    assert continue_prompt(kickoff) == (
        "Would you like me to continue to Section {number} ({title})?"
    )
    assert continue_prompt("Just start.") is None


ROADMAP = """\
# My Roadmap

What this is about.

## 1. Basics

Some words about basics.

### Syntax
- Variables and *types*
- The `print()` function

| a | b |
|---|---|
| 1 | 2 |

## 2. Projects

1. **CLI tool**
   - Parse arguments
   - Tests
2. **Web app**
   - Routes
"""


def test_structure_of_a_small_roadmap(tmp_path: Path) -> None:
    result = import_roadmap(ROADMAP, course_id="mine")
    assert result.course["title"] == "My Roadmap"
    assert result.course["description"] == "What this is about."
    assert result.notes == ["line 13: skipped a table (tables are not imported)"]
    write_course_folder(tmp_path, result.course, result.sections)
    course = load_course(tmp_path)
    assert _titles(course) == [
        ("Basics", [("Syntax", ["Variables and *types*", "The `print()` function"])]),
        ("Projects", [("CLI tool", ["Parse arguments", "Tests"]), ("Web app", ["Routes"])]),
    ]
    assert course.sections[0].summary == "Some words about basics."
    ids = [p.id for s in course.sections for t in s.topics for p in t.points]
    assert ids == [
        "variables-and-types",
        "the-print-function",
        "parse-arguments",
        "tests",
        "routes",
    ]


def test_ids_stay_unique_when_titles_repeat() -> None:
    text = "## A\n### Learn\n- x\n## B\n### Learn\n- x\n"
    result = import_roadmap(text, course_id="c")
    topic_ids = [t["id"] for s in result.sections for t in s["topics"]]
    point_ids = [p["id"] for s in result.sections for t in s["topics"] for p in t["points"]]
    assert topic_ids == ["learn", "b-learn"]
    assert point_ids == ["x", "b-learn-x"]


def test_a_document_without_lists_is_refused() -> None:
    with pytest.raises(ImportFailed):
        import_roadmap("# Title\n\nJust prose.\n")


def test_a_file_that_is_not_utf8_is_read_as_windows_1252_with_a_note(tmp_path: Path) -> None:
    source = tmp_path / "roadmap.md"
    source.write_bytes(b"# Caf\xe9 course\n## Basics\n- Na\xefve \x93quotes\x94\n")
    result = import_file(source, course_id="cafe")
    assert result.course["title"] == "Café course"
    assert result.sections[0]["topics"][0]["points"][0]["title"] == "Naïve “quotes”"
    assert result.notes[0] == "not UTF-8 (byte 0xe9 at byte offset 5): read as Windows-1252"


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "roadmap.md"
    source.write_bytes(b"\x7fELF\x02\x01\x00\x00# Title\n- a\n")
    with pytest.raises(ImportFailed, match="a binary file, not markdown text"):
        import_file(source)
