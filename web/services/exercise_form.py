"""The "New exercise" form's quiz and self-check parts: read the fields, say in plain words
what is missing or wrong, and turn them into the course format's models (the YAML is
written by ``web.services.authoring``).

A quiz is a list of question blocks; question ``i`` (from 1) posts ``q{i}_prompt``,
``q{i}_type``, ``q{i}_answers``, ``q{i}_explanation`` and, for its option ``j``,
``q{i}_o{j}_text``, ``q{i}_o{j}_correct`` (a checkbox) and ``q{i}_o{j}_explanation``;
``questions`` and ``q{i}_options`` say how many blocks and rows the form had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from curriculum.model import QuizOption, QuizQuestion
from exercises.prove import question_problem
from web.services.authoring import code_exercise_node, quiz_exercise_node, self_check_node

MAX_QUESTIONS = 20
MAX_OPTIONS = 10
OPTION_ROWS = 4
"""Option rows a question shows at least (one more is always blank, up to MAX_OPTIONS)."""
QUESTION_TYPES = {
    "single": "Single choice (one correct option)",
    "multiple": "Multiple choice (one or more correct options)",
    "short": "Short answer (typed, compared with the accepted answers)",
}
KINDS = {"code": "Code exercise", "quiz": "Quiz", "self-check": "Self-check"}


@dataclass(frozen=True)
class OptionInput:
    text: str = ""
    correct: bool = False
    explanation: str = ""

    @property
    def blank(self) -> bool:
        return not (self.text.strip() or self.explanation.strip() or self.correct)


@dataclass(frozen=True)
class QuestionInput:
    prompt: str = ""
    type: str = "single"
    options: tuple[OptionInput, ...] = field(default_factory=tuple)
    answers: str = ""
    explanation: str = ""

    @property
    def filled_options(self) -> list[OptionInput]:
        return [o for o in self.options if not o.blank]

    @property
    def blank(self) -> bool:
        texts = (self.prompt, self.answers, self.explanation)
        return not any(t.strip() for t in texts) and not self.filled_options


def _count(form: Mapping[str, str], key: str, most: int) -> int:
    value = form.get(key, "")
    return min(int(value), most) if value.isdigit() else 0


def read_questions(form: Mapping[str, str]) -> list[QuestionInput]:
    """The question blocks as posted (blank ones included, at most MAX_QUESTIONS)."""
    questions = []
    for i in range(1, _count(form, "questions", MAX_QUESTIONS) + 1):
        q = f"q{i}_"
        options = tuple(
            OptionInput(
                text=form.get(f"{q}o{j}_text", ""),
                correct=bool(form.get(f"{q}o{j}_correct")),
                explanation=form.get(f"{q}o{j}_explanation", ""),
            )
            for j in range(1, _count(form, f"{q}options", MAX_OPTIONS) + 1)
        )
        questions.append(
            QuestionInput(
                prompt=form.get(f"{q}prompt", ""),
                type=form.get(f"{q}type", "single"),
                options=options,
                answers=form.get(f"{q}answers", ""),
                explanation=form.get(f"{q}explanation", ""),
            )
        )
    return questions


def form_blocks(questions: list[QuestionInput], *, more: bool = False) -> list[QuestionInput]:
    """The question blocks to show: those filled in (at least one block), one more blank
    block when asked for, and each with its options plus blank rows to fill."""
    shown = [q for q in questions if not q.blank] or [QuestionInput()]
    if more and len(shown) < MAX_QUESTIONS:
        shown.append(QuestionInput())
    return [_with_rows(q) for q in shown]


def _with_rows(question: QuestionInput) -> QuestionInput:
    filled = question.filled_options
    rows = min(MAX_OPTIONS, max(OPTION_ROWS, len(filled) + 1))
    blanks = (OptionInput(),) * (rows - len(filled))
    return replace(question, options=tuple(filled) + blanks)


def lines_of(text: str) -> list[str]:
    """The non-blank lines of ``text``, without a leading list marker (``- ``, ``* ``)."""
    items = (line.strip() for line in text.splitlines())
    return [item[2:].strip() if item[:2] in ("- ", "* ") else item for item in items if item]


def quiz_questions(questions: list[QuestionInput]) -> tuple[list[QuizQuestion], list[str]]:
    """The filled-in blocks as the course format's questions (ids ``q1``, ``q2``...), and
    what is wrong with them, each naming its question (nothing: they can be written)."""
    built: list[QuizQuestion] = []
    errors: list[str] = []
    filled = [q for q in questions if not q.blank]
    if not filled:
        errors.append("A quiz needs at least one question: write its prompt and options.")
    for number, question in enumerate(filled, 1):
        made, problems = _question(number, question)
        errors += [f"Question {number}: {problem}" for problem in problems]
        if made is not None:
            built.append(made)
    return built, errors


def _question(number: int, question: QuestionInput) -> tuple[QuizQuestion | None, list[str]]:
    problems = _question_form_problems(question)
    if problems:
        return None, problems
    short = question.type == "short"
    try:
        made = QuizQuestion.model_validate(
            {
                "id": f"q{number}",
                "prompt": question.prompt.strip(),
                "type": question.type,
                "options": [] if short else [_option(o) for o in question.filled_options],
                "answers": lines_of(question.answers) if short else [],
                "explanation": question.explanation.strip(),
            }
        )
    except ValidationError as exc:
        return None, [error["msg"] for error in exc.errors()]
    problem = question_problem(made)
    return (None, [problem]) if problem else (made, [])


def _option(option: OptionInput) -> QuizOption:
    return QuizOption(
        text=option.text.strip(), correct=option.correct, explanation=option.explanation.strip()
    )


def _question_form_problems(question: QuestionInput) -> list[str]:
    problems = []
    if not question.prompt.strip():
        problems.append("write its prompt.")
    if question.type not in QUESTION_TYPES:
        problems.append("choose its type: single choice, multiple choice or short answer.")
    elif question.type == "short":
        if question.filled_options:
            problems.append(
                "a short answer has no options: clear them, or make it a choice question."
            )
        if not lines_of(question.answers):
            problems.append("give the accepted answers, one a line.")
    else:
        if any(not o.text.strip() for o in question.filled_options):
            problems.append("an option has a mark or an explanation but no text.")
        if len(question.filled_options) < 2:
            problems.append("give at least two options.")
        if question.answers.strip():
            problems.append(
                "accepted answers are for short answers: clear them, or change its type."
            )
    return problems


def self_check_errors(rubric: list[str], model_answer: str) -> list[str]:
    """What a self-check from the form lacks (nothing: it can be written)."""
    errors = []
    if not rubric:
        errors.append("A self-check needs a rubric: at least one item the learner ticks.")
    if not model_answer.strip():
        errors.append("Write the model answer: the learner sees it after ticking the rubric.")
    return errors


@dataclass(frozen=True)
class ExerciseInput:
    """What the "New exercise" form posted; only the chosen kind's fields are used."""

    kind: str = "code"
    topic: str = ""
    exercise_id: str = ""
    title: str = ""
    prompt: str = ""
    starter: str = ""
    solution: str = ""
    checks: str = ""
    questions: list[QuestionInput] = field(default_factory=list)
    rubric: str = ""
    model_answer: str = ""


def exercise_node(form: ExerciseInput) -> tuple[CommentedMap | None, list[str]]:
    """The exercise as YAML for the course, or what the instructor must fix first."""
    errors = [
        message
        for value, message in (
            (form.exercise_id, "Give the exercise an id."),
            (form.title, "Give the exercise a title."),
            (form.prompt, "Write the prompt: what the learner is asked to do."),
        )
        if not value.strip()
    ]
    common = {"exercise_id": form.exercise_id, "title": form.title, "prompt": form.prompt}
    if form.kind == "quiz":
        questions, quiz_errors = quiz_questions(form.questions)
        node = quiz_exercise_node(**common, questions=questions)
        errors += quiz_errors
    elif form.kind == "self-check":
        rubric = lines_of(form.rubric)
        node = self_check_node(**common, rubric=rubric, model_answer=form.model_answer)
        errors += self_check_errors(rubric, form.model_answer)
    elif form.kind == "code":
        node = code_exercise_node(
            **common, starter=form.starter, solution=form.solution, checks=form.checks
        )
        errors += [
            f"Write the {what}: a code exercise needs its starter, solution and checks."
            for what, value in (
                ("starter code", form.starter),
                ("solution", form.solution),
                ("checks", form.checks),
            )
            if not value.strip()
        ]
    else:
        return None, ["Choose the kind of exercise: code, quiz or self-check."]
    return (None, errors) if errors else (node, [])
