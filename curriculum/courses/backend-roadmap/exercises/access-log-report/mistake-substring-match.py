"""Which endpoints fail most? The Python version of a classic shell pipeline:

    grep -E '" 5[0-9]{2} ' access.log | cut -d' ' -f7 | sort | uniq -c | sort -rn | head -n N

Each access-log line looks like (the combined log format):
    203.0.113.9 - - [06/Dec/2026:10:15:32 +0000] "GET /orders/7?x=1 HTTP/1.1" 503 120 "-" "curl/8.5"
"""

import re
from collections import Counter

LINE = re.compile(
    r'^\S+ \S+ \S+ \[[^\]]+\] "(?P<method>[A-Z]+) (?P<target>\S+) [^"]*" (?P<status>\d{3}) '
)


def top_failing_paths(lines: list[str], n: int) -> list[list[object]]:
    failures: Counter[str] = Counter()
    for line in lines:
        if " 5" not in line:
            continue
        failures[line.split(" ")[6].split("?", 1)[0]] += 1
    ranked = sorted(failures.items(), key=lambda item: (-item[1], item[0]))
    return [[path, count] for path, count in ranked[:n]]
