"""A reviewer bot for Python Dockerfiles.

TODO: implement `review(dockerfile)`, returning the sorted list of the codes of every
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


def review(dockerfile: str) -> list[str]:
    problems = []
    if "USER" not in dockerfile:
        problems.append("runs-as-root")
    return problems
