"""A consistent-hash ring with virtual nodes.

`HashRing(nodes, vnodes=100)` places every node on the ring `vnodes` times, at the
hashes of "node#0", "node#1", ...; `node_for(key)` walks clockwise from the key's
hash to the first node point (wrapping around). `add(node)` and `remove(node)`
change the ring; an empty ring raises `LookupError` in `node_for`.

Use a hash that is the same in every process (hashlib), not the built-in `hash()`.
"""

import bisect
import hashlib


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class HashRing:
    def __init__(self, nodes: list[str], vnodes: int = 100) -> None:
        self.vnodes = vnodes
        self._points: list[tuple[int, str]] = []
        for node in nodes:
            self.add(node)

    def add(self, node: str) -> None:
        for i in range(self.vnodes):
            bisect.insort(self._points, (_hash(f"{node}#{i}"), node))

    def remove(self, node: str) -> None:
        self._points = [p for p in self._points if p[1] != node]

    def node_for(self, key: str) -> str:
        if not self._points:
            raise LookupError("the ring has no nodes")
        i = bisect.bisect_right(self._points, (_hash(key), "\uffff"))
        return self._points[i % len(self._points)][1]


# --- given: used by the grader ------------------------------------------------
def assign(nodes: list[str], keys: list[str], vnodes: int = 100) -> dict[str, str]:
    ring = HashRing(nodes, vnodes)
    return {key: ring.node_for(key) for key in keys}


def assign_after(nodes: list[str], keys: list[str], *, add: str | None = None,
                 remove: str | None = None) -> dict[str, str]:
    ring = HashRing(nodes)
    if add is not None:
        ring.add(add)
    if remove is not None:
        ring.remove(remove)
    return {key: ring.node_for(key) for key in keys}
