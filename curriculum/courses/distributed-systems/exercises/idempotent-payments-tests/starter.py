"""Tests for app_under_test: POST /payments with an Idempotency-Key header.

TODO: replace the real gateway with a fake in a fixture (app.dependency_overrides),
then test first payments, retries with the same key, different keys, a key reused with
another amount (422), a missing key (400) and invalid amounts (422), checking what the
fake gateway was asked to charge each time.
"""

from fastapi.testclient import TestClient

from app_under_test import create_app


def test_first_payment() -> None:
    client = TestClient(create_app())
    r = client.post("/payments", json={"amount": 500}, headers={"Idempotency-Key": "k"})
    assert r.status_code in (201, 500)
