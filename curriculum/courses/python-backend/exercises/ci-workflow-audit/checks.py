import copy

GOOD = {
    "name": "ci",
    "on": {"pull_request": {}},
    "permissions": {"contents": "read"},
    "jobs": {
        "lint": {
            "runs-on": "ubuntu-latest",
            "timeout-minutes": 10,
            "steps": [
                {"uses": "actions/checkout@v7"},
                {"uses": "astral-sh/setup-uv@v10", "with": {"enable-cache": True}},
                {"run": "uv sync --locked"},
                {"run": "uv run ruff format --check .\nuv run ruff check .\nuv run mypy"},
            ],
        },
        "test": {
            "runs-on": "ubuntu-latest",
            "timeout-minutes": 15,
            "steps": [
                {"uses": "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8"},
                {"run": "uv sync --frozen"},
                {"run": "uv run pytest -q"},
            ],
        },
    },
}


def _variant(change):
    wf = copy.deepcopy(GOOD)
    change(wf)
    return wf


def test_clean_workflow_has_no_problems(submission):
    got = submission.call("audit_workflow", GOOD)
    assert got == [], f"this workflow follows every rule, but you reported {got}"


def test_missing_permissions(submission):
    wf = _variant(lambda w: w.pop("permissions"))
    assert submission.call("audit_workflow", wf) == ["missing-permissions"]


def test_missing_timeout(submission):
    wf = _variant(lambda w: w["jobs"]["test"].pop("timeout-minutes"))
    got = submission.call("audit_workflow", wf)
    assert got == ["missing-timeout:test"], f"expected ['missing-timeout:test'], got {got}"


def test_unpinned_actions(submission):
    def change(w):
        w["jobs"]["lint"]["steps"][0]["uses"] = "actions/checkout@main"
        w["jobs"]["test"]["steps"][0]["uses"] = "astral-sh/setup-uv"
    got = submission.call("audit_workflow", _variant(change))
    assert got == ["unpinned-action:actions/checkout@main", "unpinned-action:astral-sh/setup-uv"], (
        f"an action at @main or with no @ref at all is unpinned; got {got}"
    )


def test_format_must_be_checked_not_applied(submission):
    def change(w):
        w["jobs"]["lint"]["steps"][3]["run"] = "uv run ruff format .\nuv run ruff check ."
    got = submission.call("audit_workflow", _variant(change))
    assert got == ["format-not-checked:lint"], (
        f"`ruff format .` rewrites files on the runner and passes; CI needs --check. got {got}"
    )


def test_install_must_use_the_lock_file(submission):
    def change(w):
        w["jobs"]["lint"]["steps"][2]["run"] = "uv sync"
    got = submission.call("audit_workflow", _variant(change))
    assert got == ["unlocked-install:lint"], (
        f"`uv sync` without --locked (or --frozen) may re-resolve; got {got}"
    )


def test_problems_are_sorted_and_unique(submission):
    def change(w):
        w.pop("permissions")
        w["jobs"]["lint"].pop("timeout-minutes")
        w["jobs"]["lint"]["steps"].append({"run": "uv sync"})
        w["jobs"]["lint"]["steps"][2]["run"] = "uv sync --all-groups"
    got = submission.call("audit_workflow", _variant(change))
    assert got == ["missing-permissions", "missing-timeout:lint", "unlocked-install:lint"], (
        f"report each problem once, sorted; got {got}"
    )
