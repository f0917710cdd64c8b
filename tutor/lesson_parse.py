"""Parse a lesson written under the fixed headings into :class:`curriculum.model.Lesson`.

Works on complete or partial (still streaming) markdown. A reply missing parts is
flagged incomplete with a notice; every Python code block is ``ast.parse``-d and one
that does not parse is reported as unverified.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from curriculum.model import CodeExample, Lesson
from tutor.prompt import HEADINGS

_MD = MarkdownIt("commonmark")
_BY_TITLE = {title.lower(): key for key, title in HEADINGS}
_ALIASES = {
    "code": "code",
    "code examples": "code",
    "walkthrough": "walkthrough",
    "explain what the code does": "walkthrough",
    "notes": "notes",
    "try it": "try_it",
    "try it yourself!": "try_it",
}
_PYTHON = {"python", "py", "python3", "pycon", ""}


@dataclass
class ParsedLesson:
    lesson: Lesson
    missing: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def notices(self) -> list[str]:
        """Texts to show the learner beside the lesson."""
        out = []
        if self.missing:
            names = ", ".join(dict(HEADINGS)[k] for k in self.missing)
            out.append(f"This lesson is incomplete: missing {names}.")
        out += [f"Unverified code: {u}" for u in self.unverified]
        return out


def _part_key(title: str) -> str | None:
    norm = " ".join(title.strip().strip("#").strip().rstrip(":").lower().split())
    return _BY_TITLE.get(norm) or _ALIASES.get(norm)


def _check_python(source: str, where: str) -> str | None:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return f"the code in {where} does not parse (line {exc.lineno}: {exc.msg})"
    return None


def parse_lesson(markdown: str) -> ParsedLesson:
    """Split ``markdown`` at the fixed headings into a Lesson (empty parts when missing)."""
    tokens = _MD.parse(markdown)
    lines = markdown.splitlines()
    starts: list[tuple[int, str | None]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map is not None:
            starts.append((tok.map[0], _part_key(tokens[i + 1].content)))
    parts: dict[str, str] = {}
    for n, (line, key) in enumerate(starts):
        if key is None or key in parts:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        parts[key] = "\n".join(lines[line + 1 : end]).strip()
    code_lang, code_src, unverified = "python", "", []
    blocks = [t for t in _MD.parse(parts.get("code", "")) if t.type == "fence"]
    if blocks:
        code_lang = blocks[0].info.strip().split(" ")[0] or "python"
        code_src = blocks[0].content
    for key, text in parts.items():
        for i, tok in enumerate(t for t in _MD.parse(text) if t.type in ("fence", "code_block")):
            lang = tok.info.strip().split(" ")[0].lower()
            if lang in _PYTHON:
                where = f"“{dict(HEADINGS)[key]}” block {i + 1}"
                problem = _check_python(tok.content, where)
                if problem:
                    unverified.append(problem)
    missing = [key for key, _ in HEADINGS if not parts.get(key)]
    if "code" in parts and not code_src.strip() and "code" not in missing:
        missing.append("code")
    code_problem = next((u for u in unverified if "Code example" in u), None)
    code = CodeExample(
        language="python" if code_lang.lower() in _PYTHON else code_lang,
        source=code_src,
        not_runnable=f"generated, unverified: {code_problem}" if code_problem else None,
    )
    lesson = Lesson(
        explanation=parts.get("explanation", ""),
        code=code,
        walkthrough=parts.get("walkthrough", ""),
        notes=parts.get("notes", ""),
        summary=parts.get("summary", ""),
        try_it=parts.get("try_it", ""),
    )
    return ParsedLesson(lesson=lesson, missing=missing, unverified=unverified)


def lesson_markdown(lesson: Lesson, code_source: str | None = None) -> str:
    """Render a Lesson (authored or parsed) back under the fixed headings."""
    src = code_source if code_source is not None else lesson.code.source
    if not isinstance(src, str):
        src = ""
    fence = "```"
    while fence in src:
        fence += "`"
    body = {
        "explanation": lesson.explanation,
        "code": f"{fence}{lesson.code.language}\n{src.rstrip()}\n{fence}",
        "walkthrough": lesson.walkthrough,
        "notes": lesson.notes,
        "summary": lesson.summary,
        "try_it": lesson.try_it,
    }
    return "\n\n".join(f"## {title}\n\n{body[key].strip()}" for key, title in HEADINGS) + "\n"
