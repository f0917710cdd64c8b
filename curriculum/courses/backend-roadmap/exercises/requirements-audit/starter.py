"""Is this requirements.txt a real lock file? A check for CI.

TODO: implement `audit(text)` for the contents of a requirements file, returning
{"unpinned": [...], "duplicates": [...], "invalid": [...]}:

- "unpinned": the names of requirements not pinned to one exact version. Pinned means
  exactly one version specifier, with `==` (or `===`), and no wildcard (`flask==3.*` is
  not pinned). Extras and environment markers do not matter:
  `uvicorn[standard]==0.30.6 ; python_version >= "3.11"` is pinned.
- "duplicates": names that appear more than once. Names are compared normalised
  (PEP 503: `Django`, `django` and `DJANGO` are the same; `_`, `.` and `-` too).
- "invalid": the line numbers (from 1) of requirement lines that cannot be parsed.
Both name lists hold normalised names, sorted. Skip blank lines, comments (`#` at the
start, or ` #` after a requirement) and option lines starting with `-` (`-r base.txt`,
`--index-url ...`). A line ending in a backslash continues on the next line (hashed lock
files put `--hash=...` options there); report such a requirement at its first line.

Use the `packaging` library (what pip itself uses): packaging.requirements.Requirement
and packaging.utils.canonicalize_name.
"""

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name


def audit(text: str) -> dict[str, list[object]]:
    unpinned = []
    for line in text.splitlines():
        if "==" not in line:
            unpinned.append(line.split(">")[0])
    return {"unpinned": unpinned, "duplicates": [], "invalid": []}
