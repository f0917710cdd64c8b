import ast

ANN = {"email": "ann@example.com", "name": "Ann"}


def test_signup_sends_welcome_email(submission):
    r = submission.http("POST", "/signup", json=ANN)
    assert r.status_code == 201, f"a valid sign-up must return 201, got {r.status_code}"
    assert r.json() == {"email": "ann@example.com", "status": "registered"}
    outbox = submission.http("GET", "/outbox").json()
    assert outbox == [{"to": "ann@example.com", "subject": "Welcome, Ann!"}], (
        f"after the sign-up the outbox must hold exactly one welcome email, got {outbox}"
    )


def test_duplicate_signup_sends_nothing(submission):
    submission.http("POST", "/signup", json=ANN)
    r = submission.http("POST", "/signup", json=ANN)
    assert r.status_code == 409, f"a duplicate email must get 409, got {r.status_code}"
    outbox = submission.http("GET", "/outbox").json()
    assert len(outbox) == 1, (
        f"exactly one welcome email expected (the first sign-up only), outbox: {outbox}"
    )


def test_invalid_signup_sends_nothing(submission):
    r = submission.http("POST", "/signup", json={"email": "not-an-email", "name": "X"})
    assert r.status_code == 422, f"an invalid email must get 422, got {r.status_code}"
    assert submission.http("GET", "/outbox").json() == [], "no email for invalid sign-ups"


def test_uses_background_tasks(submission):
    tree = ast.parse(submission.source)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    add_task = [c for c in calls if isinstance(c.func, ast.Attribute) and c.func.attr == "add_task"]
    assert add_task, "schedule the email with background_tasks.add_task(...)"
    direct = [
        c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "send_welcome_email"
    ]
    assert not direct, (
        "send_welcome_email is called directly, so the client waits for it: pass the function "
        "and its arguments to add_task instead: add_task(send_welcome_email, email, name)"
    )
