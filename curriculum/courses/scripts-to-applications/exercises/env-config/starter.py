"""TODO: load an application's configuration from environment variables, failing fast and clearly.

`load_config(environ)` reads a dict of environment variables and returns a `Config`:
- `API_URL` (required): must start with `https://`;
- `TIMEOUT_S` (default 10.0): a number greater than 0;
- `RETRIES` (default 3): a whole number from 0 to 10;
- `DEBUG` (default False): `1/true/yes/on` or `0/false/no/off`, in any letter case.
On any problem it raises `ConfigError` (a subclass of `AppError`) whose message has one
line per problem, each line starting with the variable name; EVERY problem is listed.
"""

from dataclasses import asdict, dataclass


class AppError(Exception):
    """Base class of this application's errors."""


class ConfigError(AppError):
    pass


@dataclass(frozen=True)
class Config:
    api_url: str
    timeout_s: float = 10.0
    retries: int = 3
    debug: bool = False


def load_config(environ: dict[str, str]) -> Config:
    return Config(
        api_url=environ["API_URL"],
        timeout_s=float(environ.get("TIMEOUT_S", 10.0)),
        retries=int(environ.get("RETRIES", 3)),
        debug=bool(environ.get("DEBUG", False)),
    )


# --- given: used by the grader ------------------------------------------------------
def check(environ: dict[str, str]) -> list[object]:
    try:
        config = load_config(environ)
    except AppError as err:
        return ["error", type(err).__name__, sorted(str(err).splitlines())]
    return ["ok", asdict(config)]
