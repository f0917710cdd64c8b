"""Pythonic, PEP 8 versions of two legacy helpers."""

MAX_NAME_LENGTH = 30


def active_user_names(users: list[dict[str, object]], result: list[str] = []) -> list[str]:
    """Names of active users with a non-empty name, cut to MAX_NAME_LENGTH characters."""
    for user in users:
        if user.get("active") is True and user.get("name"):
            result.append(str(user["name"])[:MAX_NAME_LENGTH])
    return result


def numbered(items: list[str], start: int = 1) -> list[str]:
    """['a', 'b'] -> ['1. a', '2. b']."""
    return [f"{number}. {item}" for number, item in enumerate(items, start=start)]
