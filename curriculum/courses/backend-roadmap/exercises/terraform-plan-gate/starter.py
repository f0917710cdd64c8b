"""A CI gate for Terraform plans.

The pipeline runs `terraform plan -out plan.tfplan` and `terraform show -json plan.tfplan`;
`plan` is that JSON, parsed. Each entry of plan["resource_changes"] looks like
    {"address": "google_sql_database_instance.main", "type": "google_sql_database_instance",
     "change": {"actions": ["delete", "create"]}}
where actions is one of ["no-op"], ["read"], ["create"], ["update"], ["delete"], or a
replacement: ["delete", "create"] (destroy first) or ["create", "delete"] (create first).

TODO: implement `summarise_plan(plan)`, returning
    {"create": n, "update": n, "replace": n, "delete": n,
     "destroyed": [...], "safe": bool}
- the four counts count resources by what will happen to them (a replacement is one
  "replace", not a create plus a delete; no-op and read are not counted);
- "destroyed": the sorted addresses of resources that will be deleted or replaced
  (a replacement destroys the old object, and its data);
- "safe": False when a resource of a type in STATEFUL_TYPES is destroyed, True otherwise.
A plan without "resource_changes" changes nothing.
"""

STATEFUL_TYPES = {
    "aws_db_instance",
    "aws_s3_bucket",
    "google_sql_database_instance",
    "google_storage_bucket",
    "azurerm_postgresql_flexible_server",
    "azurerm_storage_account",
}


def summarise_plan(plan: dict[str, object]) -> dict[str, object]:
    counts = {"create": 0, "update": 0, "replace": 0, "delete": 0}
    for change in plan["resource_changes"]:
        for action in change["change"]["actions"]:
            counts[action] += 1
    return {**counts, "destroyed": [], "safe": True}
