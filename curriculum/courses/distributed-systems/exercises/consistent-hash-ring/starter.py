"""TODO: a consistent-hash ring with virtual nodes.

`HashRing(nodes, vnodes=100)` places every node on the ring `vnodes` times, at the
hashes of "node#0", "node#1", ...; `node_for(key)` walks clockwise from the key's
hash to the first node point (wrapping around). `add(node)` and `remove(node)`
change the ring; an empty ring raises `LookupError` in `node_for`.

Use a hash that is the same in every process (hashlib), not the built-in `hash()`.
"""

import bisect  # bisect.insort / bisect.bisect_right keep a sorted list of ring points
import hashlib  # e.g. int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class HashRing:
    def __init__(self, nodes: list[str], vnodes: int = 100) -> None:
        self.vnodes = vnodes
        self.nodes = list(nodes)

    def add(self, node: str) -> None:
        self.nodes.append(node)

    def remove(self, node: str) -> None:
        self.nodes.remove(node)

    def node_for(self, key: str) -> str:
        return self.nodes[0]


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
