"""Expand a PEP 735 dependency group from the text of a pyproject.toml."""

import tomllib


def group_requirements(pyproject_toml: str, group: str) -> list[str]:
    data = tomllib.loads(pyproject_toml)
    # TODO: expand {include-group = "..."} entries, drop duplicates,
    # and raise ValueError for an unknown group or an include cycle.
    return data["dependency-groups"][group]
