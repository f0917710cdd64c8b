"""A permission-checking decorator factory."""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def require_role(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    allowed = frozenset(roles)

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            user: Any = args[0] if args else kwargs.get("user")
            role = user.get("role") if isinstance(user, dict) else None
            if role not in allowed:
                raise PermissionError(f"{func.__name__} requires one of {sorted(allowed)}")
            return func(*args, **kwargs)

        return wrapper

    return decorator


@require_role("admin")
def delete_project(user: dict[str, str], project: str) -> str:
    """Delete a project and everything in it."""
    return f"{project} deleted by {user['name']}"


@require_role("admin", "analyst")
def view_report(user: dict[str, str], report_id: int, *, fmt: str = "html") -> str:
    """Render a report."""
    return f"report {report_id} as {fmt} for {user['name']}"


def metadata() -> list[str | None]:
    """Used by the checks: what the decorated functions look like from outside."""
    return [delete_project.__name__, delete_project.__doc__, view_report.__name__]
