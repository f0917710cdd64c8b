"""Stream the prose of an exercise reply, hold its code until the guard has checked it.

``ProseOnly`` takes the reply's text as it arrives and gives back what may be shown at
once: whole lines of prose. A fenced block (```` ``` ```` or ``~~~``) and any line that
looks like code (the guard's own test, :func:`tutor.guard.code_like`) are held; in
their place the learner sees one placeholder per block. Once the guard has checked the
whole reply, the caller shows it in full (or what replaces it).
"""

from __future__ import annotations

import re

from tutor.guard import code_like

PLACEHOLDER = "[code: shown once the tutor has checked it]\n"
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_HEADING = re.compile(r"^#{1,6} \S")


class ProseOnly:
    def __init__(self) -> None:
        self._partial = ""
        self._fence: str | None = None
        self._held = False  # the current run of held lines already has its placeholder

    def feed(self, text: str) -> str:
        """The prose that ``text`` completes (whole lines), possibly ""."""
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        return "".join(self._line(line) for line in lines)

    def end(self) -> str:
        """The prose left at the end of the reply."""
        rest, self._partial = self._partial, ""
        return self._line(rest).rstrip("\n") if rest else ""

    def _line(self, line: str) -> str:
        fence = _FENCE.match(line)
        if self._fence is not None:
            if fence and fence.group(1) == self._fence and not line.strip()[3:].strip():
                self._fence = None
            return ""
        if fence:
            self._fence = fence.group(1)
            return self._hold()
        if line.strip() and code_like(line) and not _HEADING.match(line):
            return self._hold()
        if line.strip():
            self._held = False
        return line + "\n"

    def _hold(self) -> str:
        if self._held:
            return ""
        self._held = True
        return PLACEHOLDER
