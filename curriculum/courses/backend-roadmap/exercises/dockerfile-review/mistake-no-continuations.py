"""A reviewer bot for Python Dockerfiles.

`review(dockerfile)` returns the sorted list of the codes of every
problem found (each code at most once):

- "unpinned-base":   a FROM image without a tag, or with the tag `latest`
                     (`FROM python`, `FROM python:latest`; `FROM python:3.12-slim` is fine;
                     `FROM build AS ...` stage references and `--platform=...` flags may appear)
- "runs-as-root":    no USER instruction after the last FROM (or `USER root` is the last one)
- "shell-form-cmd":  the last CMD (or ENTRYPOINT) is not in exec form, i.e. does not start with `[`
- "code-before-deps": a `COPY . .` (copying the whole context) comes before the last
                     `RUN ... pip install ...` in the final stage, so every code change
                     reinstalls the dependencies
- "secret-in-env":   an ENV or ARG whose name contains PASSWORD, SECRET, TOKEN or KEY
                     (case-insensitive) and that is given a value in the Dockerfile

Instructions are case-insensitive; lines starting with # are comments; a line ending in
a backslash continues on the next line.
"""

import re

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and continuations joined."""
    joined = dockerfile
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        result.append((word.upper(), rest.strip()))
    return result


def _unpinned(from_args: str, stages: set[str]) -> bool:
    words = [w for w in from_args.split() if not w.startswith("--")]
    if not words:
        return False
    image = words[0]
    if image.lower() in stages:
        return False
    last_part = image.split("/")[-1]  # a registry host may have a port: host:5000/python
    tag = last_part.partition(":")[2]
    return "@" not in image and tag in ("", "latest")  # a digest (@sha256:...) pins too


def review(dockerfile: str) -> list[str]:
    steps = _instructions(dockerfile)
    problems: set[str] = set()
    stages: set[str] = set()
    last_from = 0
    for index, (word, args) in enumerate(steps):
        if word == "FROM":
            if _unpinned(args, stages):
                problems.add("unpinned-base")
            parts = args.split()
            if len(parts) >= 3 and parts[-2].upper() == "AS":
                stages.add(parts[-1].lower())
            last_from = index
        elif word in ("ENV", "ARG"):
            for name, value in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(\S*)", args):
                if SECRET_NAME.search(name) and value:
                    problems.add("secret-in-env")
    final = steps[last_from:]
    users = [args.split()[0] for word, args in final if word == "USER" and args]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.add("runs-as-root")
    commands = [args for word, args in final if word in ("CMD", "ENTRYPOINT")]
    if commands and not commands[-1].startswith("["):
        problems.add("shell-form-cmd")
    installs = [
        i for i, (word, args) in enumerate(final) if word == "RUN" and "pip install" in args
    ]
    copies = [
        i for i, (word, args) in enumerate(final) if word == "COPY" and args.split()[:1] == ["."]
    ]
    if installs and copies and min(copies) < installs[-1]:
        problems.add("code-before-deps")
    return sorted(problems)
