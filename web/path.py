"""The learner's path on a page: the step before, the one way forward and its label,
and the continue prompt when the way forward leads into the next section.

The order itself is the outline's (:attr:`curriculum.outline.Outline.steps`); this
module only names what a page shows of it.
"""

from __future__ import annotations

from typing import Any

from curriculum.outline import Outline, Step


def path_context(outline: Outline, step: Step) -> dict[str, Any]:
    """``step``, ``prev_step``, ``next_step``, ``next_label`` and ``continue_text`` (set
    when the next step is in another section) for a page's template."""
    nxt = outline.step_after(step)
    crossing = nxt is not None and nxt.section_index != step.section_index
    return {
        "step": step,
        "prev_step": outline.step_before(step),
        "next_step": nxt,
        "next_label": outline.next_label(step),
        "continue_text": outline.continue_text(nxt.section_index) if crossing and nxt else None,
    }
