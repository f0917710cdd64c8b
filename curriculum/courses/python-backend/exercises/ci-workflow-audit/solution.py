"""Review a GitHub Actions workflow (already parsed from YAML) for common CI mistakes."""

from typing import Any

MOVING_REFS = {"main", "master"}


def audit_workflow(workflow: dict[str, Any]) -> list[str]:
    """Problem codes found in `workflow`, sorted and without duplicates."""
    problems: set[str] = set()
    if "permissions" not in workflow:
        problems.add("missing-permissions")
    for name, job in workflow.get("jobs", {}).items():
        if "timeout-minutes" not in job:
            problems.add(f"missing-timeout:{name}")
        for step in job.get("steps", []):
            problems |= _step_problems(name, step)
    return sorted(problems)


def _step_problems(job: str, step: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    uses = step.get("uses")
    if uses is not None:
        _, _, ref = uses.partition("@")
        if ref == "" or ref in MOVING_REFS:
            found.add(f"unpinned-action:{uses}")
    for line in str(step.get("run", "")).splitlines():
        if "ruff format" in line and "--check" not in line:
            found.add(f"format-not-checked:{job}")
        if "uv sync" in line and "--locked" not in line and "--frozen" not in line:
            found.add(f"unlocked-install:{job}")
    return found
