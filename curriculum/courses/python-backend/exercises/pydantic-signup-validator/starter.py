"""Sign-up payload for a user service. Add the validators described in the exercise."""

from typing import Any

from pydantic import BaseModel, Field


class SignUp(BaseModel):
    username: str
    email: str
    password: str = Field(min_length=8)
    password_confirm: str

    # TODO: a field validator that strips and lower-cases `username`, and rejects
    #       names that are not 3-20 letters, digits or underscores.
    # TODO: a model validator that rejects a `password_confirm` different from `password`.


def register(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a sign-up payload and return the public fields (no passwords)."""
    user = SignUp.model_validate(data)
    return user.model_dump(exclude={"password", "password_confirm"})
