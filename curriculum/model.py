"""The course format: the Pydantic models are the single definition.

A course on disk is a folder with ``course.yaml`` and one file per section
under ``sections/``; a single-file course keeps its sections inline.  The
loader (``curriculum.loader``) reads either shape into a resolved
:class:`Course`, whose sections are always inline.
"""

from __future__ import annotations

import sys
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from curriculum.outline import Outline

SCHEMA_VERSION = 1
SUPPORTED_SCHEMA_VERSIONS = (1,)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
    Field(description="A stable id: lowercase letters, digits and single hyphens."),
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Markdown = Annotated[str, Field(description="Markdown text (raw HTML is not rendered).")]

DEFAULT_CONTINUE_PROMPT = "Would you like me to continue to Section {number} ({title})?"
DEFAULT_RESUME_PROMPT = "Shall we pick up where we left off: {point} (Section {number}, {title})?"


class Model(BaseModel):
    """Base for every format model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class GuidelineStep(Model):
    """One step of the teaching pattern the tutor applies to every point."""

    name: Text
    instruction: Text


DEFAULT_GUIDELINES: tuple[GuidelineStep, ...] = (
    GuidelineStep(
        name="Explain the concept",
        instruction="Use simple, clear language. Relate it to real-world backend scenarios "
        "(e.g. REST APIs, microservices, data APIs).",
    ),
    GuidelineStep(
        name="Show Python code examples",
        instruction="Use realistic FastAPI apps, asyncio, uvicorn, etc. "
        "Keep it minimal, working, and idiomatic.",
    ),
    GuidelineStep(
        name="Explain what the code does",
        instruction="Walk through it step by step. "
        "Highlight the Pythonic and production-grade practices.",
    ),
    GuidelineStep(
        name="Give practical notes",
        instruction="Why it matters for robust, scalable backends. "
        "Dev pitfalls, performance caveats, testing strategies.",
    ),
    GuidelineStep(
        name="End with a short summary + optional Try it yourself",
        instruction="Summarise the point in a few lines, then suggest a small exercise, "
        "e.g. 'Try creating a FastAPI route that accepts a JSON payload and returns a "
        "filtered response.'",
    ),
)


class FileRef(Model):
    """Content kept in a file next to the course, path relative to the file naming it."""

    file: Text


Source = Annotated[
    str | FileRef,
    Field(description="Inline text, or {file: path} relative to the YAML file that names it."),
]


def source_text(src: str | FileRef) -> str:
    """The text of a ``Source`` field of a loaded course.

    The loader replaces every ``{file: PATH}`` with the file's text, so a loaded
    course holds only ``str``; this narrows the type for callers (and fails loudly
    on a model built by hand with an unread file reference).
    """
    if isinstance(src, FileRef):
        raise ValueError(f"file reference {src.file!r} was not read: load the course first")
    return src


class CodeExample(Model):
    """The code part of a lesson.  Python examples are run by ``tutor check-course``."""

    language: Text = "python"
    source: Source
    not_runnable: Text | None = Field(
        default=None,
        description="Why this example cannot run in the sandbox (needs a server, Docker, "
        "a network...). Leave unset for examples that must run cleanly.",
    )

    @property
    def runnable(self) -> bool:
        return self.language == "python" and self.not_runnable is None


class Lesson(Model):
    """An authored lesson in the six parts of the teaching pattern."""

    explanation: Markdown
    code: CodeExample
    walkthrough: Markdown
    notes: Markdown
    summary: Markdown
    try_it: Markdown
    exercise: Slug | None = Field(
        default=None, description="Id of an exercise in this course that practises the point."
    )


class Limits(Model):
    """Resource limits for one check of a code exercise."""

    time_s: float = Field(default=2.0, gt=0, le=30)
    memory_mb: int = Field(default=256, ge=32, le=2048)
    output_kb: int = Field(default=64, ge=1, le=1024)


class Mistake(Model):
    """A common mistake: the message shown when it is detected, and code that must trigger it.

    It is detected when every trigger given matches: ``failing_check`` names a check
    that fails, ``pattern`` is a regular expression searched in the submitted source.
    """

    message: Markdown
    sample: Source
    failing_check: Text | None = None
    pattern: Text | None = None

    @model_validator(mode="after")
    def _has_trigger(self) -> Mistake:
        if self.failing_check is None and self.pattern is None:
            raise ValueError("a mistake needs a trigger: failing_check, pattern, or both")
        return self


class ExerciseBase(Model):
    id: Slug
    title: Text
    prompt: Markdown


ModuleName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=80),
    Field(description="A Python module name (letters, digits, underscores)."),
]
TestFileName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*\.py$", max_length=84),
    Field(description="A test file's name: an importable module name ending in .py."),
]
FileName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", max_length=100),
    Field(description="A file name without folders (letters, digits, '_', '.', '-')."),
]
CodeMode = Literal["module", "tests", "testfile"]
# Top-level packages the grading runner imports: a testfile exercise's module, tests
# and helper files may not take their names (they would hide them during a job).
_RUNNER_MODULES = frozenset(
    {"pytest", "_pytest", "pluggy", "exercises", "curriculum", "fastapi", "starlette"}
    | {"pydantic", "httpx", "anyio", "tutor", "web", "yaml"}
)


class CodeExercise(ExerciseBase):
    """Learner code graded by trusted checks run outside the learner's process.

    ``mode`` says how checks reach the submission: ``module`` (call its functions,
    send HTTP requests to an ASGI app it defines, run it with stdin), ``tests``
    (the submission is a pytest file, run against ``implementations``), or
    ``testfile`` (the instructor's unittest/pytest files in ``tests`` run against the
    learner's module, imported as ``module``, through references).
    """

    kind: Literal["code"]
    mode: CodeMode = "module"
    starter: Source
    solution: Source
    checks: Source | None = Field(
        default=None,
        description="mode=module and mode=tests: the checks file (required there); "
        "mode=testfile uses `tests` instead.",
    )
    module: ModuleName | None = Field(
        default=None,
        description="mode=testfile: the module name the tests import "
        "(default: the id with '-' replaced by '_').",
    )
    tests: dict[TestFileName, Source] = Field(
        default_factory=dict,
        description="mode=testfile: the instructor's unittest or pytest files, by file name.",
    )
    files: dict[FileName, Source] = Field(
        default_factory=dict,
        description="Helper modules and data files placed read-only beside the learner's "
        "module (and, for .py files in mode=testfile, importable by the tests).",
    )
    hints: list[Markdown] = Field(default_factory=list)
    mistakes: list[Mistake] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    attempts_before_solution: int = Field(default=3, ge=1)
    starter_passes: bool = Field(
        default=False,
        description="A refactoring exercise: the starter already passes the checks "
        "(tutor check-course then proves it passes instead of failing).",
    )
    implementations: dict[Slug, Source] = Field(
        default_factory=dict,
        description="mode=tests: named implementations the learner's tests run against; "
        "'reference' must pass them, every other one must be caught.",
    )

    @property
    def module_name(self) -> str:
        """The name the learner's module is imported under by mode=testfile tests."""
        return self.module if self.module is not None else self.id.replace("-", "_")

    @model_validator(mode="after")
    def _mode_fields(self) -> CodeExercise:
        if self.mode != "testfile":
            if self.checks is None:
                raise ValueError(f"a mode: {self.mode} exercise needs checks")
            if self.tests or self.module is not None:
                raise ValueError("tests and module are only used with mode: testfile")
            return self
        if self.checks is not None:
            raise ValueError("mode: testfile runs the files in tests: it takes no checks")
        if not self.tests:
            raise ValueError("mode: testfile needs tests: at least one test file")
        if self.implementations:
            raise ValueError("implementations are only used with mode: tests")
        name = self.module_name
        if not name.isidentifier():
            raise ValueError(f"the id {self.id!r} is not a module name: set module")
        stems = [n.removesuffix(".py") for n in self.tests]
        stems += [n.removesuffix(".py") for n in self.files if n.endswith(".py")]
        if name in stems:
            raise ValueError(f"module {name!r} has the name of one of the tests or files")
        for stem in (name, *stems):
            if stem in sys.stdlib_module_names or stem in _RUNNER_MODULES:
                raise ValueError(
                    f"{stem!r} is the name of a module the grader uses: choose another name"
                )
        clash = sorted(set(self.tests) & set(self.files))
        if clash:
            raise ValueError(f"{clash[0]!r} is both a test file and one of files")
        return self


class QuizOption(Model):
    text: Markdown
    correct: bool = False
    explanation: Markdown = ""


class QuizQuestion(Model):
    id: Slug
    prompt: Markdown
    type: Literal["single", "multiple", "short"]
    options: list[QuizOption] = Field(default_factory=list)
    answers: list[Text] = Field(
        default_factory=list, description="short: accepted answers, compared normalised."
    )
    patterns: list[Text] = Field(
        default_factory=list, description="short: regular expressions that accept an answer."
    )
    explanation: Markdown = ""


class QuizExercise(ExerciseBase):
    kind: Literal["quiz"]
    questions: Annotated[list[QuizQuestion], Field(min_length=1)]


class SelfCheckExercise(ExerciseBase):
    """For what no machine can check: the learner ticks a rubric, then sees a model answer."""

    kind: Literal["self-check"]
    rubric: Annotated[list[Markdown], Field(min_length=1)]
    model_answer: Markdown


Exercise = Annotated[CodeExercise | QuizExercise | SelfCheckExercise, Field(discriminator="kind")]


class LessonRef(Model):
    """``lesson_from``: the authored lesson of a point in another bundled course."""

    course: Slug = Field(description="Id of the course that has the lesson.")
    point: Slug = Field(
        description="Id of the point in that course; it must have its own authored lesson."
    )
    why: Text = Field(description="Why that lesson genuinely covers this point.")


class Point(Model):
    """A roadmap bullet: the unit the tutor teaches."""

    id: Slug
    title: Text
    brief: Text | None = Field(
        default=None,
        description="The roadmap's own wording of the point: the tutor's prompt uses it "
        "instead of the title when it teaches the point (the title is for display).",
    )
    lesson: Lesson | None = None
    lesson_from: LessonRef | None = Field(
        default=None,
        description="Teach this point with another course's authored lesson (instead of "
        "`lesson`): {course, point, why}.",
    )

    @model_validator(mode="after")
    def _one_lesson(self) -> Point:
        if self.lesson is not None and self.lesson_from is not None:
            raise ValueError("a point has its own lesson or a lesson_from, not both")
        return self


class Topic(Model):
    id: Slug
    title: Text
    points: list[Point]
    exercises: list[Exercise] = Field(default_factory=list)


class Section(Model):
    id: Slug
    title: Text
    summary: Markdown = ""
    topics: list[Topic]
    exercises: list[Exercise] = Field(default_factory=list)


class SectionFile(Section):
    """A section kept in its own file under ``sections/``."""

    schema_version: int = SCHEMA_VERSION


class CourseBase(Model):
    schema_version: int = SCHEMA_VERSION
    id: Slug
    title: Text
    description: Markdown
    audience: Markdown = ""
    kind: Literal["course", "roadmap"] = "course"
    guidelines: Annotated[list[GuidelineStep], Field(min_length=1)] | None = Field(
        default=None,
        description="Replaces the default teaching pattern when given (at least one step).",
    )
    extra_guidelines: list[GuidelineStep] = Field(
        default_factory=list, description="Steps appended to the teaching pattern."
    )
    kickoff: Markdown = ""
    continue_prompt: Text = DEFAULT_CONTINUE_PROMPT
    resume_prompt: Text = DEFAULT_RESUME_PROMPT
    level: Literal["beginner", "intermediate", "advanced"] | None = Field(
        default=None, description="Who the course is pitched at, shown in the catalogue."
    )
    hours: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="About how many hours the course takes, shown in the catalogue.",
    )
    prerequisites: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=20,
        description="What a learner should know first (markdown, one item each).",
    )
    quiz_answers_after: int = Field(
        default=3,
        ge=1,
        le=100,
        description="A quiz shows its correct answers and explanations after a pass, or "
        "after this many attempts; before that, only which questions are wrong.",
    )


class CourseFile(CourseBase):
    """``course.yaml`` as written: sections are file paths or inline sections."""

    sections: list[Text | Section]


class BorrowedLesson(Model):
    """A lesson another course lends to a point with ``lesson_from``, found by the loader."""

    lesson: Lesson
    course_id: str
    course_title: str
    point_id: str
    point_title: str
    why: str

    @property
    def source(self) -> str:
        """Where the lesson comes from, as the pages and ``tutor show`` say it."""
        return f"Lesson from {self.course_title} › {self.point_title}"


_OUTLINE = "_outline"  # where a course keeps its outline (beside its fields, not one of them)


class Course(CourseBase):
    """A loaded course: every section resolved, every file reference read, and every
    ``lesson_from`` resolved to the lesson it names."""

    sections: list[Section]
    borrowed_lessons: dict[str, BorrowedLesson] = Field(
        default_factory=dict, description="Point id -> the lesson its lesson_from names."
    )

    @property
    def outline(self) -> Outline:
        """The course's outline: built once (the loader builds it), then kept with the course.

        A copy of the course (``model_copy``) gets its own outline on first use.
        """
        kept = self.__dict__.get(_OUTLINE)
        if not isinstance(kept, Outline) or kept.course is not self:
            kept = self.__dict__[_OUTLINE] = Outline(self)
        return kept

    @property
    def teaching_steps(self) -> tuple[GuidelineStep, ...]:
        base = tuple(self.guidelines) if self.guidelines is not None else DEFAULT_GUIDELINES
        return base + tuple(self.extra_guidelines)
