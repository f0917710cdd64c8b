"""Parsing generated markdown into the authored lesson model."""

from __future__ import annotations

from curriculum.model import Course
from tutor.lesson_parse import lesson_markdown, parse_lesson

COMPLETE = """## Explanation

Routes map paths to functions.

## Code example

```python
from fastapi import FastAPI

app = FastAPI()
```

## What the code does

It creates an app.

## Practical notes

Keep handlers small.

```python
def broken(:
```

## Summary

Routes.

## Try it yourself

Add a route.
"""


def test_complete_lesson_parses_into_the_six_parts() -> None:
    parsed = parse_lesson(COMPLETE)
    assert parsed.complete
    assert parsed.lesson.explanation == "Routes map paths to functions."
    assert parsed.lesson.code.source == "from fastapi import FastAPI\n\napp = FastAPI()\n"
    assert parsed.lesson.code.runnable
    assert parsed.lesson.try_it == "Add a route."
    assert parsed.unverified == [
        "the code in “Practical notes” block 1 does not parse (line 1: invalid syntax)"
    ]


def test_missing_parts_are_flagged_with_a_notice() -> None:
    parsed = parse_lesson(
        "## Explanation\n\nHalf a lesson\n\n## Code example\n\n```python\nx = (\n"
    )
    assert not parsed.complete
    assert parsed.missing == ["walkthrough", "notes", "summary", "try_it"]
    assert parsed.notices[0] == (
        "This lesson is incomplete: missing What the code does, Practical notes, Summary, "
        "Try it yourself."
    )
    assert parsed.lesson.code.not_runnable is not None
    assert "does not parse" in parsed.lesson.code.not_runnable


def test_authored_lessons_round_trip(mini: Course) -> None:
    authored = mini.sections[0].topics[0].points[0].lesson
    assert authored is not None
    parsed = parse_lesson(lesson_markdown(authored))
    assert parsed.complete
    assert parsed.lesson == authored
