"""A priority job queue on a binary heap."""

import heapq
import itertools


class JobQueue:
    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str]] = []
        self._order = itertools.count()

    def submit(self, name: str, priority: int) -> None:
        heapq.heappush(self._heap, (-priority, next(self._order), name))

    def next_job(self) -> str | None:
        if not self._heap:
            return None
        return heapq.heappop(self._heap)[2]

    def peek(self) -> str | None:
        return self._heap[0][2] if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)


def run(commands: list[list[object]]) -> list[object]:
    """Used by the checks: ["submit", name, priority], ["next"], ["peek"] or ["len"]."""
    queue = JobQueue()
    out: list[object] = []
    for command in commands:
        if command[0] == "submit":
            queue.submit(str(command[1]), int(command[2]))  # type: ignore[call-overload]
        elif command[0] == "next":
            out.append(queue.next_job())
        elif command[0] == "peek":
            out.append(queue.peek())
        else:
            out.append(len(queue))
    return out
