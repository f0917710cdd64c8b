import ast

ROUTE_METHODS = {"get", "post", "put", "patch", "delete"}


def _tree(submission):
    return ast.parse(submission.source)


def _route_functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr in ROUTE_METHODS
                ):
                    yield node, ast.unparse(dec.func.value)


def _aliases(tree):
    """Module-level names bound to something mentioning Depends(get_store)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and "Depends(get_store)" in ast.unparse(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.AnnAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
            and "Depends(get_store)" in ast.unparse(node.value)
        ):
            names.add(node.target.id)
    return names


def test_create_then_read(submission):
    r = submission.http("POST", "/notes", json={"text": "buy milk"})
    assert r.status_code == 201, f"POST /notes must answer 201, got {r.status_code}"
    note = r.json()
    assert note["text"] == "buy milk"
    r = submission.http("GET", f"/notes/{note['id']}")
    assert r.status_code == 200
    assert r.json() == note, "GET must return the note that POST created"


def test_missing_note_is_404(submission):
    r = submission.http("GET", "/notes/999")
    assert r.status_code == 404, f"an unknown note must be 404, got {r.status_code}"


def test_has_an_app_factory(submission):
    tree = _tree(submission)
    factories = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"]
    assert factories, "define a function create_app() that builds and returns the FastAPI app"
    assert factories[0].returns is not None and "FastAPI" in ast.unparse(factories[0].returns), (
        "annotate create_app() -> FastAPI"
    )
    assigns = [
        n
        for n in tree.body
        if (
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "app" for t in n.targets)
        )
        or (isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "app")
    ]
    assert assigns and all(
        isinstance(a.value, ast.Call) and ast.unparse(a.value.func) == "create_app" for a in assigns
    ), "the module-level app must be made by the factory: app = create_app()"
    module_level = {id(n) for n in tree.body}
    for fn, target in _route_functions(tree):
        if id(fn) not in module_level:
            continue  # routes declared inside create_app() are registered on each new app
        assert target != "app", (
            f"{fn.name}() is registered on the module-level `app`; register routes on an "
            "APIRouter (or inside create_app) so every app the factory builds has them"
        )


def test_routes_get_the_store_from_a_dependency(submission):
    tree = _tree(submission)
    aliases = _aliases(tree)
    routes = list(_route_functions(tree))
    assert routes, "no route functions found"
    for fn, _ in routes:
        params = [*fn.args.args, *fn.args.kwonlyargs]
        defaults = [*fn.args.defaults, *[d for d in fn.args.kw_defaults if d is not None]]
        texts = [ast.unparse(a.annotation) for a in params if a.annotation is not None]
        texts += [ast.unparse(d) for d in defaults]
        uses = any("Depends(get_store)" in t or t in aliases for t in texts)
        assert uses, (
            f"{fn.name}() must receive the store as a parameter declared with "
            "Depends(get_store), so tests can replace it with app.dependency_overrides"
        )


def test_no_module_level_store(submission):
    for node in _tree(submission).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = node.value
            mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
                isinstance(value, ast.Call) and ast.unparse(value.func) in ("dict", "list", "set")
            )
            assert not mutable, (
                f"module-level `{ast.unparse(node).split('=')[0].strip()}` is shared by every "
                "app and every test; create the store inside create_app() (e.g. app.state.store)"
            )
