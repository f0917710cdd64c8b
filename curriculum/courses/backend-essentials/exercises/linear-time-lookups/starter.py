"""Two everyday lookups in O(n).

A payment gateway must spot replayed requests and match refunds to charges quickly, on
lists of up to a few hundred thousand items. Both functions below are correct but O(n^2).

TODO: rewrite them in O(n), keeping exactly the same results:

- `first_duplicate(request_ids)`: the first id that appears a second time, scanning left to
  right (for ["a", "b", "b", "a"] that is "b"), or None if all are unique;
- `pair_with_sum(amounts, target)`: the indexes [i, j] (i < j) of two amounts adding up to
  `target`, choosing the pair whose second index j is smallest and, for that j, the
  smallest i; None if there is no such pair.
"""


def first_duplicate(request_ids: list[str]) -> str | None:
    for j, request_id in enumerate(request_ids):
        if request_id in request_ids[:j]:
            return request_id
    return None


def pair_with_sum(amounts: list[int], target: int) -> list[int] | None:
    for j in range(len(amounts)):
        for i in range(j):
            if amounts[i] + amounts[j] == target:
                return [i, j]
    return None
