from exercises.sandbox.submission import LearnerError

IMAGE = "ghcr.io/acme/orders-api"
SHA = "3f2c1ab9d0e4c5b6a7980123456789abcdef0123"


def test_main_branch(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/heads/main")
    assert got == [f"{IMAGE}:sha-3f2c1ab", f"{IMAGE}:main"], (
        f"a push to main gives the short-sha tag and the branch tag, got {got}"
    )


def test_never_latest_for_a_branch(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/heads/main")
    assert f"{IMAGE}:latest" not in got, "`latest` is only for releases, never for a branch push"


def test_branch_with_slash(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/heads/feature/login")
    assert got == [f"{IMAGE}:sha-3f2c1ab", f"{IMAGE}:feature-login"], (
        f"a Docker tag cannot contain '/': feature/login becomes feature-login; got {got}"
    )


def test_release_tag(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/tags/v1.4.2")
    assert got == [
        f"{IMAGE}:sha-3f2c1ab", f"{IMAGE}:1.4.2", f"{IMAGE}:1.4", f"{IMAGE}:latest"
    ], f"a release v1.4.2 is tagged sha, 1.4.2, 1.4 and latest (in that order); got {got}"


def test_prerelease_tag(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/tags/v2.0.0-rc.1")
    assert got == [f"{IMAGE}:sha-3f2c1ab", f"{IMAGE}:2.0.0-rc.1"], (
        f"a pre-release gets its exact version only: no 2.0, no latest; got {got}"
    )


def test_other_refs_get_only_the_sha_tag(submission):
    got = submission.call("image_tags", IMAGE, SHA, "refs/pull/12/merge")
    assert got == [f"{IMAGE}:sha-3f2c1ab"], f"a pull-request ref gets only the sha tag; got {got}"
    got = submission.call("image_tags", IMAGE, SHA, "refs/tags/nightly")
    assert got == [f"{IMAGE}:sha-3f2c1ab"], f"a tag that is not vX.Y.Z is not a release; got {got}"


def test_rejects_a_short_sha(submission):
    try:
        submission.call("image_tags", IMAGE, "3f2c1ab", "refs/heads/main")
    except LearnerError as exc:
        assert "ValueError" in exc.types, f"expected ValueError, got {exc.type}"
    else:
        raise AssertionError("a sha that is not 40 hex characters must raise ValueError")
