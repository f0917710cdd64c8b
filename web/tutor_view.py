"""The tutor's output as HTML: one partial (``_tutor_event.html``) renders each thing the
tutor shows, for the live stream and for the stored conversation alike; the stored
conversation is rendered by ``_conversation.html``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from curriculum import Course

SHOWN = frozenset({"text", "say", "notice", "error", "passages", "quizzes", "prompt"})


def event_html(
    templates: Jinja2Templates, course: Course, ev: Mapping[str, Any], *, instructor: bool
) -> str:
    """``ev`` (an engine event as JSON, or ``{"kind": "text", "text": markdown}``) as HTML;
    "" for events that show nothing. The prompt is shown to instructors only."""
    kind = ev.get("kind")
    if kind not in SHOWN or (kind == "prompt" and not instructor):
        return ""
    return templates.get_template("_tutor_event.html").render(ev=ev, course=course).strip()


def conversation_html(
    templates: Jinja2Templates, messages: Sequence[Mapping[str, object]]
) -> Markup:
    if not messages:
        return Markup("")
    html = templates.get_template("_conversation.html").render(messages=messages)
    return Markup(html)  # noqa: S704 - the template escapes learner text; tutor HTML is ours
