"""Leading <think> blocks in streamed content are never shown."""

from __future__ import annotations

from tutor.backends.think import ThinkFilter


def _run(pieces: list[str]) -> tuple[str, bool]:
    think = ThinkFilter()
    out = "".join(think.feed(p) for p in pieces) + think.flush()
    return out, think.thought


def test_think_block_split_across_chunks_is_dropped() -> None:
    text = "<think>\nplan the answer\n</think>\n\n## Explanation\n\nHi"
    for size in (1, 2, 3, 7, 100):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        assert _run(pieces) == ("## Explanation\n\nHi", True)


def test_plain_content_passes_through() -> None:
    assert _run(["## Expl", "anation"]) == ("## Explanation", False)
    assert _run(["<", "b>bold</b>"]) == ("<b>bold</b>", False)
    assert _run(["<"]) == ("<", False)


def test_unclosed_think_block_shows_nothing() -> None:
    assert _run(["<think>still thinking when the budget ran out"]) == ("", True)
