"""Two everyday lookups in O(n)."""


def first_duplicate(request_ids: list[str]) -> str | None:
    """The first id that appears a second time (in order of that second appearance)."""
    seen: list[str] = []
    for request_id in request_ids:
        if request_id in seen:
            return request_id
        seen.append(request_id)
    return None


def pair_with_sum(amounts: list[int], target: int) -> list[int] | None:
    """Indexes [i, j], i < j, of the first pair (by j) that adds up to target."""
    index_of: dict[int, int] = {}
    for j, amount in enumerate(amounts):
        i = index_of.get(target - amount)
        if i is not None:
            return [i, j]
        index_of.setdefault(amount, j)
    return None
