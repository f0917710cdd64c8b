def test_uses_parametrize(submission):
    assert "pytest.mark.parametrize" in submission.source, (
        "cover the cases with @pytest.mark.parametrize instead of copy-pasted tests"
    )


def test_checks_the_error_with_pytest_raises(submission):
    assert "pytest.raises" in submission.source, (
        "check that a negative total raises ValueError with `with pytest.raises(ValueError):`"
    )
