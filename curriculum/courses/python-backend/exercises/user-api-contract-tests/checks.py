import re


def test_checks_the_whole_shape(submission):
    src = submission.source
    whole = any(
        s in src for s in ('extra="forbid"', "extra='forbid'", "set(", "== {", "keys()")
    ) or bool(re.search(r"\.json\(\)\s*==|==\s*\w+\.json\(\)(?!\s*\[)", src))
    assert whole, (
        "a contract test must fail when a field is added or renamed: compare the full set of "
        'keys, or validate with a model that has model_config = ConfigDict(extra="forbid")'
    )


def test_checks_the_openapi_schema(submission):
    assert "openapi()" in submission.source or "/openapi.json" in submission.source, (
        "also assert on the published schema (app.openapi() or GET /openapi.json): it is the "
        "contract other teams generate their clients from"
    )
