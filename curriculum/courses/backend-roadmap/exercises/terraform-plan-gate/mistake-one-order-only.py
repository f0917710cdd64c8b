"""A CI gate for Terraform plans.

The pipeline runs `terraform plan -out plan.tfplan` and `terraform show -json plan.tfplan`;
`plan` is that JSON, parsed. Each entry of plan["resource_changes"] looks like
    {"address": "google_sql_database_instance.main", "type": "google_sql_database_instance",
     "change": {"actions": ["delete", "create"]}}
where actions is one of ["no-op"], ["read"], ["create"], ["update"], ["delete"], or a
replacement: ["delete", "create"] (destroy first) or ["create", "delete"] (create first).

`summarise_plan(plan)` counts the changes, lists what will be destroyed, and says whether
the plan is safe to apply without a human.
"""

from typing import Any

STATEFUL_TYPES = {
    "aws_db_instance",
    "aws_s3_bucket",
    "google_sql_database_instance",
    "google_storage_bucket",
    "azurerm_postgresql_flexible_server",
    "azurerm_storage_account",
}


def _kind(actions: list[str]) -> str | None:
    if actions == ["delete", "create"]:
        return "replace"  # either order: destroy-then-create or create-before-destroy
    if actions in (["create"], ["update"], ["delete"]):
        return actions[0]
    return None  # no-op, read


def summarise_plan(plan: dict[str, Any]) -> dict[str, object]:
    counts = {"create": 0, "update": 0, "replace": 0, "delete": 0}
    destroyed: list[str] = []
    safe = True
    for resource in plan.get("resource_changes") or []:
        kind = _kind(list(resource["change"]["actions"]))
        if kind is None:
            continue
        counts[kind] += 1
        if kind in ("delete", "replace"):
            destroyed.append(resource["address"])
            if resource["type"] in STATEFUL_TYPES:
                safe = False
    return {**counts, "destroyed": sorted(destroyed), "safe": safe}
