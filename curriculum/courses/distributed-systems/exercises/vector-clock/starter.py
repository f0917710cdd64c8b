"""TODO: a vector clock: which events in a distributed system happened before which.

`VectorClock(counts=None)` holds one counter per node (a missing node counts as 0):
- `tick(node)`: a local event on `node` adds 1 to its counter;
- `merge(other)`: on receiving a message, take the maximum of each counter;
- `compare(other)`: "equal", "before" (every counter <= other's, at least one <),
  "after" (the reverse), or "concurrent" (neither happened before the other);
- `to_dict()`: the counters as a plain dict (leave out zeros).
"""


class VectorClock:
    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self._counts = dict(counts or {})

    def tick(self, node: str) -> None:
        pass

    def merge(self, other: "VectorClock") -> None:
        pass

    def compare(self, other: "VectorClock") -> str:
        return "equal"

    def to_dict(self) -> dict[str, int]:
        return dict(self._counts)


# --- given: used by the grader ----------------------------------------------------
def send(local: dict[str, int], node: str) -> dict[str, int]:
    """`node` sends a message: a local event; the result travels with the message."""
    clock = VectorClock(local)
    clock.tick(node)
    return clock.to_dict()


def receive(local: dict[str, int], node: str, incoming: dict[str, int]) -> dict[str, int]:
    """`node` receives a message stamped `incoming`: merge, then count the receive event."""
    clock = VectorClock(local)
    clock.merge(VectorClock(incoming))
    clock.tick(node)
    return clock.to_dict()


def order(a: dict[str, int], b: dict[str, int]) -> str:
    return VectorClock(a).compare(VectorClock(b))
