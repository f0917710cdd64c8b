"""Benchmark: prompt build time for a point of the flagship course (target <= 1 ms median).

Run ``.venv/bin/python bench/prompt_build.py``. It builds the messages for point 3 of
Section 2 of ``python-backend`` for a learner with a summary of Section 1 and a dozen
recent turns, and compares the median against an in-run baseline: joining the same
amount of text (the floor any builder pays).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from curriculum import resolve_course
from tutor import flow
from tutor import navigation as nav
from tutor.prompt import build_messages
from tutor.state import add_turn

ROUNDS = 2000
TARGET_MS = 1.0


def median_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    for _ in range(50):
        fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1e6


def main() -> int:
    course = resolve_course("python-backend")
    pos = nav.parse_position(course, "2/2/1")
    state = flow.state_at(course, pos).model_copy(update={"taught": True})
    for i in range(6):
        state = add_turn(state, "learner", f"Question {i}: how does the event loop pick tasks?")
        state = add_turn(state, "tutor", "An answer of a few paragraphs. " * 20)
    number, total = nav.point_number(course, pos)
    task = flow.Teach(position=pos, number=number, total=total)
    messages = build_messages(course, state, task)
    chunks = [m.content for m in messages]

    build = median_ms(lambda: build_messages(course, state, task))
    baseline = median_ms(lambda: "\n\n".join(chunk[:] for chunk in chunks))
    size = sum(len(c) for c in chunks)
    print(f"prompt build, python-backend 2/2/1 ({len(messages)} messages, {size} chars)")
    print(f"  median build time : {build:.3f} ms   (target <= {TARGET_MS:.1f} ms)")
    print(f"  baseline (join)   : {baseline:.4f} ms   ratio {build / baseline:.0f}x")
    ok = build <= TARGET_MS
    print("  PASS" if ok else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
