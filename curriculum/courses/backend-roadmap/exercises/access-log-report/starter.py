"""Which endpoints fail most? The Python version of a classic shell pipeline:

    grep -E '" 5[0-9]{2} ' access.log | cut -d' ' -f7 | sort | uniq -c | sort -rn | head -n N

Each access-log line looks like (the combined log format):
    203.0.113.9 - - [06/Dec/2026:10:15:32 +0000] "GET /orders/7?x=1 HTTP/1.1" 503 120 "-" "curl/8.5"

TODO: implement `top_failing_paths(lines, n)`, returning up to `n` pairs [path, count]
for responses with a 5xx status, most failures first, ties in alphabetical order of
path. The path excludes the query string (`/orders/7?x=1` counts as `/orders/7`).
Lines that do not match the format are skipped.
"""


def top_failing_paths(lines: list[str], n: int) -> list[list[object]]:
    counts: dict[str, int] = {}
    for line in lines:
        if " 5" in line:
            path = line.split(" ")[6]
            counts[path] = counts.get(path, 0) + 1
    return [[path, count] for path, count in counts.items()][:n]
