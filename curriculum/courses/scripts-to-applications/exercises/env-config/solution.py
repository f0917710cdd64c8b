"""Load an application's configuration from environment variables, failing fast and clearly.

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


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def load_config(environ: dict[str, str]) -> Config:
    problems: list[str] = []

    api_url = environ.get("API_URL", "")
    if not api_url:
        problems.append("API_URL is required")
    elif not api_url.startswith("https://"):
        problems.append(f"API_URL must start with https:// (got {api_url!r})")

    timeout_s = 10.0
    if "TIMEOUT_S" in environ:
        try:
            timeout_s = float(environ["TIMEOUT_S"])
        except ValueError:
            problems.append(f"TIMEOUT_S must be a number (got {environ['TIMEOUT_S']!r})")
        else:
            if not timeout_s > 0:  # also rejects "nan"
                problems.append("TIMEOUT_S must be greater than 0")

    retries = 3
    if "RETRIES" in environ:
        try:
            retries = int(environ["RETRIES"])
        except ValueError:
            problems.append(f"RETRIES must be a whole number (got {environ['RETRIES']!r})")
        else:
            if not 0 <= retries <= 10:
                problems.append("RETRIES must be between 0 and 10")

    debug = False
    if "DEBUG" in environ:
        value = environ["DEBUG"].strip().lower()
        if value in _TRUE | _FALSE:
            debug = value in _TRUE
        else:
            problems.append(f"DEBUG must be true or false (got {environ['DEBUG']!r})")

    if problems:
        raise ConfigError("\n".join(problems))
    return Config(api_url=api_url, timeout_s=timeout_s, retries=retries, debug=debug)


# --- given: used by the grader ------------------------------------------------------
def check(environ: dict[str, str]) -> list[object]:
    try:
        config = load_config(environ)
    except AppError as err:
        return ["error", type(err).__name__, sorted(str(err).splitlines())]
    return ["ok", asdict(config)]
