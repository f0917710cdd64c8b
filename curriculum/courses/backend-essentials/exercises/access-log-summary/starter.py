"""Summarise an API access log with Python's core data structures.

Each log line is 'IP METHOD PATH STATUS DURATION_MS', for example
'10.0.0.7 GET /api/items 200 35'. A line that does not have exactly five fields, or whose
status or duration is not a whole number, is malformed and ignored everywhere.

TODO:
1. `parse_line(line)`: return {"ip", "method", "path", "status" (int), "ms" (int)}, or None
   for a malformed line.
2. `summarise(lines)`: return a dict with
   - "requests": the number of well-formed lines;
   - "by_status": counts per status class, e.g. {"2xx": 5, "4xx": 1}, keys sorted, only
     the classes that occur;
   - "unique_ips": the number of distinct IP addresses;
   - "top_paths": the 3 most requested paths as [path, count] pairs, most requested
     first, ties broken alphabetically by path;
   - "slow_paths": the paths of requests slower than 500 ms, each path once, in the
     order they first appear.
"""


def parse_line(line: str) -> dict[str, object] | None:
    raise NotImplementedError


def summarise(lines: list[str]) -> dict[str, object]:
    raise NotImplementedError
