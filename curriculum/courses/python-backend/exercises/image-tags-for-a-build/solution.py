"""Compute the registry tags a CI build pushes for one commit."""

import re

SHA = re.compile(r"[0-9a-f]{40}")
RELEASE = re.compile(r"refs/tags/v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?")
BRANCH_PREFIX = "refs/heads/"


def image_tags(image: str, sha: str, ref: str) -> list[str]:
    """Tags for the image built from commit `sha` on git ref `ref`, most specific first."""
    if not SHA.fullmatch(sha):
        raise ValueError(f"expected a full 40-character commit sha, got {sha!r}")
    tags = [f"sha-{sha[:7]}"]
    release = RELEASE.fullmatch(ref)
    if release:
        major, minor, patch, pre = release.groups()
        tags.append(f"{major}.{minor}.{patch}{pre or ''}")
        if pre is None:
            tags += [f"{major}.{minor}", "latest"]
    elif ref.startswith(BRANCH_PREFIX):
        tags.append(ref.removeprefix(BRANCH_PREFIX).replace("/", "-"))
    return [f"{image}:{tag}" for tag in tags]
