"""Prose of an exercise reply streams; its code is held until the guard has checked it."""

from __future__ import annotations

from tutor.holdcode import PLACEHOLDER, ProseOnly

REPLY = """## A hint

Look at the loop.
```python
def total(xs):
    return sum(xs)
```
Then compare with the check.
def leaked(x):
    return x * 2
Done."""


def _streamed(text: str, size: int) -> str:
    hold = ProseOnly()
    out = "".join(hold.feed(text[i : i + size]) for i in range(0, len(text), size))
    return out + hold.end()


def test_code_is_held_prose_streams_in_any_chunking() -> None:
    for size in (1, 3, 7, 50, len(REPLY)):
        shown = _streamed(REPLY, size)
        assert "sum(xs)" not in shown and "def " not in shown and "x * 2" not in shown
        assert "Look at the loop." in shown and "Then compare with the check." in shown
        assert shown.endswith("Done.") and "## A hint" in shown
        assert shown.count(PLACEHOLDER) == 2


def test_an_unclosed_fence_holds_everything_after_it() -> None:
    shown = _streamed("Try this:\n```\nsecret = 1\nmore prose\n", 4)
    assert "secret" not in shown and "more prose" not in shown
