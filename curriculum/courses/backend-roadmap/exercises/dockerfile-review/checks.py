GOOD = """# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install \\
    -r requirements.txt
COPY . .

FROM python:3.12-slim
RUN useradd --create-home app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
USER app
CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]
"""


def _review(submission, text):
    return submission.call("review", text)


def test_a_good_dockerfile_passes(submission):
    assert _review(submission, GOOD) == [], (
        "this multi-stage, non-root, exec-form Dockerfile is fine"
    )


def test_everything_wrong(submission):
    bad = (
        "from python\n"
        "env DB_PASSWORD=hunter2 DEBUG=1\n"
        "COPY . .\n"
        "RUN pip install -r requirements.txt\n"
        "CMD uvicorn app:app --host 0.0.0.0\n"
    )
    assert _review(submission, bad) == [
        "code-before-deps",
        "runs-as-root",
        "secret-in-env",
        "shell-form-cmd",
        "unpinned-base",
    ]


def test_unpinned_base(submission):
    for line in (
        "FROM python:latest",
        "FROM --platform=linux/amd64 python",
        "FROM registry.example:5000/python",
    ):
        text = GOOD.replace("FROM python:3.12-slim\n", line + "\n")
        assert "unpinned-base" in _review(submission, text), f"{line!r} is not pinned"
    pinned = GOOD.replace("FROM python:3.12-slim\n", "FROM registry.example:5000/python:3.12\n")
    assert _review(submission, pinned) == [], "a registry port is not a tag"
    assert (
        _review(submission, GOOD.replace("FROM python:3.12-slim\n", "FROM build AS final\n")) == []
    ), "FROM build refers to an earlier stage, not an image"


def test_user_in_the_final_stage_counts(submission):
    root_final = GOOD.replace("USER app\n", "").replace(
        "FROM python:3.12-slim AS build\n", "FROM python:3.12-slim AS build\nUSER app\n"
    )
    assert _review(submission, root_final) == ["runs-as-root"], (
        "a USER in the build stage does not apply to the final image"
    )
    back_to_root = GOOD.replace('CMD ["uvicorn"', 'USER root\nCMD ["uvicorn"')
    assert _review(submission, back_to_root) == ["runs-as-root"]


def test_continuation_lines(submission):
    text = GOOD.replace(
        "RUN /opt/venv/bin/pip install \\\n    -r requirements.txt\n",
        "RUN /opt/venv/bin/pip \\\n    install -r requirements.txt\n",
    )
    assert _review(submission, text) == [], (
        "join lines ending in a backslash before reading instructions"
    )
    text = GOOD.replace(
        'CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]', 'CMD \\\n  ["uvicorn", "app:app"]'
    )
    assert _review(submission, text) == [], "a continued CMD in exec form is still exec form"


def test_secrets(submission):
    for line in ("ENV API_KEY=abc123", "ARG github_token=ghp_x", "ENV SECRET_KEY letmein"):
        text = GOOD.replace("USER app\n", f"{line}\nUSER app\n")
        assert _review(submission, text) == ["secret-in-env"], (
            f"{line!r} bakes a secret into the image"
        )
    harmless = GOOD.replace("USER app\n", "ARG API_TOKEN\nENV PYTHONUNBUFFERED=1\nUSER app\n")
    assert _review(submission, harmless) == [], "an ARG without a value holds no secret"


def test_comments_are_ignored(submission):
    text = GOOD.replace("USER app\n", "# USER is set below\n# CMD uvicorn app:app\nUSER app\n")
    assert _review(submission, text) == []
