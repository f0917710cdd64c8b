"""``tutor new``: a small valid course whose comments teach the format."""

from __future__ import annotations

import json
from pathlib import Path

from curriculum.schema import schema_header, write_schemas
from curriculum.writer import COURSE_SCHEMA_REF, SCHEMA_FOLDER, SECTION_SCHEMA_REF

COURSE_YAML = """\
# A Tutor course: this file, plus one file per section under sections/.
# Check it any time with:   tutor validate __DIR__
# See it as a tree with:    tutor show __DIR__
# The first line lets editors with the YAML language server autocomplete keys and
# underline mistakes, using the JSON Schemas in .schema/ (regenerate: tutor schema).

schema_version: 1        # the format version; this Tutor reads version 1
id: __ID__               # a stable id (a slug): lowercase letters, digits, single hyphens
title: __TITLE__
description: >-
  One paragraph (markdown) telling learners what the course covers.
audience: >-
  Who it is for and what they should know already.
kind: course             # "course" (authored lessons) or "roadmap" (a list of points)

# The teaching pattern the tutor applies to every point. Leave `guidelines` out to
# use the default five steps (explain, show code, explain the code, practical notes,
# summary + try it yourself); give it to replace them; `extra_guidelines` adds steps.
extra_guidelines:
  - name: Check understanding
    instruction: Ask one short question about the point before moving on.

# What the tutor says first, and the question it asks at the end of each section.
# {number} and {title} are filled in with the next section's number and title.
kickoff: |-
  Begin with **Section 1**. Follow the teaching guidelines for every point.
continue_prompt: Would you like me to continue to Section {number} ({title})?
# Offered when a learner comes back: {point}, {number} and {title} are filled in.
resume_prompt: "Shall we pick up where we left off: {point} (Section {number}, {title})?"

# The sections, in order: file paths relative to this file. (A single-file course
# may write sections inline here instead.)
sections:
  - sections/01-first-steps.yaml
  - sections/02-next-steps.yaml
"""

SECTION_1 = """\
# A section: topics, each with points (the roadmap bullets the tutor teaches).
# Ids are unique across the whole course, so progress survives reordering and
# retitling: change titles freely, keep ids.
id: first-steps
title: First Steps
summary: What this section is about (markdown, optional).
topics:
  - id: functions
    title: Functions
    points:
      - id: defining-functions
        title: Defining a function with `def`
        # An authored lesson has the six parts of the teaching pattern. Points without
        # a lesson are taught by the model from the title and the guidelines.
        lesson:
          explanation: |
            A function packages steps under a name so you can reuse them.
          code:
            language: python
            # Inline text, or {file: path} relative to this YAML file.
            source: |
              def greet(name: str) -> str:
                  return f"Hello, {name}!"

              print(greet("Ada"))
          walkthrough: |
            `def` names the function, the parameters go in parentheses, and
            `return` hands the result back to the caller.
          notes: |
            Keep functions small and give them names that say what they return.
          summary: |
            `def name(params):` then an indented body; `return` gives the result.
          try_it: |
            Write `shout(text)` that returns the text in capitals with a `!`.
          exercise: add-numbers   # the id of an exercise in this course (optional)
      - id: calling-functions
        title: Calling a function and using its result
    # Exercises attach to a topic (here) or to a section (see the next file).
    exercises:
      - id: add-numbers
        kind: code           # code: learner code graded by checks, in a sandbox
        title: Add two numbers
        prompt: |
          Write a function `add(a, b)` that returns the sum of `a` and `b`.
        # Files are relative to this YAML file and must stay inside the course folder.
        starter: {file: ../exercises/add-numbers/starter.py}
        solution: {file: ../exercises/add-numbers/solution.py}
        checks: {file: ../exercises/add-numbers/checks.py}   # see docs/writing-checks.md
        hints:
          - Use the `+` operator.
        mistakes:
          - message: Return the sum; printing it is not the same as returning it.
            failing_check: test_adds_two_numbers
            sample: |
              def add(a, b):
                  print(a + b)
        limits: {time_s: 2, memory_mb: 256}
"""

SECTION_2 = """\
id: next-steps
title: Next Steps
topics:
  - id: choosing-names
    title: Choosing names
    points:
      - id: readable-names
        title: Names that say what a value is
    exercises:
      - id: names-quiz
        kind: quiz           # quiz: single, multiple or short answers, graded at once
        title: Good names
        prompt: Pick the best answer.
        questions:
          - id: best-name       # question ids are unique within their quiz
            type: single
            prompt: Which name best describes a list of user emails?
            options:
              - text: "`data`"
                explanation: Too vague.
              - text: "`user_emails`"
                correct: true
          - id: keyword
            type: short
            prompt: Which keyword defines a function?
            answers: [def]
# Exercises on the whole section.
exercises:
  - id: explain-a-function
    kind: self-check     # self-check: the learner ticks a rubric, then sees a model answer
    title: Explain a function to a friend
    prompt: In a few sentences, explain what a function is and why it helps.
    rubric:
      - I said what a function is.
      - I gave one reason to use functions.
    model_answer: |
      A function is a named block of code that takes inputs and returns a result;
      it lets you reuse logic and test it on its own.
"""

STARTER = '''\
def add(a, b):
    """Return the sum of a and b."""
    raise NotImplementedError
'''

SOLUTION = '''\
def add(a, b):
    """Return the sum of a and b."""
    return a + b
'''

CHECKS = '''\
"""Checks for add-numbers: trusted code that reaches the learner's code only through data."""


def test_adds_two_numbers(submission):
    assert submission.call("add", 2, 3) == 5


def test_adds_negative_numbers(submission):
    assert submission.call("add", -4, 1) == -3
'''


def scaffold(out: Path, course_id: str, title: str) -> list[Path]:
    """Write the example course into ``out``; return the files written."""
    files = {
        "course.yaml": schema_header(COURSE_SCHEMA_REF)
        + COURSE_YAML.replace("__DIR__", str(out))
        .replace("__ID__", course_id)
        .replace("__TITLE__", json.dumps(title, ensure_ascii=False)),
        "sections/01-first-steps.yaml": schema_header(SECTION_SCHEMA_REF) + SECTION_1,
        "sections/02-next-steps.yaml": schema_header(SECTION_SCHEMA_REF) + SECTION_2,
        "exercises/add-numbers/starter.py": STARTER,
        "exercises/add-numbers/solution.py": SOLUTION,
        "exercises/add-numbers/checks.py": CHECKS,
    }
    written = write_schemas(out / SCHEMA_FOLDER)
    for name, text in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
