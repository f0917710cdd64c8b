"""Is this requirements.txt a real lock file? A check for CI."""

from collections import Counter

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with continuation lines joined."""
    result: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        result.append((start, pending + line))
        pending = ""
    if pending:
        result.append((start, pending))
    return result


def _is_pinned(requirement: Requirement) -> bool:
    specs = list(requirement.specifier)
    return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


def audit(text: str) -> dict[str, list[object]]:
    names: Counter[str] = Counter()
    unpinned: set[str] = set()
    invalid: list[int] = []
    for number, line in _logical_lines(text):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        line = line.split(" --", 1)[0].strip()  # drop per-requirement options (--hash=...)
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            invalid.append(number)
            continue
        name = requirement.name
        names[name] += 1
        if not _is_pinned(requirement):
            unpinned.add(name)
    return {
        "unpinned": sorted(unpinned),
        "duplicates": sorted(name for name, count in names.items() if count > 1),
        "invalid": invalid,
    }
