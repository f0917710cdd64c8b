"""Drop a leading ``<think>...</think>`` block from streamed content.

Some servers (Ollama, llama.cpp with reasoning models) put the model's thinking in the
content itself, wrapped in ``<think>`` tags, instead of a separate ``reasoning_content``
field. The learner should see only the answer.
"""

from __future__ import annotations

OPEN, CLOSE = "<think>", "</think>"


class ThinkFilter:
    """Feed content pieces in order; get back the visible text of each."""

    def __init__(self) -> None:
        self._pending = ""
        self._state = "start"  # start -> thinking -> trim -> answer, or start -> answer
        self.thought = False

    def feed(self, text: str) -> str:
        if self._state == "answer":
            return text
        if self._state == "trim":  # blank lines right after </think>
            text = text.lstrip()
            if text:
                self._state = "answer"
            return text
        self._pending += text
        if self._state == "start":
            head = self._pending.lstrip()
            if OPEN.startswith(head):
                return ""  # could still become "<think>": wait for more
            if not head.startswith(OPEN):
                self._state = "answer"
                out, self._pending = self._pending, ""
                return out
            self._state, self.thought = "thinking", True
            self._pending = head[len(OPEN) :]
        end = self._pending.find(CLOSE)
        if end < 0:
            return ""
        out = self._pending[end + len(CLOSE) :].lstrip()
        self._state, self._pending = ("answer" if out else "trim"), ""
        return out

    def flush(self) -> str:
        """At the end of the stream: text held back while it looked like an opening tag."""
        out = self._pending if self._state == "start" else ""
        self._pending = ""
        return out
