"""Expand a PEP 735 dependency group from the text of a pyproject.toml."""

import tomllib


def group_requirements(pyproject_toml: str, group: str) -> list[str]:
    """Return the requirement strings of `group`, includes expanded, first occurrence kept."""
    groups = tomllib.loads(pyproject_toml).get("dependency-groups", {})
    result: list[str] = []
    _expand(groups, group, (), result)
    return result


def _expand(
    groups: dict[str, list[str | dict[str, str]]],
    name: str,
    stack: tuple[str, ...],
    out: list[str],
) -> None:
    if name in stack:
        raise ValueError(f"include cycle: {' -> '.join((*stack, name))}")
    if name not in groups:
        raise ValueError(f"unknown dependency group: {name!r}")
    for entry in groups[name]:
        if isinstance(entry, dict):
            _expand(groups, entry["include-group"], (*stack, name), out)
        elif entry not in out:
            out.append(entry)
