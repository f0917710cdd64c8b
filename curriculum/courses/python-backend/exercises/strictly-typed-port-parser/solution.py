"""Read the port a service listens on from an environment value."""

MIN_PORT = 1
MAX_PORT = 65535


def parse_port(raw: str | None, default: int = 8000) -> int:
    """Return the port in `raw`, or `default` when the variable is unset."""
    if raw is None:
        return default
    text = raw.strip()
    if not text.isdigit():
        raise ValueError(f"port must be a number, got {raw!r}")
    port = int(text)
    if not MIN_PORT <= port <= MAX_PORT:
        raise ValueError(f"port must be between {MIN_PORT} and {MAX_PORT}, got {port}")
    return port
