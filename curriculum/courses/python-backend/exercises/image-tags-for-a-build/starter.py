"""Compute the registry tags a CI build pushes for one commit."""


def image_tags(image: str, sha: str, ref: str) -> list[str]:
    # TODO: sha tag, branch tags, release tags; see the exercise prompt.
    return [f"{image}:latest"]
