def _change(address, actions):
    return {"address": address, "type": address.split(".")[0], "change": {"actions": actions}}


def test_counts_each_kind_once(submission):
    plan = {
        "resource_changes": [
            _change("google_cloud_run_v2_service.api", ["update"]),
            _change("google_service_account.api", ["create"]),
            _change("google_secret_manager_secret_iam_member.db_url", ["delete", "create"]),
            _change("google_project_iam_member.old", ["delete"]),
            _change("google_storage_bucket_object.logo", ["no-op"]),
            _change("data_source.x", ["read"]),
        ]
    }
    result = submission.call("summarise_plan", plan)
    counts = {k: result.get(k) for k in ("create", "update", "replace", "delete")}
    assert counts == {"create": 1, "update": 1, "replace": 1, "delete": 1}, (
        f"a replacement counts once as 'replace'; no-op and read are not counted: {counts}"
    )


def test_destroyed_addresses(submission):
    plan = {
        "resource_changes": [
            _change("google_project_iam_member.old", ["delete"]),
            _change("google_secret_manager_secret_iam_member.db_url", ["delete", "create"]),
            _change("google_service_account.api", ["create"]),
        ]
    }
    result = submission.call("summarise_plan", plan)
    assert result["destroyed"] == [
        "google_project_iam_member.old",
        "google_secret_manager_secret_iam_member.db_url",
    ], f"deleted and replaced resources, sorted: {result['destroyed']}"
    assert result["safe"] is True, "nothing stateful is destroyed"


def test_create_before_destroy_is_a_replacement(submission):
    plan = {"resource_changes": [_change("aws_db_instance.main", ["create", "delete"])]}
    result = submission.call("summarise_plan", plan)
    assert result["replace"] == 1 and result["create"] == 0 and result["delete"] == 0, (
        f"['create', 'delete'] (create_before_destroy) is a replacement too: {result}"
    )
    assert result["destroyed"] == ["aws_db_instance.main"]


def test_destroying_a_database_is_not_safe(submission):
    for actions in (["delete"], ["delete", "create"], ["create", "delete"]):
        plan = {
            "resource_changes": [
                _change("google_cloud_run_v2_service.api", ["update"]),
                _change("google_sql_database_instance.main", actions),
            ]
        }
        result = submission.call("summarise_plan", plan)
        assert result["safe"] is False, (
            f"{actions} on a database instance destroys its data: the plan is not safe"
        )


def test_empty_plan(submission):
    empty = {"create": 0, "update": 0, "replace": 0, "delete": 0, "destroyed": [], "safe": True}
    assert submission.call("summarise_plan", {"format_version": "1.2"}) == empty
    assert submission.call("summarise_plan", {"resource_changes": []}) == empty
