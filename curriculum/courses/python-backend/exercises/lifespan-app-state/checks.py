import ast


def test_not_loaded_at_import(submission):
    assert submission.call("load_count") == 0, (
        "the catalog was loaded when the module was imported; load it in the lifespan instead"
    )


def test_loaded_once_at_startup(submission):
    r = submission.http("GET", "/products/sku-1")
    assert r.status_code == 200, f"GET /products/sku-1 must work after startup, got {r.status_code}"
    assert r.json() == {"sku": "sku-1", "price_cents": 1299}
    submission.http("GET", "/products/sku-2")
    submission.http("GET", "/status")
    assert submission.call("load_count") == 1, "load the catalog exactly once, at startup"


def test_status_reports_catalog_size(submission):
    r = submission.http("GET", "/status")
    assert r.status_code == 200, f"GET /status failed with {r.status_code}"
    assert r.json() == {"catalog_size": 3}


def test_unknown_product_is_404(submission):
    r = submission.http("GET", "/products/nope")
    assert r.status_code == 404, f"an unknown sku must give 404, got {r.status_code}"


def _called_name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def test_uses_lifespan_not_on_event(submission):
    tree = ast.parse(submission.source)
    on_event = any(
        isinstance(node, ast.Attribute) and node.attr == "on_event" for node in ast.walk(tree)
    )
    assert not on_event, "@app.on_event is deprecated: use a lifespan handler"
    uses_lifespan = any(
        isinstance(node, ast.Call)
        and _called_name(node) == "FastAPI"
        and any(kw.arg == "lifespan" for kw in node.keywords)
        for node in ast.walk(tree)
    )
    assert uses_lifespan, "pass your handler to the app: FastAPI(lifespan=lifespan)"


def test_state_lives_on_app_state(submission):
    tree = ast.parse(submission.source)
    uses_state = any(
        isinstance(node, ast.Attribute)
        and node.attr == "catalog"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "state"
        for node in ast.walk(tree)
    )
    assert uses_state, "store the catalog on app.state.catalog and read it from request.app.state"
