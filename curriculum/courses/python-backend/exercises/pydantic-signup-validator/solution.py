"""Sign-up payload for a user service, with a field validator and a model validator."""

import re
from typing import Any, Self

from pydantic import BaseModel, Field, field_validator, model_validator

USERNAME = re.compile(r"[a-z0-9_]{3,20}")


class SignUp(BaseModel):
    username: str
    email: str
    password: str = Field(min_length=8)
    password_confirm: str

    @field_validator("username")
    @classmethod
    def normalise_username(cls, value: str) -> str:
        value = value.strip().lower()
        if not USERNAME.fullmatch(value):
            raise ValueError("username must be 3-20 letters, digits or underscores")
        return value

    @model_validator(mode="after")
    def passwords_match(self) -> Self:
        if self.password != self.password_confirm:
            raise ValueError("passwords do not match")
        return self


def register(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a sign-up payload and return the public fields (no passwords)."""
    user = SignUp.model_validate(data)
    return user.model_dump(exclude={"password", "password_confirm"})
