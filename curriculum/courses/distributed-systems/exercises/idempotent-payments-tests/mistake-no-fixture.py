from fastapi.testclient import TestClient

from app_under_test import create_app, get_gateway


class FakeGateway:
    def __init__(self) -> None:
        self.charges: list[int] = []

    def charge(self, amount: int) -> str:
        self.charges.append(amount)
        return f"ch_{len(self.charges)}"


def test_retry_is_not_charged_twice() -> None:
    gateway = FakeGateway()
    app = create_app()
    app.dependency_overrides[get_gateway] = lambda: gateway
    client = TestClient(app)
    for _ in range(2):
        client.post("/payments", json={"amount": 500}, headers={"Idempotency-Key": "k"})
    assert gateway.charges == [500]
