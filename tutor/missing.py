"""Does a reply spell out the lines the learner is missing, in any notation?

A solution does not have to be whole to give an exercise away: when the starter already
gives the definitions, the lines the learner has to write are the whole answer, and a
model can hand them over as pseudocode or prose ("1. set now to time.monotonic() ...").
This compares the reply with exactly those lines:

- the **missing lines** are the reference solution's lines (normalised with
  ``ast.unparse``: no comments, docstrings or layout) that neither the starter nor the
  learner's code holds;
- each line and each line of the reply is reduced to its **words**: names, attributes,
  numbers and the words of strings, lowercased; Python keywords, pseudocode's own words
  ("define", "set", "then" ...) and every operator and bracket are dropped, so
  ``if now - at > ttl:`` and "if now minus at is greater than ttl then" are the same;
- a missing line is **spelled out** when one line of the reply (or two consecutive ones)
  holds at least :data:`LINE_SHARE` of its words;
- the reply is held when it spells out at least :data:`MIN_LINES` missing lines carrying
  at least :data:`SHARE` of the missing words (and the missing part is not trivial,
  :data:`MIN_WORDS`), or every missing line when the learner is a line or two from done
  (:data:`MIN_ALL_WORDS`).

A hint that shows one or two of several lines to change is let through (``MIN_LINES``);
quoting the learner's own code back never counts: the reply's lines that are lines of the
starter or the learner's code are left out before comparing.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from tutor.codesim import strip_docstrings

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+")
PSEUDO_TEXT = """define function method class set let to then do end begin call calls otherwise
equal equals greater less than minus plus times divided by at least most value of the a an
it its is are be with from into store stored assign step"""
PSEUDO_WORDS = frozenset(PSEUDO_TEXT.split())
STOP = frozenset(w.lower() for w in keyword.kwlist) | PSEUDO_WORDS | {"self", "cls"}
LINE_SHARE = 0.75
"""Share of a missing line's words one reply line must hold to spell it out."""
SHARE = 0.6
"""Share of the missing words spelled out from which a reply is the missing code."""
MIN_LINES = 3
"""A reply spelling out fewer missing lines than this is a hint, not the answer."""
MIN_WORDS = 12
"""Missing code with fewer words than this is too small to count as an answer."""
MIN_LINE_WORDS = 2
"""Lines with fewer words (``return``, ``else:``) carry nothing to spell out."""
MIN_ALL_WORDS = 5
"""A reply that spells out every missing line is the answer once they hold this many words
(the learner is a line or two from done: those lines are the whole answer)."""
MAX_WINDOW_LINES = 8
WINDOW_FACTOR = 3
"""A statement is looked for in up to 8 consecutive reply lines holding at most 3 times
its words."""


@dataclass(frozen=True)
class Spelled:
    """What a reply spelled out of the missing lines."""

    lines: int
    words: int
    of_words: int

    @property
    def share(self) -> float:
        return self.words / self.of_words if self.of_words else 0.0


def words(line: str) -> Counter[str]:
    """A line's words, lowercased, without keywords, pseudocode's words or operators."""
    found = (w.lower() for w in WORD.findall(line))
    return Counter(w for w in found if w not in STOP)


@lru_cache(maxsize=256)
def _lines(source: str) -> tuple[str, ...] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    strip_docstrings(tree)
    return tuple(ln.strip() for ln in ast.unparse(tree).splitlines() if ln.strip())


@lru_cache(maxsize=256)
def missing_lines(reference: str, baseline: str) -> tuple[Counter[str], ...]:
    """The reference's lines (as words) that the baseline (starter and learner) lacks.

    A line whose words the baseline already has (``>`` where ``>=`` is needed) is not
    missing in words: prose cannot give away an operator the learner's line lacks."""
    ref: tuple[str, ...] = _lines(reference) or ()
    have_lines = _lines(baseline) or tuple(ln.strip() for ln in baseline.splitlines())
    have, have_words = set(have_lines), {frozenset(words(ln).items()) for ln in have_lines}
    out = [words(ln) for ln in ref if ln not in have]
    return tuple(
        w
        for w in out
        if sum(w.values()) >= MIN_LINE_WORDS and frozenset(w.items()) not in have_words
    )


def _held(line: Counter[str], said: list[Counter[str]], everything: Counter[str]) -> bool:
    """Whether some run of consecutive reply lines, not much longer than ``line``, holds
    :data:`LINE_SHARE` of its words (a statement may be spread over several lines)."""
    need = sum(line.values())
    if sum((line & everything).values()) < LINE_SHARE * need:
        return False  # not even the whole reply holds enough of its words
    for start in range(len(said)):
        window: Counter[str] = Counter()
        for part in said[start : start + MAX_WINDOW_LINES]:
            window += part
            if sum((line & window).values()) >= LINE_SHARE * need:
                return True
            if sum(window.values()) > WINDOW_FACTOR * need:
                break
    return False


@lru_cache(maxsize=256)
def _quotable(baseline: str) -> frozenset[str]:
    """The baseline's lines as written and as normalised: quoted back, they reveal nothing."""
    return frozenset(
        [ln.strip() for ln in baseline.splitlines() if ln.strip()] + list(_lines(baseline) or ())
    )


def unquoted(text: str, baseline: str) -> str:
    """``text`` without its lines that are lines of the starter or the learner's code."""
    quoted = _quotable(baseline)
    return "\n".join(ln for ln in text.splitlines() if ln.strip() not in quoted)


def _stripped(text: str) -> str:
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip())


def is_quote(block: str, baseline: str) -> bool:
    """Whether a code block is a run of the learner's (or the starter's) lines, in order."""
    lines = _stripped(block)
    return bool(lines) and f"\n{lines}\n" in f"\n{_stripped(baseline)}\n"


def without_quotes(reply: str, blocks: list[str], baseline: str) -> str:
    """The reply without the code blocks that quote the learner's code."""
    for block in blocks:
        if is_quote(block, baseline):
            reply = reply.replace(block, "")
    return reply


def spelled_out(reply: str, reference: str, baseline: str) -> Spelled:
    """How many missing lines (and words) the reply spells out."""
    lines = missing_lines(reference, baseline)
    said = [w for w in (words(ln) for ln in unquoted(reply, baseline).splitlines()) if w]
    everything: Counter[str] = sum(said, Counter())
    hit = [ln for ln in lines if _held(ln, said, everything)]
    return Spelled(
        lines=len(hit),
        words=sum(sum(ln.values()) for ln in hit),
        of_words=sum(sum(ln.values()) for ln in lines),
    )


def gives_missing_lines(reply: str, reference: str, baseline: str) -> Spelled | None:
    """The spelled-out missing code if it is the answer in other words, else None."""
    found = spelled_out(reply, reference, baseline)
    if found.of_words >= MIN_ALL_WORDS and found.words == found.of_words:
        return found
    if found.of_words < MIN_WORDS or found.lines < MIN_LINES or found.share < SHARE:
        return None
    return found
