import ast


def convert(submission, base, target="EUR", amount=100):
    params = {"amount": amount, "base": base, "target": target}
    return submission.http("GET", "/convert", params=params)


def test_converts_an_amount(submission):
    r = convert(submission, "USD")
    assert r.status_code == 200, f"converting 100 USD to EUR must answer 200, got {r.status_code}"
    assert r.json() == {"amount": 92.0, "rate": 0.92}, f"expected 92.0 EUR at 0.92, got {r.json()}"


def test_slow_upstream_is_504_within_the_deadline(submission):
    convert(submission, "USD")  # warm-up: startup costs are not measured
    r = convert(submission, "SLOW")
    assert r.status_code == 504, (
        f"an upstream slower than 0.3 s must give 504 Gateway Timeout, got {r.status_code}"
    )
    assert r.json() == {"detail": "Rate service timed out"}
    assert submission.elapsed < 0.9, (
        f"the request took {submission.elapsed:.2f} s: give up on the upstream after 0.3 s"
    )


def test_broken_upstream_is_502(submission):
    r = convert(submission, "BROKEN")
    assert r.status_code == 502, (
        f"an upstream answering 503 must give 502 Bad Gateway, got {r.status_code}"
    )
    assert r.json() == {"detail": "Rate service unavailable"}


def test_unknown_currency_is_404(submission):
    r = convert(submission, "USD", target="XYZ")
    assert r.status_code == 404, f"an unknown target currency must give 404, got {r.status_code}"
    assert r.json() == {"detail": "Unknown currency"}


def test_one_client_created_in_a_lifespan(submission):
    tree = ast.parse(submission.source)
    creates = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and ast.unparse(call.func).endswith("AsyncClient"):
                    creates.append(node.name)
    assert creates, "create an httpx.AsyncClient (with transport=UPSTREAM) in a lifespan"
    assert "convert" not in creates, (
        "the endpoint creates a new AsyncClient per request; create one in the lifespan and "
        "share it through app.state"
    )
    uses_lifespan = any(
        isinstance(call, ast.Call)
        and ast.unparse(call.func) in ("FastAPI", "fastapi.FastAPI")
        and any(keyword.arg == "lifespan" for keyword in call.keywords)
        for call in ast.walk(tree)
    )
    assert uses_lifespan, "pass your lifespan to the app: FastAPI(lifespan=lifespan)"
