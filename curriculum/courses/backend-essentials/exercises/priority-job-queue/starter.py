"""A priority job queue on a binary heap.

TODO: implement `JobQueue` with the `heapq` module:

- `submit(name, priority)`: add a job; a LOWER number is MORE urgent (1 before 5);
- `next_job()`: remove and return the most urgent job's name, or None when empty; jobs
  with equal priority come out in the order they were submitted;
- `peek()`: the name `next_job()` would return, without removing it (None when empty);
- `len(queue)`: the number of waiting jobs.

`submit` and `next_job` must be O(log n). `run` is used by the checks; keep it.
"""


class JobQueue:
    def __init__(self) -> None:
        self._jobs: list[str] = []

    def submit(self, name: str, priority: int) -> None:
        self._jobs.append(name)

    def next_job(self) -> str | None:
        return self._jobs.pop() if self._jobs else None

    def peek(self) -> str | None:
        return None

    def __len__(self) -> int:
        return len(self._jobs)


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
