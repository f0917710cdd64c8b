from fastapi.testclient import TestClient

from app_under_test import create_app


def test_first_payment() -> None:
    client = TestClient(create_app(), raise_server_exceptions=False)
    r = client.post("/payments", json={"amount": 500})
    assert r.status_code == 400
