"""Review a GitHub Actions workflow (already parsed from YAML) for common CI mistakes."""


def audit_workflow(workflow: dict) -> list[str]:
    problems = []
    if "permissions" not in workflow:
        problems.append("missing-permissions")
    # TODO: timeouts, unpinned actions, formatting not checked, installs not locked
    return problems
