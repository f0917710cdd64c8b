"""Read the port a service listens on from an environment value."""


def parse_port(raw, default=8000):
    if raw is None:
        return default
    return int(raw)
