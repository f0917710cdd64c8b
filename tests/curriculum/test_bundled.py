"""Every bundled course validates, and its YAML files carry the schema line."""

from __future__ import annotations

import pytest

from curriculum import bundled_course_dirs, load_course
from curriculum.model import FileRef


def test_every_bundled_course_validates() -> None:
    dirs = bundled_course_dirs()
    assert "python-backend" in dirs
    for course_id, folder in dirs.items():
        course = load_course(folder)
        assert course.id == course_id


def test_flagship_course_is_python_backend_development() -> None:
    course = load_course(bundled_course_dirs()["python-backend"])
    assert course.title == "Python Backend Development"
    assert course.continue_prompt == "Would you like me to continue to Section {number} ({title})?"
    assert len(course.sections) == 7


def test_loaded_courses_hold_no_file_references() -> None:
    for folder in bundled_course_dirs().values():
        dumped = load_course(folder).model_dump_json()
        assert '{"file":' not in dumped.replace(" ", "")
        assert FileRef.__name__ not in dumped


def test_bundled_yaml_files_start_with_the_schema_line() -> None:
    for folder in bundled_course_dirs().values():
        for path in [folder / "course.yaml", *sorted((folder / "sections").glob("*.yaml"))]:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            ref = first.split("$schema=", 1)[1]
            assert (path.parent / ref).resolve().is_file(), (path, ref)


def test_source_text_gives_the_text_of_a_loaded_source() -> None:
    from curriculum.model import source_text

    course = load_course(bundled_course_dirs()["python-backend"])
    lessons = [p.lesson for s in course.sections for t in s.topics for p in t.points if p.lesson]
    assert lessons
    assert all(isinstance(source_text(lesson.code.source), str) for lesson in lessons)
    with pytest.raises(ValueError, match="was not read"):
        source_text(FileRef(file="x.py"))
