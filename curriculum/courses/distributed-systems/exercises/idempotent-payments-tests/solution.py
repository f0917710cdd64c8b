import pytest
from fastapi.testclient import TestClient

from app_under_test import create_app, get_gateway


class FakeGateway:
    def __init__(self) -> None:
        self.charges: list[int] = []

    def charge(self, amount: int) -> str:
        self.charges.append(amount)
        return f"ch_{len(self.charges)}"


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def client(gateway: FakeGateway):
    app = create_app()
    app.dependency_overrides[get_gateway] = lambda: gateway
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


def pay(client: TestClient, amount: int, key: str | None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/payments", json={"amount": amount}, headers=headers)


def test_first_request_charges_once(client, gateway) -> None:
    r = pay(client, 500, "key-1")
    assert r.status_code == 201
    assert r.json() == {"charge_id": "ch_1", "amount": 500}
    assert gateway.charges == [500]


def test_retry_with_the_same_key_replays_without_charging(client, gateway) -> None:
    first = pay(client, 500, "key-1")
    again = pay(client, 500, "key-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert gateway.charges == [500]


def test_different_keys_are_different_payments(client, gateway) -> None:
    pay(client, 500, "key-1")
    r = pay(client, 500, "key-2")
    assert r.status_code == 201
    assert gateway.charges == [500, 500]


def test_key_reused_with_another_body_is_rejected(client, gateway) -> None:
    pay(client, 500, "key-1")
    r = pay(client, 900, "key-1")
    assert r.status_code == 422
    assert gateway.charges == [500]


def test_missing_key_is_rejected(client, gateway) -> None:
    assert pay(client, 500, None).status_code == 400
    assert gateway.charges == []


@pytest.mark.parametrize("amount", [0, -5])
def test_invalid_amount_is_not_charged(client, gateway, amount) -> None:
    assert pay(client, amount, "key-x").status_code == 422
    assert gateway.charges == []
