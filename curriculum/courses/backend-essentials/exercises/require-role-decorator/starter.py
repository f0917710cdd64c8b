"""A permission-checking decorator factory.

TODO: write `require_role(*roles)`, a decorator factory for functions whose first argument
is a `user` dict (passed positionally, or by keyword as `user=`):

- `@require_role("admin", "analyst")` lets the call through when `user["role"]` is one of
  the given roles, and returns the function's result unchanged;
- otherwise (another role, no "role" key, no user) it raises `PermissionError` without
  calling the function;
- the decorated function keeps its name and docstring (`functools.wraps`).

`delete_project`, `view_report` and `metadata` below must keep working as written.
"""

from collections.abc import Callable
from typing import Any


def require_role(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        return func  # TODO: check the role before calling func

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
