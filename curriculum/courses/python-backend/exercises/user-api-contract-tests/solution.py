"""Contract tests for GET /users/{id}: the exact response shape the mobile app relies on."""

from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from app_under_test import app

client = TestClient(app)


class UserContract(BaseModel):
    """What the mobile app parses: these fields, these types, nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: int
    email: str
    display_name: str


def test_response_matches_the_contract() -> None:
    r = client.get("/users/1")
    assert r.status_code == 200
    user = UserContract.model_validate(r.json())
    assert user == UserContract(id=1, email="ada@example.com", display_name="Ada")


def test_unknown_user_is_404() -> None:
    assert client.get("/users/42").status_code == 404


def test_openapi_schema_documents_the_contract() -> None:
    schema = app.openapi()["components"]["schemas"]["UserOut"]
    assert set(schema["properties"]) == {"id", "email", "display_name"}
    assert schema["properties"]["id"]["type"] == "integer"
    assert sorted(schema["required"]) == ["display_name", "email", "id"]
