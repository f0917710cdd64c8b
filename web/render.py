"""Markdown to HTML (markdown-it-py, raw HTML disabled) with code highlighted by Pygments.

Rendered lessons are cached per (course, course version, point): a lesson is rendered
once per worker and course version, never per request.
"""

from __future__ import annotations

import html
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from curriculum.model import Lesson

_FORMATTER = HtmlFormatter(nowrap=False, cssclass="highlight")


def highlight_code(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = TextLexer()
    html_code = str(highlight(code, lexer, _FORMATTER))
    # a scrollable code block must be reachable by keyboard (WCAG 2.1.1)
    return html_code.replace("<pre>", '<pre tabindex="0">', 1)


def _fence(code: str, lang: str, _attrs: str) -> str:
    return highlight_code(code, lang.strip().split(" ")[0] if lang else "text")


_md = MarkdownIt("commonmark", {"html": False, "highlight": _fence})


def markdown(text: str) -> Markup:
    """Render untrusted or authored markdown safely (raw HTML is shown as text)."""
    return Markup(_md.render(text))  # noqa: S704 - markdown-it escapes raw HTML (html=False)


@lru_cache(maxsize=8192)
def inline(text: str) -> Markup:
    """A title's inline markdown (code spans, emphasis) as HTML: no paragraph around it."""
    return Markup(_md.renderInline(text))  # noqa: S704 - markdown-it escapes raw HTML


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """A title's inline markdown as plain text (for ``<title>`` and labels): marks dropped."""
    return Markup(_md.renderInline(text)).striptags()  # noqa: S704 - as above


def check_label(name: str) -> str:
    """A check's function name as a readable label: ``test_valid_signup`` -> "Valid signup"."""
    words = name.removeprefix("test_").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


GUARD_LABELS = {
    "passed": "passed",
    "held_retried": "held back, asked again",
    "replaced": "held back, replaced by an authored hint",
    "not_applicable": "not applicable",
}


def guard_label(outcome: str) -> str:
    """What the solution guard decided about a recorded reply, in words."""
    return GUARD_LABELS.get(outcome, outcome)


@lru_cache(maxsize=4096)
def markdown_cached(text: str) -> Markup:
    return markdown(text)


LESSON_PARTS = (
    ("explanation", "Explanation"),
    ("code", "Code"),
    ("walkthrough", "What the code does"),
    ("notes", "Practical notes"),
    ("summary", "Summary"),
    ("try_it", "Try it yourself"),
)


def render_lesson(lesson: Lesson, code_source: str) -> Markup:
    """The six parts of an authored lesson as HTML (``code_source`` resolved by the loader)."""
    parts: list[str] = []
    for key, title in LESSON_PARTS:
        if key == "code":
            body = highlight_code(code_source, lesson.code.language)
            if lesson.code.not_runnable:
                note = html.escape(lesson.code.not_runnable)
                body += f'<p class="note">Not runnable here: {note}</p>'
        else:
            body = str(markdown(getattr(lesson, key)))
        parts.append(f'<section class="lesson-part part-{key}"><h2>{title}</h2>{body}</section>')
    return Markup("\n".join(parts))  # noqa: S704 - built from escaped/rendered parts


_cache: dict[tuple[str, str, str], Markup] = {}


def cached_lesson(course_id: str, version: str, point_id: str, lesson: Lesson) -> Markup:
    key = (course_id, version, point_id)
    found = _cache.get(key)
    if found is None:
        source = lesson.code.source if isinstance(lesson.code.source, str) else ""
        found = render_lesson(lesson, source)
        if len(_cache) > 20000:
            _cache.clear()
        _cache[key] = found
    return found
