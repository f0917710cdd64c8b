"""Summarise an API access log with Python's core data structures."""

from collections import Counter


def parse_line(line: str) -> dict[str, object] | None:
    """'IP METHOD PATH STATUS DURATION_MS' -> a dict, or None for a malformed line."""
    parts = line.split()
    if len(parts) != 5:
        return None
    ip, method, path, status, duration = parts
    if not (status.isdigit() and duration.isdigit()):
        return None
    return {"ip": ip, "method": method, "path": path, "status": int(status), "ms": int(duration)}


def summarise(lines: list[str]) -> dict[str, object]:
    records = [r for r in (parse_line(line) for line in lines) if r is not None]
    by_class = Counter(f"{r['status'] // 100}xx" for r in records)  # type: ignore[operator]
    paths = Counter(r["path"] for r in records)
    top = sorted(paths.items(), key=lambda item: (-item[1], item[0]))[:3]
    slow = list(dict.fromkeys(r["path"] for r in records if r["ms"] > 500))  # type: ignore[operator]
    return {
        "requests": len(records),
        "by_status": dict(sorted(by_class.items())),
        "unique_ips": len({r["ip"] for r in records}),
        "top_paths": [[path, count] for path, count in top],
        "slow_paths": slow,
    }
